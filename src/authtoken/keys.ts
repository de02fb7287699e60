import { randomBytes } from 'node:crypto';

/** DRF's `Token.generate_key()`: 20 bytes from the OS CSPRNG, as 40 lowercase hex characters. */
export function generateKey(): string {
  return randomBytes(20).toString('hex');
}
