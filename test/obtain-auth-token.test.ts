import bcrypt from 'bcrypt';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeUser, startTestServer, tokenOf, type TestServer } from './utils';
import { bcryptSha256Policy, checkPassword, hashPassword } from '../src/users/passwords';

/** What a login naming no user runs: a check against no stored value, which must still cost a real check. */
const verifyAgainstDummy = async (password: string, policy: ReturnType<typeof bcryptSha256Policy>) => (await checkPassword(password, null, policy)).valid;
import { getOrCreateToken } from '../src/authtoken/token-store';

const LOGIN = 'mutation ($u: String!, $p: String!) { obtainAuthToken(username: $u, password: $p) { token userId email } }';
const BAD_CREDENTIALS = 'Unable to log in with provided credentials.';
const MISSING = 'Must include "username" and "password".';

describe('obtainAuthToken', () => {
  let server: TestServer;
  const login = (u: string, p: string, authorization?: string) =>
    server.graphql(LOGIN, { variables: { u, p }, ...(authorization === undefined ? {} : { authorization }) });

  /** A user inserted by plain SQL, as a data import would: no subscriber runs, so it has no token. */
  async function insertNativeUser(username: string, password: string): Promise<number> {
    const hash = await hashPassword(password, bcryptSha256Policy(4));
    const rows = await server.orm.em.getConnection().execute<{ id: number }[]>(
      `insert into auth_user (username, email, password) values (?, ?, ?) returning id`,
      [username, `${username}@example.com`, hash],
    );
    return rows[0].id;
  }

  async function tokenRows(userId: number): Promise<number> {
    const rows = await server.orm.em.getConnection().execute<{ n: number }[]>(
      'select count(*)::int as n from authtoken_token where user_id = ?',
      [userId],
    );
    return rows[0].n;
  }

  beforeAll(async () => {
    // The failed-login throttle has its own file (login.test.ts); here every failure must reach the check.
    server = await startTestServer({ LOGIN_FAILURE_LIMIT: '0' });
    await makeUser(server.orm, { username: 'alice', email: 'alice@example.com', password: 'correct horse' });
    await makeUser(server.orm, { username: 'dormant', password: 'correct horse', isActive: false });
  });
  afterAll(() => server.close());
  afterEach(() => vi.restoreAllMocks());

  it("returns the user's existing token, id and email", async () => {
    const response = await login('alice', 'correct horse');
    expect(response.status).toBe(200);
    const payload = response.body.data.obtainAuthToken;
    const [row] = await server.orm.em.getConnection().execute("select id from auth_user where username = 'alice'");
    expect(payload).toEqual({ token: await tokenOf(server.orm, row.id), userId: String(row.id), email: 'alice@example.com' });
    expect(payload.token).toMatch(/^[0-9a-f]{40}$/);
  });

  it('returns the same key on repeated calls', async () => {
    const keys = new Set<string>();
    for (let i = 0; i < 3; i += 1) keys.add((await login('alice', 'correct horse')).body.data.obtainAuthToken.token);
    expect(keys.size).toBe(1);
  });

  it('creates a token for a user inserted by native SQL, then keeps returning it', async () => {
    const id = await insertNativeUser('imported', 'imported secret');
    expect(await tokenOf(server.orm, id)).toBeUndefined();
    const first = (await login('imported', 'imported secret')).body.data.obtainAuthToken;
    expect(first).toEqual({ token: expect.stringMatching(/^[0-9a-f]{40}$/), userId: String(id), email: 'imported@example.com' });
    expect(await tokenOf(server.orm, id)).toBe(first.token);
    expect((await login('imported', 'imported secret')).body.data.obtainAuthToken.token).toBe(first.token);
  });

  it('gives concurrent first logins of a token-less user the same key and leaves exactly one row', async () => {
    const id = await insertNativeUser('stampede', 'stampede secret');
    const responses = await Promise.all(Array.from({ length: 8 }, () => login('stampede', 'stampede secret')));
    const keys = new Set(responses.map((response) => response.body.data?.obtainAuthToken.token));
    expect(responses.map((response) => response.status)).toEqual(Array(8).fill(200));
    expect(keys.size).toBe(1);
    expect(await tokenRows(id)).toBe(1);
    expect(await tokenOf(server.orm, id)).toBe([...keys][0]);
  });

  it('survives racing get-or-creates: every caller gets the one key, whoever inserted it', async () => {
    // Through HTTP the races rarely line up; calling the service directly, many at once, makes them common.
    for (let round = 0; round < 30; round += 1) {
      const id = await insertNativeUser(`racer${round}`, 'racer secret');
      const keys = await Promise.all(Array.from({ length: 4 }, () => getOrCreateToken(server.orm.em.fork(), id)));
      expect(new Set(keys).size).toBe(1);
      expect(await tokenOf(server.orm, id)).toBe(keys[0]);
      expect(await tokenRows(id)).toBe(1);
    }
  });

  for (const [name, username, password] of [
    ['a wrong password', 'alice', 'wrong horse'],
    ['an unknown user', 'nobody', 'correct horse'],
    ['an inactive user with the right password', 'dormant', 'correct horse'],
  ]) {
    it(`refuses ${name} with the one DRF message and BAD_USER_INPUT`, async () => {
      const response = await login(username, password);
      expect(response.status).toBe(200);
      expect(response.body.data).toBeNull();
      expect(response.body.errors).toEqual([
        { message: BAD_CREDENTIALS, path: ['obtainAuthToken'], locations: expect.any(Array), extensions: { code: 'BAD_USER_INPUT' } },
      ]);
    });
  }

  for (const [name, username, password] of [
    ['a blank username', '', 'correct horse'],
    ['a blank password', 'alice', ''],
    ['a whitespace-only username', ' \t ', 'correct horse'],
    ['both blank', '', ''],
  ]) {
    it(`asks for both fields for ${name}`, async () => {
      const response = await login(username, password);
      expect(response.body.errors).toMatchObject([{ message: MISSING, extensions: { code: 'BAD_USER_INPUT' } }]);
      expect(response.body.data).toBeNull();
    });
  }

  it('trims the username and matches it case-insensitively', async () => {
    const expected = (await login('alice', 'correct horse')).body.data.obtainAuthToken.token;
    for (const username of ['  alice ', 'ALICE', '\tAlIcE\n']) {
      const response = await login(username, 'correct horse');
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data.obtainAuthToken.token).toBe(expected);
    }
  });

  it('never trims the password: a trailing space is part of it', async () => {
    await makeUser(server.orm, { username: 'spacey', password: 'ends with a space ' });
    expect((await login('spacey', 'ends with a space')).body.errors?.[0].message).toBe(BAD_CREDENTIALS);
    expect((await login('spacey', ' ends with a space ')).body.errors?.[0].message).toBe(BAD_CREDENTIALS);
    expect((await login('spacey', 'ends with a space ')).body.data.obtainAuthToken.token).toMatch(/^[0-9a-f]{40}$/);
    expect((await login('alice', 'correct horse ')).body.errors?.[0].message).toBe(BAD_CREDENTIALS);
  });

  it('fails with 401 when a stale Authorization header comes along, as DRF authenticates eagerly', async () => {
    const response = await login('alice', 'correct horse', `Token ${'f'.repeat(40)}`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Token');
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors).toEqual([{ message: 'Invalid token.', extensions: { code: 'UNAUTHENTICATED' } }]);
  });

  it('runs bcrypt against a dummy hash at the configured cost for an unknown user', async () => {
    // A pass-through spy: the real compare still runs; the spy only records which hash it was given.
    const compare = vi.spyOn(bcrypt, 'compare');
    const response = await login('ghost', 'some password');
    expect(response.body.errors?.[0].message).toBe(BAD_CREDENTIALS);
    expect(compare).toHaveBeenCalledTimes(1);
    const [password, hash] = compare.mock.calls[0] as unknown as [string, string];
    expect(password).toBe('some password');
    expect(bcrypt.getRounds(hash)).toBe(server.settings.passwords.bcryptRounds);
  });

  it("runs bcrypt against the user's own hash for a wrong password and for an inactive user", async () => {
    const compare = vi.spyOn(bcrypt, 'compare');
    await login('alice', 'wrong horse');
    await login('dormant', 'correct horse');
    const hashes = compare.mock.calls.map((call) => call[1] as string);
    const rows = await server.orm.em.getConnection().execute<{ password: string }[]>(
      "select password from auth_user where username in ('alice', 'dormant') order by username",
    );
    // The stored values are Django's bcrypt_sha256 format: the bcrypt hash follows its `bcrypt_sha256$` prefix.
    expect(hashes).toEqual(rows.map((row) => row.password.replace(/^bcrypt_sha256\$/, '')));
  });

  describe('rejects malformed operations with GraphQL validation errors and HTTP 400', () => {
    const cases: [string, string, Record<string, unknown> | undefined, string][] = [
      ['a missing password argument', 'mutation { obtainAuthToken(username: "alice") { token } }', undefined, 'GRAPHQL_VALIDATION_FAILED'],
      ['a missing username argument', 'mutation { obtainAuthToken(password: "x") { token } }', undefined, 'GRAPHQL_VALIDATION_FAILED'],
      ['a number as the username literal', 'mutation { obtainAuthToken(username: 5, password: "x") { token } }', undefined, 'GRAPHQL_VALIDATION_FAILED'],
      ['null as the password literal', 'mutation { obtainAuthToken(username: "alice", password: null) { token } }', undefined, 'GRAPHQL_VALIDATION_FAILED'],
      ['a number as the username variable', LOGIN, { u: 5, p: 'correct horse' }, 'BAD_USER_INPUT'],
      ['a missing variable', LOGIN, { u: 'alice' }, 'BAD_USER_INPUT'],
    ];
    for (const [name, query, variables, code] of cases) {
      it(`for ${name}`, async () => {
        const response = await server.graphql(query, { variables });
        expect(response.status).toBe(400);
        expect(response.body.data).toBeUndefined();
        expect(response.body.errors?.[0].extensions?.code).toBe(code);
      });
    }
  });
});

