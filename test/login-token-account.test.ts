// What a user and staff do with login tokens beyond logging in: list them (myTokens), revoke one, inspect
// the one in use (tokenInfo), change or set a password, the admin API, `manage cleartokens`, and the SQL
// budget of a request authenticated with a login token. Real database, real HTTP.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countQueries, makeUser, startTestServer, tokenOf, type GraphQLResponse, type TestServer } from './utils';
import { main } from '../src/commands';

const LOGIN = 'mutation ($u: String!, $p: String!, $n: String) { login(username: $u, password: $p, name: $n) { token tokenId } }';
const ME = '{ me { username } }';
const MY_TOKENS = '{ myTokens { id name tokenKey created expiry lastUsed current } }';
const TOKEN_INFO = '{ tokenInfo { kind created expiry name tokenKey } }';
const CHANGE =
  'mutation ($c: String!, $n: String!, $r: Boolean) { changePassword(currentPassword: $c, newPassword: $n, revokeOtherTokens: $r) }';
const SET = 'mutation ($id: ID!, $p: String!) { setPassword(id: $id, password: $p) }';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ LOGIN_FAILURE_LIMIT: '3', AUTO_REFRESH: 'true' });
});
afterAll(() => server.close());

async function login(u: string, n?: string, p = 'correct horse'): Promise<{ token: string; tokenId: string }> {
  const response = await server.graphql(LOGIN, { variables: { u, p, n } });
  expect(response.status).toBe(200);
  return response.body.data.login;
}

async function loginRows(userId: number): Promise<number> {
  const [row] = await server.orm.em.getConnection().execute<{ n: number }[]>('select count(*)::int as n from authtoken_login_token where user_id = ?', [userId]);
  return row.n;
}

function expectError(response: GraphQLResponse, status: number, message: string, code: string, field?: string) {
  expect(response.status).toBe(status);
  expect(response.body.errors).toMatchObject([{ message, extensions: { code, ...(field ? { field } : {}) } }]);
}

describe('myTokens', () => {
  it("lists the caller's unexpired login tokens newest first, marks the current one, and never shows a token", async () => {
    const user = await makeUser(server.orm, { username: 'lister' });
    const other = await makeUser(server.orm, { username: 'not-listed' });
    const phone = await login('lister', 'Phone');
    const laptop = await login('lister', 'Laptop');
    await login('not-listed', 'Elsewhere');
    const old = await login('lister', 'Old tablet');
    await server.orm.em.getConnection().execute("update authtoken_login_token set expiry = now() - interval '1 second' where id = ?", [old.tokenId]);

    const response = await server.graphql(MY_TOKENS, { token: phone.token });
    const items = response.body.data.myTokens;
    expect(items.map((item: { name: string }) => item.name)).toEqual(['Laptop', 'Phone']);
    expect(items.map((item: { current: boolean }) => item.current)).toEqual([false, true]);
    expect(items[1]).toEqual({
      id: phone.tokenId,
      name: 'Phone',
      tokenKey: phone.token.slice(0, 15),
      created: expect.any(String),
      expiry: expect.any(String),
      lastUsed: expect.any(String),
      current: true,
    });
    expect(JSON.stringify(response.body)).not.toContain(phone.token);
    expect(JSON.stringify(response.body)).not.toContain(laptop.token);
    expect(user.id).not.toBe(other.id);
    // With the DRF token, no login token is current.
    const viaDrf = await server.graphql(MY_TOKENS, { token: (await tokenOf(server.orm, user.id))! });
    expect(viaDrf.body.data.myTokens.map((item: { current: boolean }) => item.current)).toEqual([false, false]);
  });

  it('needs authentication', async () => {
    expectError(await server.graphql(MY_TOKENS), 401, 'Authentication credentials were not provided.', 'UNAUTHENTICATED');
  });
});

