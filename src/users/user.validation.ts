/**
 * Validation for new users, after Django's user model and its default password validators. Each failure is
 * a ValidationError naming the field. The username is trimmed (as DRF's CharField does); the password never is.
 * Passwords have no upper length: both stored formats hash every byte (bcrypt_sha256 pre-hashes with SHA-256,
 * PBKDF2 hashes an HMAC key longer than a block once), and the request body limit bounds the input.
 */
import { ValidationError } from '../errors';
import { requireMaxLength, requireNotBlank } from '../validation';

export interface NewUser {
  username: string;
  email: string;
  password: string;
  firstName?: string | null;
  lastName?: string | null;
}

export type CleanUser = Required<{ [K in keyof NewUser]: string }>;

const USERNAME = /^[\w.@+-]+$/u;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function cleanUsername(raw: string): string {
  const username = raw.trim();
  requireNotBlank(username, 'username');
  requireMaxLength(username, 150, 'username');
  if (!USERNAME.test(username)) {
    throw new ValidationError(
      'username: Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.',
      'username',
    );
  }
  return username;
}

export function cleanEmail(raw: string): string {
  const email = raw.trim();
  requireNotBlank(email, 'email');
  if (email.length > 254 || !EMAIL.test(email)) throw new ValidationError('email: Enter a valid email address.', 'email');
  return email;
}

/** Django's default password validators that need no user; `field` names the input in the error. */
export function validatePassword(password: string, field = 'password'): void {
  if (password.length < 8) {
    throw new ValidationError(`${field}: This password is too short. It must contain at least 8 characters.`, field);
  }
  if (/^\d+$/.test(password)) throw new ValidationError(`${field}: This password is entirely numeric.`, field);
}

function cleanName(raw: string | null | undefined, field: 'firstName' | 'lastName'): string {
  const name = (raw ?? '').trim();
  requireMaxLength(name, 150, field);
  return name;
}

export function cleanNewUser(input: NewUser): CleanUser {
  const username = cleanUsername(input.username);
  const email = cleanEmail(input.email);
  validatePassword(input.password);
  return {
    username,
    email,
    password: input.password,
    firstName: cleanName(input.firstName, 'firstName'),
    lastName: cleanName(input.lastName, 'lastName'),
  };
}
