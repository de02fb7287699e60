/**
 * The token store: the one owner of the token tables, `authtoken_token` (DRF's tokens, one per user) and
 * `authtoken_login_token` (login tokens, knox's model, many per user). Every token row is written, deleted
 * and looked up here; resolvers, the admin, the commands, the backfill and the subscriber call these
 * functions, and only src/authtoken/keys.ts, used from here, knows what a key looks like.
 *
 * DRF tokens: inserted, never upserted over an existing row; get-or-create, rotate (`regenerateToken`,
 * `drf_create_token -r`), delete. Login tokens: created at login with an expiry from TOKEN_TTL, found by
 * their first 15 characters and a constant-time digest comparison, refreshed and marked used at most once
 * per MIN_REFRESH_INTERVAL, deleted when found expired. Access tokens (`kind = 'access'` in the login tokens'
 * table, issue 20): created with validated scopes, expiry, networks and rate (src/access/), rotated with a
 * grace, and otherwise found, used, listed and revoked exactly as login tokens are.
 *
 * Statements on the request path go through src/database/sql.ts (named, prepared once per connection).
 */
import type { EntityManager as AnyEntityManager } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isIP } from 'node:net';
import { NotFound, PermissionDenied } from '../errors';
import type { LoginTokenSettings, ThrottleRate } from '../settings';
import { queryRows } from '../database/sql';
import type { User } from '../users/user.entity';
import { DRF_KEY_LENGTH, digestOf, digestsMatch, generateKey, generateLoginToken, isDrfKey, isLoginToken, tokenKeyOf } from './keys';
import { LoginToken } from './login-token.entity';
import { Token } from './token.entity';
import { requireMaxLength, requireNotBlank } from '../validation';

/** What a request authenticated with: a DRF token or a login token (DRF's `request.auth`). */
export type AuthToken = Token | LoginToken;

/** A login token's first 15 characters, as stored in `tokenKey` (the admin finds a pasted token by it). */
export { tokenKeyOf } from './keys';

function affected(result: unknown): number {
  return (result as { affectedRows: number }).affectedRows;
}

// ---------------------------------------------------------------------------------------------------------
// DRF tokens

/** A new Token entity for `user`, for the subscriber to add to the flush that creates the user. */
export function newToken(em: AnyEntityManager, user: User): Token {
  return em.create(Token, { key: generateKey(), user });
}

/**
 * Get-or-create in one statement: inserts a fresh key unless the user already has one, then returns
 * whichever exists. Two concurrent calls both answer with the same key.
 */
export async function getOrCreateToken(em: EntityManager, userId: number): Promise<string> {
  // A statement that loses the race waits on the winner's insert, does nothing, and then cannot see the
  // winner's row: its snapshot predates that commit, so it returns no row. Running it again takes a new
  // snapshot, which does. (Without this, concurrent first logins failed with "reading 'key'".)
  for (let attempt = 0; ; attempt += 1) {
    const rows = await em.execute<{ key: string }[]>(
      `with inserted as (
         insert into authtoken_token (key, user_id, created) values (?, ?, now())
         on conflict (user_id) do nothing
         returning key
       )
       select key from inserted
       union all
       select key from authtoken_token where user_id = ?
       limit 1`,
      [generateKey(), userId, userId],
    );
    if (rows[0]) return rows[0].key;
    if (attempt === 2) throw new Error(`No token could be created or found for user ${userId}.`);
  }
}

/** Replaces the user's token with a new key; the old key stops working when this commits. */
export async function regenerateToken(em: EntityManager, userId: number): Promise<string> {
  return em.transactional(async (tx) => {
    const run = (sql: string, values: unknown[]) => tx.execute(sql, values, 'run');
    await run('delete from authtoken_token where user_id = ?', [userId]);
    const key = generateKey();
    await run('insert into authtoken_token (key, user_id, created) values (?, ?, now())', [key, userId]);
    return key;
  });
}

