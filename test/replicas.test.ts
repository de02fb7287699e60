/**
 * Three replicas (separate server processes) on one database, through PgBouncer in transaction pooling mode
 * in front of the machine's PostgreSQL (127.0.0.1:5432), the way DRF deployments usually run.
 * Skipped, loudly, when pgbouncer is not installed or that PostgreSQL is not there.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pgbouncerUnavailable, startPgBouncer, type PgBouncer } from '../bench/pgbouncer';
import { migrationsList } from '../src/migrations';
import { graphqlAt, startServerProcess, type ServerProcess } from './server-process';

let unavailable: string | undefined;

const REGISTER = 'mutation ($input: RegisterInput!) { register(input: $input) { id } }';
const LOGIN = 'mutation ($u: String!, $p: String!) { obtainAuthToken(username: $u, password: $p) { token } }';
const ME = '{ me { username } products { total } }';

describe('three replicas through PgBouncer (transaction pooling)', { timeout: 90_000 }, () => {
  const database = `authtoken_test_replicas_${randomBytes(4).toString('hex')}`;
  let bouncer: PgBouncer;
  let direct: Client;
  let replicas: ServerProcess[] = [];
  let urls: string[] = [];

  beforeAll(async () => {
    unavailable = await pgbouncerUnavailable();
    if (unavailable) {
      console.warn(`\n${'!'.repeat(100)}\n!!! SKIPPING the replica tests through PgBouncer: ${unavailable}\n${'!'.repeat(100)}\n`);
      return;
    }
    bouncer = await startPgBouncer();
    direct = new Client({ connectionString: bouncer.directUrl('postgres') });
    await direct.connect();
  }, 30_000);

  beforeEach((context) => {
    if (unavailable) context.skip();
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.kill('SIGKILL')));
    await bouncer?.stop();
    await direct?.query(`drop database if exists ${database} with (force)`);
    await direct?.end();
  });

  const env = () => ({
    DATABASE_URL: bouncer.url(database),
    DATABASE_DIRECT_URL: bouncer.directUrl(database),
    DATABASE_POOLER: 'transaction',
    DB_POOL_SIZE: '4',
  });

  it('start together on an empty database, all become ready, and apply each migration exactly once', async () => {
    expect((await direct.query('select 1 from pg_database where datname = $1', [database])).rowCount).toBe(0);
    replicas = [startServerProcess(env()), startServerProcess(env()), startServerProcess(env())];
    urls = await Promise.all(replicas.map((replica) => replica.ready));
    const logs = replicas.map((replica) => replica.log());
    // One replica applied them all, in one go; the others found nothing to do.
    expect(logs.filter((log) => /Applied migrations/.test(log))).toHaveLength(1);
    const applied = new Client({ connectionString: bouncer.directUrl(database) });
    await applied.connect();
    try {
      const { rows } = await applied.query<{ name: string; count: string }>('select name, count(*) from mikro_orm_migrations group by name order by name');
      expect(rows.map((row) => row.name)).toEqual(migrationsList.map((migration) => migration.name).sort());
      expect(rows.every((row) => row.count === '1')).toBe(true);
    } finally {
      await applied.end();
    }
    for (const url of urls) expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });

  it('serve the hot path (named statements would fail through the pooler) on every replica', async () => {
    const registered = await graphqlAt(urls[0], REGISTER, { input: { username: 'rita', email: 'rita@example.com', password: 'replica secret' } });
    expect(registered.body.errors).toBeUndefined();
    const token = (await graphqlAt(urls[1], LOGIN, { u: 'rita', p: 'replica secret' })).body.data.obtainAuthToken.token;
    // Many requests each: every pooled server connection gets each statement more than once.
    for (const url of urls) {
      const answers = await Promise.all(Array.from({ length: 30 }, () => graphqlAt(url, ME, undefined, { authorization: `Token ${token}` })));
      expect(answers.map((answer) => answer.status)).toEqual(Array(30).fill(200));
      expect(answers[0].body.data.me.username).toBe('rita');
    }
  });

  it('detect the pooler when DATABASE_POOLER is not set: every request answered, and the log says what to set', async () => {
    const unannounced = startServerProcess({ ...env(), DATABASE_POOLER: '' });
    replicas.push(unannounced);
    const url = await unannounced.ready;
    const token = (await graphqlAt(url, LOGIN, { u: 'rita', p: 'replica secret' })).body.data.obtainAuthToken.token;
    // Rounds until a named statement meets a server connection that lacks it or has it (which connection a
    // client gets is PgBouncer's choice): every answer a 200 all along.
    for (let round = 0; round < 10 && !/Set DATABASE_POOLER=transaction/.test(unannounced.log()); round += 1) {
      const answers = await Promise.all(Array.from({ length: 30 }, () => graphqlAt(url, ME, undefined, { authorization: `Token ${token}` })));
      expect(answers.map((answer) => answer.status)).toEqual(Array(30).fill(200));
    }
    expect(unannounced.log()).toMatch(/Set DATABASE_POOLER=transaction/);
    await unannounced.kill('SIGTERM');
  });

  it('see a token revoked through one replica fail on every other at its next request', async () => {
    await graphqlAt(urls[2], REGISTER, { input: { username: 'otto', email: 'otto@example.com', password: 'replica secret' } });
    const token = (await graphqlAt(urls[2], LOGIN, { u: 'otto', p: 'replica secret' })).body.data.obtainAuthToken.token;
    const auth = { authorization: `Token ${token}` };
    for (const url of urls) expect((await graphqlAt(url, ME, undefined, auth)).status).toBe(200);
    expect((await graphqlAt(urls[0], 'mutation { logout }', undefined, auth)).body).toEqual({ data: { logout: true } });
    for (const url of urls) {
      const answer = await graphqlAt(url, ME, undefined, auth);
      expect(answer.status).toBe(401);
      expect(answer.body.errors[0].message).toBe('Invalid token.');
    }
  });

  it('see a user deactivated in the database refused by every replica at its next request', async () => {
    const token = (await graphqlAt(urls[1], LOGIN, { u: 'rita', p: 'replica secret' })).body.data.obtainAuthToken.token;
    const auth = { authorization: `Token ${token}` };
    for (const url of urls) expect((await graphqlAt(url, ME, undefined, auth)).status).toBe(200);
    const admin = new Client({ connectionString: bouncer.directUrl(database) });
    await admin.connect();
    await admin.query(`update auth_user set is_active = false where username = 'rita'`);
    await admin.end();
    for (const url of urls) {
      const answer = await graphqlAt(url, ME, undefined, auth);
      expect(answer.status).toBe(401);
      expect(answer.body.errors[0].message).toBe('User inactive or deleted.');
    }
  });

  it('see a password changed in the database refuse the old one on every replica', async () => {
    await graphqlAt(urls[1], REGISTER, { input: { username: 'pia', email: 'pia@example.com', password: 'replica secret' } });
    for (const url of urls) expect((await graphqlAt(url, LOGIN, { u: 'pia', p: 'replica secret' })).body.data.obtainAuthToken.token).toMatch(/^[0-9a-f]+$/);
    const admin = new Client({ connectionString: bouncer.directUrl(database) });
    await admin.connect();
    // Django's unusable password: no password verifies against it.
    await admin.query(`update auth_user set password = '!' where username = 'pia'`);
    await admin.end();
    for (const url of urls) {
      const answer = await graphqlAt(url, LOGIN, { u: 'pia', p: 'replica secret' });
      expect(answer.body.errors[0].message).toBe('Unable to log in with provided credentials.');
    }
  });

  it('lose one replica (SIGKILL) without the others noticing', async () => {
    await graphqlAt(urls[0], REGISTER, { input: { username: 'nina', email: 'nina@example.com', password: 'replica secret' } });
    const token = (await graphqlAt(urls[0], LOGIN, { u: 'nina', p: 'replica secret' })).body.data.obtainAuthToken.token;
    const auth = { authorization: `Token ${token}` };
    const survivors = urls.slice(1);
    const load = (async () => {
      const statuses: number[] = [];
      for (let round = 0; round < 20; round += 1) {
        const answers = await Promise.all(survivors.map((url) => graphqlAt(url, ME, undefined, auth)));
        statuses.push(...answers.map((answer) => answer.status));
      }
      return statuses;
    })();
    // The killed replica held pooled connections in PgBouncer; its death must not disturb the others'.
    expect(await replicas[0].kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await load).toEqual(Array(40).fill(200));
    for (const url of survivors) expect((await fetch(`${url}/readyz`)).status).toBe(200);
    await expect(fetch(`${urls[0]}/readyz`)).rejects.toThrow();
  });
});
