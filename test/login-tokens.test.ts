// Login tokens, with django-rest-knox's own test suite as the checklist (tests/test_views.py,
// test_models.py, test_crypto.py): several tokens, logout and logout-all, expiry, auto refresh and its
// maximum, the token limit, the prefix, digests stored, inactive users. Real database, real HTTP.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, startTestServer, tokenOf, type GraphQLResponse, type TestServer } from './utils';
import { createLoginToken } from '../src/authtoken/token-store';
import { loadSettings, SettingsError } from '../src/settings';

const LOGIN = 'mutation ($u: String!, $p: String!, $n: String) { login(username: $u, password: $p, name: $n) { token tokenId expiry user { id username } } }';
const OBTAIN = 'mutation ($u: String!, $p: String!) { obtainAuthToken(username: $u, password: $p) { token } }';
const ME = '{ me { username } }';
const TOKEN = /^[0-9a-f]{64}$/;

function expectUnauthenticated(response: GraphQLResponse, message: string, extensions: Record<string, string> = {}) {
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toBe('Token');
  expect(response.body.data).toBeUndefined();
  expect(response.body.errors).toEqual([{ message, extensions: { code: 'UNAUTHENTICATED', ...extensions } }]);
}

interface Row {
  id: string;
  digest: string;
  token_key: string;
  name: string;
  created: Date;
  expiry: Date | null;
  last_used: Date | null;
}

/** The user's login-token rows, oldest first, with their timestamps as Dates. */
async function rowsOf(server: TestServer, userId: number): Promise<Row[]> {
  const rows = await server.orm.em
    .getConnection()
    .execute<Record<string, string | null>[]>('select * from authtoken_login_token where user_id = ? order by id', [userId]);
  const date = (value: string | null) => (value === null ? null : new Date(value));
  return rows.map((row) => ({ ...row, created: date(row.created)!, expiry: date(row.expiry), last_used: date(row.last_used) }) as Row);
}

async function login(server: TestServer, u: string, p = 'correct horse', n?: string) {
  return server.graphql(LOGIN, { variables: { u, p, n } });
}