/** Deletes a DRF token by its key (the admin); NOT_FOUND when there is none. */
export async function deleteTokenByKey(em: EntityManager, rawKey: string): Promise<true> {
  const key = rawKey.trim();
  requireNotBlank(key, 'key');
  requireMaxLength(key, DRF_KEY_LENGTH, 'key');
  const deleted = await em.nativeDelete(Token, { key });
  if (deleted === 0) throw new NotFound('No Token matches the given query.');
  return true;
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
): Promise<IssuedLoginToken> {
  const fresh = generateLoginToken(policy.prefix);
  const expiry = [policy.ttl, policy.ttl, policy.autoRefreshMaxTtl, policy.ttl];
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
          await tx.execute('select 1 from auth_user where id = ? for update', [userId]);
          return insert(tx);
        });
  if (!rows[0]) throw new PermissionDenied(LOGIN_TOKEN_LIMIT_MESSAGE);
  const platform = em.getPlatform();
  return { token: fresh.token, id: String(rows[0].id), expiry: rows[0].expiry === null ? null : platform.parseDate(rows[0].expiry) };
}

// ---------------------------------------------------------------------------------------------------------
// Access tokens

/** An access token's properties, validated (src/access/access-token.validation.ts). */
export interface AccessTokenSpec {
  name: string;
  scopes: string[];
  /** Days from now; null for a token that never expires. */
  expiresInDays: number | null;
  /** Networks in PostgreSQL's cidr text form; empty for anywhere. */
  allowedCidrs: string[];
  rate: ThrottleRate | null;
}

export interface IssuedAccessToken {
  /** The token itself: shown once, never stored. */
  token: string;
  id: string;
  name: string;
  scopes: string[];
  expiry: Date | null;
  allowedCidrs: string[];
  rate: ThrottleRate | null;
}

interface AccessRow {
  id: string;
  name: string;
  scopes: string[];
  expiry: string | null;
  allowed_cidrs: string[] | null;
  rate_requests: number | null;
  rate_seconds: number | null;
}

const ACCESS_RETURNING = 'returning id, name, scopes, expiry, allowed_cidrs::text[], rate_requests, rate_seconds';

function issuedAccess(em: EntityManager, token: string, row: AccessRow): IssuedAccessToken {
  return {
    token,
    id: String(row.id),
    name: row.name,
    scopes: row.scopes,
    expiry: row.expiry === null ? null : em.getPlatform().parseDate(row.expiry),
    allowedCidrs: row.allowed_cidrs ?? [],
    rate: row.rate_requests === null || row.rate_seconds === null ? null : { requests: row.rate_requests, seconds: row.rate_seconds },
  };
}

/** A new access token for the user; its expiry is counted by the database's clock, as a login token's. */
export async function createAccessToken(em: EntityManager, userId: number, spec: AccessTokenSpec, prefix: string): Promise<IssuedAccessToken> {
  const fresh = generateLoginToken(prefix);
  const [row] = await em.execute<AccessRow[]>(
    `insert into authtoken_login_token (digest, token_key, user_id, name, created, expiry, kind, scopes, allowed_cidrs, rate_requests, rate_seconds)
     values (?, ?, ?, ?, now(), case when ?::int is null then null else now() + make_interval(days => ?::int) end, 'access',
             string_to_array(?, ','), string_to_array(?, ',')::cidr[], ?, ?)
     ${ACCESS_RETURNING}`,
    [
      fresh.digest,
      fresh.tokenKey,
      userId,
      spec.name,
      spec.expiresInDays,
      spec.expiresInDays,
      // Joined rather than bound as arrays, which knex would spread into separate bindings. Neither a scope
      // nor a network has a comma.
      spec.scopes.join(','),
      spec.allowedCidrs.length ? spec.allowedCidrs.join(',') : null,
      spec.rate?.requests ?? null,
      spec.rate?.seconds ?? null,
    ],
  );
  return issuedAccess(em, fresh.token, row);
}

