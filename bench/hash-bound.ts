/**
 * The ceiling for obtainAuthToken: every login costs one bcrypt compare, so no server can answer more than
 * (cores / one compare's time) logins a second. Measured here, in this process, at the server's cost.
 */
import os from 'node:os';
import bcrypt from 'bcrypt';

export interface HashBound {
  rounds: number;
  cores: number;
  /** Median time of one compare, in ms. */
  compareMs: number;
  /** Logins per second the machine's cores allow. */
  limit: number;
}

export async function measureHashBound(rounds: number, samples = 7): Promise<HashBound> {
  const hash = await bcrypt.hash('bench password', rounds);
  await bcrypt.compare('bench password', hash);
  const times: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const start = process.hrtime.bigint();
    await bcrypt.compare('bench password', hash);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const compareMs = times[Math.floor(times.length / 2)];
  const cores = os.availableParallelism();
  return { rounds, cores, compareMs: Math.round(compareMs * 100) / 100, limit: Math.round((cores * 1000 * 10) / compareMs) / 10 };
}
