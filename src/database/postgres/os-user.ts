/**
 * Who postgres runs as. PostgreSQL refuses to run as root, so as root (containers, CI) it runs as the
 * `postgres` OS user, created if missing; otherwise as this process's user. And where its cluster can live:
 * as root, a directory that user can reach (an unreachable default moves to /var/lib).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedDatabaseError } from './error';

/** The OS user postgres runs as, and the database superuser initdb makes. */
export const POSTGRES_USER = 'postgres';

/** The uid and gid to spawn postgres's binaries with (child_process's options), as root. */
export interface RunAs {
  uid: number;
  gid: number;
}

function idOf(flag: '-u' | '-g'): number | undefined {
  const result = spawnSync('id', [flag, POSTGRES_USER], { encoding: 'utf8' });
  return result.status === 0 ? Number(result.stdout.trim()) : undefined;
}

/** As root, the `postgres` user (created if needed); undefined when this process may run postgres itself. */
export function postgresUser(): RunAs | undefined {
  if (os.platform() === 'win32' || os.userInfo().uid !== 0) return undefined;
  if (idOf('-u') === undefined) {
    const created = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', POSTGRES_USER], {
      encoding: 'utf8',
    });
    if (created.status !== 0) {
      throw new EmbeddedDatabaseError(`Running as root, and the "postgres" user could not be created: ${created.stderr.trim()}`);
    }
  }
  return { uid: idOf('-u')!, gid: idOf('-g')! };
}

/** Whether `runAs` may execute (-x) or write (-w) `file`: asked of the OS as that user, not guessed. */
export function reachableBy(runAs: RunAs, file: string, test: '-x' | '-w'): boolean {
  return spawnSync('test', [test, file], { ...runAs }).status === 0;
}

/** Where a cluster can live: as root, a directory the `postgres` user can reach. */
export function usableDataDir(requested: string, explicit: boolean): string {
  const runAs = postgresUser();
  if (!runAs) return requested;
  let existing = requested;
  while (!fs.existsSync(existing)) existing = path.dirname(existing);
  if (reachableBy(runAs, existing, '-x')) return requested;
  if (explicit) {
    throw new EmbeddedDatabaseError(
      `Running as root, PostgreSQL runs as the "postgres" user, which cannot reach ${requested}. ` +
        'Set DATA_DIR to a directory it can reach, such as /var/lib/graphql-authtoken.',
    );
  }
  const project = createHash('sha256').update(requested).digest('hex').slice(0, 12);
  return path.join('/var/lib/graphql-authtoken', project, path.basename(requested));
}
