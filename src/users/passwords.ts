/**
 * Passwords as the rest of the server sees them: hash a new one, check one (a missing or unusable stored
 * value fails after the work of a real check, so timing tells nothing). The formats
 * are Django's (src/users/hashers); which one new passwords get comes from the settings (PASSWORD_HASHER,
 * BCRYPT_ROUNDS, PBKDF2_ITERATIONS), so a database written here works in a Django app and back.
 *
 * Every function takes those settings (`settings.passwords`), never a bare bcrypt cost: a cost alone
 * would ignore PASSWORD_HASHER. Tests and benchmarks that want the default format at a given cost say so
 * with `bcryptSha256Policy(rounds)`.
 */
import { DJANGO_PBKDF2_ITERATIONS } from '../settings';
import { encodePassword, mustUpdate, verifyPassword as verifyEncoded, type PasswordPolicy } from './hashers';

export type { PasswordPolicy } from './hashers';

/** The default format (bcrypt_sha256) at this bcrypt cost: for tests and benchmarks. */
export function bcryptSha256Policy(rounds: number): PasswordPolicy {
  return { passwordHasher: 'bcrypt_sha256', bcryptRounds: rounds, pbkdf2Iterations: DJANGO_PBKDF2_ITERATIONS };
}

function policyOf(settings: PasswordPolicy): PasswordPolicy {
  return { passwordHasher: settings.passwordHasher, bcryptRounds: settings.bcryptRounds, pbkdf2Iterations: settings.pbkdf2Iterations };
}

/** The value to store for a new password: Django's format, fresh salt. */
export function hashPassword(password: string, settings: PasswordPolicy): Promise<string> {
  return encodePassword(password, policyOf(settings));
}

export interface PasswordCheck {
  valid: boolean;
  /** Set when the password was right but its stored form is older or weaker than the configured one. */
  rehash: boolean;
}

/** Checks a password against its stored value (any of Django's formats); an unusable value fails with a check's timing. */
export async function checkPassword(password: string, encoded: string | null | undefined, settings: PasswordPolicy): Promise<PasswordCheck> {
  const policy = policyOf(settings);
  const valid = await verifyEncoded(password, encoded, policy);
  return { valid, rehash: valid && mustUpdate(encoded!, policy) };
}
