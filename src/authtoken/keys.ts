/**
 * What a key looks like, for both kinds of token; the only place that knows. Used by the token store
 * (src/authtoken/token-store.ts) alone.
 *
 * - A DRF token key: DRF's `Token.generate_key()`, 20 bytes from the OS CSPRNG as 40 lowercase hex characters.
 * - A login token (knox's): TOKEN_PREFIX, then 32 CSPRNG bytes as 64 lowercase hex characters. Stored as its
 *   SHA-512 digest and its first 15 characters (`tokenKey`, prefix included), never as itself.
 *
 * The two shapes cannot be confused: a login token is at least 64 characters long and a DRF key exactly 40.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A DRF key's length: 20 bytes in hex. */
export const DRF_KEY_LENGTH = 40;
const DRF_KEY = /^[0-9a-f]{40}$/;
// Any prefix a server may have been configured with (so changing TOKEN_PREFIX leaves issued tokens working),
// then the 64 random hex characters.
const LOGIN_TOKEN = /^[A-Za-z0-9_-]{0,10}[0-9a-f]{64}$/;

/** knox's TOKEN_KEY_LENGTH: the characters of a login token kept in clear, to look it up by. */
export const TOKEN_KEY_LENGTH = 15;
export function generateKey(): string {
  return randomBytes(20).toString('hex');
}

export function isDrfKey(key: string): boolean {
  return DRF_KEY.test(key);
}

export function isLoginToken(key: string): boolean {
  return key.length >= 64 && LOGIN_TOKEN.test(key);
}

export interface NewLoginToken {
  /** The token, shown once to its owner and never stored. */
  token: string;
  tokenKey: string;
  digest: string;
}

export function generateLoginToken(prefix: string): NewLoginToken {
  const token = prefix + randomBytes(32).toString('hex');
  return { token, tokenKey: tokenKeyOf(token), digest: digestOf(token) };
}

export function tokenKeyOf(token: string): string {
  return token.slice(0, TOKEN_KEY_LENGTH);
}

/** knox's hash_token: the hex SHA-512 of the whole token. The token is 256 random bits: no slow hash is needed. */
export function digestOf(token: string): string {
  return createHash('sha512').update(token).digest('hex');
}

/** knox's compare_digest: a constant-time comparison of two hex digests. */
export function digestsMatch(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