describe('login with the default settings', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ LOGIN_FAILURE_LIMIT: '3' });
  });
  afterAll(() => server.close());

  it('creates a new working token on every call: five logins, five tokens (test_login_creates_keys)', async () => {
    const user = await makeUser(server.orm, { username: 'five-devices' });
    const tokens: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const response = await login(server, 'five-devices');
      expect(response.status).toBe(200);
      tokens.push(response.body.data.login.token);
    }
    expect(new Set(tokens).size).toBe(5);
    for (const token of tokens) {
      expect(token).toMatch(TOKEN);
      expect((await server.graphql(ME, { token })).body.data).toEqual({ me: { username: 'five-devices' } });
    }
    expect(await rowsOf(server, user.id)).toHaveLength(5);
    // The DRF token is untouched beside them.
    expect(await tokenOf(server.orm, user.id)).toMatch(/^[0-9a-f]{40}$/);
  });

  it('answers the token, its id, its expiry (created + TOKEN_TTL) and the user (test_expiry_is_present)', async () => {
    const user = await makeUser(server.orm, { username: 'payload' });
    const response = await login(server, 'payload', 'correct horse', 'Firefox on Linux');
    const payload = response.body.data.login;
    const [row] = await rowsOf(server, user.id);
    expect(payload).toEqual({ token: expect.stringMatching(TOKEN), tokenId: String(row.id), expiry: row.expiry!.toISOString(), user: { id: String(user.id), username: 'payload' } });
    expect(row.expiry!.getTime() - row.created.getTime()).toBe(36_000_000);
    expect(row.name).toBe('Firefox on Linux');
  });

  it('stores only the SHA-512 digest and the first 15 characters, never the token', async () => {
    const user = await makeUser(server.orm, { username: 'digest' });
    const { token } = (await login(server, 'digest')).body.data.login;
    const [row] = await rowsOf(server, user.id);
    expect(row.digest).toBe(createHash('sha512').update(token).digest('hex'));
    expect(row.token_key).toBe(token.slice(0, 15));
    const [dump] = await server.orm.em.getConnection().execute<{ text: string }[]>('select string_agg(t::text, \'|\') as text from authtoken_login_token t');
    expect(dump.text).not.toContain(token);
    expect(dump.text).not.toContain(token.slice(15));
    // The stored values do not authenticate.
    expectUnauthenticated(await server.graphql(ME, { token: row.digest }), 'Invalid token.');
    expectUnauthenticated(await server.graphql(ME, { token: row.token_key }), 'Invalid token.');
  });

  it('defaults the name to empty, accepts 64 characters, and refuses more (writing nothing)', async () => {
    const user = await makeUser(server.orm, { username: 'namer' });
    await login(server, 'namer');
    await login(server, 'namer', 'correct horse', 'n'.repeat(64));
    for (const [name, message] of [
      ['n'.repeat(65), 'name: Ensure this field has no more than 64 characters.'],
      ['tab\there', 'name: Control characters are not allowed.'],
    ]) {
      const refused = await login(server, 'namer', 'correct horse', name);
      expect(refused.body.errors).toMatchObject([{ message, extensions: { code: 'BAD_USER_INPUT', field: 'name' } }]);
      expect(refused.body.data).toBeNull();
    }
    expect((await rowsOf(server, user.id)).map((row) => row.name)).toEqual(['', 'n'.repeat(64)]);
  });

  it('refuses bad credentials exactly as obtainAuthToken does, writing no token', async () => {
    const inactive = await makeUser(server.orm, { username: 'dozing', isActive: false });
    await makeUser(server.orm, { username: 'honest' });
    const cases: [string, string, string][] = [
      ['honest', 'wrong password', 'Unable to log in with provided credentials.'],
      ['nobody-here', 'whatever', 'Unable to log in with provided credentials.'],
      ['dozing', 'correct horse', 'Unable to log in with provided credentials.'],
      ['', 'correct horse', 'Must include "username" and "password".'],
      ['honest', '', 'Must include "username" and "password".'],
    ];
    for (const [u, p, message] of cases) {
      const viaLogin = await login(server, u, p);
      const viaObtain = await server.graphql(OBTAIN, { variables: { u, p } });
      expect(viaLogin.body.errors).toMatchObject([{ message, path: ['login'], extensions: { code: 'BAD_USER_INPUT' } }]);
      expect(viaObtain.body.errors![0].message).toBe(message);
    }
    expect(await rowsOf(server, inactive.id)).toHaveLength(0);
  });

  it('shares the failed-login throttle with obtainAuthToken', async () => {
    await makeUser(server.orm, { username: 'guessed', password: 'right password' });
    await server.graphql(OBTAIN, { variables: { u: 'guessed', p: 'wrong' } });
    await login(server, 'guessed', 'wrong');
    await login(server, 'guessed', 'wrong');
    const throttled = await login(server, 'guessed', 'right password');
    expect(throttled.status).toBe(429);
    expect(throttled.body.errors![0].extensions!.code).toBe('THROTTLED');
  });

  it("answers an inactive user's login token with 401 User inactive or deleted.", async () => {
    const user = await makeUser(server.orm, { username: 'going-away' });
    const { token } = (await login(server, 'going-away')).body.data.login;
    await server.orm.em.getConnection().execute('update auth_user set is_active = false where id = ?', [user.id]);
    expectUnauthenticated(await server.graphql('{ __typename }', { token }), 'User inactive or deleted.');
  });

  it('fails with DRF\'s header messages and Invalid token. for altered tokens (test_invalid_*_token_returns_401_code)', async () => {
    await makeUser(server.orm, { username: 'header' });
    const { token } = (await login(server, 'header')).body.data.login;
    const flipped = token.slice(0, -1) + (token.endsWith('0') ? '1' : '0');
    expectUnauthenticated(await server.graphql(ME, { token: `${token}1` }), 'Invalid token.');
    expectUnauthenticated(await server.graphql(ME, { token: flipped }), 'Invalid token.');
    expectUnauthenticated(await server.graphql(ME, { token: '1'.repeat(14) }), 'Invalid token.');
    expectUnauthenticated(await server.graphql(ME, { authorization: `Token ${token.slice(0, 30)} ${token.slice(30)}` }), 'Invalid token header. Token string should not contain spaces.');
    expectUnauthenticated(await server.graphql(ME, { authorization: 'Token' }), 'Invalid token header. No credentials provided.');
    // Another scheme is anonymous, as for a DRF token (test_invalid_prefix_return_401 the other way round).
    expect((await server.graphql('{ __typename }', { authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it('logout deletes only the token used; the other devices and the DRF token keep working (test_logout_deletes_keys)', async () => {
    const user = await makeUser(server.orm, { username: 'leaver' });
    const first = (await login(server, 'leaver')).body.data.login.token;
    const second = (await login(server, 'leaver')).body.data.login.token;
    const drf = (await tokenOf(server.orm, user.id))!;
    expect((await server.graphql('mutation { logout }', { token: second })).body.data).toEqual({ logout: true });
    expectUnauthenticated(await server.graphql(ME, { token: second }), 'Invalid token.');
    expect((await server.graphql(ME, { token: first })).status).toBe(200);
    expect((await server.graphql(ME, { token: drf })).status).toBe(200);
    expect(await rowsOf(server, user.id)).toHaveLength(1);
    // Logging out with the DRF token deletes the DRF token only.
    expect((await server.graphql('mutation { logout }', { token: drf })).body.data).toEqual({ logout: true });
    expect(await tokenOf(server.orm, user.id)).toBeUndefined();
    expect((await server.graphql(ME, { token: first })).status).toBe(200);
  });

  it("logoutAll deletes every token of the caller, the DRF one included, and no one else's (test_logout_all_*)", async () => {
    const user = await makeUser(server.orm, { username: 'everywhere' });
    const other = await makeUser(server.orm, { username: 'unrelated' });
    const tokens: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      tokens.push((await login(server, 'everywhere')).body.data.login.token);
      await login(server, 'unrelated');
    }
    const response = await server.graphql('mutation { logoutAll }', { token: tokens[0] });
    expect(response.body.data).toEqual({ logoutAll: 5 });
    for (const token of [...tokens, (await tokenOf(server.orm, user.id)) ?? '']) expect((await server.graphql(ME, { token })).status).toBe(401);
    expect(await rowsOf(server, user.id)).toHaveLength(0);
    expect(await rowsOf(server, other.id)).toHaveLength(4);
    expect(await tokenOf(server.orm, other.id)).toBeDefined();
  });

  it('needs authentication for logout and logoutAll', async () => {
    for (const query of ['mutation { logout }', 'mutation { logoutAll }']) {
      const response = await server.graphql(query);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Token');
      expect(response.body.errors).toMatchObject([{ message: 'Authentication credentials were not provided.', extensions: { code: 'UNAUTHENTICATED' } }]);
    }
  });
});

describe('expiry', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('answers an expired token with 401 Invalid token., reason TOKEN_EXPIRED, and deletes it (test_expired_tokens_login_fails)', async () => {
    const user = await makeUser(server.orm, { username: 'expired' });
    const { token } = (await login(server, 'expired')).body.data.login;
    const live = (await login(server, 'expired')).body.data.login.token;
    await server.orm.em.getConnection().execute("update authtoken_login_token set expiry = now() - interval '1 second' where token_key = ?", [token.slice(0, 15)]);
    const response = await server.graphql('{ __typename }', { token });
    expectUnauthenticated(response, 'Invalid token.', { reason: 'TOKEN_EXPIRED' });
    expect(await rowsOf(server, user.id)).toHaveLength(1);
    // Once deleted it is simply unknown, and the other token still works.
    expectUnauthenticated(await server.graphql('{ __typename }', { token }), 'Invalid token.');
    expect((await server.graphql(ME, { token: live })).status).toBe(200);
  });

  it("takes the user's other expired tokens with it (test_expired_tokens_deleted)", async () => {
    const user = await makeUser(server.orm, { username: 'stale' });
    const tokens: string[] = [];
    for (let i = 0; i < 4; i += 1) tokens.push((await login(server, 'stale')).body.data.login.token);
    await server.orm.em.getConnection().execute("update authtoken_login_token set expiry = now() - interval '1 minute' where user_id = ?", [user.id]);
    const fresh = (await login(server, 'stale')).body.data.login.token;
    expectUnauthenticated(await server.graphql('mutation { logout }', { token: tokens[3] }), 'Invalid token.', { reason: 'TOKEN_EXPIRED' });
    expect(await rowsOf(server, user.id)).toHaveLength(1);
    expect((await server.graphql(ME, { token: fresh })).status).toBe(200);
  });

  it('does not extend the expiry without AUTO_REFRESH (test_token_expiry_is_not_extended_with_auto_refresh_deactivated)', async () => {
    const user = await makeUser(server.orm, { username: 'fixed' });
    const { token } = (await login(server, 'fixed')).body.data.login;
    await server.orm.em.getConnection().execute("update authtoken_login_token set created = created - interval '5 hours', expiry = expiry - interval '5 hours' where user_id = ?", [user.id]);
    const [before] = await rowsOf(server, user.id);
    expect((await server.graphql(ME, { token })).status).toBe(200);
    const [after] = await rowsOf(server, user.id);
    expect(after.expiry).toEqual(before.expiry);
    expect(after.last_used).not.toBeNull();
  });
});

describe('TOKEN_TTL=0', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ TOKEN_TTL: '0', AUTO_REFRESH: 'true' });
  });
  afterAll(() => server.close());

  it('makes tokens that never expire, with expiry null in the answer (test_expiry_present_also_when_none)', async () => {
    const user = await makeUser(server.orm, { username: 'forever' });
    const response = await login(server, 'forever');
    expect(response.body.data.login.expiry).toBeNull();
    expect((await server.graphql(ME, { token: response.body.data.login.token })).status).toBe(200);
    expect((await rowsOf(server, user.id))[0].expiry).toBeNull();
  });
});

