/**
 * The token store: the one owner of the token tables, `authtoken_token` (DRF's tokens, one per user) and
 * `authtoken_login_token` (login tokens, knox's model, many per user). Every token row is written, deleted
 * and looked up by the store; resolvers, the admin, the commands, the backfill and the subscriber import it
 * from here, and only src/authtoken/keys.ts, used by the store, knows what a key looks like.
 *
 * By role:
 * - src/authtoken/drf-tokens.ts: DRF tokens (made with the user, get-or-create, rotate, delete, backfill).
 * - src/authtoken/login-tokens.ts: login tokens (create within TOKEN_LIMIT_PER_USER, list, revoke, clear).
 * - src/authtoken/access-tokens.ts: access tokens (issue 20), stored in the login tokens' table with
 *   `kind = 'access'`: create (validated in src/access/), rotate with a grace; listed, revoked, looked up and
 *   used exactly as login tokens are.
 * - src/authtoken/token-lookup.ts: the per-request lookup of a presented key, and the use it records.
 * - here: what concerns a token of either kind (logout, a password change's revocation, tokenInfo).
 * The two kinds are named as src/authtoken/token-kind.ts names them, everywhere.
 *
 * One SQL rule, for the store and for any code after it (docs/writing-resolvers.md):
 * 1. Named `$1` statements (src/database/sql.ts's `queryRows`/`queryEach`, prepared once per connection)
 *    only on the per-request read path: the token lookup, a products page. Reads only: they are retried
 *    when a transaction pooler rejects a named statement.
 * 2. The ORM (`nativeDelete`, `nativeUpdate`, `insert`, `find`) for single-row writes and plain reads.
 * 3. Raw SQL (`em.execute` with `?` placeholders, in the caller's transaction) only where a statement needs
 *    it: a bulk write, a CTE that does in one statement what the ORM would do in several (and race in
 *    between), a lock, the database's clock. Each carries a comment that says which.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { tokenKeyOf } from './keys';
import { LoginToken } from './login-token.entity';
import { Token } from './token.entity';
import { TokenKind } from './token-kind';
import { tokenEvent } from './token-events';
import { SecurityEventType } from '../security/event-types';
import { writeWithEvents, type Audit, type TokenRef } from '../security/security-log';

export * from './access-tokens';
export * from './drf-tokens';
export * from './login-tokens';
export * from './token-lookup';
export { TokenKind } from './token-kind';

/** What a request authenticated with: a DRF token or a login token (DRF's `request.auth`). */
export type AuthToken = Token | LoginToken;

/** A login token's first 15 characters, as stored in `tokenKey` (the admin finds a pasted token by it). */
export { tokenKeyOf } from './keys';

/** The table-kind of a token a request authenticated with (an access token lives in the login tokens' table). */
export function kindOf(token: AuthToken): TokenKind {
  return token instanceof LoginToken ? TokenKind.LOGIN : TokenKind.AUTHTOKEN;
}

/**
 * Deletes the token a request authenticated with (`logout`). Returns whether it was still there. The
 * audit's events (LOGOUT) are for the caller to name: the deleted token is the caller's own.
 */
export async function deleteToken(em: EntityManager, token: AuthToken, audit?: Audit<boolean>): Promise<boolean> {
  return writeWithEvents(em, audit, async (tx) => {
    const deleted = token instanceof LoginToken ? await tx.nativeDelete(LoginToken, { id: token.id }) : await tx.nativeDelete(Token, { key: token.key });
    return [deleted > 0, []];
  });
}

/**
 * Deletes every token of the user, DRF and login tokens alike, except `keep` (the one in use, for a password
 * change). Returns how many went.
 */
export async function deleteTokensOfUser(em: EntityManager, userId: number, keep?: AuthToken | null, audit?: Audit<number>): Promise<number> {
  const keepKey = keep instanceof Token ? keep.key : null;
  const keepId = keep instanceof LoginToken ? keep.id : null;
  return writeWithEvents(em, audit, async (tx) => {
    // Raw SQL: a CTE deleting from both tables in one statement, so a concurrent login sees all or none of
    // it; each deleted token's prefix comes back for its TOKEN_REVOKED (with an audit).
    const rows = await tx.execute<{ kind: TokenRef['kind']; key: string }[]>(
      `with drf as (delete from authtoken_token where user_id = ? and key is distinct from ? returning key),
            login as (delete from authtoken_login_token where user_id = ? and id is distinct from ?::bigint returning token_key, kind)
       select 'AUTHTOKEN' as kind, left(key, 15) as key from drf
       union all
       select case when kind = 'access' then 'ACCESS' else 'LOGIN' end as kind, token_key as key from login`,
      [userId, keepKey, userId, keepId],
    );
    return [rows.length, rows.map((row) => tokenEvent(SecurityEventType.TOKEN_REVOKED, userId, { kind: row.kind, key: row.key }))];
  });
}

/** What `tokenInfo` tells about a request's token: never the token itself. */
export function describeToken(token: AuthToken) {
  return token instanceof LoginToken
    ? {
        kind: token.kind === 'access' ? TokenKind.ACCESS : TokenKind.LOGIN,
        created: token.created,
        expiry: token.expiry,
        name: token.name,
        tokenKey: token.tokenKey,
        scopes: token.scopes,
      }
    : { kind: TokenKind.AUTHTOKEN, created: token.created, expiry: null, name: null, tokenKey: tokenKeyOf(token.key), scopes: null };
}

/** Whether a login token is the one a request authenticated with (`AuthToken.current`). */
export function isCurrentToken(token: LoginToken, auth: AuthToken | null): boolean {
  return auth instanceof LoginToken && auth.id === token.id;
}
