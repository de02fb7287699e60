/**
 * Making a cluster: `initdb` into an empty data directory, owned by the user postgres runs as, with the
 * cluster's password (src/database/postgres/credentials.ts), SCRAM authentication, UTF-8 and the C locale.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Binaries } from './binaries';
import { POSTGRES_USER, type RunAs } from './os-user';

function run(file: string, args: string[], runAs: RunAs | undefined, onLog: (text: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...runAs, env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => onLog(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => onLog(chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(file)} exited with code ${code}`))));
  });
}

/** A new cluster in `dataDir`; `durable: false` (tests) skips initdb's fsync. */
export async function initialise(
  dataDir: string,
  binaries: Binaries,
  runAs: RunAs | undefined,
  password: string,
  durable: boolean,
  onLog: (text: string) => void,
): Promise<void> {
  // A half-made directory from an interrupted initdb would make initdb refuse; start over.
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // initdb reads the password from a file; this one lives only as long as initdb runs.
  const pwfile = path.join(os.tmpdir(), `authtoken-pw-${process.pid}-${randomBytes(4).toString('hex')}`);
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  try {
    if (runAs) {
      fs.chownSync(dataDir, runAs.uid, runAs.gid);
      fs.chownSync(pwfile, runAs.uid, runAs.gid);
    }
    const args = ['-D', dataDir, '-U', POSTGRES_USER, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C'];
    await run(binaries.initdb, durable ? args : [...args, '--no-sync'], runAs, onLog);
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}
