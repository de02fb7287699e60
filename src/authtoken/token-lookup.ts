/**
 * The per-request lookup: a presented key to its token and user in one query, on every authenticated
 * request and every WebSocket operation. `lookupToken` reads; what a login token's use calls for (lastUsed,
 * AUTO_REFRESH) comes back as a `TokenUse` for `recordTokenUse` to write once the operation is known (the
 * transport decides: `tokenInfo` alone records nothing).
 *
 * The only place in the store with named `$1` statements through src/database/sql.ts, and only for the two
 * reads (see the rule in src/authtoken/token-store.ts): the writes here are rare and go through the ORM or,
 * for the bulk delete of expired tokens, raw SQL.
 */
import { isIP } from 'node:net';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { LoginTokenSettings } from '../settings';
import { queryRows } from '../database/sql';
import { digestOf, digestsMatch, isDrfKey, isLoginToken, tokenKeyOf } from './keys';
import { LoginToken } from './login-token.entity';
import type { ClientInfo } from '../security/client';
import { SecurityEventType } from '../security/event-types';
import { eventInsert, eventValues, logInserted } from '../security/security-log';
import { TokenKind } from './token-kind';

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
  /** `login` or `access` (an access token lives in the login tokens' table). */
  login_kind: 'login' | 'access';
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

/** What a key turned out to be: no token, an expired login token (now deleted), or a token of either kind. */
export type Lookup =
  | { found: 'none' }
  | { found: 'expired' }
  | { found: 'token'; kind: TokenKind.AUTHTOKEN; row: DrfTokenRow }
  | { found: 'token'; kind: TokenKind.LOGIN; row: LoginTokenRow; write: TokenUse | null };

/** A write due on a login token: lastUsed and, with AUTO_REFRESH, a later expiry. */
export interface TokenUse {
  id: string;
  lastUsed: Date;
  expiry: Date | null;
}

const NONE: Lookup = { found: 'none' };

// Named `$1` statements through src/database/sql.ts, the store's one exception to the ORM: written out
// rather than built by em.findOne(Token, { key }, { populate: ['user'] }): this runs on every
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
// PASSWORD_RATE's throttle, shared by every worker); CASE evaluates the call only for that row. That call is
// the one write a named statement here makes: it happens when the statement executes, so a retry after a
// pooler refused to prepare it (src/database/sql.ts) does not count twice.
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

/** Who presents a key: what an access token's networks and rate are judged by. */
export interface Presenter {
  /** The client address after TRUST_PROXY (an IPv4-mapped IPv6 address counts as IPv4); '' when unknown. */
  ip?: string;
  /** Spend one use of an access token's rate (false where a socket only checks its credential still holds). */
  countUse?: boolean;
  /** Who presented the key, as the security log records it (for TOKEN_EXPIRED). */
  client?: ClientInfo | null;
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
 * told or done (no oracle; its one write is the owner's TOKEN_NETWORK_REFUSED). An expired login or access token is deleted, with its user's other
 * expired ones (as knox does). For an active user's token, the write its use calls for (lastUsed, auto
 * refresh) is returned, not done: recordTokenUse() does it, once the operation is known to run and not to be
 * a side-effect-free `tokenInfo`.
 *
 * `em` only lends its connection pool: no entity is made, so a request that fails here needs no fork.
 */
export async function lookupToken(em: EntityManager, key: string, policy: LoginTokenSettings, presenter: Presenter = {}): Promise<Lookup> {
  if (isDrfKey(key)) {
    const [row] = await queryRows<DrfTokenRow>(em, DRF_TOKEN_QUERY, [key]);
    return row ? { found: 'token', kind: TokenKind.AUTHTOKEN, row } : NONE;
  }
  if (!isLoginToken(key)) return NONE;
  const digest = digestOf(key);
  const rows = await queryRows<LoginTokenRow>(em, LOGIN_TOKEN_QUERY, [tokenKeyOf(key), lookupAddress(presenter.ip), digest, presenter.countUse ?? true]);
  const row = rows.find((candidate) => digestsMatch(candidate.login_digest, digest));
  if (!row) return NONE;
  if (!row.address_allowed) {
    // The 401 is an unknown key's (no oracle), but the owner's log says that the key was tried from elsewhere:
    // a leaked key in use. Only on this failure's path: an allowed address costs nothing more.
    const caller = { client: presenter.client ?? null, userId: row.id, token: { kind: 'ACCESS' as const, key: row.login_token_key } };
    const event = eventValues(caller, { type: SecurityEventType.TOKEN_NETWORK_REFUSED });
    const [inserted] = await em.execute<{ id: string; at: string }[]>(eventInsert(), event);
    logInserted(inserted, event);
    return NONE;
  }
  if (row.expired) {
    // knox's _cleanup_token: an expired token presented takes its user's other expired tokens with it. Raw
    // SQL: a bulk delete judged by the database's clock, in a CTE with the security log's TOKEN_EXPIRED so
    // that the 401 waits for one round trip, as before the log. Rare (once per token), not a named statement.
    const kind = row.login_kind === 'access' ? 'ACCESS' : 'LOGIN';
    const event = eventValues({ client: presenter.client ?? null, userId: row.id, token: { kind, key: row.login_token_key } }, { type: SecurityEventType.TOKEN_EXPIRED });
    const [inserted] = await em.execute<{ id: string; at: string }[]>(
      `with expired as (delete from authtoken_login_token where user_id = ? and expiry <= now()) ${eventInsert()}`,
      [row.id, ...event],
    );
    logInserted(inserted, event);
    return { found: 'expired' };
  }
  return { found: 'token', kind: TokenKind.LOGIN, row, write: row.is_active && row.throttle_wait === null ? dueWrite(em, row, policy) : null };
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
  // The ORM: a single-row write, at most once per MIN_REFRESH_INTERVAL, so off the path that must be cheap.
  await em.nativeUpdate(LoginToken, { id: use.id }, { lastUsed: use.lastUsed, expiry: use.expiry });
}
