import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, startTestServer, type TestServer } from './utils';
import { loadSettings } from '../src/settings';

const LOGIN = 'mutation ($u: String!, $p: String!) { obtainAuthToken(username: $u, password: $p) { token } }';

describe('the failed-login throttle on obtainAuthToken', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ LOGIN_FAILURE_LIMIT: '3', LOGIN_FAILURE_WINDOW: '600' });
    await makeUser(server.orm, { username: 'target', password: 'right password' });
    await makeUser(server.orm, { username: 'bystander', password: 'right password' });
  });
  afterAll(() => server.close());

  const login = (u: string, p: string) => server.graphql(LOGIN, { variables: { u, p } });

  it('refuses a username with 429 and Retry-After after the limit of failures, even with the right password', async () => {
    for (let i = 0; i < 3; i += 1) {
      const failed = await login('target', 'wrong');
      expect(failed.body.errors?.[0].message).toBe('Unable to log in with provided credentials.');
    }
    const throttled = await login('target', 'right password');
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(590);
    expect(throttled.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^Request was throttled\. Expected available in \d+ seconds\.$/),
      extensions: { code: 'THROTTLED' },
    });
  });

  it('counts an unknown username the same way, case-insensitively', async () => {
    for (const name of ['Ghost', 'ghost', 'GHOST']) await login(name, 'whatever');
    expect((await login('ghost', 'whatever')).status).toBe(429);
  });

  it('counts each client address apart, as told by X-Forwarded-For from a trusted (loopback) proxy', async () => {
    await makeUser(server.orm, { username: 'roamer', password: 'right password' });
    const from = (ip: string, p: string) =>
      server.graphql(LOGIN, { variables: { u: 'roamer', p }, headers: { 'x-forwarded-for': ip } });
    for (let i = 0; i < 3; i += 1) await from('203.0.113.7', 'wrong');
    expect((await from('203.0.113.7', 'right password')).status).toBe(429);
    expect((await from('198.51.100.9', 'right password')).status).toBe(200);
  });

  it('leaves other usernames alone', async () => {
    const response = await login('bystander', 'right password');
    expect(response.status).toBe(200);
    expect(response.body.data.obtainAuthToken.token).toMatch(/^[0-9a-f]{40}$/);
  });

  it('clears the count on a successful login', async () => {
    await makeUser(server.orm, { username: 'forgetful', password: 'right password' });
    await login('forgetful', 'wrong');
    await login('forgetful', 'wrong');
    expect((await login('forgetful', 'right password')).status).toBe(200);
    await login('forgetful', 'wrong');
    await login('forgetful', 'wrong');
    expect((await login('forgetful', 'right password')).status).toBe(200);
  });

  it('forgets failures older than the window', async () => {
    await server.orm.em.getConnection().execute(
      "update authtoken_login_failure set at = at - interval '11 minutes' where ident like '%|target'",
    );
    expect((await login('target', 'right password')).status).toBe(200);
  });
});

describe('obtainAuthToken with LOGIN_FAILURE_LIMIT=0', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ LOGIN_FAILURE_LIMIT: '0' });
    await makeUser(server.orm, { username: 'target', password: 'right password' });
  });
  afterAll(() => server.close());

  it('never throttles and records nothing', async () => {
    for (let i = 0; i < 12; i += 1) {
      await server.graphql(LOGIN, { variables: { u: 'target', p: 'wrong' } });
    }
    const response = await server.graphql(LOGIN, { variables: { u: 'target', p: 'right password' } });
    expect(response.status).toBe(200);
    const rows = await server.orm.em.getConnection().execute('select count(*)::int as n from authtoken_login_failure');
    expect(rows[0].n).toBe(0);
  });
});

describe('a successful obtainAuthToken', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('records the login time in lastLogin, which DRF leaves empty for token logins', async () => {
    const user = await makeUser(server.orm, { username: 'returning', password: 'right password' });
    expect(user.lastLogin).toBeNull();
    const login = await server.graphql(LOGIN, { variables: { u: 'returning', p: 'right password' } });
    const me = await server.graphql('{ me { lastLogin } }', { token: login.body.data.obtainAuthToken.token });
    expect(Date.now() - Date.parse(me.body.data.me.lastLogin)).toBeLessThan(60_000);
  });

  it('leaves lastLogin alone when the password is wrong', async () => {
    await makeUser(server.orm, { username: 'unlucky', password: 'right password' });
    await server.graphql(LOGIN, { variables: { u: 'unlucky', p: 'wrong password' } });
    const rows = await server.orm.em.getConnection().execute("select last_login from auth_user where username = 'unlucky'");
    expect(rows[0].last_login).toBeNull();
  });
});

describe('the TRUST_PROXY setting', () => {
  it('accepts loopback, hop counts and addresses, and names itself when given anything else', () => {
    expect(loadSettings({}).server.trustProxy).toBe('loopback');
    expect(loadSettings({ TRUST_PROXY: '1' }).server.trustProxy).toBe(1);
    expect(loadSettings({ TRUST_PROXY: '10.0.0.0/8,192.0.2.1' }).server.trustProxy).toBe('10.0.0.0/8,192.0.2.1');
    expect(() => loadSettings({ TRUST_PROXY: 'nginx' })).toThrow(/^TRUST_PROXY must be/);
  });
});
