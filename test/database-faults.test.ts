/**
 * The embedded PostgreSQL SIGKILLed under a write load, seen from outside the server process: while it is
 * down every request answers 503 SERVICE_UNAVAILABLE with Retry-After (a write caught mid-transaction too),
 * the server starts its database again by itself and says so, and no acknowledged write is lost.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedPassword, embeddedUrl } from '../src/database/embedded';
import { EMBEDDED_DATABASE_NAME } from '../src/database/database';
import { alive, graphqlAt, postmasterPid, startServerProcess, type ServerProcess } from './server-process';

const REGISTER = 'mutation ($input: RegisterInput!) { register(input: $input) { id username } }';
const WRITERS = 8;



describe('the embedded PostgreSQL killed under a write load', { timeout: 120_000 }, () => {
  let dataDir: string;
  let server: ServerProcess;
  const pids = new Set<number>();

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'authtoken-faults-'));
    // As root, postgres runs as the postgres user, which must reach the directory.
    fs.chmodSync(dataDir, 0o755);
  });
  afterAll(async () => {
    await server?.kill('SIGTERM');
    for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGINT');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After while it is down, restarts it, recovers, and loses no acknowledged write', async () => {
    // PASSWORD_RATE off: the writers register hundreds of users from one address.
    server = startServerProcess({ DATA_DIR: dataDir, PASSWORD_RATE: '0' });
    const url = await server.ready;
    const port = Number(/embedded PostgreSQL on 127\.0\.0\.1:(\d+)/.exec(server.log())![1]);
    const first = postmasterPid(dataDir)!;
    pids.add(first);

    const acknowledged: string[] = [];
    const answers: { status: number; retryAfter: string | null; code?: string; message?: string }[] = [];
    let stop = false;
    let counter = 0;
    const writer = async (w: number) => {
      while (!stop) {
        const username = `writer${w}_${(counter += 1)}`;
        const answer = await graphqlAt(url, REGISTER, { input: { username, email: `${username}@example.com`, password: 'fault secret' } });
        const error = answer.body.errors?.[0];
        answers.push({ status: answer.status, retryAfter: answer.headers.get('retry-after'), code: error?.extensions?.code, message: error?.message });
        if (answer.status === 200 && !error && answer.body.data.register.username === username) acknowledged.push(username);
        if (answer.status === 503) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const writers = Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));

    // Let the load run, then kill the postmaster mid-flight, as the OOM killer would.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const beforeKill = acknowledged.length;
    process.kill(first, 'SIGKILL');
    // Until the server has its database back and writes succeed again.
    const deadline = Date.now() + 60_000;
    while (!/Embedded PostgreSQL is running again/.test(server.log()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const afterRestart = acknowledged.length;
    while (acknowledged.length < afterRestart + 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    stop = true;
    await writers;

    expect(beforeKill).toBeGreaterThan(0);
    expect(server.log()).toMatch(new RegExp(`Embedded PostgreSQL \\(pid ${first}\\) exited unexpectedly \\(SIGKILL\\); starting it again on port ${port}`));
    expect(server.log()).toMatch(/Embedded PostgreSQL is running again/);
    const second = postmasterPid(dataDir)!;
    pids.add(second);
    expect(second).not.toBe(first);
    expect(acknowledged.length).toBeGreaterThanOrEqual(afterRestart + 20);

    // Every failure was a clean 503 with Retry-After: no 500, no "Transaction query already complete".
    const failures = answers.filter((answer) => answer.status !== 200 || answer.code);
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      expect(failure).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
      expect(Number(failure.retryAfter)).toBeGreaterThanOrEqual(1);
    }
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    // Every acknowledged registration is in the database, and every user has a token.
    const client = new Client({ connectionString: embeddedUrl(port, embeddedPassword(path.join(dataDir, 'postgres')), EMBEDDED_DATABASE_NAME) });
    await client.connect();
    try {
      const { rows } = await client.query<{ username: string }>('select username from auth_user');
      const stored = new Set(rows.map((row) => row.username));
      expect(acknowledged.filter((username) => !stored.has(username))).toEqual([]);
      const { rows: tokenless } = await client.query('select u.username from auth_user u left join authtoken_token t on t.user_id = u.id where t.key is null');
      expect(tokenless).toEqual([]);
    } finally {
      await client.end();
    }

    expect(await server.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(alive(second)).toBe(false);
  });
});