/**
 * Stripe's "roll key": a new key for one of the user's unexpired access tokens, with the same name, scopes,
 * networks, rate and expiry. The old key works for `graceSeconds` more (its expiry becomes the grace end,
 * never later than it was), or stops at once with 0. NOT_FOUND for another user's token, a login token, an
 * expired or an unknown id. One transaction: the old row is locked, so two rotations cannot both copy it.
 */
export async function rotateAccessToken(em: EntityManager, userId: number, id: string, graceSeconds: number, prefix: string): Promise<IssuedAccessToken> {
  const fresh = generateLoginToken(prefix);
  const row = /^\d{1,18}$/.test(id)
    ? await em.transactional(async (tx) => {
        const [old] = await tx.execute<{ id: string }[]>(
          `select id from authtoken_login_token where id = ? and user_id = ? and kind = 'access' and (expiry is null or expiry > now()) for update`,
          [id, userId],
        );
        if (!old) return undefined;
        const [copy] = await tx.execute<AccessRow[]>(
          `insert into authtoken_login_token (digest, token_key, user_id, name, created, expiry, kind, scopes, allowed_cidrs, rate_requests, rate_seconds)
           select ?, ?, user_id, name, now(), expiry, kind, scopes, allowed_cidrs, rate_requests, rate_seconds
             from authtoken_login_token where id = ?
           ${ACCESS_RETURNING}`,
          [fresh.digest, fresh.tokenKey, id],
        );
        if (graceSeconds === 0) await tx.execute('delete from authtoken_login_token where id = ?', [id], 'run');
        else {
          // Sockets open with the old key are told its new end (at commit), so that they close at the grace's
          // end rather than at the old expiry (src/realtime/hub.ts). On the revocations' channel, as its
          // deletion would be.
          await tx.execute(
            `with shortened as (
               update authtoken_login_token set expiry = least(coalesce(expiry, 'infinity'), now() + make_interval(secs => ?))
                where id = ? returning id, expiry
             )
             select pg_notify('authtoken_revoked', json_build_object('kind', 'login', 'ids', array[id::text], 'until', expiry)::text)
               from shortened`,
            [graceSeconds, id],
          );
        }
        return copy;
      })
    : undefined;
  if (!row) throw new NotFound('No AuthToken matches the given query.');
  return issuedAccess(em, fresh.token, row);
}

/** The user's unexpired login and access tokens, newest first (`myTokens`). */
export function listLoginTokens(em: EntityManager, userId: number): Promise<LoginToken[]> {
  return em.find(
    LoginToken,
    { user: userId, $or: [{ expiry: null }, { expiry: { $gt: new Date() } }] },
    { orderBy: { created: 'desc', id: 'desc' } },
  );
}

/** Deletes one of the user's own login or access tokens (`revokeToken`); NOT_FOUND for another user's or an unknown id. */
export async function revokeLoginToken(em: EntityManager, userId: number, id: string): Promise<true> {
  const deleted = /^\d{1,18}$/.test(id)
    ? affected(await em.execute('delete from authtoken_login_token where id = ? and user_id = ?', [id, userId], 'run'))
    : 0;
  if (deleted === 0) throw new NotFound('No AuthToken matches the given query.');
  return true;
}

/** Deletes any login or access token by id (the admin); NOT_FOUND when there is none. */
export async function deleteLoginTokenById(em: EntityManager, id: string): Promise<true> {
  const deleted = /^\d{1,18}$/.test(id) ? affected(await em.execute('delete from authtoken_login_token where id = ?', [id], 'run')) : 0;
  if (deleted === 0) throw new NotFound('No AuthToken matches the given query.');
  return true;
}

/** Deletes the token a request authenticated with (`logout`). Returns whether it was still there. */
export async function deleteToken(em: EntityManager, token: AuthToken): Promise<boolean> {
  const [sql, value] = token instanceof LoginToken ? ['delete from authtoken_login_token where id = ?', token.id] : ['delete from authtoken_token where key = ?', token.key];
  return affected(await em.execute(sql, [value], 'run')) > 0;
}

