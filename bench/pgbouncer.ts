/**
 * A PgBouncer (Debian's `pgbouncer` package, 1.18) in transaction pooling mode in front of a PostgreSQL
 * with trust authentication, for the replica test and `npm run bench:replicas`. `.ci/run` installs it.
 *
 * PgBouncer refuses to run as root: as root it runs as the `postgres` OS user, which must read its files.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

export const PGBOUNCER = '/usr/sbin/pgbouncer';
/** The machine's PostgreSQL the bouncer points at (trust authentication, user postgres). */
export const UPSTREAM = { host: '127.0.0.1', port: 5432, user: 'postgres' };

export interface PgBouncer {
  port: number;
  /** postgres:// URL of `database` through the bouncer. */
  url(database: string): string;
  /** The same database, direct to PostgreSQL. */
  directUrl(database: string): string;
  log(): string;
  stop(): Promise<void>;
}

/** Why the bouncer cannot run here, or undefined when it can. */
export async function pgbouncerUnavailable(): Promise<string | undefined> {
  if (!fs.existsSync(PGBOUNCER)) return `${PGBOUNCER} is not installed (apt-get install pgbouncer; .ci/run does)`;
  if (os.userInfo().uid === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0) {
    return 'running as root, PgBouncer needs another user to run as, and there is no "postgres" user';
  }
  const client = new Client({ ...UPSTREAM, database: 'postgres', connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return undefined;
  } catch (error) {
    return `no PostgreSQL with trust authentication at ${UPSTREAM.host}:${UPSTREAM.port} (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function runAs(): { uid: number; gid: number } | undefined {
  if (os.userInfo().uid !== 0) return undefined;
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) throw new Error('running as root, and there is no "postgres" user to run PgBouncer as');
  return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

export async function startPgBouncer(options: { poolSize?: number } = {}): Promise<PgBouncer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authtoken-pgbouncer-'));
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'users.txt'), `"${UPSTREAM.user}" ""\n`, { mode: 0o644 });
  fs.writeFileSync(
    path.join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${UPSTREAM.host} port=${UPSTREAM.port}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${path.join(dir, 'users.txt')}`,
      'pool_mode = transaction',
      'max_client_conn = 1000',
      `default_pool_size = ${options.poolSize ?? 20}`,
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  const child: ChildProcess = spawn(PGBOUNCER, [path.join(dir, 'pgbouncer.ini')], { ...runAs(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const deadline = Date.now() + 10_000;
    const poll = () => {
      if (output.includes('process up')) return resolve();
      if (child.exitCode !== null) return reject(new Error(`pgbouncer exited (${child.exitCode}):\n${output}`));
      if (Date.now() > deadline) return reject(new Error(`pgbouncer was not up after 10 s:\n${output}`));
      setTimeout(poll, 50);
    };
    poll();
  });
  const base = (p: number, database: string) => `postgres://${UPSTREAM.user}@127.0.0.1:${p}/${database}`;
  return {
    port,
    url: (database) => base(port, database),
    directUrl: (database) => base(UPSTREAM.port, database),
    log: () => output,
    stop: async () => {
      // SIGTERM: immediate shutdown (SIGINT would wait for every client to leave).
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
