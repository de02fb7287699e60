/**
 * Django's password hashers, as far as this server needs them (django/contrib/auth/hashers.py): it verifies
 * every format a Django project writes by default or by a documented setting (pbkdf2_sha256, pbkdf2_sha1,
 * bcrypt_sha256, bcrypt, scrypt, argon2, plus this server's earlier unprefixed `$2b$`), stores new passwords
 * in the configured one (PASSWORD_HASHER: bcrypt_sha256 or pbkdf2_sha256), and says when a stored hash is
 * older or weaker than that, so a successful login can re-hash it, as Django's check_password does.
 *
 * A value of no known format (Django's unusable `!...` passwords, md5/sha1/crypt, garbage) never verifies,
 * and the caller burns the same time as a real check (dummyCheck): which case a failure was is not told.
 */
import bcrypt from 'bcrypt';
import type { PasswordHasherName } from '../../settings';
import { argon2Format } from './argon2';
import { bcryptLegacy, bcryptPlain, bcryptSha256, encodeBcryptSha256 } from './bcrypt';
import type { PasswordFormat } from './format';
import { newPbkdf2Salt, PBKDF2_SALT_LENGTH, pbkdf2Sha1, pbkdf2Sha256 } from './pbkdf2';
import { scryptFormat } from './scrypt';

/** How new passwords are stored: the settings PASSWORD_HASHER, BCRYPT_ROUNDS and PBKDF2_ITERATIONS. */
export interface PasswordPolicy {
  passwordHasher: PasswordHasherName;
  bcryptRounds: number;
  pbkdf2Iterations: number;
}

const FORMATS: PasswordFormat<unknown>[] = [
  pbkdf2Sha256,
  pbkdf2Sha1,
  bcryptSha256,
  bcryptPlain,
  scryptFormat,
  argon2Format,
  bcryptLegacy,
] as PasswordFormat<unknown>[];

interface Identified {
  format: PasswordFormat<unknown>;
  parsed: unknown;
}

/** The format of a stored value, or undefined when it is unusable (`!`-prefixed, unknown, malformed). */
export function identify(encoded: string | null | undefined): Identified | undefined {
  if (!encoded || encoded.startsWith('!')) return undefined;
  for (const format of FORMATS) {
    const parsed = format.parse(encoded);
    if (parsed !== undefined) return { format, parsed };
  }
  return undefined;
}

/** The algorithm name of a stored value (`pbkdf2_sha256`, ...; `` for a bare `$2b$`), or undefined if unusable. */
export function algorithmOf(encoded: string | null | undefined): string | undefined {
  return identify(encoded)?.format.algorithm;
}

/** A new stored value for `password`, in the policy's format, with a fresh salt. */
export async function encodePassword(password: string, policy: PasswordPolicy): Promise<string> {
  if (policy.passwordHasher === 'pbkdf2_sha256') {
    return pbkdf2Sha256.encode(password, newPbkdf2Salt(), policy.pbkdf2Iterations);
  }
  return encodeBcryptSha256(password, policy.bcryptRounds);
}

/**
 * Whether a stored value (that just verified) should be re-hashed: another format than the configured one,
 * or the configured one with weaker parameters (fewer bcrypt rounds or PBKDF2 iterations, a short salt).
 * Stronger parameters are kept, so two apps configured differently do not rewrite each other's hashes in
 * turn. (Django re-hashes on any difference; see docs/django.md.)
 */
export function mustUpdate(encoded: string, policy: PasswordPolicy): boolean {
  const identified = identify(encoded);
  if (!identified || identified.format.algorithm !== policy.passwordHasher) return true;
  if (policy.passwordHasher === 'pbkdf2_sha256') {
    const parsed = pbkdf2Sha256.parse(encoded)!;
    return parsed.iterations < policy.pbkdf2Iterations || parsed.salt.length < PBKDF2_SALT_LENGTH;
  }
  return bcryptSha256.parse(encoded)!.cost < policy.bcryptRounds;
}

/**
 * Checks `password` against a stored value; an unusable value answers false after the same work as a check.
 * A wrong password against a hash in the configured format but with weaker parameters is followed by the
 * missing work (Django's harden_runtime), so a failure takes as long as for other users.
 */
export async function verifyPassword(password: string, encoded: string | null | undefined, policy: PasswordPolicy): Promise<boolean> {
  const identified = identify(encoded);
  if (!identified) return dummyCheck(password, policy);
  const valid = await identified.format.verify(password, identified.parsed);
  if (!valid) await hardenRuntime(password, encoded!, policy);
  return valid;
}

async function hardenRuntime(password: string, encoded: string, policy: PasswordPolicy): Promise<void> {
  if (policy.passwordHasher === 'pbkdf2_sha256') {
    const parsed = pbkdf2Sha256.parse(encoded);
    const missing = parsed ? policy.pbkdf2Iterations - parsed.iterations : 0;
    if (missing > 0) await pbkdf2Sha256.encode(password, parsed!.salt, missing);
    return;
  }
  const parsed = bcryptSha256.parse(encoded);
  // Each bcrypt round doubles the work: 2^(difference) - 1 more comparisons at the stored cost.
  const extra = parsed && parsed.cost < policy.bcryptRounds ? 2 ** (policy.bcryptRounds - parsed.cost) - 1 : 0;
  for (let i = 0; i < extra; i += 1) await bcryptSha256.verify(password, parsed!);
}

const dummyBcrypt = new Map<number, Promise<string>>();
const DUMMY_SALT = 'graphqlauthtokendummy0';

/**
 * Burns the time of a real check in the configured format and answers false: for logins naming no user, or
 * a user whose password is unusable, so timing does not tell these from a wrong password (Django's
 * ModelBackend runs the default hasher once for an unknown username, ticket #20760). For bcrypt_sha256 the
 * work is one bcrypt comparison at BCRYPT_ROUNDS, what a real check costs (its SHA-256 pre-hash is
 * microseconds); the dummy bcrypt hash is made once per cost.
 */
export async function dummyCheck(password: string, policy: PasswordPolicy): Promise<false> {
  if (policy.passwordHasher === 'pbkdf2_sha256') {
    await pbkdf2Sha256.encode(password, DUMMY_SALT, policy.pbkdf2Iterations);
    return false;
  }
  let hash = dummyBcrypt.get(policy.bcryptRounds);
  if (!hash) {
    hash = bcrypt.hash('graphql-authtoken timing equaliser', policy.bcryptRounds);
    dummyBcrypt.set(policy.bcryptRounds, hash);
  }
  await bcrypt.compare(password, await hash);
  return false;
}
