import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, startTestServer, tokenOf, type TestServer } from './utils';

const LOGIN = 'mutation ($u: String!, $p: String!) { obtainAuthToken(username: $u, password: $p) { token userId email } }';
const REGENERATE = 'mutation { regenerateToken { token userId email } }';
const LOGOUT = 'mutation { logout }';
const ME = '{ me { username } }';

describe.each(['Token', 'Bearer'])('regenerateToken and logout with AUTH_KEYWORD=%s', (keyword) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ AUTH_KEYWORD: keyword });
  });
  afterAll(() => server.close());

  async function tokenRows(userId: number): Promise<number> {
    const [row] = await server.orm.em.getConnection().execute<{ n: number }[]>(
      'select count(*)::int as n from authtoken_token where user_id = ?',
      [userId],
    );
    return row.n;
  }

  function expectInvalidToken(response: Awaited<ReturnType<TestServer['graphql']>>) {
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(keyword);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors).toEqual([{ message: 'Invalid token.', extensions: { code: 'UNAUTHENTICATED' } }]);
  }

  it('regenerateToken answers a new key that works, and the old key fails on the very next request', async () => {
    const user = await makeUser(server.orm, { username: 'rotator', email: 'rotator@example.com' });
    const old = (await tokenOf(server.orm, user.id))!;

    const response = await server.graphql(REGENERATE, { token: old });
    expect(response.status).toBe(200);
    const payload = response.body.data.regenerateToken;
    expect(payload).toEqual({ token: expect.stringMatching(/^[0-9a-f]{40}$/), userId: String(user.id), email: 'rotator@example.com' });
    expect(payload.token).not.toBe(old);

    expectInvalidToken(await server.graphql(ME, { token: old }));
    expect((await server.graphql(ME, { token: payload.token })).body.data).toEqual({ me: { username: 'rotator' } });
    expect(await tokenOf(server.orm, user.id)).toBe(payload.token);
    expect(await tokenRows(user.id)).toBe(1);
  });

  it('regenerateToken gives a fresh key every time, and obtainAuthToken then returns the latest', async () => {
    const user = await makeUser(server.orm, { username: 'spinner', password: 'spinner secret' });
    const seen = [(await tokenOf(server.orm, user.id))!];
    for (let i = 0; i < 3; i += 1) {
      seen.push((await server.graphql(REGENERATE, { token: seen.at(-1) })).body.data.regenerateToken.token);
    }
    expect(new Set(seen).size).toBe(4);
    const login = await server.graphql(LOGIN, { variables: { u: 'spinner', p: 'spinner secret' } });
    expect(login.body.data.obtainAuthToken.token).toBe(seen.at(-1));
  });

  it("regenerateToken leaves other users' tokens alone", async () => {
    const caller = await makeUser(server.orm);
    const bystander = await makeUser(server.orm, { username: 'bystander-regen' });
    const bystanderKey = (await tokenOf(server.orm, bystander.id))!;
    await server.graphql(REGENERATE, { token: (await tokenOf(server.orm, caller.id))! });
    expect(await tokenOf(server.orm, bystander.id)).toBe(bystanderKey);
    expect((await server.graphql(ME, { token: bystanderKey })).body.data).toEqual({ me: { username: 'bystander-regen' } });
  });

  it('logout deletes the token and answers true; the old key then fails with 401, logout included', async () => {
    const user = await makeUser(server.orm, { username: 'leaver', password: 'leaver secret' });
    const key = (await tokenOf(server.orm, user.id))!;

    const response = await server.graphql(LOGOUT, { token: key });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ data: { logout: true } });
    expect(await tokenRows(user.id)).toBe(0);

    expectInvalidToken(await server.graphql(ME, { token: key }));
    expectInvalidToken(await server.graphql(LOGOUT, { token: key }));
  });

  it('obtainAuthToken after logout issues a new key, which works', async () => {
    const user = await makeUser(server.orm, { username: 'returner', password: 'returner secret' });
    const old = (await tokenOf(server.orm, user.id))!;
    await server.graphql(LOGOUT, { token: old });

    const login = await server.graphql(LOGIN, { variables: { u: 'returner', p: 'returner secret' } });
    const fresh = login.body.data.obtainAuthToken.token;
    expect(fresh).toMatch(/^[0-9a-f]{40}$/);
    expect(fresh).not.toBe(old);
    expect(await tokenOf(server.orm, user.id)).toBe(fresh);
    expect((await server.graphql(ME, { token: fresh })).body.data).toEqual({ me: { username: 'returner' } });
  });

  it('logout of one user leaves the others logged in', async () => {
    const leaving = await makeUser(server.orm);
    const staying = await makeUser(server.orm, { username: 'stayer' });
    await server.graphql(LOGOUT, { token: (await tokenOf(server.orm, leaving.id))! });
    const stayingKey = (await tokenOf(server.orm, staying.id))!;
    expect((await server.graphql(ME, { token: stayingKey })).body.data).toEqual({ me: { username: 'stayer' } });
  });

  for (const [name, operation] of [
    ['regenerateToken', REGENERATE],
    ['logout', LOGOUT],
  ]) {
    it(`${name} refuses an anonymous caller with 401 and WWW-Authenticate, changing nothing`, async () => {
      const [before] = await server.orm.em.getConnection().execute('select count(*)::int as n from authtoken_token');
      const response = await server.graphql(operation);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(keyword);
      expect(response.body.errors).toMatchObject([
        { message: 'Authentication credentials were not provided.', path: [name], extensions: { code: 'UNAUTHENTICATED' } },
      ]);
      const [after] = await server.orm.em.getConnection().execute('select count(*)::int as n from authtoken_token');
      expect(after.n).toBe(before.n);
    });
  }

  it("an inactive user's token cannot regenerate or log out", async () => {
    const user = await makeUser(server.orm, { isActive: false });
    const key = (await tokenOf(server.orm, user.id))!;
    for (const operation of [REGENERATE, LOGOUT]) {
      const response = await server.graphql(operation, { token: key });
      expect(response.status).toBe(401);
      expect(response.body.errors?.[0].message).toBe('User inactive or deleted.');
    }
    expect(await tokenOf(server.orm, user.id)).toBe(key);
  });
});
