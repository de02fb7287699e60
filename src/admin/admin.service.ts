/**
 * What staff can do, after DRF's TokenAdmin and Django's UserAdmin: list and search users and tokens, add
 * and delete tokens, add users, (de)activate them. The resolver only maps arguments; the rules live here.
 *
 * Escalation rule (Django's admin lets only superusers grant is_staff/is_superuser): staff may create and
 * (de)activate ordinary users; creating staff or superusers, or changing a staff or superuser account,
 * needs a superuser (403 otherwise).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotFound, PermissionDenied, ValidationError } from '../errors';
import { Token } from '../authtoken/token.entity';
import { User } from '../users/user.entity';
import { hashPassword, type PasswordPolicy } from '../users/passwords';
import { createUser } from '../users/user.service';
import type { PageData, PageWindow } from '../pagination';
import { setPasswordHash } from '../users/password-change';
import { validatePassword } from '../users/user.validation';
import { LoginToken } from '../authtoken/login-token.entity';
import { tokenKeyOf } from '../authtoken/token-store';
import { parseId } from '../validation';
import { searchPattern } from './admin.search';
import { SecurityEventType } from '../security/event-types';
import { recordSecurityEvents, type Caller } from '../security/security-log';
import type { CreateUserInput } from './admin.types';


/** Entities in the order of `ids` (a page's order), as `$in` returns them in any order. */
function inOrder<T, K>(items: T[], ids: K[], idOf: (item: T) => K): T[] {
  const byId = new Map(items.map((item) => [idOf(item), item]));
  return ids.map((id) => byId.get(id)).filter((item): item is T => item !== undefined);
}

/*
 * Each page is two queries run side by side: the page's ids, walked on an index (so a deep offset skips
 * index entries, not rows), then fetched; and the exact total. Counts over a search read the narrow
 * auth_user_search table rather than auth_user (see the admin_search migration).
 */

/** Users whose username or email contains the search (any case), newest (highest id) first. */
export async function searchUsers(em: EntityManager, search: string | null, { limit, offset }: PageWindow): Promise<PageData<User>> {
  const pattern = searchPattern(search);
  const connection = em.getConnection();
  // auth_user_search has one narrow row per user: paging and counting there reads far less than auth_user.
  const where = pattern ? 'where text like ?' : '';
  const filter = pattern ? [pattern] : [];
  const [items, [{ total }]] = await Promise.all([
    (async () => {
      const rows = await connection.execute<{ id: number }[]>(
        `select user_id as id from auth_user_search ${where} order by user_id desc limit ? offset ?`,
        [...filter, limit, offset],
      );
      const ids = rows.map((row) => row.id);
      return ids.length ? inOrder(await em.find(User, { id: { $in: ids } }), ids, (user) => user.id) : [];
    })(),
    connection.execute<{ total: number }[]>(`select count(*)::int as total from auth_user_search ${where}`, filter),
  ]);
  return { items, total };
}

/** Tokens whose user's username or email contains the search (any case), newest first. */
export async function searchTokens(em: EntityManager, search: string | null, { limit, offset }: PageWindow): Promise<PageData<Token>> {
  const pattern = searchPattern(search);
  const connection = em.getConnection();
  const [items, [{ total }]] = await Promise.all([
    (async () => {
      const rows = pattern
        ? await connection.execute<{ key: string }[]>(
            `select t.key from authtoken_token t join auth_user_search s on s.user_id = t.user_id
              where s.text like ? order by t.created desc, t.key desc limit ? offset ?`,
            [pattern, limit, offset],
          )
        : await connection.execute<{ key: string }[]>('select key from authtoken_token order by created desc, key desc limit ? offset ?', [
            limit,
            offset,
          ]);
      const keys = rows.map((row) => row.key);
      if (!keys.length) return [];
      return inOrder(await em.find(Token, { key: { $in: keys } }, { populate: ['user'] }), keys, (token) => token.key);
    })(),
    // One token per user: counting users with a token on the narrow table is counting tokens.
    connection.execute<{ total: number }[]>(
      `select count(*)::int as total from auth_user_search where has_token${pattern ? ' and text like ?' : ''}`,
      pattern ? [pattern] : [],
    ),
  ]);
  return { items, total };
}

function mayManage(actor: User, target: { isStaff: boolean; isSuperuser: boolean }): boolean {
  return actor.isSuperuser || (!target.isStaff && !target.isSuperuser);
}