describe('AUTO_REFRESH', () => {
  let server: TestServer;
  let capped: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ AUTO_REFRESH: 'true' });
    capped = await startTestServer({ AUTO_REFRESH: 'true', AUTO_REFRESH_MAX_TTL: String(12 * 3600) });
  });
  afterAll(async () => {
    await server.close();
    await capped.close();
  });

  async function loginFiveHoursAgo(target: TestServer, username: string) {
    const user = await makeUser(target.orm, { username });
    const { token } = (await login(target, username)).body.data.login;
    await target.orm.em
      .getConnection()
      .execute("update authtoken_login_token set created = created - interval '5 hours', expiry = expiry - interval '5 hours' where user_id = ?", [user.id]);
    return { user, token };
  }

  async function dbNow(target: TestServer): Promise<number> {
    const [row] = await target.orm.em.getConnection().execute<{ now: string }[]>('select now() as now');
    return new Date(row.now).getTime();
  }

  it('moves the expiry to now + TOKEN_TTL on use (test_token_expiry_is_extended_with_auto_refresh_activated)', async () => {
    const { user, token } = await loginFiveHoursAgo(server, 'sliding');
    const [before] = await rowsOf(server, user.id);
    expect((await server.graphql(ME, { token })).status).toBe(200);
    const now = await dbNow(server);
    const [after] = await rowsOf(server, user.id);
    expect(after.expiry!.getTime() - before.expiry!.getTime()).toBeGreaterThan(5 * 3600_000 - 5000);
    expect(Math.abs(after.expiry!.getTime() - (now + 36_000_000))).toBeLessThan(5000);
    // The token now outlives its first expiry; past the new one it fails.
    await server.orm.em.getConnection().execute("update authtoken_login_token set expiry = now() - interval '1 second' where user_id = ?", [user.id]);
    expectUnauthenticated(await server.graphql(ME, { token }), 'Invalid token.', { reason: 'TOKEN_EXPIRED' });
  });

  it('does not write when the expiry would move by less than MIN_REFRESH_INTERVAL (test_token_expiry_is_not_extended_within_MIN_REFRESH_INTERVAL)', async () => {
    const user = await makeUser(server.orm, { username: 'just-in' });
    const { token } = (await login(server, 'just-in')).body.data.login;
    await server.graphql(ME, { token });
    const [first] = await rowsOf(server, user.id);
    await server.graphql(ME, { token });
    const [second] = await rowsOf(server, user.id);
    expect(second.expiry).toEqual(first.expiry);
    expect(second.last_used).toEqual(first.last_used);
  });

  it('never moves the expiry past created + AUTO_REFRESH_MAX_TTL (test_token_expiry_is_not_extended_past_max_ttl)', async () => {
    const { user, token } = await loginFiveHoursAgo(capped, 'capped');
    expect((await capped.graphql(ME, { token })).status).toBe(200);
    const [row] = await rowsOf(capped, user.id);
    expect(row.expiry!.getTime() - row.created.getTime()).toBe(12 * 3600_000);
  });

  it('keeps a new token within created + AUTO_REFRESH_MAX_TTL even when TOKEN_TTL is longer', async () => {
    const short = await startTestServer({ AUTO_REFRESH_MAX_TTL: '600' });
    try {
      const user = await makeUser(short.orm, { username: 'short-lived' });
      await login(short, 'short-lived');
      const [row] = await rowsOf(short, user.id);
      expect(row.expiry!.getTime() - row.created.getTime()).toBe(600_000);
    } finally {
      await short.close();
    }
  });
});

