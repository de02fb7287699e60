/**
 * Beside a Django project (DJANGO_DATABASE=true): the staff writes made through this server's admin API are
 * also written to Django's own `django_admin_log`, as Django's admin writes them, so they show in its
 * "Recent actions" and each object's History. In the write's transaction, from the write's security events:
 *
 * | mutation       | event                      | action_flag | content_type      | change_message                          |
 * |----------------|----------------------------|-------------|-------------------|-----------------------------------------|
 * | createUser     | USER_CREATED               | 1 add       | auth.user         | [{"added": {}}]                         |
 * | setPassword    | PASSWORD_SET               | 2 change    | auth.user         | [{"changed": {"fields": ["password"]}}] |
 * | setUserActive  | USER_(DE)ACTIVATED         | 2 change    | auth.user         | [{"changed": {"fields": ["Active"]}}]   |
 * | createToken    | TOKEN_CREATED (REVOKED)    | 1 add (3)   | authtoken.token   | [{"added": {}}] ('')                    |
 * | deleteToken    | TOKEN_REVOKED              | 3 delete    | authtoken.token   | ''                                      |
 *
 * `user_id` is the staff member; a user's `object_id` is its id and `object_repr` its username. A token is
 * named as DRF's TokenProxy admin names it, by its user's id, and its `object_repr` is the 15-character public
 * prefix, never the key (Django's own admin would write the key there: str(Token) is the key).
 * A Django project without django.contrib.admin has no `django_admin_log`: nothing is written then.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { SecurityEventType } from './event-types';
import type { SecurityEventInput } from './security-log';

/** The admin API's mutations that Django's admin log records. */
export type AdminAction = 'createUser' | 'setPassword' | 'setUserActive' | 'createToken' | 'deleteToken';

const ADDITION = 1;
const CHANGE = 2;
const DELETION = 3;

interface Entry {
  flag: number;
  model: ['auth', 'user'] | ['authtoken', 'token'];
  objectId: number;
  /** Null: the user's username. */
  repr: string | null;
  message: string;
}

const RECORDED: Record<AdminAction, SecurityEventType[]> = {
  createUser: [SecurityEventType.USER_CREATED],
  setPassword: [SecurityEventType.PASSWORD_SET],
  setUserActive: [SecurityEventType.USER_ACTIVATED, SecurityEventType.USER_DEACTIVATED],
  createToken: [SecurityEventType.TOKEN_CREATED, SecurityEventType.TOKEN_REVOKED],
  deleteToken: [SecurityEventType.TOKEN_REVOKED],
};

function entryOf(event: SecurityEventInput, userId: number): Entry | null {
  const tokenKey = typeof event.detail?.tokenKey === 'string' ? event.detail.tokenKey : '';
  switch (event.type) {
    case SecurityEventType.USER_CREATED:
      return { flag: ADDITION, model: ['auth', 'user'], objectId: userId, repr: null, message: '[{"added": {}}]' };
    case SecurityEventType.PASSWORD_SET:
      return { flag: CHANGE, model: ['auth', 'user'], objectId: userId, repr: null, message: '[{"changed": {"fields": ["password"]}}]' };
    case SecurityEventType.USER_ACTIVATED:
    case SecurityEventType.USER_DEACTIVATED:
      return { flag: CHANGE, model: ['auth', 'user'], objectId: userId, repr: null, message: '[{"changed": {"fields": ["Active"]}}]' };
    case SecurityEventType.TOKEN_CREATED:
      return { flag: ADDITION, model: ['authtoken', 'token'], objectId: userId, repr: tokenKey, message: '[{"added": {}}]' };
    case SecurityEventType.TOKEN_REVOKED:
      return { flag: DELETION, model: ['authtoken', 'token'], objectId: userId, repr: tokenKey, message: '' };
    default:
      return null;
  }
}

// Per ORM configuration: whether the database has Django's admin log (django.contrib.admin installed).
const present = new WeakMap<object, Promise<boolean>>();

function hasAdminLog(em: EntityManager): Promise<boolean> {
  let known = present.get(em.config);
  if (!known) {
    known = em
      .execute<{ present: boolean }[]>(`select to_regclass('django_admin_log') is not null and to_regclass('django_content_type') is not null as present`)
      .then(([row]) => Boolean(row?.present));
    known.catch(() => present.delete(em.config));
    present.set(em.config, known);
  }
  return known;
}

/** Writes the admin log rows of a staff write's events, with the write's EntityManager (its transaction). */
export async function writeDjangoAdminLog(em: EntityManager, action: AdminAction, actorId: number, events: SecurityEventInput[]): Promise<void> {
  const entries = events
    .filter((event) => RECORDED[action].includes(event.type) && typeof event.userId === 'number')
    .map((event) => entryOf(event, event.userId as number))
    .filter((entry): entry is Entry => entry !== null);
  if (entries.length === 0 || !(await hasAdminLog(em))) return;
  for (const entry of entries) {
    await em.execute(
      `insert into django_admin_log (action_time, user_id, content_type_id, object_id, object_repr, action_flag, change_message)
       select now(), ?, ct.id, ?, left(coalesce(?, (select username from auth_user where id = ?), ''), 200), ?, ?
         from django_content_type ct where ct.app_label = ? and ct.model = ?`,
      [actorId, String(entry.objectId), entry.repr, entry.objectId, entry.flag, entry.message, ...entry.model],
    );
  }
}
