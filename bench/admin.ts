/**
 * `npm run bench:admin`: the admin API with a large user base. DRF warns that its admin's user picker breaks
 * with many users; the budget here is 50 ms per admin operation with 100,000 users and tokens.
 *
 * 1. A database of its own: a temporary embedded PostgreSQL (durable, as a deployment runs it), or a new
 *    database `authtoken_bench_admin` on the server in DATABASE_URL (dropped at the end). Migrated.
 * 2. Seeds 100,000 users in one generate_series statement, then gives them tokens with the real backfill
 *    (`ensureTokens`, what `manage ensure-tokens` runs), and spreads the tokens' `created` over time as a
 *    real table's would be. ANALYZE, as autovacuum would soon do.
 * 3. Starts the server as a user does (`node dist/src/server.js`, NODE_ENV=production, one worker) and times
 *    each admin operation over HTTP, one request at a time, as a staff user: BENCH_ITERATIONS each (default
 *    200) after a warm-up. Prints p50, p95 and max per operation, and whether p95 is within the budget.
 *
 * createUser includes bcrypt hashing, whose cost is a setting and does not grow with the user base; it runs
 * at BCRYPT_ROUNDS (default here 4, so the figure shows the database's share; the server's default of 12
 * adds about 220 ms of hashing on these machines, by design).
 *
 * Environment: BENCH_USERS (default 100000), BENCH_ITERATIONS (default 200), BCRYPT_ROUNDS (default 4),
 * DATABASE_URL (use that server instead of an embedded one).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/database/embedded';
import { withDatabase } from '../src/database/database';
import { initOrm, migrate } from '../src/database/orm';
import { ensureTokens } from '../src/authtoken/token-store';
import { bcryptSha256Policy, hashPassword } from '../src/users/passwords';
import { createUser } from '../src/users/user.service';
import { projectRoot } from '../src/paths';
import { startProcess, type Started } from './processes';

const USERS = positive('BENCH_USERS', 100_000);
const ITERATIONS = positive('BENCH_ITERATIONS', 200);
const WARMUP = Math.min(20, ITERATIONS);
const ROUNDS = positive('BCRYPT_ROUNDS', 4);
const BUDGET_MS = 50;
const BENCH_DATABASE = 'authtoken_bench_admin';
const root = projectRoot;

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return Number(raw);
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await work();
  console.log(`${label}: ${((performance.now() - start) / 1000).toFixed(2)} s`);
  return result;
}

interface Database {
  url: string;
  drop(): Promise<void>;
}

async function createDatabase(): Promise<Database> {
  let embedded: EmbeddedDatabase | undefined;
  let tmp: string | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'authtoken-bench-admin-'));
    // As root, postgres runs as its own user and must reach the directory.
    fs.chmodSync(tmp, 0o755);
    embedded = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'postgres') });
    adminUrl = embedded.url;
  }
  const admin = new Client({ connectionString: withDatabase(adminUrl, 'postgres') });
  await admin.connect();
  await admin.query(`drop database if exists ${BENCH_DATABASE} with (force)`);
  await admin.query(`create database ${BENCH_DATABASE}`);
  await admin.end();
  return {
    url: withDatabase(adminUrl, BENCH_DATABASE),
    async drop() {
      const again = new Client({ connectionString: withDatabase(adminUrl!, 'postgres') });
      await again.connect();
      await again.query(`drop database if exists ${BENCH_DATABASE} with (force)`);
      await again.end();
      await embedded?.stop();
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Returns the staff user's key. */
async function seed(url: string): Promise<string> {
  const orm = await initOrm(url, { poolSize: 2 });
  try {
    await migrate(orm);
    const connection = orm.em.getConnection();
    const hash = await hashPassword('bench password', bcryptSha256Policy(ROUNDS));
    await timed(`Seeded ${USERS} users (one generate_series insert)`, () =>
      connection.execute(
        `insert into auth_user (username, email, password, first_name, last_name, is_active, date_joined)
         select 'user' || i,
                (array['ann', 'bob', 'cy', 'dee'])[1 + i % 4] || i || '@' || (array['example.com', 'mail.org', 'corp.net'])[1 + i % 3],
                ?, 'First' || i, 'Last' || i, i % 50 <> 0,
                now() - make_interval(mins => ? - i)
           from generate_series(1, ?) as i`,
        [hash, USERS, USERS],
      ),
    );
    const created = await timed('Backfilled their tokens (ensureTokens, one insert ... select)', () => ensureTokens(orm.em.fork()));
    console.log(`  ${created} tokens created`);
    await timed('Spread token creation times', () =>
      connection.execute(
        `update authtoken_token t set created = u.date_joined + interval '1 second' from auth_user u where u.id = t.user_id`,
      ),
    );
    const staff = await createUser(
      orm.em.fork(),
      { username: 'bench-admin', email: 'bench-admin@example.com', password: 'bench password' },
      bcryptSha256Policy(ROUNDS),
      { isStaff: true, isSuperuser: true },
    );
    await connection.execute('vacuum analyze auth_user');
    await connection.execute('vacuum analyze authtoken_token');
    await connection.execute('vacuum analyze auth_user_search');
    const [row] = await connection.execute<{ key: string }[]>('select key from authtoken_token where user_id = ?', [staff.id]);
    return row.key;
  } finally {
    await orm.close();
  }
}

