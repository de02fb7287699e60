/**
 * The real entry point as a process (`node dist/src/server.js`), observed from outside: its log, its HTTP
 * answers, its exit codes and the PostgreSQL processes it leaves or does not leave behind.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../src/processes';
import { cleanEnv, postmasterPid as runningPostmaster, SERVER as entry, startNodeProcess, type NodeProcess } from './server-process';

const root = path.join(__dirname, '..');
const REGISTER = 'mutation ($input: RegisterInput!) { register(input: $input) { id } }';
const LOGIN = 'mutation ($u: String!, $p: String!) { obtainAuthToken(username: $u, password: $p) { token userId } }';
// A start costs seconds (loading the app, initdb on the first embedded start); on a loaded 2-core machine
// several times that. Generous, so that only a real hang fails.
const PROCESS_TEST_TIMEOUT_MS = 90_000;

/** `npm test` builds first; a bare `npx vitest run` may find dist missing or older than src. */
function ensureBuilt(): void {
  const newest = (dir: string): number =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((latest, item) => {
      const file = path.join(dir, item.name);
      if (item.isDirectory()) return Math.max(latest, newest(file));
      return item.name.endsWith('.ts') ? Math.max(latest, fs.statSync(file).mtimeMs) : latest;
    }, 0);
  if (fs.existsSync(entry) && fs.statSync(entry).mtimeMs >= newest(path.join(root, 'src'))) return;
  // Type errors elsewhere still emit JavaScript; what matters here is that server.js is current.
  spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: root, stdio: 'ignore' });
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing and the build did not produce it`);
}

type Running = NodeProcess;

const started: Running[] = [];

/** The server in development mode (its start-up log), `ready` resolving with its GraphQL URL. */
function startServer(env: Record<string, string>): Running {
  const running = startNodeProcess({
    args: [entry],
    cwd: root,
    env: { ...cleanEnv(), NODE_ENV: 'development', LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', BCRYPT_ROUNDS: '4', WEB_CONCURRENCY: '1', ...env },
  });
  const graphqlReady = running.ready.then((base) => `${base}/graphql`);
  graphqlReady.catch(() => undefined);
  started.push(running);
  return { ...running, ready: graphqlReady };
}

function stop(running: Running, signal: NodeJS.Signals = 'SIGTERM') {
  return running.kill(signal);
}

async function graphql(url: string, query: string, variables?: Record<string, unknown>) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return { status: response.status, body: (await response.json()) as any };
}

/** Running and not a zombie. */
function isRunning(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The running postmaster's pid (the file must be there). */
function postmasterPid(dataDir: string): number {
  const pid = runningPostmaster(dataDir);
  if (pid === undefined) throw new Error(`no postmaster.pid under ${dataDir}`);
  return pid;
}

const postgresPids = new Set<number>();

beforeAll(() => ensureBuilt(), 120_000);

afterAll(async () => {
  for (const running of started) if (running.child.exitCode === null && running.child.signalCode === null) await stop(running, 'SIGKILL');
  // Only the postgres processes these tests started, by pid.
  for (const pid of postgresPids) if (isRunning(pid)) process.kill(pid, 'SIGINT');
});

describe('the server process with DATABASE_URL', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `authtoken_test_server_${randomBytes(4).toString('hex')}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let admin: Client;

  beforeAll(async () => {
    admin = new Client({ connectionString: adminUrl });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  it('creates the missing database, migrates it, says so, and serves until SIGTERM, then exits 0', async () => {
    expect((await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount).toBe(0);

    const server = startServer({ DATABASE_URL: url.toString() });
    const graphqlUrl = await server.ready;
    expect(graphqlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    expect(server.log()).toMatch(/Database: .*\(DATABASE_URL\)/);
    expect(server.log()).toMatch(/Applied migrations: Migration\d+_initial/);
    // The log names the server but never its password.
    if (url.password) expect(server.log()).not.toContain(decodeURIComponent(url.password));

    const base = graphqlUrl.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount).toBe(1);

    const registered = await graphql(graphqlUrl, REGISTER, {
      input: { username: 'process-user', email: 'p@example.com', password: 'process secret' },
    });
    expect(registered.body.errors).toBeUndefined();
    const login = await graphql(graphqlUrl, LOGIN, { u: 'process-user', p: 'process secret' });
    expect(login.body.data.obtainAuthToken.token).toMatch(/^[0-9a-f]{40}$/);

    expect(await stop(server)).toEqual({ code: 0, signal: null });
  });

  it('exits 1 naming the database, without its password or a stack trace, when the server is unreachable', async () => {
    const dead = new URL(url.toString());
    dead.port = String(await freePort());
    const server = startServer({ DATABASE_URL: dead.toString() });
    expect(await server.exited).toEqual({ code: 1, signal: null });
    expect(server.log()).toMatch(/The server could not start: Cannot use the database at postgres:\/\/.*127\.0\.0\.1:\d+/);
    if (url.password) expect(server.log()).not.toContain(decodeURIComponent(url.password));
    expect(server.log()).not.toMatch(/\n\s+at /);
  });
});

describe('the server process with the embedded PostgreSQL', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'authtoken-server-'));
    // As root, postgres runs as the postgres user, which must reach the directory.
    fs.chmodSync(dataDir, 0o755);
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  let token: string;

  it('starts its own PostgreSQL, says so, and stops it on SIGTERM, exiting 0', async () => {
    const server = startServer({ DATA_DIR: dataDir });
    const graphqlUrl = await server.ready;
    expect(server.log()).toMatch(new RegExp(`Database: embedded PostgreSQL on 127\\.0\\.0\\.1:\\d+, data in ${path.join(dataDir, 'postgres')}`));
    const origin = graphqlUrl.replace(/\/graphql$/, '');
    expect(server.log()).toContain(`Web app at ${origin}/ and the playground at ${origin}/playground`);
    const pid = postmasterPid(dataDir);
    postgresPids.add(pid);
    expect(isRunning(pid)).toBe(true);

    await graphql(graphqlUrl, REGISTER, { input: { username: 'keeper', email: 'k@example.com', password: 'keeper secret' } });
    token = (await graphql(graphqlUrl, LOGIN, { u: 'keeper', p: 'keeper secret' })).body.data.obtainAuthToken.token;

    expect(await stop(server)).toEqual({ code: 0, signal: null });
    expect(isRunning(pid)).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  });

  it('keeps the data across a restart, and stops as cleanly on SIGINT (Ctrl-C)', async () => {
    const server = startServer({ DATA_DIR: dataDir });
    const graphqlUrl = await server.ready;
    postgresPids.add(postmasterPid(dataDir));
    expect(server.log()).not.toMatch(/Applied migrations/);
    const login = await graphql(graphqlUrl, LOGIN, { u: 'keeper', p: 'keeper secret' });
    expect(login.body.data.obtainAuthToken.token).toBe(token);
    const pid = postmasterPid(dataDir);
    expect(await stop(server, 'SIGINT'), server.log()).toEqual({ code: 0, signal: null });
    expect(isRunning(pid)).toBe(false);
  });

  it('recovers at the next start after the server was SIGKILLed and left PostgreSQL orphaned', async () => {
    const killed = startServer({ DATA_DIR: dataDir });
    await killed.ready;
    const orphan = postmasterPid(dataDir);
    postgresPids.add(orphan);
    expect(await stop(killed, 'SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    expect(isRunning(orphan)).toBe(true);

    const server = startServer({ DATA_DIR: dataDir });
    const graphqlUrl = await server.ready;
    const fresh = postmasterPid(dataDir);
    postgresPids.add(fresh);
    expect(fresh).not.toBe(orphan);
    expect(isRunning(orphan)).toBe(false);
    const login = await graphql(graphqlUrl, LOGIN, { u: 'keeper', p: 'keeper secret' });
    expect(login.body.data.obtainAuthToken.token).toBe(token);
    expect(await stop(server)).toEqual({ code: 0, signal: null });
    expect(isRunning(fresh)).toBe(false);
  });
});

describe('the server process with a bad setting', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  // One variable stands for all: test/settings.test.ts checks each bad value; this checks the exit path.
  it('exits 1 with "Configuration error: PORT ..." and no stack trace for PORT=abc', async () => {
    const server = startServer({ PORT: 'abc' });
    expect(await server.exited).toEqual({ code: 1, signal: null });
    expect(server.log()).toMatch(/^Configuration error: PORT must be an integer from 0 to 65535, got "abc"$/m);
    expect(server.log()).not.toMatch(/\n\s+at /);
  });
});
