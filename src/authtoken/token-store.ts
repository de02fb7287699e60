/**
 * The token store: the one owner of the token tables, `authtoken_token` (DRF's tokens, one per user) and
 * `authtoken_login_token` (login tokens, knox's model, many per user). Every token row is written, deleted
 * and looked up here; resolvers, the admin, the commands, the backfill and the subscriber call these
 * functions, and only src/authtoken/keys.ts, used from here, knows what a key looks like.
 *
 * DRF tokens: inserted, never upserted over an existing row; get-or-create, rotate (`regenerateToken`,
 * `drf_create_token -r`), delete. Login tokens: created at login with an expiry from TOKEN_TTL, found by
 * their first 15 characters and a constant-time digest comparison, refreshed and marked used at most once
 * per MIN_REFRESH_INTERVAL, deleted when found expired.
 *
 * Statements on the request path go through src/database/sql.ts (named, prepared once per connection).
 */
import type { EntityManager as AnyEntityManager } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotFound, PermissionDenied } from '../errors';
import type { LoginTokenSettings } from '../settings';
import { queryRows } from '../database/sql';
import type { User } from '../users/user.entity';
import { DRF_KEY_LENGTH, digestOf, digestsMatch, generateKey, generateLoginToken, isDrfKey, isLoginToken, tokenKeyOf } from './keys';
import { LoginToken } from './login-token.entity';
import { Token } from './token.entity';
import { requireMaxLength, requireNotBlank } from '../validation';
import type { ClientInfo } from '../security/client';
import { SecurityEventType } from '../security/event-types';
import { eventInsert, eventValues, logInserted, MAX_EVENTS_PER_STATEMENT, writeWithEvents, type Audit, type SecurityEventInput, type TokenRef } from '../security/security-log';

/** What a request authenticated with: a DRF token or a login token (DRF's `request.auth`). */
export type AuthToken = Token | LoginToken;

/** A login token's first 15 characters, as stored in `tokenKey` (the admin finds a pasted token by it). */
export { tokenKeyOf } from './keys';

function affected(result: unknown): number {
  return (result as { affectedRows: number }).affectedRows;
}

// ---------------------------------------------------------------------------------------------------------
// DRF tokens

// The token the subscriber made for each user it saw created, for the security log's TOKEN_CREATED.
const madeFor = new WeakMap<User, Token>();

/** A new Token entity for `user`, for the subscriber to add to the flush that creates the user. */
export function newToken(em: AnyEntityManager, user: User): Token {
  const token = em.create(Token, { key: generateKey(), user });
  madeFor.set(user, token);
  return token;
}

/** The token newToken() made for this user, if it did. */
export function tokenMadeFor(user: User): Token | undefined {
  return madeFor.get(user);
}

/** A DRF key as the security log names it. */
function drfRef(key: string): TokenRef {
  return { kind: 'AUTHTOKEN', key: tokenKeyOf(key) };
}

function tokenEvent(type: SecurityEventType, userId: number, token: TokenRef): SecurityEventInput {
  return { type, userId, detail: { tokenKind: token.kind, tokenKey: token.key } };
}

/**
 * Get-or-create in one statement: inserts a fresh key unless the user already has one, then returns
 * whichever exists. Two concurrent calls both answer with the same key. With an audit, a key made here is
 * a TOKEN_CREATED event in the same transaction.
 */
export async function getOrCreateToken(em: EntityManager, userId: number, audit?: Audit<string>): Promise<string> {
  return writeWithEvents(em, audit, async (tx) => {
    // A statement that loses the race waits on the winner's insert, does nothing, and then cannot see the
    // winner's row: its snapshot predates that commit, so it returns no row. Running it again takes a new
    // snapshot, which does (each statement has its own in READ COMMITTED, in a transaction too). Without
    // this, concurrent first logins failed with "reading 'key'".
    for (let attempt = 0; ; attempt += 1) {
      const rows = await tx.execute<{ key: string; created: boolean }[]>(
        `with inserted as (
           insert into authtoken_token (key, user_id, created) values (?, ?, now())
           on conflict (user_id) do nothing
           returning key
         )
         select key, true as created from inserted
         union all
         select key, false as created from authtoken_token where user_id = ?
         limit 1`,
        [generateKey(), userId, userId],
      );
      if (rows[0]) return [rows[0].key, rows[0].created ? [tokenEvent(SecurityEventType.TOKEN_CREATED, userId, drfRef(rows[0].key))] : []];
      if (attempt === 2) throw new Error(`No token could be created or found for user ${userId}.`);
    }
  });
}

