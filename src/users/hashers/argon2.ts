/**
 * Django's Argon2PasswordHasher: `argon2` followed by the standard PHC string,
 * `argon2$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>` (unpadded base64). Verification is
 * @node-rs/argon2's, which runs on libuv's thread pool and ships prebuilt binaries (no compiler at install).
 */
import { verify } from '@node-rs/argon2';
import type { PasswordFormat } from './format';

export interface Argon2Hash {
  /** The PHC string, from its leading `$`. */
  phc: string;
}

const PHC = /^\$argon2(id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

export const argon2Format: PasswordFormat<Argon2Hash> = {
  algorithm: 'argon2',
  parse(encoded) {
    if (!encoded.startsWith('argon2$')) return undefined;
    const phc = encoded.slice('argon2'.length);
    return PHC.test(phc) ? { phc } : undefined;
  },
  async verify(password, parsed) {
    try {
      return await verify(parsed.phc, password);
    } catch {
      // Parameters the library refuses (out of range): the value cannot verify, as Django's VerificationError.
      return false;
    }
  },
};
