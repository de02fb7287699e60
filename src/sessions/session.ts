/**
 * A request's session cookie (AUTH_COOKIE=true, HTTP only): the CSRF check before anything reads the request,
 * and what the context and the token resolvers need to read, refresh and clear the cookie.
 *
 * - `csrfMiddleware`: first on /graphql. A request carrying the session cookie and no Authorization header
 *   must come from a trusted origin (csrf.ts), else 403 with Django's words before the body is even read:
 *   a foreign page's fetch or form (whatever its content type, which Apollo's own CSRF prevention would
 *   answer differently) runs nothing.
 * - `sessionOf(req, res)`, for the context: `key` (the cookie's token), `authenticated` (set by the context
 *   when the cookie authenticated the request: a header, when present, is the only credential looked at),
 *   `set(token, expiry)` and `clear()`, which append a Set-Cookie to the answer.
 *
 * Over a WebSocket there is no response to carry a Set-Cookie: the context's `session` is null there.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { SessionSettings } from '../settings';
import { clearedCookie, sessionCookie, sessionKeyFrom } from './cookie';
import { csrfAnswer, csrfReason } from './csrf';

export interface RequestSession {
  readonly key: string | undefined;
  authenticated: boolean;
  set(token: string, expiry: Date | null): void;
  clear(): void;
}

export interface HttpSessions {
  csrfMiddleware: RequestHandler;
  sessionOf(req: Request, res: Response): RequestSession | null;
}

// The key the CSRF check read, handed to the context so that the header is parsed once per request.
const keys = new WeakMap<Request, string | undefined>();

export function httpSessions(settings: SessionSettings): HttpSessions {
  const cookie = settings;
  if (!settings.cookie) return { csrfMiddleware: (_req, _res, next) => next(), sessionOf: () => null };
  const trusted = new Set(settings.trustedOrigins);
  return {
    csrfMiddleware(req, res, next) {
      // A request with an Authorization header is authenticated by it alone: its cookie is never read.
      if (req.headers.authorization) return next();
      const key = sessionKeyFrom(req.headers.cookie, cookie);
      keys.set(req, key);
      if (key === undefined) return next();
      // req.protocol believes X-Forwarded-Proto only from TRUST_PROXY's proxies, as req.ip does.
      const reason = csrfReason(req.headers.origin, req.headers.referer, { ownOrigin: `${req.protocol}://${req.headers.host}`, trusted });
      if (reason === undefined) return next();
      res.status(403).type('application/json').send(csrfAnswer(reason));
    },
    sessionOf(req, res) {
      // Parsed on first read: a request with a header never needs the cookie (logoutAll aside).
      let key: string | undefined | null = null;
      return {
        get key() {
          if (key === null) key = keys.has(req) ? keys.get(req) : sessionKeyFrom(req.headers.cookie, cookie);
          return key;
        },
        authenticated: false,
        set(token, expiry) {
          res.append('set-cookie', sessionCookie(cookie, token, expiry));
        },
        clear() {
          res.append('set-cookie', clearedCookie(cookie));
        },
      };
    },
  };
}
