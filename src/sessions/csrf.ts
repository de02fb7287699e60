/**
 * The CSRF check of a cookie-authenticated request (Django's CsrfViewMiddleware origin check, which DRF's
 * SessionAuthentication runs): the request's `Origin`, or without one its `Referer`, must be the server's
 * own origin or one of TRUSTED_ORIGINS. Otherwise the answer is 403 with Django's reason:
 *
 *     CSRF Failed: Origin checking failed - https://evil.example does not match any trusted origins.
 *
 * Neither header names `null` (as a sandboxed page's `Origin: null` does). A browser sends `Origin` on every
 * POST and on every cross-origin request, so the web app's own requests pass; a same-origin GET carries
 * neither header under the app's `Referrer-Policy: no-referrer`, so cookie-authenticated GETs are refused
 * (the web app posts). Requests authenticated by the Authorization header are not checked: a foreign page
 * cannot set that header without CORS allowing it.
 */
import { CsrfFailed } from '../errors';

export interface OriginCheck {
  /** `<scheme>://<host>` of this server as the request reached it. */
  ownOrigin: string;
  trusted: ReadonlySet<string>;
}

/** Django's reason for refusing, or undefined when the request may use the cookie. */
export function csrfReason(origin: string | undefined, referer: string | undefined, { ownOrigin, trusted }: OriginCheck): string | undefined {
  const good = (candidate: string) => candidate === ownOrigin || trusted.has(candidate);
  if (origin) return good(origin) ? undefined : `Origin checking failed - ${origin} does not match any trusted origins.`;
  if (!referer) return 'Origin checking failed - null does not match any trusted origins.';
  let refererOrigin: string;
  try {
    refererOrigin = new URL(referer).origin;
  } catch {
    return 'Referer checking failed - Referer is malformed.';
  }
  return good(refererOrigin) ? undefined : `Referer checking failed - ${referer} does not match any trusted origins.`;
}

/** The refusal's JSON body: it is answered before GraphQL reads the request (HTTP) or the socket opens. */
export function csrfAnswer(reason: string): string {
  const { message, extensions } = new CsrfFailed(reason);
  return JSON.stringify({ errors: [{ message, extensions: { code: extensions.code, reason: extensions.reason } }] });
}
