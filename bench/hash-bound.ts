/**
 * The ceiling for obtainAuthToken: every login costs one password check, so no server can answer more than
 * (cores / one check's time) logins a second. Measured here, in this process, with the server's own check
 * (src/users/passwords.ts) in the default format (bcrypt_sha256) at the server's cost.
 */
import os from 'node:os';
import { bcryptSha256Policy, checkPassword, hashPassword } from '../src/users/passwords';

export interface HashBound {
  rounds: number;
  cores: number;
  /** Median time of one compare, in ms. */
  compareMs: number;
  /** Logins per second the machine's cores allow. */
  limit: number;
}

export async function measureHashBound(rounds: number, samples = 7): Promise<HashBound> {
  const policy = bcryptSha256Policy(rounds);
  const hash = await hashPassword('bench password', policy);
  await checkPassword('bench password', hash, policy);
  const times: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const start = process.hrtime.bigint();
    await checkPassword('bench password', hash, policy);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const compareMs = times[Math.floor(times.length / 2)];
  const cores = os.availableParallelism();
  return { rounds, cores, compareMs: Math.round(compareMs * 100) / 100, limit: Math.round((cores * 1000 * 10) / compareMs) / 10 };
}
