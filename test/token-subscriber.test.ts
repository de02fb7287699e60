import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { makeUser, startTestServer, tokenOf, type TestServer } from './utils';
import { User } from '../src/users/user.entity';
import { bcryptSha256Policy, hashPassword } from '../src/users/passwords';

const LOGIN = 'mutation ($u: String!, $p: String!) { obtainAuthToken(username: $u, password: $p) { token userId } }';

describe('TokenSubscriber', () => {
  let server: TestServer;
  let hash: string;

  beforeAll(async () => {
    server = await startTestServer();
    hash = await hashPassword('subscriber secret', bcryptSha256Policy(4));
  });
  afterAll(() => server.close());

  const sql = <T = any>(query: string, params: unknown[] = []) =>
    server.orm.em.getConnection().execute(query, params) as unknown as Promise<T>;

  async function tokensOf(userId: number): Promise<string[]> {
    return (await sql<{ key: string }[]>('select key from authtoken_token where user_id = ?', [userId])).map((row) => row.key);
  }

  async function usersNamed(prefix: string): Promise<number> {
    const [row] = await sql<{ n: number }[]>('select count(*)::int as n from auth_user where username like ?', [`${prefix}%`]);
    return row.n;
  }

  const fields = (username: string) => ({ username, email: `${username}@example.com`, password: hash });

  it('gives a user created through the ORM exactly one token of 40 lowercase hex', async () => {
    const em = server.orm.em.fork();
    const user = em.create(User, fields('orm-made'));
    await em.flush();
    const keys = await tokensOf(user.id);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^[0-9a-f]{40}$/);
  });

  it('gives every user of a multi-user flush its own token, all keys distinct', async () => {
    const em = server.orm.em.fork();
    const users = Array.from({ length: 10 }, (_, i) => em.create(User, fields(`batch-${i}`)));
    await em.flush();
    const keys = (await Promise.all(users.map((user) => tokensOf(user.id)))).flat();
    expect(keys).toHaveLength(10);
    expect(new Set(keys).size).toBe(10);
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{40}$/);
  });

  it('adds no second token when an existing user is updated', async () => {
    const user = await makeUser(server.orm, { username: 'edited' });
    const before = await tokensOf(user.id);
    const em = server.orm.em.fork();
    const loaded = await em.findOneOrFail(User, user.id);
    loaded.firstName = 'Changed';
    await em.flush();
    expect(await tokensOf(user.id)).toEqual(before);
  });

  describe('when the token cannot be written', () => {
    beforeAll(async () => {
      // A real failure inside PostgreSQL, raised by the token insert itself, for users named doomed-*.
      await sql(`create function refuse_doomed_token() returns trigger language plpgsql as $$
        begin
          if exists (select 1 from auth_user where id = new.user_id and username like 'doomed-%') then
            raise exception 'token refused for %', new.user_id;
          end if;
          return new;
        end $$`);
      await sql(`create trigger refuse_doomed_token before insert on authtoken_token
        for each row execute function refuse_doomed_token()`);
    });
    afterAll(async () => {
      await sql('drop trigger refuse_doomed_token on authtoken_token');
      await sql('drop function refuse_doomed_token()');
    });

    it('does not write the user either', async () => {
      const em = server.orm.em.fork();
      em.create(User, fields('doomed-alone'));
      await expect(em.flush()).rejects.toThrow(/token refused/);
      expect(await usersNamed('doomed-alone')).toBe(0);
    });

    it('rolls back the whole flush, other users included', async () => {
      const em = server.orm.em.fork();
      em.create(User, fields('innocent-bystander'));
      em.create(User, fields('doomed-in-company'));
      await expect(em.flush()).rejects.toThrow(/token refused/);
      expect(await usersNamed('innocent-bystander')).toBe(0);
      expect(await usersNamed('doomed-in-company')).toBe(0);
    });

    it('does not write the user when registering through the API, which answers a masked internal error', async () => {
      // The server logs the unexpected error; keep it out of the test output but check it was logged.
      const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      const response = await server.graphql('mutation ($input: RegisterInput!) { register(input: $input) { id } }', {
        variables: { input: { username: 'doomed-registrant', email: 'd@example.com', password: 'a good passphrase' } },
      });
      expect(response.body.data).toBeNull();
      expect(response.body.errors).toEqual([
        { message: 'Internal server error', path: ['register'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      ]);
      expect(String(logged.mock.calls.flat().join(' '))).toMatch(/token refused/);
      logged.mockRestore();
      expect(await usersNamed('doomed-registrant')).toBe(0);
    });

    it('still creates other users and their tokens (the trigger is selective)', async () => {
      const user = await makeUser(server.orm, { username: 'lucky' });
      expect(await tokensOf(user.id)).toHaveLength(1);
    });
  });

  describe('native inserts, which fire no subscriber (a documented limitation)', () => {
    const inserts: [string, (em: EntityManager, username: string) => Promise<number>][] = [
      ['em.insert', async (em, username) => Number(await em.insert(User, fields(username)))],
      ['em.insertMany', async (em, username) => Number((await em.insertMany(User, [fields(username)]))[0])],
      [
        'the query builder',
        async (em, username) => {
          const result = await em.createQueryBuilder(User).insert(fields(username)).returning('id').execute('get');
          return Number((result as { id: number }).id);
        },
      ],
      [
        'raw SQL',
        async (em, username) => {
          const rows = await em.getConnection().execute<{ id: number }[]>(
            'insert into auth_user (username, email, password) values (?, ?, ?) returning id',
            [username, `${username}@example.com`, hash],
          );
          return rows[0].id;
        },
      ],
    ];

    for (const [name, insert] of inserts) {
      const username = `native-${name.replace(/\W+/g, '-')}`;
      it(`leave a user made by ${name} without a token until its first login creates one`, async () => {
        const id = await insert(server.orm.em.fork(), username);
        expect(id).toBeGreaterThan(0);
        expect(await tokensOf(id)).toEqual([]);
        const login = await server.graphql(LOGIN, { variables: { u: username, p: 'subscriber secret' } });
        expect(login.body.data.obtainAuthToken).toEqual({ token: expect.stringMatching(/^[0-9a-f]{40}$/), userId: String(id) });
        expect(await tokensOf(id)).toEqual([login.body.data.obtainAuthToken.token]);
      });
    }
  });

  describe('deleting a user', () => {
    it('through the ORM deletes its token', async () => {
      const user = await makeUser(server.orm, { username: 'leaving-orm' });
      expect(await tokenOf(server.orm, user.id)).toBeDefined();
      const em = server.orm.em.fork();
      em.remove(await em.findOneOrFail(User, user.id));
      await em.flush();
      expect(await tokensOf(user.id)).toEqual([]);
    });

    it('by a native delete deletes its token too (the foreign key cascades)', async () => {
      const user = await makeUser(server.orm, { username: 'leaving-sql' });
      const key = (await tokenOf(server.orm, user.id))!;
      await sql('delete from auth_user where id = ?', [user.id]);
      expect(await sql('select 1 from authtoken_token where key = ?', [key])).toEqual([]);
      const response = await server.graphql('{ __typename }', { token: key });
      expect(response.status).toBe(401);
      expect(response.body.errors?.[0].message).toBe('Invalid token.');
    });
  });
});
