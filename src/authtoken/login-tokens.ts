/**
 * Login tokens (`authtoken_login_token`, knox's model, many per user): created at login with an expiry from
 * TOKEN_TTL, listed (`myTokens`), revoked one by one (`revokeToken`, the admin), and cleared when expired
 * (`manage cleartokens`). The token itself is never stored: only its digest and first 15 characters
 * (src/authtoken/keys.ts). Finding one for a request is src/authtoken/token-lookup.ts's.
 *
 * SQL follows the store's rule (src/authtoken/token-store.ts): the ORM for single-row writes, raw SQL
 * where a statement needs it, with the reason beside it.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotFound, PermissionDenied } from '../errors';
import type { LoginTokenSettings } from '../settings';
import { generateLoginToken } from './keys';
import { LoginToken } from './login-token.entity';
import { loginRef, tokenEvent } from './token-events';
import { SecurityEventType } from '../security/event-types';
import { MAX_EVENTS_PER_STATEMENT, writeWithEvents, type Audit } from '../security/security-log';

export { loginRef } from './token-events';

export interface IssuedLoginToken {
  /** The token itself: shown once, never stored. */
  token: string;
  id: string;
  expiry: Date | null;
}

export const LOGIN_TOKEN_LIMIT_MESSAGE = 'Maximum amount of tokens allowed per user exceeded.';

// A token's expiry: created + TOKEN_TTL, never past created + AUTO_REFRESH_MAX_TTL; none when TOKEN_TTL is 0.
const EXPIRY_SQL = `case when ?::int > 0 then now() + make_interval(secs => least(?::int, coalesce(?::int, ?::int))) end`;

/**
 * A new login token for the user (knox's `AuthToken.objects.create`). With TOKEN_LIMIT_PER_USER, a user who
 * already holds that many unexpired tokens gets 403 instead; the user's row is locked meanwhile so that
 * concurrent logins cannot both take the last place.
 */
export async function createLoginToken(
  em: EntityManager,
  userId: number,
  name: string,
  policy: LoginTokenSettings,
  audit?: Audit<IssuedLoginToken>,
): Promise<IssuedLoginToken> {
  // With an audit: TOKEN_CREATED (and the audit's LOGIN_SUCCEEDED) in the insert's transaction.
  return writeWithEvents(em, audit, async (tx) => {
    const issued = await insertLoginToken(tx, userId, name, policy);
    return [issued, [tokenEvent(SecurityEventType.TOKEN_CREATED, userId, loginRef(issued.token))]];
  });
}

async function insertLoginToken(em: EntityManager, userId: number, name: string, policy: LoginTokenSettings): Promise<IssuedLoginToken> {
  const fresh = generateLoginToken(policy.prefix);
  const expiry = [policy.ttl, policy.ttl, policy.autoRefreshMaxTtl, policy.ttl];
  // Raw SQL: the insert is conditional on a count in the same statement (the limit), and its expiry is set
  // by the database's clock, the one every later expiry check and refresh reads (token-lookup.ts).
  const insert = (tx: EntityManager) =>
    tx.execute<{ id: string; expiry: string | null }[]>(
      `insert into authtoken_login_token (digest, token_key, user_id, name, created, expiry)
       select ?, ?, ?, ?, now(), ${EXPIRY_SQL}
        where ?::int is null
           or (select count(*) from authtoken_login_token
                where user_id = ? and kind = 'login' and (expiry is null or expiry > now())) < ?::int
       returning id, expiry`,
      [fresh.digest, fresh.tokenKey, userId, name, ...expiry, policy.limitPerUser, userId, policy.limitPerUser],
    );
  const rows =
    policy.limitPerUser === null
      ? await insert(em)
      : await em.transactional(async (tx) => {
          // Raw SQL: a row lock and nothing read. The ORM would load and hydrate the whole user to lock it.
          await tx.execute('select 1 from auth_user where id = ? for update', [userId]);
          return insert(tx);
        });
  if (!rows[0]) throw new PermissionDenied(LOGIN_TOKEN_LIMIT_MESSAGE);
  const platform = em.getPlatform();
  return { token: fresh.token, id: String(rows[0].id), expiry: rows[0].expiry === null ? null : platform.parseDate(rows[0].expiry) };
}

