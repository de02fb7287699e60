/**
 * A request's session cookie (AUTH_COOKIE=true, HTTP only): what the context and the token resolvers need to
 * read, refresh and clear it, without knowing about express.
 *
 * - `key`: the cookie's token, when the request carries the cookie.
 * - `authenticated`: set by the context when the request was authenticated by the cookie (no Authorization
 *   header: the header, when present, is the only credential looked at).
 * - `checkOrigin()`: the CSRF check (csrf.ts), run before the cookie is used.
 * - `set(token, expiry)` / `clear()`: append a Set-Cookie to the answer.
 *
 * Over a WebSocket there is no response to carry a Set-Cookie: the context's `session` is null there.
 */
import type { Request, Response } from 'express';
import type { Settings } from '../settings';
import { clearedCookie, sessionCookie, sessionKeyFrom } from './cookie';
import { enforceCsrf } from './csrf';

export interface RequestSession {
  readonly key: string | undefined;
  authenticated: boolean;
  checkOrigin(): void;
  set(token: string, expiry: Date | null): void;
  clear(): void;
}

/** Builds each HTTP request's session, or null for every request when cookie sessions are off. */
export function httpSessions(settings: Pick<Settings, 'cookie' | 'trustedOrigins'>): (req: Request, res: Response) => RequestSession | null {
  const cookie = settings.cookie;
  if (!cookie.enabled) return () => null;
  const trusted = new Set(settings.trustedOrigins);
  return (req, res) => ({
    key: sessionKeyFrom(req.headers.cookie, cookie),
    authenticated: false,
    checkOrigin() {
      // req.protocol believes X-Forwarded-Proto only from TRUST_PROXY's proxies, as req.ip does.
      enforceCsrf(req.headers.origin, req.headers.referer, { ownOrigin: `${req.protocol}://${req.headers.host}`, trusted });
    },
    set(token, expiry) {
      res.append('set-cookie', sessionCookie(cookie, token, expiry));
    },
    clear() {
      res.append('set-cookie', clearedCookie(cookie));
    },
  });
}
