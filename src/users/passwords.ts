/**
 * bcrypt hashing. bcrypt runs on libuv's thread pool, so hashing never blocks the event loop; the cost comes
 * from BCRYPT_ROUNDS. bcrypt silently ignores bytes past 72, so longer passwords are refused at validation.
 */
import bcrypt from 'bcrypt';

export const BCRYPT_MAX_BYTES = 72;

export function hashPassword(password: string, rounds: number): Promise<string> {
  return bcrypt.hash(password, rounds);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

const dummyHashes = new Map<number, Promise<string>>();

/**
 * Burns the same time as a real check, for logins naming no usable user, so response times do not tell
 * which usernames exist (Django's ModelBackend does this since ticket #20760).
 */
export async function verifyAgainstDummy(password: string, rounds: number): Promise<false> {
  let hash = dummyHashes.get(rounds);
  if (!hash) {
    hash = bcrypt.hash('graphql-authtoken timing equaliser', rounds);
    dummyHashes.set(rounds, hash);
  }
  await bcrypt.compare(password, await hash);
  return false;
}
