/**
 * Access tokens (issue 20): rows of `authtoken_login_token` with `kind = 'access'`, stored as login tokens
 * are (TOKEN_PREFIX + 64 hex characters, kept as the SHA-512 digest and the first 15 characters) with their
 * scopes, networks (`cidr[]`) and rate. Created from a validated spec (src/access/access-token.validation.ts)
 * and rotated with a grace here; listed, revoked, looked up and used by the login tokens' code, unchanged.
 * Raw SQL (see the rule in src/authtoken/token-store.ts): the expiry by the database's clock, the copy of a
 * row in one statement, the rotation under a lock, and the notification at commit. With an audit, the
 * security log's TOKEN_CREATED (creation) or TOKEN_ROTATED (rotation, naming the new key and the old) is in
 * the write's transaction, `tokenKind: ACCESS`.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotFound } from '../errors';
import type { ThrottleRate } from '../settings';
import { SecurityEventType } from '../security/event-types';
import { recordSecurityEvents, writeWithEvents, type Audit } from '../security/security-log';
import { generateLoginToken, tokenKeyOf } from './keys';
import { tokenEvent } from './token-events';

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
export async function createAccessToken(em: EntityManager, userId: number, spec: AccessTokenSpec, prefix: string, audit?: Audit<IssuedAccessToken>): Promise<IssuedAccessToken> {
  return writeWithEvents(em, audit, async (tx) => {
    const issued = await insertAccessToken(tx, userId, spec, prefix);
    return [issued, [tokenEvent(SecurityEventType.TOKEN_CREATED, userId, { kind: 'ACCESS', key: tokenKeyOf(issued.token) })]];
  });
}

async function insertAccessToken(em: EntityManager, userId: number, spec: AccessTokenSpec, prefix: string): Promise<IssuedAccessToken> {
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
export async function rotateAccessToken(
  em: EntityManager,
  userId: number,
  id: string,
  graceSeconds: number,
  prefix: string,
  audit?: Audit<IssuedAccessToken>,
): Promise<IssuedAccessToken> {
  const fresh = generateLoginToken(prefix);
  const row = /^\d{1,18}$/.test(id)
    ? await em.transactional(async (tx) => {
        const [old] = await tx.execute<{ id: string; token_key: string }[]>(
          `select id, token_key from authtoken_login_token where id = ? and user_id = ? and kind = 'access' and (expiry is null or expiry > now()) for update`,
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
             select pg_notify('authtoken_revoked', json_build_object('kind', 'LOGIN', 'ids', array[id::text], 'until', expiry)::text)
               from shortened`,
            [graceSeconds, id],
          );
        }
        if (audit) {
          const tokenKey = tokenKeyOf(fresh.token);
          await recordSecurityEvents(tx, audit.caller, [
            { type: SecurityEventType.TOKEN_ROTATED, userId, detail: { tokenKind: 'ACCESS', tokenKey, previousTokenKey: old.token_key, graceSeconds } },
          ]);
        }
        return copy;
      })
    : undefined;
  if (!row) throw new NotFound('No AuthToken matches the given query.');
  return issuedAccess(em, fresh.token, row);
}
