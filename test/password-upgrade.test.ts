import crypto from 'node:crypto';
import bcrypt from 'bcrypt';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bcryptSha256Policy, hashPassword } from '../src/users/passwords';
import { encodePassword } from '../src/users/hashers';
import { getOrCreateToken } from '../src/authtoken/token-store';
import { makeUser, startTestServer, tokenOf, type TestServer } from './utils';

const LOGIN = 'mutation ($u: String!, $p: String!) { obtainAuthToken(username: $u, password: $p) { token } }';
const LOGIN_TOKEN = 'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }';
const REGISTER = 'mutation ($input: RegisterInput!) { register(input: $input) { id } }';
const CHANGE_PASSWORD = 'mutation ($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }';
const SET_PASSWORD = 'mutation ($id: ID!, $p: String!) { setPassword(id: $id, password: $p) }';
const CREATE_USER = 'mutation ($u: String!) { createUser(input: { username: $u, email: "made@example.com", password: "correct horse" }) { id } }';
const BAD_CREDENTIALS = 'Unable to log in with provided credentials.';

/** Stored passwords in the default (non-Django) mode: the configured format, and upgrades at login. */
function suite(env: Record<string, string>, expected: RegExp) {
  let server: TestServer;
  const login = (u: string, p: string) => server.graphql(LOGIN, { variables: { u, p } });

  async function insertUser(username: string, password: string, isActive = true): Promise<number> {
    const [row] = await server.orm.em
      .getConnection()
      .execute<{ id: number }[]>('insert into auth_user (username, email, password, is_active) values (?, ?, ?, ?) returning id', [
        username,
        `${username}@example.com`,
        password,
        isActive,
      ]);
    return row.id;
  }

  async function storedPassword(username: string): Promise<string> {
    const [row] = await server.orm.em.getConnection().execute<{ password: string }[]>('select password from auth_user where username = ?', [username]);
    return row.password;
  }

  beforeAll(async () => {
    server = await startTestServer({ LOGIN_FAILURE_LIMIT: '0', PBKDF2_ITERATIONS: '1000', ...env });
  });
  afterAll(() => server.close());
  afterEach(() => vi.restoreAllMocks());

  it('stores a registered password in the configured format', async () => {
    const response = await server.graphql(REGISTER, { variables: { input: { username: 'newcomer', email: 'n@example.com', password: 'correct horse' } } });
    expect(response.body.errors).toBeUndefined();
    expect(await storedPassword('newcomer')).toMatch(expected);
    expect((await login('newcomer', 'correct horse')).body.errors).toBeUndefined();
  });

  const older: [string, () => Promise<string>][] = [
    ["a bare $2b$ hash (this server's earlier format)", () => bcrypt.hash('correct horse', 4)],
    ["Django's plain bcrypt", async () => `bcrypt$${await bcrypt.hash('correct horse', 4)}`],
    ['pbkdf2_sha1', () => Promise.resolve('pbkdf2_sha1$1000$seasalt$' + crypto.pbkdf2Sync('correct horse', 'seasalt', 1000, 20, 'sha1').toString('base64'))],
  ];
  for (const [name, make] of older) {
    it(`re-hashes ${name} at the first successful login, and the new value verifies`, async () => {
      const username = `old${older.findIndex(([n]) => n === name)}`;
      const old = await make();
      await insertUser(username, old);
      expect((await login(username, 'wrong horse')).body.errors?.[0].message).toBe(BAD_CREDENTIALS);
      expect(await storedPassword(username)).toBe(old);
      expect((await login(username, 'correct horse')).body.errors).toBeUndefined();
      const upgraded = await storedPassword(username);
      expect(upgraded).toMatch(expected);
      expect((await login(username, 'correct horse')).body.errors).toBeUndefined();
      expect(await storedPassword(username)).toBe(upgraded);
    });
  }

  it("re-hashes at login (knox's) as at obtainAuthToken: the one credentials check", async () => {
    const old = await bcrypt.hash('correct horse', 4);
    await insertUser('device-user', old);
    expect((await server.graphql(LOGIN_TOKEN, { variables: { u: 'device-user', p: 'wrong horse' } })).body.errors?.[0].message).toBe(BAD_CREDENTIALS);
    expect(await storedPassword('device-user')).toBe(old);
    expect((await server.graphql(LOGIN_TOKEN, { variables: { u: 'DEVICE-USER', p: 'correct horse' } })).body.errors).toBeUndefined();
    expect(await storedPassword('device-user')).toMatch(expected);
  });

  it('stores the configured format from changePassword (checked against an older one), setPassword and createUser', async () => {
    // A DRF token straight from the store: no login, so the stored value stays in the older format until the change.
    const id = await insertUser('changer', await bcrypt.hash('correct horse', 4));
    const token = await getOrCreateToken(server.orm.em.fork(), id);
    const wrong = await server.graphql(CHANGE_PASSWORD, { token, variables: { c: 'wrong horse', n: 'brand new horse' } });
    expect(wrong.body.errors?.[0].message).toBe('currentPassword: Your old password was entered incorrectly. Please enter it again.');
    expect((await server.graphql(CHANGE_PASSWORD, { token, variables: { c: 'correct horse', n: 'brand new horse' } })).body.errors).toBeUndefined();
    expect(await storedPassword('changer')).toMatch(expected);
    expect((await login('changer', 'brand new horse')).body.errors).toBeUndefined();

    const admin = await makeUser(server.orm, { username: 'keeper', isStaff: true, isSuperuser: true });
    const adminKey = (await tokenOf(server.orm, admin.id))!;
    const target = await insertUser('forgetful', await bcrypt.hash('forgotten horse', 4));
    expect((await server.graphql(SET_PASSWORD, { token: adminKey, variables: { id: String(target), p: 'reset horse' } })).body.errors).toBeUndefined();
    expect(await storedPassword('forgetful')).toMatch(expected);
    expect((await server.graphql(CREATE_USER, { token: adminKey, variables: { u: 'made-by-staff' } })).body.errors).toBeUndefined();
    expect(await storedPassword('made-by-staff')).toMatch(expected);
  });

  it('leaves an inactive user with the right password un-upgraded (no successful login)', async () => {
    const old = await bcrypt.hash('correct horse', 4);
    await insertUser('sleeper', old, false);
    expect((await login('sleeper', 'correct horse')).body.errors?.[0].message).toBe(BAD_CREDENTIALS);
    expect(await storedPassword('sleeper')).toBe(old);
  });

  for (const unusable of [`!${'x'.repeat(40)}`, '', 'md5$seasalt$f5531bef9f3687d0ccf0f617f0e25573']) {
    it(`refuses the unusable stored value ${JSON.stringify(unusable.slice(0, 12))} after the dummy work, changing nothing`, async () => {
      const username = `unusable${unusable.length}`;
      await insertUser(username, unusable);
      const compare = vi.spyOn(bcrypt, 'compare');
      expect((await login(username, 'correct horse')).body.errors?.[0].message).toBe(BAD_CREDENTIALS);
      expect(await storedPassword(username)).toBe(unusable);
      // bcrypt_sha256 mode: one bcrypt at BCRYPT_ROUNDS, as for an unknown user; pbkdf2 mode: none.
      expect(compare).toHaveBeenCalledTimes(server.settings.passwords.passwordHasher === 'bcrypt_sha256' ? 1 : 0);
    });
  }
}

