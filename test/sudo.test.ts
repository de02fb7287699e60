// Sudo mode (issue 20): what mints credentials and the staff writes need the calling token's password
// confirmed within SUDO_MAX_AGE. Real server, real HTTP; every refusal writes nothing, PASSWORD_RATE included.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, startTestServer, tokenOf, type TestServer } from './utils';
import { openSocket, runOnce } from './ws-client';
import type { User } from '../src/users/user.entity';

const REAUTH = { message: 'Confirm your password to continue.', extensions: { code: 'FORBIDDEN', reason: 'REAUTHENTICATION_REQUIRED' } };
const CREATE = 'mutation { createAccessToken(name: "ci", scopes: ["products:read"]) { token tokenId } }';
const CONFIRM = 'mutation ($p: String!) { confirmPassword(password: $p) }';

async function state(server: TestServer) {
  const [row] = await server.orm.em.getConnection().execute<Record<string, unknown>[]>(
    `select (select count(*) from auth_user)::int as users,
            (select string_agg(key || user_id, ',' order by key) from authtoken_token) as drf,
            (select string_agg(id::text, ',' order by id) from authtoken_login_token) as tokens,
            (select string_agg(is_active::text || password, ',' order by id) from auth_user) as accounts,
            (select string_agg(scope || ident || cardinality(history), ',') from authtoken_throttle) as throttles`,
  );
  return row;
}