describe('a check against no stored value (an unknown user)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('answers false, whatever the password', async () => {
    expect(await verifyAgainstDummy('graphql-authtoken timing equaliser', bcryptSha256Policy(4))).toBe(false);
    expect(await verifyAgainstDummy('', bcryptSha256Policy(4))).toBe(false);
  });

  it('runs a real bcrypt comparison against a hash of the requested cost', async () => {
    const compare = vi.spyOn(bcrypt, 'compare');
    await verifyAgainstDummy('guess', bcryptSha256Policy(5));
    expect(compare).toHaveBeenCalledTimes(1);
    const hash = compare.mock.calls[0][1] as string;
    expect(hash).toMatch(/^\$2[aby]\$05\$[./A-Za-z0-9]{53}$/);
    expect(bcrypt.getRounds(hash)).toBe(5);
  });

  it('reuses one dummy hash per cost rather than hashing on every call', async () => {
    const hash = vi.spyOn(bcrypt, 'hash');
    const compare = vi.spyOn(bcrypt, 'compare');
    await verifyAgainstDummy('one', bcryptSha256Policy(6));
    await verifyAgainstDummy('two', bcryptSha256Policy(6));
    expect(hash).toHaveBeenCalledTimes(1);
    expect(compare.mock.calls[0][1]).toBe(compare.mock.calls[1][1]);
  });
});