describe('revokeToken', () => {
  it('deletes one of the caller\'s tokens, which stops working at once', async () => {
    const user = await makeUser(server.orm, { username: 'revoker' });
    const keep = await login('revoker');
    const lost = await login('revoker');
    const response = await server.graphql('mutation ($id: ID!) { revokeToken(id: $id) }', { token: keep.token, variables: { id: lost.tokenId } });
    expect(response.body.data).toEqual({ revokeToken: true });
    expect((await server.graphql(ME, { token: lost.token })).status).toBe(401);
    expect((await server.graphql(ME, { token: keep.token })).status).toBe(200);
    expect(await loginRows(user.id)).toBe(1);
  });

  it("answers NOT_FOUND for another user's token, an unknown id and a malformed one, deleting nothing", async () => {
    const victim = await makeUser(server.orm, { username: 'victim' });
    await makeUser(server.orm, { username: 'attacker' });
    const theirs = await login('victim');
    const mine = await login('attacker');
    for (const id of [theirs.tokenId, '999999999', 'abc', '-1', '1'.repeat(40)]) {
      const response = await server.graphql('mutation ($id: ID!) { revokeToken(id: $id) }', { token: mine.token, variables: { id } });
      expectError(response, 200, 'No AuthToken matches the given query.', 'NOT_FOUND');
    }
    expect(await loginRows(victim.id)).toBe(1);
    expect((await server.graphql(ME, { token: theirs.token })).status).toBe(200);
  });
});

describe('tokenInfo', () => {
  it('describes a login token and a DRF token, never in full', async () => {
    const user = await makeUser(server.orm, { username: 'inspector' });
    const device = await login('inspector', 'Work laptop');
    const info = (await server.graphql(TOKEN_INFO, { token: device.token })).body.data.tokenInfo;
    expect(info).toEqual({ kind: 'LOGIN', created: expect.any(String), expiry: expect.any(String), name: 'Work laptop', tokenKey: device.token.slice(0, 15) });
    const key = (await tokenOf(server.orm, user.id))!;
    const drf = (await server.graphql(TOKEN_INFO, { token: key })).body.data.tokenInfo;
    expect(drf).toEqual({ kind: 'AUTHTOKEN', created: expect.any(String), expiry: null, name: null, tokenKey: key.slice(0, 15) });
  });

  it('has no side effect: it neither refreshes the token nor records a use, where any other request does', async () => {
    const user = await makeUser(server.orm, { username: 'observer' });
    const { token } = await login('observer');
    await server.orm.em.getConnection().execute("update authtoken_login_token set created = created - interval '5 hours', expiry = expiry - interval '5 hours' where user_id = ?", [user.id]);
    const read = () => server.orm.em.getConnection().execute<{ expiry: string; last_used: string | null }[]>('select expiry, last_used from authtoken_login_token where user_id = ?', [user.id]);
    const [before] = await read();
    const { result, queries } = await countQueries(server.orm, () => server.graphql(TOKEN_INFO, { token }));
    expect(result.body.data.tokenInfo.expiry).toBe(new Date(before.expiry).toISOString());
    expect(queries).toHaveLength(1);
    expect(await read()).toEqual([before]);
    await server.graphql(ME, { token });
    const [after] = await read();
    expect(new Date(after.expiry).getTime()).toBeGreaterThan(new Date(before.expiry).getTime());
    expect(after.last_used).not.toBeNull();
  });
});