describe('sudo mode', () => {
  let server: TestServer;
  let staff: User;
  let staffKey: string;
  let target: User;

  beforeAll(async () => {
    server = await startTestServer({ SUDO_MAX_AGE: '900', PASSWORD_RATE: '3/minute' });
    staff = await makeUser(server.orm, { username: 'admin', isStaff: true, isSuperuser: true });
    staffKey = (await tokenOf(server.orm, staff.id))!;
    target = await makeUser(server.orm, { username: 'target' });
  });
  afterAll(() => server.close());

  const staffWrites: [string, string][] = [
    ['createAccessToken', CREATE],
    ['rotateToken', 'mutation { rotateToken(id: "1") { token } }'],
    ['createUser', 'mutation { createUser(input: { username: "newbie", email: "n@example.com", password: "a fine password 1" }) { id } }'],
    ['setPassword', 'mutation ($id: ID!) { setPassword(id: $id, password: "a fine password 1") }'],
    ['setUserActive', 'mutation ($id: ID!) { setUserActive(id: $id, active: false) { id } }'],
    ['createToken', 'mutation { createToken(username: "target", reset: true) { key } }'],
    ['deleteToken', 'mutation ($key: String!) { deleteToken(key: $key) }'],
    ['deleteLoginToken', 'mutation { deleteLoginToken(id: "1") }'],
  ];

  it.each(staffWrites)('refuses %s without a fresh confirmation (403 REAUTHENTICATION_REQUIRED), doing nothing', async (_name, query) => {
    const targetKey = (await tokenOf(server.orm, target.id))!;
    const before = await state(server);
    // From an address of its own: a refusal spends none of PASSWORD_RATE either (createUser and setPassword
    // are password-checking fields, whose rate would otherwise be spent first).
    const response = await server.graphql(query, { token: staffKey, variables: { id: String(target.id), key: targetKey }, headers: { 'x-forwarded-for': '203.0.113.50' } });
    expect(response.status).toBe(403);
    expect(response.body.errors).toMatchObject([REAUTH]);
    expect(response.body.errors![0].extensions).toEqual(REAUTH.extensions);
    expect(await state(server)).toEqual(before);
  });

  it('refuses a wrong password with Django\'s wording, counted as a failed login, and marks nothing', async () => {
    const response = await server.graphql(CONFIRM, { token: staffKey, variables: { p: 'wrong horse' }, headers: { 'x-forwarded-for': '203.0.113.60' } });
    expect(response.body.errors).toMatchObject([
      { message: 'password: Your password was entered incorrectly. Please enter it again.', extensions: { code: 'BAD_USER_INPUT', field: 'password' } },
    ]);
    const [failures] = await server.orm.em.getConnection().execute<{ n: number }[]>("select count(*)::int as n from authtoken_login_failure where ident = '203.0.113.60|admin'");
    expect(failures.n).toBe(1);
    expect((await server.graphql(CREATE, { token: staffKey })).body.errors).toMatchObject([REAUTH]);
  });

  it('unlocks the writes for the confirming token only, keyed by a digest and never by the key', async () => {
    const confirmed = await server.graphql(CONFIRM, { token: staffKey, variables: { p: 'correct horse' }, headers: { 'x-forwarded-for': '203.0.113.61' } });
    expect(confirmed.body).toEqual({ data: { confirmPassword: true } });
    const created = await server.graphql(CREATE, { token: staffKey });
    expect(created.status).toBe(200);
    expect(created.body.data.createAccessToken.token).toMatch(/^[0-9a-f]{64}$/);
    const user = await server.graphql('mutation { createUser(input: { username: "newbie", email: "n@example.com", password: "a fine password 1" }) { username } }', {
      token: staffKey,
      headers: { 'x-forwarded-for': '203.0.113.62' },
    });
    expect(user.body).toEqual({ data: { createUser: { username: 'newbie' } } });
    const marks = await server.orm.em.getConnection().execute<{ credential: string }[]>('select credential from authtoken_password_confirmation');
    expect(marks.map((mark) => mark.credential)).toContain(`token:${createHash('sha256').update(staffKey).digest('hex')}`);
    expect(JSON.stringify(marks)).not.toContain(staffKey);
    // Django's table is as Django made it.
    const columns = await server.orm.em.getConnection().execute<{ column_name: string }[]>(
      "select column_name from information_schema.columns where table_name = 'authtoken_token' order by column_name",
    );
    expect(columns.map((column) => column.column_name)).toEqual(['created', 'key', 'user_id']);
    // Another token of the same user is not fresh by association.
    const login = await server.graphql('mutation { login(username: "admin", password: "correct horse") { token } }', { headers: { 'x-forwarded-for': '203.0.113.63' } });
    await server.orm.em.getConnection().execute('delete from authtoken_password_confirmation where credential like ?', ['login:%']);
    expect((await server.graphql(CREATE, { token: login.body.data.login.token })).body.errors).toMatchObject([REAUTH]);
  });

  it('counts obtainAuthToken and login as confirmations of the token they return', async () => {
    const user = await makeUser(server.orm, { username: 'fresh' });
    const login = await server.graphql('mutation { login(username: "fresh", password: "correct horse") { token } }', { headers: { 'x-forwarded-for': '203.0.113.70' } });
    expect((await server.graphql(CREATE, { token: login.body.data.login.token })).status).toBe(200);
    const obtained = await server.graphql('mutation { obtainAuthToken(username: "fresh", password: "correct horse") { token } }', { headers: { 'x-forwarded-for': '203.0.113.71' } });
    expect(obtained.body.data.obtainAuthToken.token).toBe(await tokenOf(server.orm, user.id));
    expect((await server.graphql(CREATE, { token: obtained.body.data.obtainAuthToken.token })).status).toBe(200);
  });

  it('expires a confirmation after SUDO_MAX_AGE', async () => {
    await makeUser(server.orm, { username: 'stale' });
    const login = await server.graphql('mutation { login(username: "stale", password: "correct horse") { token tokenId } }', { headers: { 'x-forwarded-for': '203.0.113.80' } });
    const { token, tokenId } = login.body.data.login;
    await server.orm.em.getConnection().execute("update authtoken_password_confirmation set confirmed = now() - interval '901 seconds' where credential = ?", [`login:${tokenId}`]);
    const before = await state(server);
    expect((await server.graphql(CREATE, { token })).body.errors).toMatchObject([REAUTH]);
    expect(await state(server)).toEqual(before);
  });

  it('applies over WebSocket too', async () => {
    await makeUser(server.orm, { username: 'socketeer' });
    const key = (await server.graphql('mutation { obtainAuthToken(username: "socketeer", password: "correct horse") { token } }', { headers: { 'x-forwarded-for': '203.0.113.90' } })).body.data
      .obtainAuthToken.token;
    await server.orm.em.getConnection().execute('delete from authtoken_password_confirmation');
    const socket = openSocket(server.wsUrl, { Authorization: `Token ${key}` });
    try {
      await socket.connected;
      const refused = await runOnce(socket.client, CREATE);
      expect(refused.errors).toMatchObject([REAUTH]);
      expect((await runOnce(socket.client, CONFIRM, { p: 'correct horse' })).data).toEqual({ confirmPassword: true });
      expect((await runOnce(socket.client, CREATE)).data?.createAccessToken.token).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await socket.dispose();
    }
  });
});

describe('sudo mode off', () => {
  it('with SUDO_MAX_AGE=0 lets the writes through without a confirmation', async () => {
    const server = await startTestServer({ SUDO_MAX_AGE: '0' });
    try {
      const user = await makeUser(server.orm, { username: 'relaxed' });
      expect((await server.graphql(CREATE, { token: (await tokenOf(server.orm, user.id))! })).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