/** A staff rule refused the caller: PERMISSION_DENIED in the security log, then 403. */
async function denied(em: EntityManager, caller: Caller, message: string): Promise<never> {
  await recordSecurityEvents(em, caller, [{ type: SecurityEventType.PERMISSION_DENIED, detail: { reason: message } }]);
  throw new PermissionDenied(message);
}

/** Staff create ordinary users; only a superuser creates staff or superusers. */
export async function createUserAsStaff(em: EntityManager, actor: User, input: CreateUserInput, passwords: PasswordPolicy, caller: Caller): Promise<User> {
  const isSuperuser = input.isSuperuser ?? false;
  // As createsuperuser does: a superuser is staff too, or Django's admin would not let them in.
  const isStaff = (input.isStaff ?? false) || isSuperuser;
  if (!mayManage(actor, { isStaff, isSuperuser })) {
    return denied(em, caller, 'Only a superuser may create staff or superuser accounts.');
  }
  return createUser(em, input, passwords, { isStaff, isSuperuser, isActive: input.isActive ?? true }, { caller, type: SecurityEventType.USER_CREATED });
}

/**
 * (De)activates a user. An inactive user's token answers 401 `User inactive or deleted.` from the next
 * request on (authentication reads is_active every time), yet is kept, so reactivation restores access.
 */
export async function setUserActive(em: EntityManager, actor: User, rawId: string, active: boolean, caller: Caller): Promise<User> {
  const id = parseId(rawId);
  const user = await em.findOne(User, { id });
  if (!user) throw new NotFound('No User matches the given query.');
  if (!mayManage(actor, user)) return denied(em, caller, CHANGE_STAFF);
  // Locking oneself out of the admin is never what was meant; another admin can still do it.
  if (user.id === actor.id && !active) throw new ValidationError('id: You cannot deactivate your own account.', 'id');
  user.isActive = active;
  // The change and its event commit together.
  await em.begin();
  try {
    await em.flush();
    await recordSecurityEvents(em, caller, [{ type: active ? SecurityEventType.USER_ACTIVATED : SecurityEventType.USER_DEACTIVATED, userId: user.id }]);
    await em.commit();
  } catch (error) {
    await em.rollback();
    throw error;
  }
  return user;
}

const CHANGE_STAFF = 'Only a superuser may change a staff or superuser account.';

/**
 * Sets a user's password (Django admin's password form) and deletes all of that user's tokens, so every
 * device must log in again. Changing a staff or superuser account needs a superuser, as setUserActive. The
 * hash is in the configured format (PASSWORD_HASHER), as every password set here.
 */
export async function setPasswordAsStaff(
  em: EntityManager,
  actor: User,
  rawId: string,
  password: string,
  passwords: PasswordPolicy,
  caller: Caller,
): Promise<true> {
  const id = parseId(rawId);
  validatePassword(password);
  const user = await em.findOne(User, { id });
  if (!user) throw new NotFound('No User matches the given query.');
  if (!mayManage(actor, user)) return denied(em, caller, CHANGE_STAFF);
  await setPasswordHash(em, user.id, await hashPassword(password, passwords), undefined, true, { caller, type: SecurityEventType.PASSWORD_SET });
  return true;
}

/**
 * Login tokens whose user's username or email contains the search (any case), or whose tokenKey is the
 * search's first 15 characters (so a leaked token pasted whole finds its row), newest first.
 */
export async function searchLoginTokens(em: EntityManager, search: string | null, { limit, offset }: PageWindow): Promise<PageData<LoginToken>> {
  const pattern = searchPattern(search);
  const where = pattern ? 'where s.text like ? or t.token_key = ?' : '';
  const filter = pattern ? [pattern, tokenKeyOf(search!.trim())] : [];
  const from = 'from authtoken_login_token t join auth_user_search s on s.user_id = t.user_id';
  const connection = em.getConnection();
  const [items, [{ total }]] = await Promise.all([
    (async () => {
      const rows = await connection.execute<{ id: string }[]>(`select t.id ${from} ${where} order by t.created desc, t.id desc limit ? offset ?`, [
        ...filter,
        limit,
        offset,
      ]);
      const ids = rows.map((row) => String(row.id));
      if (!ids.length) return [];
      return inOrder(await em.find(LoginToken, { id: { $in: ids } }, { populate: ['user'] }), ids, (token) => String(token.id));
    })(),
    connection.execute<{ total: number }[]>(`select count(*)::int as total ${from} ${where}`, filter),
  ]);
  return { items, total };
}
