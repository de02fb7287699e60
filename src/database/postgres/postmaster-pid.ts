/**
 * `postmaster.pid`, the one reader of it. PostgreSQL writes it in the cluster directory while it runs (line 1
 * the postmaster's pid, line 4 its port: a documented format) and removes it when it stops; a postgres
 * killed with SIGKILL, or orphaned by a SIGKILLed server, leaves it behind. The embedded start-up clears a
 * stale one (`clearStaleServer`), the commands join a running server by it (`runningPostmaster`), and the
 * tests find the postmaster they kill by it (`readPostmasterPid`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { commandOf, isAlive, parentOf, waitForExit } from '../../processes';
import { EmbeddedDatabaseError } from './error';

export interface PostmasterPid {
  /** Line 1; NaN when the file is being written or damaged. */
  pid: number;
  /** Line 4; NaN likewise. */
  port: number;
}

function pidFile(dataDir: string): string {
  return path.join(dataDir, 'postmaster.pid');
}

/** What the cluster's postmaster.pid says, alive or not; undefined when there is no such file. */
export function readPostmasterPid(dataDir: string): PostmasterPid | undefined {
  let lines: string[];
  try {
    lines = fs.readFileSync(pidFile(dataDir), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  return { pid: Number(lines[0] || NaN), port: Number(lines[3] || NaN) };
}

function valid(n: number): boolean {
  return Number.isInteger(n) && n > 0;
}

/** A process that is alive and a postgres: a recycled pid, or a dead one, is not the file's postmaster. */
function isPostgres(pid: number): boolean {
  return valid(pid) && isAlive(pid) && commandOf(pid).includes('postgres');
}

/** The postmaster running on this cluster directory, with its port; undefined when none is. */
export function runningPostmaster(dataDir: string): PostmasterPid | undefined {
  const found = readPostmasterPid(dataDir);
  return found && isPostgres(found.pid) && valid(found.port) ? found : undefined;
}

/**
 * Deals with a postmaster.pid left behind. Postgres itself refuses to start while the pid in the file is
 * alive, even when it is an orphan of a SIGKILLed server, so orphans are shut down here (SIGINT: fast
 * shutdown, which is clean) and a dead pid's file is removed. A postmaster whose parent is a live node
 * process belongs to another running server: that is an error, not something to stop.
 */
export async function clearStaleServer(dataDir: string): Promise<void> {
  const found = readPostmasterPid(dataDir);
  if (!found) return;
  const { pid } = found;
  if (!isPostgres(pid)) {
    fs.rmSync(pidFile(dataDir), { force: true });
    return;
  }
  const parent = parentOf(pid);
  if (parent !== undefined && parent > 1 && isAlive(parent) && commandOf(parent).includes('node')) {
    throw new EmbeddedDatabaseError(
      `The embedded PostgreSQL in ${dataDir} is in use by another running server (node pid ${parent}). ` +
        'Stop that server first, or give this one its own DATA_DIR.',
    );
  }
  process.kill(pid, 'SIGINT');
  if (!(await waitForExit(pid, 15_000))) {
    throw new EmbeddedDatabaseError(`An orphaned PostgreSQL (pid ${pid}) in ${dataDir} did not stop within 15 s.`);
  }
  fs.rmSync(pidFile(dataDir), { force: true });
}
