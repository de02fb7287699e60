/**
 * DRF's TokenAuthentication, for the GraphQL context.
 *
 * Clients authenticate by passing the token in the Authorization header, prepended with the keyword
 * (`Token` by default, `Bearer` with AUTH_KEYWORD=Bearer) and whitespace:
 *
 *     Authorization: Token 401f7ac837da42b97f613d789819ff93537bee6a
 *
 * The token is either a DRF token (40 hex characters), a login token or an access token (both TOKEN_PREFIX and
 * 64 hex characters, knox's model); the token store (src/authtoken/token-store.ts) tells them apart and finds
 * any with one query. An access token is also held to its networks (outside them: `Invalid token.`, as an
 * unknown key) and its rate (DRF's Throttled, 429), judged in that same query. `authenticate()` is the one call the context makes, as DRF's `TokenAuthentication.authenticate`: it
 * returns null for no header or another scheme (anonymous, so other schemes can coexist), `{ user, token }`
 * for a valid token, and throws AuthenticationFailed (401) for everything else, with DRF's messages verbatim
 * (an expired login token: `Invalid token.` with `extensions.reason: "TOKEN_EXPIRED"`).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { OptionalProps } from '@mikro-orm/core';
import { AuthenticationFailed, INVALID_TOKEN, Throttled, TokenExpired, USER_INACTIVE } from './errors';
import type { Settings } from './settings';
import { LoginToken } from './authtoken/login-token.entity';
import { Token } from './authtoken/token.entity';
import { lookupToken, TokenKind, type AuthToken, type DrfTokenRow, type LoginTokenRow, type Presenter, type TokenUse, type UserRow } from './authtoken/token-store';
import { User } from './users/user.entity';
import type { ClientInfo } from './security/client';

export interface Authenticated {
  user: User;
  /** DRF's `request.auth`: the Token or LoginToken the request authenticated with. */
  token: AuthToken;
  /** A login or access token's use to record (lastUsed, auto refresh), when one is due; see context.ts. */
  use: TokenUse | null;
  /**
   * An access token's scopes; null for the unrestricted kinds (DRF and login tokens). Read by the scope rule
   * (src/access/scope-rule.ts) on every operation, so it is a plain array, not built on demand as `token` is.
   */
  scopes: readonly string[] | null;
}

export type HeaderParse =
  | { kind: 'anonymous' }
  | { kind: 'key'; key: string }
  | { kind: 'invalid'; message: string };

// Python's bytes.split(): runs of ASCII whitespace, ignoring leading and trailing runs.
const WHITESPACE = /[ \t\n\r\v\f]+/;
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

export function parseAuthorizationHeader(header: string | undefined, keyword: string): HeaderParse {
  const parts = (header ?? '').split(WHITESPACE).filter(Boolean);
  if (parts.length === 0 || parts[0].toLowerCase() !== keyword.toLowerCase()) return { kind: 'anonymous' };
  if (parts.length === 1) return { kind: 'invalid', message: 'Invalid token header. No credentials provided.' };
  if (parts.length > 2) {
    return { kind: 'invalid', message: 'Invalid token header. Token string should not contain spaces.' };
  }
  if (!PRINTABLE_ASCII.test(parts[1])) {
    return { kind: 'invalid', message: 'Invalid token header. Token string should not contain invalid characters.' };
  }
  return { kind: 'key', key: parts[1] };
}

/** The settings authentication reads. */
export type AuthenticationSettings = Pick<Settings, 'tokens' | 'loginTokens'>;

/**
 * The header's credentials as managed entities, null for an anonymous request, or 401.
 *
 * `em` lends its connection pool for the lookup. The user and token are registered on `em`, or on the
 * EntityManager that `requestEm` returns, called only once the token is valid: the context passes a fork
 * there, so a 401 costs no fork. A valid key costs one query. `client` is who presented the key, for the
 * security log's TOKEN_EXPIRED.
 */
export async function authenticate(
  em: EntityManager,
  header: string | undefined,
  settings: AuthenticationSettings,
  requestEm: () => EntityManager = () => em,
  presenter: Presenter = {},
): Promise<Authenticated | null> {
  const parsed = parseAuthorizationHeader(header, settings.tokens.keyword);
  if (parsed.kind === 'anonymous') return null;
  if (parsed.kind === 'invalid') throw new AuthenticationFailed(parsed.message);
  return authenticateKey(em, parsed.key, settings, requestEm, presenter);
}