/** The server under measurement, through the one process harness. */
function startServer(databaseUrl: string): Promise<Started> {
  return startProcess([path.join(root, 'dist', 'src', 'server.js')], {
    DATABASE_URL: databaseUrl,
    NODE_ENV: 'production',
    WEB_CONCURRENCY: '1',
    PORT: '0',
    HOST: '127.0.0.1',
    BCRYPT_ROUNDS: String(ROUNDS),
    LOG_LEVEL: 'info',
  });
}

interface Operation {
  name: string;
  /** Builds the request for iteration i (so mutations can vary their target). */
  request(i: number): { query: string; variables?: Record<string, unknown> };
  /** Runs after each timed request, untimed (e.g. putting back what it deleted). */
  after?(i: number): Promise<void>;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  console.log(`Admin API benchmark: ${USERS} users and tokens, ${ITERATIONS} requests per operation, bcrypt cost ${ROUNDS}`);
  const database = await createDatabase();
  let server: Started | undefined;
  try {
    const key = await seed(database.url);
    server = await startServer(database.url);
    const endpoint = `${server.baseUrl}/graphql`;

    async function call(query: string, variables?: Record<string, unknown>): Promise<any> {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Token ${key}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: any; errors?: { message: string }[] };
      if (body.errors) throw new Error(`${query}: ${body.errors.map((e) => e.message).join('; ')}`);
      return body.data;
    }

    const userPage = 'query($s: String, $o: Int) { users(search: $s, limit: 20, offset: $o) { total items { id username email isActive } } }';
    const tokenPage =
      'query($s: String, $o: Int) { tokens(search: $s, limit: 20, offset: $o) { total items { key created user { id username } } } }';
    // A user id far from the ones other operations touch, per iteration.
    const target = (i: number, base: number) => base + (i % 5000);
    const deletedKeys = new Map<number, string>();

