import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { freePort } from '../src/processes';
import { initOrm } from '../src/database/orm';
import { backoffDelay } from '../src/cluster';
import { alive, postmasterPid, startServerProcess } from './server-process';
import { createTestDatabase, makeUser, tokenOf } from './utils';
import { createAccessToken } from '../src/authtoken/token-store';


interface Running {
  child: ChildProcess;
  baseUrl: string;
  /** stdout and stderr so far. */
  log(): string;
  exit: Promise<number | null>;
}

/** The built server through the shared starter (test/server-process.ts). */
async function start(env: Record<string, string>): Promise<Running> {
  const process_ = startServerProcess(env);
  return { child: process_.child, baseUrl: await process_.ready, log: process_.log, exit: process_.exited.then(({ code }) => code) };
}

interface Answer {
  status: number;
  worker: string | undefined;
  body: string;
}

/** One request on a fresh connection, so the primary hands each to the next worker. */
function request(baseUrl: string, pathname: string, body?: object, authorization?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (authorization) headers.authorization = authorization;
    const req = http.request(`${baseUrl}${pathname}`, { method: body ? 'POST' : 'GET', headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, worker: res.headers['x-worker'] as string | undefined, body: text }));
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

/** The Node processes a primary forked (its cluster workers; the embedded PostgreSQL is not one). */
function nodeChildren(pid: number): number[] {
  return fs
    .readdirSync(`/proc/${pid}/task`)
    .flatMap((task) => fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/))
    .filter(Boolean)
    .map(Number)
    .filter((child) => {
      try {
        return path.basename(fs.readlinkSync(`/proc/${child}/exe`)).startsWith('node');
      } catch {
        return false;
      }
    });
}


async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const ME = { query: '{ me { username } }' };

describe('WEB_CONCURRENCY=2 against DATABASE_URL', () => {
  let server: Running;
  let orm: MikroORM;

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase();
    orm = await initOrm(databaseUrl, { poolSize: 2 });
    server = await start({ DATABASE_URL: databaseUrl, WEB_CONCURRENCY: '2', PORT: String(await freePort()) });
  });
  afterAll(async () => {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await orm.close();
  });

  it('serves from two worker processes on one port', async () => {
    expect(nodeChildren(server.child.pid!)).toHaveLength(2);
    const answers = await Promise.all(Array.from({ length: 10 }, () => request(server.baseUrl, '/healthz')));
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    expect(new Set(answers.map((answer) => answer.worker))).toEqual(new Set(['1', '2']));
  });

  it("runs each worker's thread pool (where bcrypt hashes) at nice 10 and its event loop at 0", () => {
    for (const worker of nodeChildren(server.child.pid!)) {
      const nice = fs.readdirSync(`/proc/${worker}/task`).map((tid) => {
        const stat = fs.readFileSync(`/proc/${worker}/task/${tid}/stat`, 'utf8');
        return { tid: Number(tid), nice: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]) };
      });
      expect(nice.find((thread) => thread.tid === worker)?.nice).toBe(0);
      expect(nice.filter((thread) => thread.nice === 10)).toHaveLength(4);
    }
  });

  it('stops accepting a revoked token in every worker at once', async () => {
    const user = await makeUser(orm, { username: 'clustered' });
    const key = (await tokenOf(orm, user.id))!;
    const before = await Promise.all(Array.from({ length: 4 }, () => request(server.baseUrl, '/graphql', ME, `Token ${key}`)));
    expect(before.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(before.map((answer) => answer.worker)).size).toBe(2);

    const logout = await request(server.baseUrl, '/graphql', { query: 'mutation { logout }' }, `Token ${key}`);
    expect(JSON.parse(logout.body)).toEqual({ data: { logout: true } });

    const after: Answer[] = [];
    for (let i = 0; i < 10; i += 1) after.push(await request(server.baseUrl, '/graphql', ME, `Token ${key}`));
    expect(after.map((answer) => answer.status)).toEqual(Array(10).fill(401));
    expect(after.every((answer) => JSON.parse(answer.body).errors[0].message === 'Invalid token.')).toBe(true);
    expect(new Set(after.map((answer) => answer.worker)).size).toBe(2);
  });

  it("counts an access token's rate across both workers: 3/minute lets 3 through, the 4th gets 429 and Retry-After", async () => {
    const user = await makeUser(orm, { username: 'rated-machine' });
    const { token } = await createAccessToken(orm.em.fork(), user.id, { name: 'ci', scopes: ['profile:read'], expiresInDays: 1, allowedCidrs: [], rate: { requests: 3, seconds: 60 } }, '');
    const answers: Answer[] = [];
    for (let i = 0; i < 6; i += 1) answers.push(await request(server.baseUrl, '/graphql', ME, `Token ${token}`));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 429, 429, 429]);
    // Both workers served and both refused: one count, kept in the database.
    expect(new Set(answers.slice(0, 3).map((answer) => answer.worker)).size).toBe(2);
    expect(new Set(answers.slice(3).map((answer) => answer.worker)).size).toBe(2);
    const refused = JSON.parse(answers[3].body);
    expect(refused.errors[0]).toMatchObject({ message: expect.stringMatching(/^Request was throttled\. Expected available in \d+ seconds?\.$/), extensions: { code: 'THROTTLED' } });
  });

  it('replaces a worker that dies', async () => {
    const [victim] = nodeChildren(server.child.pid!);
    process.kill(victim, 'SIGKILL');
    await until('a new worker', async () => {
      const workers = nodeChildren(server.child.pid!);
      return workers.length === 2 && !workers.includes(victim) ? workers : undefined;
    });
    const answers = await until('both workers answering', async () => {
      const batch = await Promise.all(Array.from({ length: 6 }, () => request(server.baseUrl, '/healthz')));
      return new Set(batch.map((answer) => answer.worker)).size === 2 ? batch : undefined;
    });
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(server.log()).toMatch(new RegExp(`Worker ${victim} exited \\(signal SIGKILL\\); starting a new one in 500 ms`));
  });

  it('stops every worker on SIGTERM and exits 0', async () => {
    const workers = nodeChildren(server.child.pid!);
    server.child.kill('SIGTERM');
    expect(await server.exit).toBe(0);
    expect(workers.filter(alive)).toEqual([]);
  });
});