describe('passwords with PASSWORD_HASHER=bcrypt_sha256 (the default)', () => {
  suite({}, /^bcrypt_sha256\$\$2b\$04\$/);
});

describe('passwords with PASSWORD_HASHER=pbkdf2_sha256', () => {
  suite({ PASSWORD_HASHER: 'pbkdf2_sha256' }, /^pbkdf2_sha256\$1000\$[A-Za-z0-9]{22}\$[A-Za-z0-9+/]{43}=$/);
});

describe('parameters weaker than the configured ones', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ BCRYPT_ROUNDS: '5', LOGIN_FAILURE_LIMIT: '0' });
  });
  afterAll(() => server.close());

  it('re-hash a bcrypt_sha256 password of fewer rounds, and keep one of more', async () => {
    const connection = server.orm.em.getConnection();
    const weaker = await hashPassword('correct horse', bcryptSha256Policy(4));
    const stronger = await encodePassword('correct horse', { passwordHasher: 'bcrypt_sha256', bcryptRounds: 6, pbkdf2Iterations: 1000 });
    await connection.execute('insert into auth_user (username, email, password) values (?, ?, ?), (?, ?, ?)', [
      'weaker', 'w@example.com', weaker, 'stronger', 's@example.com', stronger,
    ]);
    for (const username of ['weaker', 'stronger']) {
      expect((await server.graphql(LOGIN, { variables: { u: username, p: 'correct horse' } })).body.errors).toBeUndefined();
    }
    const rows = await connection.execute<{ username: string; password: string }[]>(
      "select username, password from auth_user where username in ('weaker', 'stronger') order by username",
    );
    expect(rows[0]).toEqual({ username: 'stronger', password: stronger });
    expect(rows[1].password).toMatch(/^bcrypt_sha256\$\$2b\$05\$/);
  });
});
