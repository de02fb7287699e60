/**
 * Django's ScryptPasswordHasher (Django 4.0+): `scrypt$<N>$<salt>$<r>$<p>$<base64 of a 64-byte key>`, over
 * the UTF-8 password with the salt's text as salt. node:crypto's async scrypt runs on libuv's pool.
 */
import { scrypt } from 'node:crypto';
import { positiveInteger, sameText, type PasswordFormat } from './format';

export interface ScryptHash {
  n: number;
  salt: string;
  r: number;
  p: number;
  hash: string;
}

const KEY_LENGTH = 64;
/** A stored value asking for more memory than this is not verified (it would stall a pool thread). */
const MAX_MEMORY = 1024 * 1024 * 1024;

function derive(password: string, parsed: ScryptHash): Promise<Buffer> {
  // OpenSSL needs about 128 * N * r bytes; the default cap (32 MiB) is below what larger N ask for.
  const maxmem = 128 * parsed.n * parsed.r * 2 + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(Buffer.from(password, 'utf8'), Buffer.from(parsed.salt, 'utf8'), KEY_LENGTH, { N: parsed.n, r: parsed.r, p: parsed.p, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export const scryptFormat: PasswordFormat<ScryptHash> = {
  algorithm: 'scrypt',
  parse(encoded) {
    const parts = encoded.split('$');
    if (parts.length !== 6 || parts[0] !== 'scrypt' || !parts[2] || !parts[5]) return undefined;
    const [n, r, p] = [positiveInteger(parts[1]), positiveInteger(parts[3]), positiveInteger(parts[4])];
    // N must be a power of two above 1; the memory bound keeps a hostile row from exhausting the machine.
    if (!n || !r || !p || n < 2 || (n & (n - 1)) !== 0 || 128 * n * r > MAX_MEMORY) return undefined;
    return { n, salt: parts[2], r, p, hash: parts[5] };
  },
  async verify(password, parsed) {
    const key = await derive(password, parsed);
    return sameText(key.toString('base64'), parsed.hash);
  },
};
