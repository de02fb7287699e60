/**
 * CORS for /graphql. CORS_ORIGINS (a list, or `*`) may send `Authorization` and read `WWW-Authenticate` and
 * `Retry-After`, which browsers otherwise hide. With cookie sessions on, only TRUSTED_ORIGINS are answered
 * `Access-Control-Allow-Credentials: true` (with their own origin echoed, never `*`, which browsers refuse
 * with credentials anyway): any other origin's `credentials: "include"` response stays unreadable to it.
 */
import type { CorsOptions, CorsOptionsDelegate } from 'cors';
import type { Request } from 'express';
import type { ServerSettings, SessionSettings } from '../settings';

const EXPOSED = ['WWW-Authenticate', 'Retry-After'];

export function corsOptions(server: Pick<ServerSettings, 'corsOrigins'>, sessions: SessionSettings): CorsOptions | CorsOptionsDelegate<Request> {
  const base: CorsOptions = server.corsOrigins
    ? { origin: server.corsOrigins === '*' ? '*' : server.corsOrigins, maxAge: 600, exposedHeaders: EXPOSED }
    : { origin: false };
  if (!sessions.cookie || sessions.trustedOrigins.length === 0) return base;
  const trusted = new Set(sessions.trustedOrigins);
  const withCredentials: CorsOptions = { origin: true, credentials: true, maxAge: 600, exposedHeaders: EXPOSED };
  return (req, callback) => {
    const origin = req.headers.origin;
    // Vary: Origin comes with `origin: true` (reflected), so a cache never serves one origin's answer to another.
    callback(null, origin !== undefined && trusted.has(origin) ? withCredentials : base);
  };
}
