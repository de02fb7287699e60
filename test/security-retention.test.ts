// The security log's retention (SECURITY_LOG_RETENTION_DAYS, `manage prune-security-log`, the server's daily
// prune under an advisory lock) and its JSON log lines (LOG_FORMAT=json). Real database, real processes.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/commands';
import { loadSettings, SettingsError } from '../src/settings';
import { pruneIfDue, pruneSecurityLog } from '../src/security/prune';
import { createTestDatabase, startTestServer, type TestServer } from './utils';
import { graphqlAt, startServerProcess, type ServerProcess } from './server-process';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ SECURITY_LOG_PRUNE: 'false' });
});
afterAll(() => server.close());

const sql = <T = Record<string, unknown>>(text: string, values: unknown[] = []) => server.orm.em.getConnection().execute<T[]>(text, values);

/** Events `daysAgo` old, each marked by its operation name. */
async function seed(marks: [string, number][]): Promise<void> {
  for (const [mark, daysAgo] of marks) {
    await sql("insert into authtoken_security_event (type, operation, at) values ('LOGOUT', ?, now() - make_interval(days => ?))", [mark, daysAgo]);
  }
}

async function marks(): Promise<string[]> {
  return (await sql<{ operation: string }>("select operation from authtoken_security_event where operation like 'Keep%' or operation like 'Old%' order by id")).map((row) => row.operation);
}

function commandIo(env: Record<string, string>) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (err += chunk));
  return { io: { stdout, stderr, stdin: new PassThrough(), env }, out: () => out, err: () => err };
}

describe('SECURITY_LOG_RETENTION_DAYS and prune-security-log', () => {
  it('deletes the events older than 90 days by default, says how many, and keeps the rest', async () => {
    await seed([['Old1', 91], ['Keep1', 89], ['Old2', 400], ['Keep2', 0]]);
    const run = commandIo({ DATABASE_URL: server.databaseUrl, LOG_LEVEL: 'silent' });
    expect(await main(['prune-security-log'], run.io)).toBe(0);
    expect(run.out()).toBe('Deleted 2 security events older than 90 days.\n');
    expect(await marks()).toEqual(['Keep1', 'Keep2']);
    const again = commandIo({ DATABASE_URL: server.databaseUrl, LOG_LEVEL: 'silent' });
    expect(await main(['prune-security-log'], again.io)).toBe(0);
    expect(again.out()).toBe('Deleted 0 security events older than 90 days.\n');
  });

  it('keeps as many days as SECURITY_LOG_RETENTION_DAYS says', async () => {
    await seed([['Keep3', 0]]);
    const run = commandIo({ DATABASE_URL: server.databaseUrl, LOG_LEVEL: 'silent', SECURITY_LOG_RETENTION_DAYS: '1' });
    await sql("update authtoken_security_event set at = now() - interval '2 days' where operation = 'Keep1'");
    expect(await main(['prune-security-log'], run.io)).toBe(0);
    expect(run.out()).toBe('Deleted 1 security event older than 1 day.\n');
    expect(await marks()).toEqual(['Keep2', 'Keep3']);
  });

  it('refuses bad settings and arguments', async () => {
    for (const [name, value] of [['SECURITY_LOG_RETENTION_DAYS', '0'], ['SECURITY_LOG_RETENTION_DAYS', '3651'], ['SECURITY_LOG_RETENTION_DAYS', 'ninety'], ['SECURITY_LOG_PRUNE', 'maybe']]) {
      expect(() => loadSettings({ [name]: value }), `${name}=${value}`).toThrow(SettingsError);
      expect(() => loadSettings({ [name]: value })).toThrow(name);
    }
    expect(loadSettings({}).securityLog).toEqual({ retentionDays: 90, prune: true });
    const bad = commandIo({ DATABASE_URL: server.databaseUrl, SECURITY_LOG_RETENTION_DAYS: '-1' });
    expect(await main(['prune-security-log'], bad.io)).toBe(1);
    expect(bad.err()).toMatch(/SECURITY_LOG_RETENTION_DAYS must be an integer from 1 to 3650/);
    const extra = commandIo({ DATABASE_URL: server.databaseUrl });
    expect(await main(['prune-security-log', 'now'], extra.io)).toBe(2);
  });

  it('deletes in batches beyond 10,000 old events', async () => {
    await sql("insert into authtoken_security_event (type, at) select 'LOGOUT', now() - interval '100 days' from generate_series(1, 12345)");
    expect(await pruneSecurityLog(server.orm.em.fork(), 90)).toBe(12345);
  });
});