describe('the SQL budget of a request with a login token', () => {
  it('costs one query when no write is due, and one write at most per MIN_REFRESH_INTERVAL', async () => {
    await makeUser(server.orm, { username: 'budget' });
    const { token } = await login('budget');
    // First use: the lookup, then lastUsed.
    const first = await countQueries(server.orm, () => server.graphql(ME, { token }));
    expect(first.result.body.data).toEqual({ me: { username: 'budget' } });
    expect(first.queries).toHaveLength(2);
    expect(first.queries[1]).toMatch(/^update "authtoken_login_token"/);
    // Every later request within the interval: exactly the lookup.
    for (let i = 0; i < 3; i += 1) {
      const again = await countQueries(server.orm, () => server.graphql(ME, { token }));
      expect(again.result.body.data).toEqual({ me: { username: 'budget' } });
      expect(again.queries).toHaveLength(1);
      expect(again.queries[0]).toMatch(/join "auth_user"/);
    }
  });

  it('costs one query for an unknown login token, and none for a malformed one', async () => {
    const unknown = await countQueries(server.orm, () => server.graphql(ME, { token: 'a'.repeat(64) }));
    expect(unknown.result.status).toBe(401);
    expect(unknown.queries).toHaveLength(1);
    const malformed = await countQueries(server.orm, () => server.graphql(ME, { token: 'g'.repeat(64) }));
    expect(malformed.result.status).toBe(401);
    expect(malformed.queries).toHaveLength(0);
  });
});

describe('changePassword', () => {
  it('changes the password, deletes every other token (the DRF one too) and keeps this one working', async () => {
    const user = await makeUser(server.orm, { username: 'changer', password: 'old password' });
    const here = await login('changer', 'Here', 'old password');
    const there = await login('changer', 'There', 'old password');
    const drf = (await tokenOf(server.orm, user.id))!;
    const response = await server.graphql(CHANGE, { token: here.token, variables: { c: 'old password', n: 'brand new secret' } });
    expect(response.body).toEqual({ data: { changePassword: true } });
    expect((await server.graphql(ME, { token: here.token })).status).toBe(200);
    expect((await server.graphql(ME, { token: there.token })).status).toBe(401);
    expect((await server.graphql(ME, { token: drf })).status).toBe(401);
    expect(await loginRows(user.id)).toBe(1);
    expect((await server.graphql(LOGIN, { variables: { u: 'changer', p: 'old password' } })).body.errors![0].message).toBe('Unable to log in with provided credentials.');
    expect((await server.graphql(LOGIN, { variables: { u: 'changer', p: 'brand new secret' } })).status).toBe(200);
  });

  it('keeps the DRF token when it is the one in use, and every token with revokeOtherTokens: false', async () => {
    const user = await makeUser(server.orm, { username: 'drf-changer', password: 'old password' });
    const device = await login('drf-changer', undefined, 'old password');
    const drf = (await tokenOf(server.orm, user.id))!;
    await server.graphql(CHANGE, { token: drf, variables: { c: 'old password', n: 'second secret', r: false } });
    expect((await server.graphql(ME, { token: device.token })).status).toBe(200);
    await server.graphql(CHANGE, { token: drf, variables: { c: 'second secret', n: 'third secret!' } });
    expect((await server.graphql(ME, { token: drf })).status).toBe(200);
    expect((await server.graphql(ME, { token: device.token })).status).toBe(401);
  });

  it("refuses a wrong current password with Django's message, counts it as a failed login, and changes nothing", async () => {
    const user = await makeUser(server.orm, { username: 'fumbler', password: 'old password' });
    const here = await login('fumbler', undefined, 'old password');
    const other = await login('fumbler', undefined, 'old password');
    for (let i = 0; i < 3; i += 1) {
      const wrong = await server.graphql(CHANGE, { token: here.token, variables: { c: 'not it', n: 'brand new secret' } });
      expectError(wrong, 200, 'currentPassword: Your old password was entered incorrectly. Please enter it again.', 'BAD_USER_INPUT', 'currentPassword');
    }
    // Three failures: the throttle now refuses even the right one, and logins too.
    expectError(await server.graphql(CHANGE, { token: here.token, variables: { c: 'old password', n: 'brand new secret' } }), 429, expect.stringMatching(/^Request was throttled/) as never, 'THROTTLED');
    expect((await server.graphql(LOGIN, { variables: { u: 'fumbler', p: 'old password' } })).status).toBe(429);
    expect((await server.graphql(ME, { token: other.token })).status).toBe(200);
    expect(await loginRows(user.id)).toBe(2);
  });

  it('validates the new password as register does, before any other work', async () => {
    await makeUser(server.orm, { username: 'weak', password: 'old password' });
    const { token } = await login('weak', undefined, 'old password');
    const cases: [string, string][] = [
      ['short', 'newPassword: This password is too short. It must contain at least 8 characters.'],
      ['1234567890', 'newPassword: This password is entirely numeric.'],
    ];
    for (const [n, message] of cases) {
      expectError(await server.graphql(CHANGE, { token, variables: { c: 'old password', n } }), 200, message, 'BAD_USER_INPUT', 'newPassword');
    }
    expect((await server.graphql(LOGIN, { variables: { u: 'weak', p: 'old password' } })).status).toBe(200);
  });

  it('needs authentication', async () => {
    expectError(await server.graphql(CHANGE, { variables: { c: 'a', n: 'b' } }), 401, 'Authentication credentials were not provided.', 'UNAUTHENTICATED');
  });
});