/** Replaces the user's token with a new key; the old key stops working when this commits. */
export async function regenerateToken(em: EntityManager, userId: number, audit?: Audit<string>): Promise<string> {
  const replace = async (tx: EntityManager): Promise<[string, SecurityEventInput[]]> => {
    const old = await tx.execute<{ key: string }[]>('delete from authtoken_token where user_id = ? returning key', [userId]);
    const key = generateKey();
    await tx.execute('insert into authtoken_token (key, user_id, created) values (?, ?, now())', [key, userId], 'run');
    const events = old.map((row) => tokenEvent(SecurityEventType.TOKEN_REVOKED, userId, drfRef(row.key)));
    return [key, [...events, tokenEvent(SecurityEventType.TOKEN_CREATED, userId, drfRef(key))]];
  };
  return audit ? writeWithEvents(em, audit, replace) : em.transactional(async (tx) => (await replace(tx))[0]);
}

/** Deletes a DRF token by its key (the admin); NOT_FOUND when there is none. */
export async function deleteTokenByKey(em: EntityManager, rawKey: string, audit?: Audit<true>): Promise<true> {
  const key = rawKey.trim();
  requireNotBlank(key, 'key');
  requireMaxLength(key, DRF_KEY_LENGTH, 'key');
  return writeWithEvents(em, audit, async (tx) => {
    const deleted = await tx.execute<{ user_id: number }[]>('delete from authtoken_token where key = ? returning user_id', [key]);
    if (deleted.length === 0) throw new NotFound('No Token matches the given query.');
    return [true, [tokenEvent(SecurityEventType.TOKEN_REVOKED, deleted[0].user_id, drfRef(key))]];
  });
}

const BACKFILL_BATCH = 5000;

/**
 * Gives every user without a DRF token one and returns how many were created: the backfill DRF documents
 * for existing users ("for user in User.objects.all(): Token.objects.get_or_create(user=user)"), for users
 * made by native inserts, imports or before this app, who never passed through TokenSubscriber. Each batch is one statement: the users still without a token, paired with keys made here, inserted with
 * ON CONFLICT DO NOTHING so a token made meanwhile (a login, the subscriber, a second run) is kept.
 */