/**
 * A key from elsewhere than the header (the session cookie, src/sessions/): looked up and judged exactly as a
 * header's key, with the same errors and the same one query.
 */
export async function authenticateKey(
  em: EntityManager,
  key: string,
  settings: AuthenticationSettings,
  requestEm: () => EntityManager = () => em,
  presenter: Presenter = {},
): Promise<Authenticated> {
  const policy = settings.loginTokens;
  const found = await lookupToken(em, key, policy, presenter);
  if (found.found === 'none') throw new AuthenticationFailed(INVALID_TOKEN);
  if (found.found === 'expired') throw new TokenExpired();
  // As in DRF, an inactive user's token fails loudly rather than turning into an anonymous request.
  if (!found.row.is_active) throw new AuthenticationFailed(USER_INACTIVE);
  if (found.kind === TokenKind.LOGIN && found.row.throttle_wait !== null) throw new Throttled(found.row.throttle_wait);
  const target = requestEm();
  const user = managedUser(target, found.row);
  return found.kind === TokenKind.AUTHTOKEN
    ? withLazyToken(user, () => drfToken(target, found.row, user), null, null)
    : withLazyToken(user, () => loginToken(target, found.row, user), found.write, found.row.login_scopes);
}

/**
 * The row as a User managed by `em`, as em.map would make it, at a fraction of em.map's CPU (8% of a products
 * request in the issue 5 profile). test/authentication.test.ts checks every User property.
 */
function managedUser(em: EntityManager, row: UserRow): User {
  const platform = em.getPlatform();
  const fields: Omit<User, typeof OptionalProps> = {
    id: row.id,
    username: row.username,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    password: row.password,
    isActive: row.is_active,
    isStaff: row.is_staff,
    isSuperuser: row.is_superuser,
    dateJoined: platform.parseDate(row.date_joined),
    lastLogin: row.last_login === null ? null : platform.parseDate(row.last_login),
  };
  // Own data properties, defined rather than assigned: assigning would run the ORM's prototype setters,
  // which redefine each property as an accessor on first write (for its cheap dirty flag), about 4% of a
  // products request. The flush still finds changes, by comparing with the snapshot registered below.
  const descriptors: PropertyDescriptorMap = {};
  for (const [name, value] of Object.entries(fields)) descriptors[name] = { value, writable: true, enumerable: true, configurable: true };
  const user = Object.create(User.prototype, descriptors) as User;
  // Managed: em.findOne(User, id) answers from the identity map, and a change to the user is flushed.
  em.getUnitOfWork().register(user, { ...fields });
  return user;
}

// The token is built on first use: few requests read request.auth, and setting a token's user relation runs
// the ORM's propagation, a few percent of a products request.
function withLazyToken(user: User, build: () => AuthToken, use: TokenUse | null, scopes: readonly string[] | null): Authenticated {
  let token: AuthToken | undefined;
  return {
    user,
    use,
    scopes,
    get token() {
      return (token ??= build());
    },
  };
}

function drfToken(em: EntityManager, row: DrfTokenRow, user: User): Token {
  const token = Object.assign(Object.create(Token.prototype) as Token, {
    key: row.token_key,
    user,
    created: em.getPlatform().parseDate(row.token_created),
  });
  em.getUnitOfWork().register(token, { key: token.key, user: user.id, created: token.created });
  return token;
}

function loginToken(em: EntityManager, row: LoginTokenRow, user: User): LoginToken {
  const platform = em.getPlatform();
  const fields = {
    id: String(row.login_id),
    digest: row.login_digest,
    tokenKey: row.login_token_key,
    name: row.login_name,
    created: platform.parseDate(row.token_created),
    expiry: row.login_expiry === null ? null : platform.parseDate(row.login_expiry),
    lastUsed: row.login_last_used === null ? null : platform.parseDate(row.login_last_used),
    kind: row.login_kind,
    scopes: row.login_scopes,
    allowedCidrs: row.login_allowed_cidrs,
    rateRequests: row.login_rate_requests,
    rateSeconds: row.login_rate_seconds,
  };
  const token = Object.assign(Object.create(LoginToken.prototype) as LoginToken, fields, { user });
  em.getUnitOfWork().register(token, { ...fields, user: user.id });
  return token;
}