/** The user's unexpired login tokens, newest first (`myTokens`). */
export function listLoginTokens(em: EntityManager, userId: number): Promise<LoginToken[]> {
  return em.find(
    LoginToken,
    { user: userId, $or: [{ expiry: null }, { expiry: { $gt: new Date() } }] },
    { orderBy: { created: 'desc', id: 'desc' } },
  );
}

// A login token's id is a bigint: anything else names no token, and is not sent to PostgreSQL to fail there.
const LOGIN_TOKEN_ID = /^\d{1,18}$/;

/** Deletes one of the user's own login tokens (`revokeToken`); NOT_FOUND for another user's or an unknown id. */
export async function revokeLoginToken(em: EntityManager, userId: number, id: string, audit?: Audit<true>): Promise<true> {
  return deleteLoginTokens(em, 'id = ? and user_id = ?', [id, userId], LOGIN_TOKEN_ID.test(id), audit);
}

/** Deletes any login token by id (the admin); NOT_FOUND when there is none. */
export async function deleteLoginTokenById(em: EntityManager, id: string, audit?: Audit<true>): Promise<true> {
  return deleteLoginTokens(em, 'id = ?', [id], LOGIN_TOKEN_ID.test(id), audit);
}

async function deleteLoginTokens(em: EntityManager, where: string, values: unknown[], valid: boolean, audit?: Audit<true>): Promise<true> {
  if (!valid) throw new NotFound('No AuthToken matches the given query.');
  return writeWithEvents(em, audit, async (tx) => {
    // Raw SQL: the delete returns the owner and prefix its TOKEN_REVOKED names.
    const deleted = await tx.execute<{ user_id: number; token_key: string; kind: 'login' | 'access' }[]>(
      `delete from authtoken_login_token where ${where} returning user_id, token_key, kind`,
      values,
    );
    if (deleted.length === 0) throw new NotFound('No AuthToken matches the given query.');
    return [true, deleted.map((row) => tokenEvent(SecurityEventType.TOKEN_REVOKED, row.user_id, { kind: tableKind(row.kind), key: row.token_key }))];
  });
}

const CLEAR_BATCH = MAX_EVENTS_PER_STATEMENT;

/** A row's `kind` as the security log names it: an access token lives in this table too. */
function tableKind(kind: 'login' | 'access'): 'LOGIN' | 'ACCESS' {
  return kind === 'access' ? 'ACCESS' : 'LOGIN';
}

/**
 * Deletes expired login tokens (`manage cleartokens`, knox's periodic clean-up); returns how many. With an
 * audit, in batches, each one transaction with its TOKEN_REVOKED events (one per token, `detail.reason`).
 */
export async function clearExpiredTokens(em: EntityManager, audit?: Audit<number>): Promise<number> {
  // Raw SQL: a bulk delete judged by the database's clock, which set the expiries (createLoginToken).
  if (!audit) {
    const result = await em.execute<{ affectedRows: number }>('delete from authtoken_login_token where expiry <= now()', [], 'run');
    return result.affectedRows;
  }
  let cleared = 0;
  for (;;) {
    const batch = await writeWithEvents(em, audit, async (tx) => {
      const rows = await tx.execute<{ user_id: number; token_key: string; kind: 'login' | 'access' }[]>(
        `delete from authtoken_login_token where id in (
           select id from authtoken_login_token where expiry <= now() order by id limit ? for update skip locked
         ) returning user_id, token_key, kind`,
        [CLEAR_BATCH],
      );
      const events = rows.map((row) => ({
        ...tokenEvent(SecurityEventType.TOKEN_REVOKED, row.user_id, { kind: tableKind(row.kind), key: row.token_key }),
        detail: { tokenKind: tableKind(row.kind), tokenKey: row.token_key, reason: 'expired' },
      }));
      return [rows.length, events];
    });
    cleared += batch;
    if (batch < CLEAR_BATCH) return cleared;
  }
}