// initdb, migrations and two workers: 13-18 s on its own here, more while the rest of the suite runs.
describe('WEB_CONCURRENCY=2 with the embedded PostgreSQL', { timeout: 90_000 }, () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'authtoken-cluster-'));
    // As root the embedded PostgreSQL runs as the `postgres` user, which must reach its data directory.
    fs.chmodSync(dataDir, 0o755);
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('is started and migrated once by the primary, and stopped once after the workers', async () => {
    const server = await start({ DATA_DIR: dataDir, WEB_CONCURRENCY: '2', PORT: String(await freePort()) });
    const log = () => server.log();
    expect(log().match(/embedded PostgreSQL on/g)).toHaveLength(1);
    expect(log().match(/Applied migrations/g)).toHaveLength(1);
    const postmaster = postmasterPid(dataDir)!;
    expect(alive(postmaster)).toBe(true);

    const registered = await request(server.baseUrl, '/graphql', {
      query: 'mutation { register(input: {username: "ada", email: "ada@example.com", password: "correct horse"}) { username } }',
    });
    expect(JSON.parse(registered.body)).toEqual({ data: { register: { username: 'ada' } } });
    const ready = await Promise.all(Array.from({ length: 4 }, () => request(server.baseUrl, '/readyz')));
    expect(ready.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);

    server.child.kill('SIGTERM');
    expect(await server.exit).toBe(0);
    expect(alive(postmaster)).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  }, 60_000); // initdb and three processes: slow on a loaded 2-core machine, not a timing assertion
});

describe('the back-off between worker restarts', () => {
  it('doubles from half a second for crashes in quick succession, up to 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(backoffDelay)).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it('treats a first crash, or a count of zero, as the shortest wait', () => {
    expect(backoffDelay(0)).toBe(500);
  });
});