describe('TOKEN_LIMIT_PER_USER', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ TOKEN_LIMIT_PER_USER: '3' });
  });
  afterAll(() => server.close());

  it('answers 403 with knox\'s message once the user holds that many tokens, writing nothing (test_exceed_token_amount_per_user)', async () => {
    const user = await makeUser(server.orm, { username: 'collector' });
    for (let i = 0; i < 3; i += 1) expect((await login(server, 'collector')).status).toBe(200);
    const refused = await login(server, 'collector');
    expect(refused.status).toBe(403);
    expect(refused.body.errors).toMatchObject([{ message: 'Maximum amount of tokens allowed per user exceeded.', path: ['login'], extensions: { code: 'FORBIDDEN' } }]);
    expect(await rowsOf(server, user.id)).toHaveLength(3);
  });

  it('does not count expired tokens (test_does_not_exceed_on_expired_keys)', async () => {
    const user = await makeUser(server.orm, { username: 'recycler' });
    for (let i = 0; i < 3; i += 1) await login(server, 'recycler');
    await server.orm.em.getConnection().execute("update authtoken_login_token set expiry = now() - interval '1 second' where id = (select min(id) from authtoken_login_token where user_id = ?)", [user.id]);
    expect((await login(server, 'recycler')).status).toBe(200);
    expect((await login(server, 'recycler')).status).toBe(403);
  });

  it('holds under concurrent logins', async () => {
    const user = await makeUser(server.orm, { username: 'stampede' });
    const statuses = await Promise.all(Array.from({ length: 6 }, () => login(server, 'stampede').then((response) => response.status)));
    expect(statuses.filter((status) => status === 200)).toHaveLength(3);
    expect(statuses.filter((status) => status === 403)).toHaveLength(3);
    expect(await rowsOf(server, user.id)).toHaveLength(3);
  });
});

