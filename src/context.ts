/**
 * The per-request GraphQL context: `{ em, user, auth }`, as DRF sets `request.user` and `request.auth`.
 * Authentication is eager, as in DRF: a bad header fails the whole operation with 401, public fields too.
 */
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { findCredentials, keyFromHeader, toAuthenticated, type Authenticated } from './authentication';
import { isConnectionError, ServiceUnavailable } from './errors';
import type { Settings } from './settings';
import type { Token } from './authtoken/token.entity';
import type { User } from './users/user.entity';

export interface Context {
  /** A fork of the ORM's EntityManager: one identity map per request. */
  em: EntityManager;
  /** The authenticated user, or null for an anonymous request. */
  user: User | null;
  /** The token the request authenticated with, or null. */
  auth: Token | null;
  settings: Settings;
  /** The client address (behind a proxy on loopback, the X-Forwarded-For client). */
  ip: string;
}

const AUTHENTICATED = Symbol('authenticated');

/**
 * `auth` is a getter on the prototype, so the Token is only built when a resolver reads it (see
 * toAuthenticated). Apollo copies the context per operation with Object.assign, which would call a getter
 * of the object's own; on the prototype it survives the copy, with the symbol-keyed state it reads.
 */
class OperationContext implements Context {
  readonly [AUTHENTICATED]: Authenticated | null;
  user: User | null;

  constructor(
    public em: EntityManager,
    authenticated: Authenticated | null,
    public settings: Settings,
    public ip: string,
  ) {
    this[AUTHENTICATED] = authenticated;
    this.user = authenticated?.user ?? null;
  }

  get auth(): Token | null {
    return this[AUTHENTICATED]?.token ?? null;
  }
}

export function contextFactory(orm: MikroORM, settings: Settings) {
  return async function createContext(authorization: string | undefined, ip: string): Promise<Context> {
    try {
      const key = keyFromHeader(authorization, settings.authKeyword);
      // The lookup borrows the root EntityManager's pool; the fork comes after, so a 401 costs none.
      const credentials = key === null ? null : await findCredentials(orm.em, key, settings.authKeyword);
      const em = orm.em.fork();
      return new OperationContext(em, credentials && toAuthenticated(em, credentials), settings, ip);
    } catch (error) {
      if (isConnectionError(error)) throw new ServiceUnavailable();
      throw error;
    }
  };
}
