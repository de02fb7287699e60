/**
 * The per-request GraphQL context: `{ em, user, auth }`, as DRF sets `request.user` and `request.auth`.
 * Authentication is eager, as in DRF: a bad header fails the whole operation with 401, public fields too.
 */
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { authenticate } from './authentication';
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

export function contextFactory(orm: MikroORM, settings: Settings) {
  return async function createContext(authorization: string | undefined, ip: string): Promise<Context> {
    const em = orm.em.fork();
    try {
      const authenticated = await authenticate(em, authorization, settings.authKeyword);
      return {
        em,
        user: authenticated?.user ?? null,
        // A getter, so that the Token is only built when a resolver reads it (see authenticateCredentials).
        get auth() {
          return authenticated?.token ?? null;
        },
        settings,
        ip,
      };
    } catch (error) {
      if (isConnectionError(error)) throw new ServiceUnavailable();
      throw error;
    }
  };
}