/**
 * Deletes every token of the user, DRF and login tokens alike, except `keep` (the one in use, for a password
 * change). Returns how many went. One statement, so a concurrent login sees all or none of it.
 */
export async function deleteTokensOfUser(em: EntityManager, userId: number, keep?: AuthToken | null): Promise<number> {
  const keepKey = keep instanceof Token ? keep.key : null;
  const keepId = keep instanceof LoginToken ? keep.id : null;
  const [row] = await em.execute<{ n: number }[]>(
    `with drf as (delete from authtoken_token where user_id = ? and key is distinct from ? returning 1),
          login as (delete from authtoken_login_token where user_id = ? and id is distinct from ?::bigint returning 1)
     select (select count(*)::int from drf) + (select count(*)::int from login) as n`,
    [userId, keepKey, userId, keepId],
  );
  return row.n;
}

/** Deletes expired login tokens (`manage cleartokens`, knox's periodic clean-up); returns how many. */
export async function clearExpiredTokens(em: EntityManager): Promise<number> {
  return affected(await em.execute('delete from authtoken_login_token where expiry <= now()', [], 'run'));
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
  login_kind: TokenRowKind;
  /** An access token's scopes; null for a login token (unrestricted). */
  login_scopes: string[] | null;
  login_allowed_cidrs: string[] | null;
  login_rate_requests: number | null;
  login_rate_seconds: number | null;
  expired: boolean;
  now: string;
  /** Whether the client address is in one of an access token's networks (true without networks). */
  address_allowed: boolean;
  /** Seconds until an access token's rate allows another use, when this use was refused; else null. */
  throttle_wait: number | null;
}

/** `authtoken_login_token.kind`: a login token (knox's) or an access token (issue 20). */
export type TokenRowKind = 'login' | 'access';

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
// An access token's network and rate are judged here too, so that it costs the same one query: $2 is the
// client address (null when unknown: no network admits it), and with $4 the row whose digest is $3, alive,
// of an active user and reached from an allowed network spends one hit of its rate (authtoken_throttle_hit,
// PASSWORD_RATE's throttle, shared by every worker); CASE evaluates the call only for that row.
const ADDRESS_ALLOWED = '("t"."allowed_cidrs" is null or coalesce($2::inet <<= any("t"."allowed_cidrs"), false))';
const NOT_EXPIRED = 'not coalesce("t"."expiry" <= now(), false)';
const LOGIN_TOKEN_QUERY =
  'select "u".*, "t"."id" as "login_id", "t"."digest" as "login_digest", "t"."token_key" as "login_token_key", ' +
  '"t"."name" as "login_name", "t"."created" as "token_created", "t"."expiry" as "login_expiry", ' +
  '"t"."last_used" as "login_last_used", "t"."kind" as "login_kind", "t"."scopes" as "login_scopes", ' +
  '"t"."allowed_cidrs"::text[] as "login_allowed_cidrs", "t"."rate_requests" as "login_rate_requests", ' +
  '"t"."rate_seconds" as "login_rate_seconds", coalesce("t"."expiry" <= now(), false) as "expired", now() as "now", ' +
  `${ADDRESS_ALLOWED} as "address_allowed", ` +
  `case when "t"."rate_requests" is not null and $4::boolean and "t"."digest" = $3 and "u"."is_active" and ${NOT_EXPIRED} ` +
  `and ${ADDRESS_ALLOWED} then authtoken_throttle_hit('access-token', "t"."id"::text, "t"."rate_requests", "t"."rate_seconds") ` +
  'end as "throttle_wait" ' +
  'from "authtoken_login_token" as "t" inner join "auth_user" as "u" on "u"."id" = "t"."user_id" ' +
  'where "t"."token_key" = $1';