    const operations: Operation[] = [
      { name: 'users, first page', request: () => ({ query: userPage }) },
      { name: 'users, offset 50,000', request: () => ({ query: userPage, variables: { o: 50_000 } }) },
      { name: 'users, search "user4242" (11 hits)', request: () => ({ query: userPage, variables: { s: 'user4242' } }) },
      { name: 'users, search "MAIL.ORG" (1/3 hit)', request: () => ({ query: userPage, variables: { s: 'MAIL.ORG' } }) },
      { name: 'users, search "42" (2 letters)', request: () => ({ query: userPage, variables: { s: '42' } }) },
      { name: 'users, search "nobody-here" (none)', request: () => ({ query: userPage, variables: { s: 'nobody-here' } }) },
      { name: 'tokens, first page', request: () => ({ query: tokenPage }) },
      { name: 'tokens, offset 50,000', request: () => ({ query: tokenPage, variables: { o: 50_000 } }) },
      { name: 'tokens, search "user4242"', request: () => ({ query: tokenPage, variables: { s: 'user4242' } }) },
      { name: 'tokens, search "MAIL.ORG"', request: () => ({ query: tokenPage, variables: { s: 'MAIL.ORG' } }) },
      { name: 'tokens, search "42"', request: () => ({ query: tokenPage, variables: { s: '42' } }) },
      { name: 'tokens, search "nobody-here"', request: () => ({ query: tokenPage, variables: { s: 'nobody-here' } }) },
      {
        name: 'createToken (existing)',
        request: (i) => ({
          query: 'mutation($u: String!) { createToken(username: $u) { key created user { id } } }',
          variables: { u: `user${target(i, 10_000)}` },
        }),
      },
      {
        name: 'createToken (reset: true)',
        request: (i) => ({
          query: 'mutation($u: String!) { createToken(username: $u, reset: true) { key created user { id } } }',
          variables: { u: `user${target(i, 20_000)}` },
        }),
      },
      {
        name: 'deleteToken',
        request: (i) => ({ query: 'mutation($k: String!) { deleteToken(key: $k) }', variables: { k: deletedKeys.get(i) } }),
        async after(i) {
          await call('mutation($u: String!) { createToken(username: $u) { key } }', { u: `user${target(i, 30_000)}` });
        },
      },
      {
        name: 'setUserActive',
        request: (i) => ({
          query: 'mutation($id: ID!, $a: Boolean!) { setUserActive(id: $id, active: $a) { id isActive } }',
          variables: { id: String(target(i, 40_000)), a: i % 2 === 0 },
        }),
      },
      {
        name: `createUser (bcrypt cost ${ROUNDS})`,
        request: (i) => ({
          query: 'mutation($in: CreateUserInput!) { createUser(input: $in) { id } }',
          variables: { in: { username: `new-${i}-${Date.now()}`, email: `new${i}@example.com`, password: 'bench password' } },
        }),
      },
    ];

    // deleteToken needs a live key per iteration; look them up before timing.
    for (let i = 0; i < WARMUP + ITERATIONS; i++) {
      const data = await call('mutation($u: String!) { createToken(username: $u) { key } }', { u: `user${target(i, 30_000)}` });
      deletedKeys.set(i, data.createToken.key);
    }

    const rows: { name: string; p50: number; p95: number; max: number }[] = [];
    for (const operation of operations) {
      const samples: number[] = [];
      for (let i = 0; i < WARMUP + ITERATIONS; i++) {
        const { query, variables } = operation.request(i);
        const start = performance.now();
        await call(query, variables);
        const elapsed = performance.now() - start;
        if (i >= WARMUP) samples.push(elapsed);
        await operation.after?.(i);
      }
      samples.sort((a, b) => a - b);
      rows.push({ name: operation.name, p50: percentile(samples, 50), p95: percentile(samples, 95), max: samples[samples.length - 1] });
    }

    const width = Math.max(...rows.map((row) => row.name.length));
    console.log(`\n${'operation'.padEnd(width)}  ${'p50 ms'.padStart(7)}  ${'p95 ms'.padStart(7)}  ${'max ms'.padStart(7)}  p95 <= ${BUDGET_MS} ms`);
    for (const row of rows) {
      const cells = [row.p50, row.p95, row.max].map((value) => value.toFixed(1).padStart(7)).join('  ');
      console.log(`${row.name.padEnd(width)}  ${cells}  ${row.p95 <= BUDGET_MS ? 'yes' : 'NO'}`);
    }
    const load = os.loadavg().map((value) => value.toFixed(1)).join(' ');
    console.log(`\n${os.cpus().length} cores, Node ${process.version}; client and server on this machine, one request at a time.`);
    // Other work on the machine inflates every figure; the load average says how busy it was.
    console.log(`Load average (1, 5, 15 min) at the end: ${load}`);
  } finally {
    if (server) await server.stop();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