describe('setPassword (staff)', () => {
  let superKey: string;
  let staffKey: string;
  beforeAll(async () => {
    const superuser = await makeUser(server.orm, { username: 'sp-root', isSuperuser: true, isStaff: true });
    const staff = await makeUser(server.orm, { username: 'sp-staff', isStaff: true });
    superKey = (await tokenOf(server.orm, superuser.id))!;
    staffKey = (await tokenOf(server.orm, staff.id))!;
  });

  it("sets an ordinary user's password and deletes all of that user's tokens", async () => {
    const user = await makeUser(server.orm, { username: 'sp-target' });
    const device = await login('sp-target');
    const response = await server.graphql(SET, { token: staffKey, variables: { id: String(user.id), p: 'set by staff' } });
    expect(response.body).toEqual({ data: { setPassword: true } });
    expect((await server.graphql(ME, { token: device.token })).status).toBe(401);
    expect(await tokenOf(server.orm, user.id)).toBeUndefined();
    expect(await loginRows(user.id)).toBe(0);
    expect((await server.graphql(LOGIN, { variables: { u: 'sp-target', p: 'set by staff' } })).status).toBe(200);
  });

  it("lets only a superuser change a staff account's password (setUserActive's rule)", async () => {
    const other = await makeUser(server.orm, { username: 'sp-other-staff', isStaff: true });
    expectError(await server.graphql(SET, { token: staffKey, variables: { id: String(other.id), p: 'new password!' } }), 403, 'Only a superuser may change a staff or superuser account.', 'FORBIDDEN');
    expect(await tokenOf(server.orm, other.id)).toBeDefined();
    expect((await server.graphql(SET, { token: superKey, variables: { id: String(other.id), p: 'new password!' } })).body.data).toEqual({ setPassword: true });
  });

  it('refuses non-staff (403), anonymous callers (401), unknown ids, bad ids and bad passwords, writing nothing', async () => {
    const plain = await makeUser(server.orm, { username: 'sp-plain' });
    const plainKey = (await tokenOf(server.orm, plain.id))!;
    expectError(await server.graphql(SET, { token: plainKey, variables: { id: String(plain.id), p: 'new password!' } }), 403, 'You do not have permission to perform this action.', 'FORBIDDEN');
    expectError(await server.graphql(SET, { variables: { id: String(plain.id), p: 'new password!' } }), 401, 'Authentication credentials were not provided.', 'UNAUTHENTICATED');
    expectError(await server.graphql(SET, { token: staffKey, variables: { id: '99999999', p: 'new password!' } }), 200, 'No User matches the given query.', 'NOT_FOUND');
    expectError(await server.graphql(SET, { token: staffKey, variables: { id: 'x', p: 'new password!' } }), 200, 'id: Enter a valid id (a positive integer).', 'BAD_USER_INPUT', 'id');
    expectError(await server.graphql(SET, { token: staffKey, variables: { id: String(plain.id), p: 'short' } }), 200, 'password: This password is too short. It must contain at least 8 characters.', 'BAD_USER_INPUT', 'password');
    expect(await tokenOf(server.orm, plain.id)).toBe(plainKey);
  });
});

