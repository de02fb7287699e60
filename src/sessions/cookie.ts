/**
 * The session cookie (AUTH_COOKIE=true): a login token that page scripts cannot read.
 *
 *     Set-Cookie: __Host-authtoken=<token>; HttpOnly; Secure; SameSite=Lax; Path=/; Max-Age=<seconds to expiry>
 *
 * - No `Max-Age` for a token that never expires (TOKEN_TTL=0), as the issue asks: the cookie then ends with
 *   the browser session (the token itself lives on until logout or revocation); no date is invented.
 * - `Max-Age=0` deletes it (logout, logoutAll, a cookie whose token no longer authenticates).
 * - `__Host-` (the default) binds the cookie to this host alone: a browser takes it only with `Secure`,
 *   `Path=/` and no `Domain`, so no subdomain can set or shadow it. AUTH_COOKIE_SECURE=false drops `Secure`
 *   and the prefix together, for plain HTTP on a host other than localhost.
 * - SameSite=Lax: the browser leaves the cookie off cross-site subrequests (a foreign page's fetch or form
 *   POST); the Origin check (csrf.ts) is the defence that does not depend on the browser's choice.
 *
 * Parsing is the `cookie` package's (express's own), which knows quoting and duplicate names.
 */
import { parseCookie } from 'cookie';
import type { SessionSettings } from '../settings';

type CookieSettings = Pick<SessionSettings, 'cookieName' | 'cookieSecure'>;

/** The name the cookie is sent with: `__Host-<AUTH_COOKIE_NAME>` while it is Secure. */
export function cookieName(settings: CookieSettings): string {
  return settings.cookieSecure ? `__Host-${settings.cookieName}` : settings.cookieName;
}

/** The session cookie's value in a Cookie header, or undefined. */
export function sessionKeyFrom(header: string | undefined, settings: CookieSettings): string | undefined {
  if (!header) return undefined;
  const value = parseCookie(header)[cookieName(settings)];
  return value ? value : undefined;
}

function attributes(settings: CookieSettings): string {
  return settings.cookieSecure ? 'HttpOnly; Secure; SameSite=Lax; Path=/' : 'HttpOnly; SameSite=Lax; Path=/';
}

/**
 * The Set-Cookie value carrying `token` until `expiry`. The token's characters (TOKEN_PREFIX's and hex) need
 * no encoding, and the attributes are fixed: written out here in the order the docs show.
 */
export function sessionCookie(settings: CookieSettings, token: string, expiry: Date | null, now = Date.now()): string {
  const maxAge = expiry === null ? '' : `; Max-Age=${Math.max(0, Math.floor((expiry.getTime() - now) / 1000))}`;
  return `${cookieName(settings)}=${token}; ${attributes(settings)}${maxAge}`;
}

/** The Set-Cookie value that deletes the session cookie. */
export function clearedCookie(settings: CookieSettings): string {
  return `${cookieName(settings)}=; ${attributes(settings)}; Max-Age=0`;
}
