/**
 * The per-request GraphQL context: `{ em, user, auth, settings, ip }`, as DRF sets `request.user` and
 * `request.auth`. The same shape over HTTP and over WebSocket (makeContext).
 * Authentication is eager, as in DRF: a bad header fails the whole operation with 401, public fields too.
 * `auth` is the Token or the LoginToken the request authenticated with.
 */
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { authenticate, authenticateKey, type Authenticated } from './authentication';
import { AuthenticationFailed } from './errors';
import { rethrowAsOutage } from './operations/outage';
import type { RequestSession } from './sessions/session';
import type { Settings } from './settings';
import type { AuthToken } from './authtoken/token-store';
import type { User } from './users/user.entity';
import type { ClientInfo } from './security/client';

export interface Context {
  /** A fork of the ORM's EntityManager: one identity map per request. */
  em: EntityManager;
  /** The authenticated user, or null for an anonymous request. */
  user: User | null;
  /** The token the request authenticated with (a DRF Token or a LoginToken), or null. */
  auth: AuthToken | null;
  settings: Settings;
  /** The client address (behind a proxy on loopback, the X-Forwarded-For client). */
  ip: string;
  /** The client as the security log records it (address, User-Agent, request id, operation name), read lazily. */
  client: ClientInfo;
  /** The session cookie of an HTTP request when AUTH_COOKIE is on (src/sessions/session.ts), else null. */
  session: RequestSession | null;
}

const AUTHENTICATED = Symbol('authenticated');

/**
 * `auth` is a getter on the prototype, so the token is only built when a resolver reads it (see
 * authentication.ts). Apollo copies the context per operation with Object.assign, which would call a getter
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
    public client: ClientInfo,
    public session: RequestSession | null = null,
  ) {
    this[AUTHENTICATED] = authenticated;
    this.user = authenticated?.user ?? null;
  }

  get auth(): AuthToken | null {
    return this[AUTHENTICATED]?.token ?? null;
  }
}

/**
 * A context for one operation of an already authenticated caller: the WebSocket transport authenticates a
 * socket once, at connection_init, and builds each operation's context here (src/realtime/websocket.ts).
 */
export function makeContext(em: EntityManager, authenticated: Authenticated | null, settings: Settings, ip: string, client: ClientInfo): Context {
  return new OperationContext(em, authenticated, settings, ip, client);
}

export function contextFactory(orm: MikroORM, settings: Settings) {
  return async function createContext(
    authorization: string | undefined,
    ip: string,
    client: ClientInfo = bareClient(ip),
    session: RequestSession | null = null,
  ): Promise<Context> {
    try {
      let em: EntityManager | undefined;
      // The lookup borrows the root EntityManager's pool; the fork is made only for a valid token (or
      // below, for an anonymous request), so a 401 costs none.
      const requestEm = () => (em = orm.em.fork());
      let authenticated: Authenticated | null;
      if (!authorization && session?.key !== undefined) {
        // The cookie counts only without a header; its origin was checked before the request was read
        // (src/sessions/session.ts).
        try {
          authenticated = await authenticateKey(orm.em, session.key, settings, requestEm, { ip, client });
        } catch (error) {
          // A cookie that no longer authenticates is dropped, or the browser would send it (and be refused,
          // even for startSession) until it expired.
          if (error instanceof AuthenticationFailed) session.clear();
          throw error;
        }
        session.authenticated = true;
      } else {
        authenticated = await authenticate(orm.em, authorization, settings, requestEm, { ip, client });
      }
      return new OperationContext(em ?? orm.em.fork(), authenticated, settings, ip, client, session);
    } catch (error) {
      rethrowAsOutage(error);
    }
  };
}

function bareClient(ip: string): ClientInfo {
  return { ip: ip || null, userAgent: null, requestId: null, operation: null };
}

/** The authentication behind a context (its user, token and any token use due), for the pipeline. */
export function authenticatedOf(context: Context): Authenticated | null {
  return (context as OperationContext)[AUTHENTICATED] ?? null;
}