describe('TOKEN_PREFIX', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ TOKEN_PREFIX: 'acme_' });
  });
  afterAll(() => server.close());

  it('starts every token with the prefix, which is part of tokenKey, and the token works (test_token_with_prefix_returns_200)', async () => {
    const user = await makeUser(server.orm, { username: 'prefixed' });
    const { token } = (await login(server, 'prefixed')).body.data.login;
    expect(token).toMatch(/^acme_[0-9a-f]{64}$/);
    expect((await rowsOf(server, user.id))[0].token_key).toBe(token.slice(0, 15));
    expect((await server.graphql(ME, { token })).body.data).toEqual({ me: { username: 'prefixed' } });
  });

  it('keeps tokens made before the prefix (or under another) working (test_tokens_created_before_prefix_still_work)', async () => {
    const user = await makeUser(server.orm, { username: 'old-timer' });
    const policy = loadSettings({}).loginTokens;
    for (const prefix of ['', 'old-']) {
      const issued = await createLoginToken(server.orm.em.fork(), user.id, '', { ...policy, prefix });
      expect((await server.graphql(ME, { token: issued.token })).status).toBe(200);
    }
  });

  it('refuses a prefix over 10 characters, or one a header cannot carry (test_prefix_set_longer_than_max_length_raises_valueerror)', () => {
    expect(() => loadSettings({ TOKEN_PREFIX: 'abcdefghijk' })).toThrow(SettingsError);
    expect(() => loadSettings({ TOKEN_PREFIX: 'ab cd' })).toThrow(/TOKEN_PREFIX/);
    expect(loadSettings({ TOKEN_PREFIX: 'abcdefghij' }).loginTokens.prefix).toBe('abcdefghij');
  });
});