describe("the server's daily prune", () => {
  it('runs in one process of many at a time, once a day', async () => {
    await sql('delete from authtoken_job_run');
    await seed([['Old3', 95], ['Keep4', 1]]);
    // Two replicas at once: one prunes, the other finds the lock taken (or the job done) and skips.
    const results = await Promise.all([pruneIfDue(server.orm, server.databaseUrl, 90), pruneIfDue(server.orm, server.databaseUrl, 90)]);
    expect(results.sort()).toEqual([1, 'skipped']);
    expect((await marks()).includes('Old3')).toBe(false);
    // Not due again within the day.
    await seed([['Old4', 95]]);
    expect(await pruneIfDue(server.orm, server.databaseUrl, 90)).toBe('skipped');
    expect((await marks()).includes('Old4')).toBe(true);
    // A day later it is.
    await sql("update authtoken_job_run set at = now() - interval '25 hours'");
    expect(await pruneIfDue(server.orm, server.databaseUrl, 90)).toBe(1);
    expect((await marks()).includes('Old4')).toBe(false);
  });
});

describe('LOG_FORMAT=json', { timeout: 90_000 }, () => {
  const started: ServerProcess[] = [];
  afterAll(async () => {
    await Promise.all(started.map((process) => process.kill('SIGKILL')));
  });

  it('writes each event as one "security" line with the fields of its row', async () => {
    const databaseUrl = await createTestDatabase();
    const process = startServerProcess({ DATABASE_URL: databaseUrl, LOG_FORMAT: 'json', BCRYPT_ROUNDS: '4' });
    started.push(process);
    const url = await process.ready;
    const registered = await graphqlAt(url, 'mutation Join($input: RegisterInput!) { register(input: $input) { id } }', {
      input: { username: 'json-user', email: 'json@example.com', password: 'json secret 1' },
    }, { 'x-request-id': 'json-req-1', 'user-agent': 'JsonTest/1' });
    expect(registered.body.errors).toBeUndefined();
    const wrong = await graphqlAt(url, 'mutation Try($u: String!, $p: String!) { obtainAuthToken(username: $u, password: $p) { token } }', { u: 'json-user', p: 'json wrong 2' }, { 'x-request-id': 'json-req-2' });
    expect(wrong.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await process.kill('SIGTERM')).toEqual({ code: 0, signal: null });

    const lines = process.stdout().split('\n').filter(Boolean).map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'security');
    expect(lines.map((line) => line.type)).toEqual(['USER_REGISTERED', 'TOKEN_CREATED', 'LOGIN_FAILED_PASSWORD']);
    const { Client } = await import('pg');
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query('select * from authtoken_security_event order by id');
      expect(rows).toHaveLength(3);
      rows.forEach((row, index) => {
        expect(lines[index]).toMatchObject({
          level: 'info',
          id: String(row.id),
          at: row.at.toISOString(),
          type: row.type,
          userId: row.user_id,
          actorId: row.actor_id,
          username: row.username,
          tokenKind: row.token_kind,
          tokenKey: row.token_key,
          ip: row.ip,
          userAgent: row.user_agent,
          requestId: row.request_id,
          operation: row.operation,
          detail: row.detail,
          count: row.count,
        });
      });
      expect(lines[0]).toMatchObject({ requestId: 'json-req-1', userAgent: 'JsonTest/1', operation: 'Join', ip: '127.0.0.1' });
      expect(lines[2]).toMatchObject({ requestId: 'json-req-2', username: 'json-user', operation: 'Try' });
    } finally {
      await client.end();
    }
    const log = process.log();
    for (const secret of ['json secret 1', 'json wrong 2']) expect(log).not.toContain(secret);
  });
});