describe('the admin API for login tokens', () => {
  const LIST = 'query ($s: String) { loginTokens(search: $s) { total items { id name tokenKey user { username } } } }';
  let staffKey: string;
  beforeAll(async () => {
    const staff = await makeUser(server.orm, { username: 'lt-staff', isStaff: true });
    staffKey = (await tokenOf(server.orm, staff.id))!;
  });

  it('lists login tokens by user or by a pasted token, never in full, and deletes them by id', async () => {
    await makeUser(server.orm, { username: 'lt-owner', email: 'owner@lt.example' });
    const first = await login('lt-owner', 'Desk');
    await login('lt-owner', 'Pocket');
    const byUser = await server.graphql(LIST, { token: staffKey, variables: { s: 'lt.example' } });
    expect(byUser.body.data.loginTokens.total).toBe(2);
    expect(byUser.body.data.loginTokens.items.map((item: { name: string }) => item.name)).toEqual(['Pocket', 'Desk']);
    expect(JSON.stringify(byUser.body)).not.toContain(first.token);
    const byToken = await server.graphql(LIST, { token: staffKey, variables: { s: first.token } });
    expect(byToken.body.data.loginTokens).toEqual({ total: 1, items: [{ id: first.tokenId, name: 'Desk', tokenKey: first.token.slice(0, 15), user: { username: 'lt-owner' } }] });

    const deleted = await server.graphql('mutation ($id: ID!) { deleteLoginToken(id: $id) }', { token: staffKey, variables: { id: first.tokenId } });
    expect(deleted.body.data).toEqual({ deleteLoginToken: true });
    expect((await server.graphql(ME, { token: first.token })).status).toBe(401);
    const again = await server.graphql('mutation ($id: ID!) { deleteLoginToken(id: $id) }', { token: staffKey, variables: { id: first.tokenId } });
    expectError(again, 200, 'No AuthToken matches the given query.', 'NOT_FOUND');
  });

  it('is staff only', async () => {
    const plain = await makeUser(server.orm, { username: 'lt-plain' });
    const plainKey = (await tokenOf(server.orm, plain.id))!;
    expectError(await server.graphql(LIST, { token: plainKey }), 403, 'You do not have permission to perform this action.', 'FORBIDDEN');
    expectError(await server.graphql('mutation { deleteLoginToken(id: "1") }'), 401, 'Authentication credentials were not provided.', 'UNAUTHENTICATED');
  });
});

describe('manage cleartokens', () => {
  async function run(argv: string[]) {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const env = { DATABASE_URL: server.databaseUrl, BCRYPT_ROUNDS: '4', LOG_LEVEL: 'error' };
    const code = await main(argv, { stdout, stderr, stdin: new PassThrough(), env });
    return { code, stdout: out, stderr: err };
  }

  it('deletes expired login tokens only and says how many', async () => {
    const user = await makeUser(server.orm, { username: 'cleaner' });
    const live = await login('cleaner');
    await login('cleaner');
    await login('cleaner');
    await server.orm.em.getConnection().execute("update authtoken_login_token set expiry = now() - interval '1 hour' where expiry <= now() + interval '1 day' and id <> ?", [live.tokenId]);
    const [{ expired }] = await server.orm.em.getConnection().execute<{ expired: number }[]>('select count(*)::int as expired from authtoken_login_token where expiry <= now()');
    expect(expired).toBeGreaterThanOrEqual(2);
    const first = await run(['cleartokens']);
    expect(first).toEqual({ code: 0, stdout: `Deleted ${expired} expired login tokens.\n`, stderr: '' });
    expect(await run(['cleartokens'])).toEqual({ code: 0, stdout: 'Deleted 0 expired login tokens.\n', stderr: '' });
    expect(await loginRows(user.id)).toBe(1);
    expect((await server.graphql(ME, { token: live.token })).status).toBe(200);
  });

  it('refuses arguments', async () => {
    const result = await run(['cleartokens', 'extra']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unexpected argument: extra');
  });
});