// knox's _cleanup_token: an expired token presented takes its user's other expired tokens with it.
const DELETE_EXPIRED = 'delete from "authtoken_login_token" where "user_id" = $1 and "expiry" <= now()';
const RECORD_USE = 'update "authtoken_login_token" set "last_used" = $2, "expiry" = $3 where "id" = $1';

/** Who presents a key: what an access token's networks and rate are judged by. */
export interface Presenter {
  /** The client address after TRUST_PROXY (an IPv4-mapped IPv6 address counts as IPv4); '' when unknown. */
  ip?: string;
  /** Spend one use of an access token's rate (false where a socket only checks its credential still holds). */
  countUse?: boolean;
}

/** The address as PostgreSQL's inet should judge it, or null when there is none usable. */
function lookupAddress(ip: string | undefined): string | null {
  if (!ip) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  return isIP(ip) === 0 ? null : ip;
}

/**
 * Finds a key's token and user with one query. A key of neither shape is unknown without asking the
 * database. An access token presented from outside its networks is unknown too, before anything else is
 * told or done (no oracle, no write). An expired login or access token is deleted, with its user's other
 * expired ones (as knox does). For an active user's token, the write its use calls for (lastUsed, auto
 * refresh) is returned, not done: recordTokenUse() does it, once the operation is known to run and not to be
 * a side-effect-free `tokenInfo`.
 *
 * `em` only lends its connection pool: no entity is made, so a request that fails here needs no fork.
 */
export async function lookupToken(em: EntityManager, key: string, policy: LoginTokenSettings, presenter: Presenter = {}): Promise<Lookup> {
  if (isDrfKey(key)) {
    const [row] = await queryRows<DrfTokenRow>(em, DRF_TOKEN_QUERY, [key]);
    return row ? { kind: 'drf', row } : { kind: 'unknown' };
  }
  if (!isLoginToken(key)) return { kind: 'unknown' };
  const digest = digestOf(key);
  const rows = await queryRows<LoginTokenRow>(em, LOGIN_TOKEN_QUERY, [tokenKeyOf(key), lookupAddress(presenter.ip), digest, presenter.countUse ?? true]);
  const row = rows.find((candidate) => digestsMatch(candidate.login_digest, digest));
  if (!row || !row.address_allowed) return { kind: 'unknown' };
  if (row.expired) {
    await queryRows(em, DELETE_EXPIRED, [row.id]);
    return { kind: 'expired' };
  }
  return { kind: 'login', row, write: row.is_active && row.throttle_wait === null ? dueWrite(em, row, policy) : null };
}

function dueWrite(em: EntityManager, row: LoginTokenRow, policy: LoginTokenSettings): TokenUse | null {
  const platform = em.getPlatform();
  const now = platform.parseDate(row.now);
  const interval = policy.minRefreshInterval * 1000;
  const lastUsed = row.login_last_used === null ? null : platform.parseDate(row.login_last_used);
  const expiry = row.login_expiry === null ? null : platform.parseDate(row.login_expiry);
  let nextExpiry = expiry;
  // An access token's expiry is its owner's choice (and a rotated key's grace end): never moved.
  if (policy.autoRefresh && policy.ttl > 0 && expiry && row.login_kind === 'login') {
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
    ? {
        kind: token.kind === 'access' ? ('ACCESS' as const) : ('LOGIN' as const),
        created: token.created,
        expiry: token.expiry,
        name: token.name,
        tokenKey: token.tokenKey,
        scopes: token.scopes,
      }
    : { kind: 'AUTHTOKEN' as const, created: token.created, expiry: null, name: null, tokenKey: tokenKeyOf(token.key), scopes: null };
}

/** Whether a login token is the one a request authenticated with (`AuthToken.current`). */
export function isCurrentToken(token: LoginToken, auth: AuthToken | null): boolean {
  return auth instanceof LoginToken && auth.id === token.id;
}
