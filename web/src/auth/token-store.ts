/**
 * The one place the client keeps the API token: sessionStorage, under `graphql-authtoken.token`.
 *
 * Why sessionStorage (see "Token storage" in docs/web-app.md): it survives a reload and the trip to
 * /playground in the same tab (which prefills its header from here), and it is gone when the tab closes, which
 * bounds how long a token left on a shared machine lives. Memory alone would log the user out on every reload
 * and could not reach the playground; localStorage would keep a non-expiring DRF token on disk for good. Any
 * of the three is readable by script injected into this origin: the defence is to allow none (React escapes
 * output, the bundle loads nothing from elsewhere, and src/web.ts sends a strict Content-Security-Policy).
 *
 * Listeners let React re-render when a 401 clears the token from inside an Apollo link.
 */
export const TOKEN_STORAGE_KEY = 'graphql-authtoken.token';

/**
 * With cookie sessions (the server's AUTH_COOKIE) the store holds this marker instead of a key: the key is in
 * an HttpOnly cookie that no script reads, and the marker only says "signed in", so that a reload stays signed
 * in. Nothing sends it: the links check `hasKey` before making a header of it.
 */
export const COOKIE_SESSION = 'cookie-session';

/** Whether a stored value is a key to send (not the cookie-session marker). */
export function hasKey(token: string | null): token is string {
  return token !== null && token !== COOKIE_SESSION;
}

type Listener = () => void;

const listeners = new Set<Listener>();
// Why the last session ended, for the login screen: the server's message on a 401, or a note after logout.
let endReason: string | null = null;

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    // Storage can be disabled (privacy settings, sandboxed frames): fall back to a memory-only session.
    return null;
  }
}

let memoryToken: string | null = null;

export function getToken(): string | null {
  return storage()?.getItem(TOKEN_STORAGE_KEY) ?? memoryToken;
}

export function setToken(token: string): void {
  memoryToken = token;
  storage()?.setItem(TOKEN_STORAGE_KEY, token);
  endReason = null;
  notify();
}

/** Forgets the token; `reason` is shown on the login screen that follows. */
export function clearToken(reason: string | null = null): void {
  memoryToken = null;
  storage()?.removeItem(TOKEN_STORAGE_KEY);
  endReason = reason;
  notify();
}

/** The message that explains the last cleared session, if any. */
export function sessionEndReason(): string | null {
  return endReason;
}

export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(): void {
  for (const listener of listeners) listener();
}
