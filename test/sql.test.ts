import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { initOrm } from '../src/database/orm';
import { queryEach, queryRows } from '../src/database/sql';
import { createTestDatabase } from './utils';

// The hot-path reads of src/database/sql.ts, on a pool of ONE connection: a connection that is not given
// back would hang the next call, so each test also proves the release.
describe('the hot-path SQL helpers', () => {
  let orm: MikroORM;

  beforeAll(async () => {
    orm = await initOrm(await createTestDatabase(), { poolSize: 1 });
  });
  afterAll(() => orm.close());

  it('returns the rows of each statement, in order, with their parameters', async () => {
    const [numbers, [word]] = await queryEach<[{ n: number }, { w: string }]>(orm.em, [
      ['select generate_series(1, $1::int) as n', [3]],
      ["select $1::text || '!' as w", ['hi']],
    ]);
    expect(numbers).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(word).toEqual({ w: 'hi!' });
    expect(await queryRows(orm.em, 'select 1 as one where false')).toEqual([]);
  });

  it('prepares each statement once per connection, under one name', async () => {
    const text = 'select $1::int + 1 as next';
    expect(await queryRows(orm.em, text, [1])).toEqual([{ next: 2 }]);
    expect(await queryRows(orm.em, text, [41])).toEqual([{ next: 42 }]);
    const prepared = await queryRows<{ statement: string }>(orm.em, 'select statement from pg_prepared_statements');
    expect(prepared.filter((row) => row.statement === text)).toHaveLength(1);
  });

  it("rejects with PostgreSQL's error when a statement fails, and gives the connection back", async () => {
    await expect(queryEach(orm.em, [['select 1'], ['select * from no_such_table']])).rejects.toThrow(/no_such_table/);
    await expect(queryRows(orm.em, 'select $1::int as n', ['not a number'])).rejects.toThrow(/invalid input syntax/);
    expect(await queryRows(orm.em, 'select 7 as n')).toEqual([{ n: 7 }]);
  });

  it('refuses a write, before it reaches the database: writes belong to the ORM or em.execute', async () => {
    await orm.em.getConnection().execute('create table if not exists sql_rule (n int)');
    for (const text of ['insert into sql_rule values ($1)', 'with d as (delete from sql_rule returning 1) select 1', '  update sql_rule set n = $1']) {
      await expect(queryRows(orm.em, text, [1])).rejects.toThrow('runs reads only');
    }
    await expect(queryEach(orm.em, [['select 1'], ['delete from sql_rule']])).rejects.toThrow('runs reads only');
    const [{ count }] = await orm.em.getConnection().execute<{ count: number }[]>('select count(*)::int as count from sql_rule');
    expect(count).toBe(0);
    expect(await queryRows(orm.em, '\n  SELECT 2 as n')).toEqual([{ n: 2 }]);
  });

  it('refuses to run inside a transaction, whose statements belong on its own connection', async () => {
    await expect(orm.em.fork().transactional((tx) => queryRows(tx, 'select 1'))).rejects.toThrow('outside transactions');
  });
});

describe('the hot-path SQL helpers behind a transaction pooler', () => {
  let databaseUrl: string;
  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
  });
  afterEach(() => vi.restoreAllMocks());

  it('names a statement by a digest of its text, so every process gives one text the same name', async () => {
    const orm = await initOrm(databaseUrl, { poolSize: 1 });
    try {
      const text = 'select $1::int * 2 as twice';
      await queryRows(orm.em, text, [2]);
      const [row] = await queryRows<{ name: string }>(orm.em, 'select name from pg_prepared_statements where statement = $1', [text]);
      expect(row.name).toBe(`authtoken_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`);
    } finally {
      await orm.close();
    }
  });

  it('sends statements unnamed with DATABASE_POOLER=transaction: none stays prepared', async () => {
    const orm = await initOrm(databaseUrl, { poolSize: 1, pooler: 'transaction' });
    try {
      const text = 'select $1::int + 2 as plus_two';
      expect(await queryRows(orm.em, text, [1])).toEqual([{ plus_two: 3 }]);
      expect(await queryRows(orm.em, text, [2])).toEqual([{ plus_two: 4 }]);
      expect(await queryRows(orm.em, 'select count(*)::int as n from pg_prepared_statements')).toEqual([{ n: 0 }]);
    } finally {
      await orm.close();
    }
  });

  it('detects a pooler without the setting (a prepared statement gone from the server), answers, and says so', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const orm = await initOrm(databaseUrl, { poolSize: 1 });
    try {
      const text = 'select $1::int + 3 as plus_three';
      expect(await queryRows(orm.em, text, [1])).toEqual([{ plus_three: 4 }]);
      // What a pooler does to this client: its next transaction lands where the statement was never prepared.
      await orm.em.getConnection().execute('deallocate all');
      expect(await queryRows(orm.em, text, [2])).toEqual([{ plus_three: 5 }]);
      expect(await queryRows(orm.em, text, [3])).toEqual([{ plus_three: 6 }]);
      expect(await queryRows(orm.em, 'select count(*)::int as n from pg_prepared_statements')).toEqual([{ n: 0 }]);
      const messages = log.mock.calls.map((call) => String(call[0]));
      expect(messages.filter((message) => /as they do through a transaction pooler/.test(message))).toHaveLength(1);
    } finally {
      await orm.close();
    }
  });
});