export async function ensureTokens(em: EntityManager, batchSize = BACKFILL_BATCH): Promise<number> {
  let created = 0;
  for (;;) {
    const keys = Array.from({ length: batchSize }, generateKey);
    const [row] = await em.execute<{ found: number; inserted: number }[]>(
      `with missing as (
         select u.id, row_number() over (order by u.id) as n
           from auth_user u
          where not exists (select 1 from authtoken_token t where t.user_id = u.id)
          order by u.id
          limit ?
       ), inserted as (
         insert into authtoken_token (key, user_id, created)
         select (string_to_array(?, ','))[m.n], m.id, now() from missing m
         on conflict do nothing
         returning 1
       )
       select (select count(*)::int from missing) as found, (select count(*)::int from inserted) as inserted`,
      [batchSize, keys.join(',')],
    );
    created += row.inserted;
    // A batch that inserted nothing was taken by a concurrent run, which goes on with the rest.
    if (row.found < batchSize || row.inserted === 0) return created;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Login tokens

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
  return writeWithEvents(em, audit, async (tx) => {
    const issued = await insertLoginToken(tx, userId, name, policy);
    return [issued, [tokenEvent(SecurityEventType.TOKEN_CREATED, userId, loginRef(issued.token))]];
  });
}

/** A login token as the security log names it. */
export function loginRef(token: string): TokenRef {
  return { kind: 'LOGIN', key: tokenKeyOf(token) };
}

async function insertLoginToken(em: EntityManager, userId: number, name: string, policy: LoginTokenSettings): Promise<IssuedLoginToken> {
  const fresh = generateLoginToken(policy.prefix);
  const expiry = [policy.ttl, policy.ttl, policy.autoRefreshMaxTtl, policy.ttl];
  const insert = (tx: EntityManager) =>
    tx.execute<{ id: string; expiry: string | null }[]>(
      `insert into authtoken_login_token (digest, token_key, user_id, name, created, expiry)
       select ?, ?, ?, ?, now(), ${EXPIRY_SQL}
        where ?::int is null
           or (select count(*) from authtoken_login_token
                where user_id = ? and (expiry is null or expiry > now())) < ?::int
       returning id, expiry`,
      [fresh.digest, fresh.tokenKey, userId, name, ...expiry, policy.limitPerUser, userId, policy.limitPerUser],
    );
  const rows =
    policy.limitPerUser === null
      ? await insert(em)
      : await em.transactional(async (tx) => {
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
    const deleted = await tx.execute<{ user_id: number; token_key: string }[]>(
      `delete from authtoken_login_token where ${where} returning user_id, token_key`,
      values,
    );
    if (deleted.length === 0) throw new NotFound('No AuthToken matches the given query.');
    return [true, deleted.map((row) => tokenEvent(SecurityEventType.TOKEN_REVOKED, row.user_id, { kind: 'LOGIN', key: row.token_key }))];
  });
}

/**
 * Deletes the token a request authenticated with (`logout`). Returns whether it was still there. The
 * audit's events (LOGOUT) are for the caller to name: the deleted token is the caller's own.
 */
export async function deleteToken(em: EntityManager, token: AuthToken, audit?: Audit<boolean>): Promise<boolean> {
  const [sql, value] = token instanceof LoginToken ? ['delete from authtoken_login_token where id = ?', token.id] : ['delete from authtoken_token where key = ?', token.key];
  return writeWithEvents(em, audit, async (tx) => [affected(await tx.execute(sql, [value], 'run')) > 0, []]);
}

/**
 * Deletes every token of the user, DRF and login tokens alike, except `keep` (the one in use, for a password
 * change). Returns how many went. One statement, so a concurrent login sees all or none of it. With an
 * audit, one TOKEN_REVOKED event per token.
 */
export async function deleteTokensOfUser(em: EntityManager, userId: number, keep?: AuthToken | null, audit?: Audit<number>): Promise<number> {
  const keepKey = keep instanceof Token ? keep.key : null;
  const keepId = keep instanceof LoginToken ? keep.id : null;
  return writeWithEvents(em, audit, async (tx) => {
    const rows = await tx.execute<{ kind: TokenRef['kind']; key: string }[]>(
      `with drf as (delete from authtoken_token where user_id = ? and key is distinct from ? returning key),
            login as (delete from authtoken_login_token where user_id = ? and id is distinct from ?::bigint returning token_key)
       select 'AUTHTOKEN' as kind, left(key, 15) as key from drf
       union all
       select 'LOGIN' as kind, token_key as key from login`,
      [userId, keepKey, userId, keepId],
    );
    return [rows.length, rows.map((row) => tokenEvent(SecurityEventType.TOKEN_REVOKED, userId, { kind: row.kind, key: row.key }))];
  });
}

const CLEAR_BATCH = MAX_EVENTS_PER_STATEMENT;

/**
 * Deletes expired login tokens (`manage cleartokens`, knox's periodic clean-up); returns how many. With an
 * audit, in batches, each one transaction with its TOKEN_REVOKED events (one per token).
 */
export async function clearExpiredTokens(em: EntityManager, audit?: Audit<number>): Promise<number> {
  if (!audit) return affected(await em.execute('delete from authtoken_login_token where expiry <= now()', [], 'run'));
  let cleared = 0;
  for (;;) {
    const batch = await writeWithEvents(em, audit, async (tx) => {
      const rows = await tx.execute<{ user_id: number; token_key: string }[]>(
        `delete from authtoken_login_token where id in (
           select id from authtoken_login_token where expiry <= now() order by id limit ? for update skip locked
         ) returning user_id, token_key`,
        [CLEAR_BATCH],
      );
      const events = rows.map((row) => ({ ...tokenEvent(SecurityEventType.TOKEN_REVOKED, row.user_id, { kind: 'LOGIN' as const, key: row.token_key }), detail: { tokenKind: 'LOGIN', tokenKey: row.token_key, reason: 'expired' } }));
      return [rows.length, events];
    });
    cleared += batch;
    if (batch < CLEAR_BATCH) return cleared;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Lookup, on every authenticated request

/** The user's columns, as the lookups return them (dates as PostgreSQL's text). */
export interface UserRow {
  id: number;
  username: string;
  email: string;
  first_name: string;
  last_name: string;
  password: string;
  is_active: boolean;
  is_staff: boolean;
  is_superuser: boolean;
  date_joined: string;
  last_login: string | null;
}

export interface DrfTokenRow extends UserRow {
  token_key: string;
  token_created: string;
}

export interface LoginTokenRow extends UserRow {
  login_id: string;
  login_digest: string;
  login_token_key: string;
  login_name: string;
  token_created: string;
  login_expiry: string | null;
  login_last_used: string | null;
  expired: boolean;
  now: string;
}

export type Lookup =
  | { kind: 'unknown' }
  | { kind: 'expired' }
  | { kind: 'drf'; row: DrfTokenRow }
  | { kind: 'login'; row: LoginTokenRow; write: TokenUse | null };

/** A write due on a login token: lastUsed and, with AUTO_REFRESH, a later expiry. */
export interface TokenUse {
  id: string;
  lastUsed: Date;
  expiry: Date | null;
}

// Written out rather than built by em.findOne(Token, { key }, { populate: ['user'] }): this runs on every
// request, and the ORM's query building and joined hydration took 3x the CPU of the query itself (profile
// in issue 5). It is sent as a parameterised, named query on a pooled connection (src/database/sql.ts).
const DRF_TOKEN_QUERY =
  'select "u".*, "t"."key" as "token_key", "t"."created" as "token_created" from "authtoken_token" as "t" ' +
  'inner join "auth_user" as "u" on "u"."id" = "t"."user_id" where "t"."key" = $1 limit 1';

// Every row sharing the token's first 15 characters (several only with a long TOKEN_PREFIX); the digest
// decides. now() comes along so that expiry and refresh are judged by the database's clock, which set them.
const LOGIN_TOKEN_QUERY =
  'select "u".*, "t"."id" as "login_id", "t"."digest" as "login_digest", "t"."token_key" as "login_token_key", ' +
  '"t"."name" as "login_name", "t"."created" as "token_created", "t"."expiry" as "login_expiry", ' +
  '"t"."last_used" as "login_last_used", coalesce("t"."expiry" <= now(), false) as "expired", now() as "now" ' +
  'from "authtoken_login_token" as "t" inner join "auth_user" as "u" on "u"."id" = "t"."user_id" ' +
  'where "t"."token_key" = $1';

// knox's _cleanup_token: an expired token presented takes its user's other expired tokens with it.
// With the security log's TOKEN_EXPIRED in the same statement: one round trip, as before the log.
const DELETE_EXPIRED = `with "expired" as (delete from "authtoken_login_token" where "user_id" = $1 and "expiry" <= now()) ${eventInsert(2)}`;
const RECORD_USE = 'update "authtoken_login_token" set "last_used" = $2, "expiry" = $3 where "id" = $1';

/**
 * Finds a key's token and user with one query. A key of neither shape is unknown without asking the
 * database. An expired login token is deleted, with its user's other expired ones (as knox does). For an
 * active user's login token, the write its use calls for (lastUsed, auto refresh) is returned, not done:
 * recordTokenUse() does it, once the operation is known not to be a side-effect-free `tokenInfo`.
 *
 * `em` only lends its connection pool: no entity is made, so a request that fails here needs no fork.
 */
export async function lookupToken(em: EntityManager, key: string, policy: LoginTokenSettings, client: ClientInfo | null = null): Promise<Lookup> {
  if (isDrfKey(key)) {
    const [row] = await queryRows<DrfTokenRow>(em, DRF_TOKEN_QUERY, [key]);
    return row ? { kind: 'drf', row } : { kind: 'unknown' };
  }
  if (!isLoginToken(key)) return { kind: 'unknown' };
  const rows = await queryRows<LoginTokenRow>(em, LOGIN_TOKEN_QUERY, [tokenKeyOf(key)]);
  const digest = digestOf(key);
  const row = rows.find((candidate) => digestsMatch(candidate.login_digest, digest));
  if (!row) return { kind: 'unknown' };
  if (row.expired) {
    const event = eventValues({ client, userId: row.id, token: { kind: 'LOGIN', key: row.login_token_key } }, { type: SecurityEventType.TOKEN_EXPIRED });
    const [inserted] = await queryRows<{ id: string; at: string }>(em, DELETE_EXPIRED, [row.id, ...event]);
    logInserted(inserted, event);
    return { kind: 'expired' };
  }
  return { kind: 'login', row, write: row.is_active ? dueWrite(em, row, policy) : null };
}

function dueWrite(em: EntityManager, row: LoginTokenRow, policy: LoginTokenSettings): TokenUse | null {
  const platform = em.getPlatform();
  const now = platform.parseDate(row.now);
  const interval = policy.minRefreshInterval * 1000;
  const lastUsed = row.login_last_used === null ? null : platform.parseDate(row.login_last_used);
  const expiry = row.login_expiry === null ? null : platform.parseDate(row.login_expiry);
  let nextExpiry = expiry;
  if (policy.autoRefresh && policy.ttl > 0 && expiry) {
    const created = platform.parseDate(row.token_created).getTime();
    const cap = policy.autoRefreshMaxTtl === null ? Infinity : created + policy.autoRefreshMaxTtl * 1000;
    const refreshed = Math.min(now.getTime() + policy.ttl * 1000, cap);
    // knox: no write when the expiry would move by less than MIN_REFRESH_INTERVAL.
    if (refreshed - expiry.getTime() >= Math.max(interval, 1)) nextExpiry = new Date(refreshed);
  }
  const useDue = lastUsed === null || now.getTime() - lastUsed.getTime() >= interval;
  if (!useDue && nextExpiry === expiry) return null;
  return { id: row.login_id, lastUsed: useDue || !lastUsed ? now : lastUsed, expiry: nextExpiry };
}

/** Writes a login token's use (see lookupToken): at most once per MIN_REFRESH_INTERVAL for each token. */
export async function recordTokenUse(em: EntityManager, use: TokenUse): Promise<void> {
  await queryRows(em, RECORD_USE, [use.id, use.lastUsed, use.expiry]);
}

/** What `tokenInfo` tells about a request's token: never the token itself. */
export function describeToken(token: AuthToken) {
  return token instanceof LoginToken
    ? { kind: 'LOGIN' as const, created: token.created, expiry: token.expiry, name: token.name, tokenKey: token.tokenKey }
    : { kind: 'AUTHTOKEN' as const, created: token.created, expiry: null, name: null, tokenKey: tokenKeyOf(token.key) };
}

/** Whether a login token is the one a request authenticated with (`AuthToken.current`). */
export function isCurrentToken(token: LoginToken, auth: AuthToken | null): boolean {
  return auth instanceof LoginToken && auth.id === token.id;
}
