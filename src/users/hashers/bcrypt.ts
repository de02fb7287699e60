/**
 * bcrypt in Django's two formats and this project's earlier one:
 * - `bcrypt_sha256$$2b$<cost>$...` (BCryptSHA256PasswordHasher): bcrypt over the lowercase hex SHA-256 of the
 *   password, so every byte counts (bcrypt alone ignores bytes past 72);
 * - `bcrypt$$2b$<cost>$...` (BCryptPasswordHasher): bcrypt over the password itself;
 * - `$2b$<cost>$...` with no prefix: what this server stored before it wrote Django's formats. Django cannot
 *   read these; they keep verifying here and are re-hashed at the next successful login.
 * The bcrypt package runs on libuv's thread pool.
 */
import { createHash } from 'node:crypto';
import bcrypt from 'bcrypt';
import type { PasswordFormat } from './format';

export interface BcryptHash {
  /** The bcrypt string itself, `$2b$12$` + 53 characters. */
  bcrypt: string;
  cost: number;
}

// $2a$ and $2b$ (what Django's bcrypt writes); the bcrypt package answers false for $2y$ without hashing.
const BCRYPT = /^\$2[ab]\$(\d\d)\$[./A-Za-z0-9]{53}$/;

function parseBcrypt(text: string): BcryptHash | undefined {
  const match = BCRYPT.exec(text);
  if (!match) return undefined;
  const cost = Number(match[1]);
  return cost >= 4 && cost <= 31 ? { bcrypt: text, cost } : undefined;
}

/** Django's pre-hash: the 64 lowercase hex characters of SHA-256 over the UTF-8 password. */
export function sha256Hex(password: string): string {
  return createHash('sha256').update(password, 'utf8').digest('hex');
}

function prefixed(algorithm: string, prehash: (password: string) => string): PasswordFormat<BcryptHash> {
  return {
    algorithm,
    parse: (encoded) => (encoded.startsWith(`${algorithm}$`) ? parseBcrypt(encoded.slice(algorithm.length + 1)) : undefined),
    verify: (password, parsed) => bcrypt.compare(prehash(password), parsed.bcrypt),
  };
}

export const bcryptSha256 = prefixed('bcrypt_sha256', sha256Hex);
export const bcryptPlain = prefixed('bcrypt', (password) => password);
/** The unprefixed `$2b$` hashes this server wrote before; Django's name for the algorithm is kept empty. */
export const bcryptLegacy: PasswordFormat<BcryptHash> = {
  algorithm: '',
  parse: parseBcrypt,
  verify: (password, parsed) => bcrypt.compare(password, parsed.bcrypt),
};

export async function encodeBcryptSha256(password: string, cost: number): Promise<string> {
  return `bcrypt_sha256$${await bcrypt.hash(sha256Hex(password), cost)}`;
}
