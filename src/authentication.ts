/**
 * DRF's TokenAuthentication, for the GraphQL context.
 *
 * Clients authenticate by passing the token key in the Authorization header, prepended with the keyword
 * (`Token` by default, `Bearer` with AUTH_KEYWORD=Bearer) and whitespace:
 *
 *     Authorization: Token 401f7ac837da42b97f613d789819ff93537bee6a
 *
 * `authenticate()` returns null for no header or another scheme (anonymous, so other schemes can coexist),
 * `{ user, token }` for a valid token, and throws AuthenticationFailed (401) for everything else, with DRF's
 * messages verbatim. A valid key costs one query: the token joined to its user.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { OptionalProps } from '@mikro-orm/core';
import { queryRows } from './database/sql';
import { AuthenticationFailed } from './errors';
import { Token } from './authtoken/token.entity';
import { User } from './users/user.entity';

export interface Authenticated {
  user: User;
  token: Token;
}

export type HeaderParse =
  | { kind: 'anonymous' }
  | { kind: 'key'; key: string }
  | { kind: 'invalid'; message: string };

// Python's bytes.split(): runs of ASCII whitespace, ignoring leading and trailing runs.
const WHITESPACE = /[ \t\n\r\v\f]+/;
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
const KEY_SHAPE = /^[0-9a-f]{40}$/;

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

// Written out rather than built by em.findOne(Token, { key }, { populate: ['user'] }): this runs on every
// request, and the ORM's query building and joined hydration took 3x the CPU of the query itself (profile
// in issue 5). It is sent as a parameterised query on a pooled connection (src/database/sql.ts); MikroORM's
// execute() would first inline the parameters into the SQL text for its logger. The row becomes a User and
// a Token registered in the request's identity map, as em.map would make them, at a fraction of em.map's
// CPU (8% of a products request in the profile). test/authentication.test.ts checks every User property.
const TOKEN_QUERY =
  'select "u".*, "t"."key" as "token_key", "t"."created" as "token_created" from "authtoken_token" as "t" ' +
  'inner join "auth_user" as "u" on "u"."id" = "t"."user_id" where "t"."key" = $1 limit 1';

export interface CredentialsRow {
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
  token_key: string;
  token_created: string;
}

/**
 * The row for a key, or AuthenticationFailed. `em` only lends its connection pool: no entity is made, so a
 * request that fails here never needs an EntityManager fork of its own.
 */
export async function findCredentials(em: EntityManager, key: string, keyword: string): Promise<CredentialsRow> {
  // Every key this server issues has this shape, so anything else is unknown without asking the database.
  const row = KEY_SHAPE.test(key) ? (await queryRows<CredentialsRow>(em, TOKEN_QUERY, [key]))[0] : undefined;
  if (!row) throw new AuthenticationFailed('Invalid token.', keyword);
  // As in DRF, an inactive user's token fails loudly rather than turning into an anonymous request.
  if (!row.is_active) throw new AuthenticationFailed('User inactive or deleted.', keyword);
  return row;
}

/** The row as a User and a Token managed by `em`, the request's fork. */
export function toAuthenticated(em: EntityManager, row: CredentialsRow): Authenticated {
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
  let token: Token | undefined;
  return {
    user,
    // Built on first use: few requests read request.auth, and setting a Token's user relation runs the
    // ORM's propagation, a few percent of a products request.
    get token() {
      if (!token) {
        token = Object.assign(Object.create(Token.prototype) as Token, { key: row.token_key, user, created: platform.parseDate(row.token_created) });
        em.getUnitOfWork().register(token, { key: token.key, user: user.id, created: token.created });
      }
      return token;
    },
  };
}

/** The header's credentials as managed entities on `em`, null for an anonymous request, or 401. */
export async function authenticate(
  em: EntityManager,
  header: string | undefined,
  keyword: string,
): Promise<Authenticated | null> {
  const key = keyFromHeader(header, keyword);
  return key === null ? null : toAuthenticated(em, await findCredentials(em, key, keyword));
}

/** The key in the header, null for no header or another scheme, or AuthenticationFailed for a bad one. */
export function keyFromHeader(header: string | undefined, keyword: string): string | null {
  const parsed = parseAuthorizationHeader(header, keyword);
  if (parsed.kind === 'anonymous') return null;
  if (parsed.kind === 'invalid') throw new AuthenticationFailed(parsed.message, keyword);
  return parsed.key;
}
