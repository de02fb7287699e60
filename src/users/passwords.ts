/**
 * Passwords as the rest of the server sees them: hash a new one, check one, burn a check's time. The formats
 * are Django's (src/users/hashers); which one new passwords get comes from the settings (PASSWORD_HASHER,
 * BCRYPT_ROUNDS, PBKDF2_ITERATIONS), so a database written here works in a Django app and back.
 *
 * Every function takes those settings, or a bare number: a bcrypt cost for the default format
 * (bcrypt_sha256), which is what tests and benchmarks pass.
 */
import { DJANGO_PBKDF2_ITERATIONS } from '../settings';
import { dummyCheck, encodePassword, mustUpdate, verifyPassword as verifyEncoded, type PasswordPolicy } from './hashers';

export type { PasswordPolicy } from './hashers';
export type PasswordSettings = PasswordPolicy | number;

export function passwordPolicy(settings: PasswordSettings): PasswordPolicy {
  if (typeof settings !== 'number') {
    return { passwordHasher: settings.passwordHasher, bcryptRounds: settings.bcryptRounds, pbkdf2Iterations: settings.pbkdf2Iterations };
  }
  return { passwordHasher: 'bcrypt_sha256', bcryptRounds: settings, pbkdf2Iterations: DJANGO_PBKDF2_ITERATIONS };
}

/** The value to store for a new password: Django's format, fresh salt. */
export function hashPassword(password: string, settings: PasswordSettings): Promise<string> {
  return encodePassword(password, passwordPolicy(settings));
}

export interface PasswordCheck {
  valid: boolean;
  /** Set when the password was right but its stored form is older or weaker than the configured one. */
  rehash: boolean;
}

/** Checks a password against its stored value (any of Django's formats); an unusable value fails with a check's timing. */
export async function checkPassword(password: string, encoded: string | null | undefined, settings: PasswordSettings): Promise<PasswordCheck> {
  const policy = passwordPolicy(settings);
  const valid = await verifyEncoded(password, encoded, policy);
  return { valid, rehash: valid && mustUpdate(encoded!, policy) };
}

/** The time of a real check, answering false: for logins naming no usable user (see hashers.dummyCheck). */
export function verifyAgainstDummy(password: string, settings: PasswordSettings): Promise<false> {
  return dummyCheck(password, passwordPolicy(settings));
}
