/**
 * Django's PBKDF2PasswordHasher (`pbkdf2_sha256`, its default) and PBKDF2SHA1PasswordHasher (`pbkdf2_sha1`):
 * `<algorithm>$<iterations>$<salt>$<base64 of the derived key>`, PBKDF2-HMAC over the UTF-8 password with
 * the salt's text as salt, the key as long as the digest (32 or 20 bytes), standard base64 with padding.
 * node:crypto's async pbkdf2 runs on libuv's thread pool, never on the event loop.
 */
import crypto from 'node:crypto';
import { positiveInteger, sameText, type PasswordFormat } from './format';

function derive(password: Buffer, salt: Buffer, iterations: number, keyLength: number, digest: string): Promise<Buffer> {
  // crypto.pbkdf2 looked up at call time, so a test can watch the work done (as it does bcrypt's).
  return new Promise((resolve, reject) => {
    crypto.pbkdf2(password, salt, iterations, keyLength, digest, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export interface Pbkdf2Hash {
  algorithm: string;
  iterations: number;
  salt: string;
  hash: string;
}

const SALT_CHARACTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** Django's salts carry 128 bits: 22 characters of its 62 (get_random_string). Shorter ones are re-hashed. */
export const PBKDF2_SALT_LENGTH = 22;

function pbkdf2Format(algorithm: string, digest: 'sha256' | 'sha1', keyLength: number): PasswordFormat<Pbkdf2Hash> & {
  encode(password: string, salt: string, iterations: number): Promise<string>;
} {
  async function encode(password: string, salt: string, iterations: number): Promise<string> {
    const key = await derive(Buffer.from(password, 'utf8'), Buffer.from(salt, 'utf8'), iterations, keyLength, digest);
    return `${algorithm}$${iterations}$${salt}$${key.toString('base64')}`;
  }
  return {
    algorithm,
    parse(encoded) {
      const parts = encoded.split('$');
      if (parts.length !== 4 || parts[0] !== algorithm) return undefined;
      const iterations = positiveInteger(parts[1]);
      if (iterations === undefined || !parts[2] || !parts[3]) return undefined;
      return { algorithm, iterations, salt: parts[2], hash: parts[3] };
    },
    async verify(password, parsed) {
      // As Django: encode again with the stored salt and iterations, compare the whole texts.
      const again = await encode(password, parsed.salt, parsed.iterations);
      return sameText(again, `${algorithm}$${parsed.iterations}$${parsed.salt}$${parsed.hash}`);
    },
    encode,
  };
}

export const pbkdf2Sha256 = pbkdf2Format('pbkdf2_sha256', 'sha256', 32);
export const pbkdf2Sha1 = pbkdf2Format('pbkdf2_sha1', 'sha1', 20);

/** A new salt as Django makes them: 22 characters of [a-zA-Z0-9] from a CSPRNG. */
export function newPbkdf2Salt(): string {
  let salt = '';
  for (let i = 0; i < PBKDF2_SALT_LENGTH; i += 1) salt += SALT_CHARACTERS[crypto.randomInt(SALT_CHARACTERS.length)];
  return salt;
}
