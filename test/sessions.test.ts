// Cookie sessions (AUTH_COOKIE): startSession's cookie, exactly; the cookie as a credential, with the header
// beating it; the CSRF refusal for POST, GET and the WebSocket upgrade, each writing nothing; CORS with
// credentials for trusted origins only; logout clearing the cookie; auto refresh re-sending Max-Age.
// Real server, real HTTP and WebSocket, real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { countQueries, makeUser, startTestServer, tokenOf, type TestServer } from './utils';
import { openSocket, runOnce } from './ws-client';
import type { User } from '../src/users/user.entity';

const START = 'mutation ($u: String!, $p: String!, $n: String) { startSession(username: $u, password: $p, name: $n) { tokenId expiry user { username } } }';
const ME = '{ me { username } }';
const COOKIE = /^__Host-authtoken=([0-9a-f]{64}); HttpOnly; Secure; SameSite=Lax; Path=\/; Max-Age=(\d+)$/;
const CLEARED = '__Host-authtoken=; HttpOnly; Secure; SameSite=Lax; Path=/; Max-Age=0';

/** What `me` answers an anonymous caller. */
const ANONYMOUS = 'Authentication credentials were not provided.';

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

/** A POST as a browser sends it: the cookie, and whatever Origin/Referer the test gives. */
async function post(server: TestServer, query: string, headers: Record<string, string> = {}, variables?: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(`${server.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

async function loginTokenCount(server: TestServer, userId: number): Promise<number> {
  const [row] = await server.orm.em.getConnection().execute<{ n: number }[]>('select count(*)::int as n from authtoken_login_token where user_id = ?', [userId]);
  return row.n;
}

async function throttleRows(server: TestServer): Promise<number> {
  const [row] = await server.orm.em.getConnection().execute<{ n: number }[]>(
    'select (select coalesce(sum(cardinality(history)), 0) from authtoken_throttle)::int + (select count(*) from authtoken_login_failure)::int as n',
  );
  return row.n;
}

function csrfBody(subject: string, kind: 'Origin' | 'Referer' = 'Origin') {
  return { errors: [{ message: `CSRF Failed: ${kind} checking failed - ${subject} does not match any trusted origins.`, extensions: { code: 'FORBIDDEN', reason: 'CSRF' } }] };
}

describe('cookie sessions', () => {
  let server: TestServer;
  let own: string;
  let user: User;

  /** startSession for `user`, from the server's own origin: the cookie's token and the whole Set-Cookie. */
  async function startSession(target: TestServer = server, who: User = user): Promise<{ token: string; setCookie: string; answer: Answer }> {
    const answer = await post(target, START, { origin: target.baseUrl }, { u: who.username, p: 'correct horse', n: 'browser' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const setCookie = answer.headers.getSetCookie();
    expect(setCookie).toHaveLength(1);
    const token = /^[^=]+=([^;]*)/.exec(setCookie[0])![1];
    return { token, setCookie: setCookie[0], answer };
  }

  const cookieHeader = (token: string) => ({ cookie: `__Host-authtoken=${token}`, origin: own });

  beforeAll(async () => {
    server = await startTestServer({ AUTH_COOKIE: 'true', PASSWORD_RATE: '100/minute', CORS_ORIGINS: 'https://app.example' });
    own = server.baseUrl;
    user = await makeUser(server.orm);
  });

  afterAll(async () => {
    await server?.close();
  });

  it('startSession sends the login token only as the cookie, with exactly the documented attributes', async () => {
    const before = Date.now();
    const { token, setCookie, answer } = await startSession();
    const [, cookieToken, maxAge] = COOKIE.exec(setCookie)!;
    expect(cookieToken).toBe(token);
    // Max-Age is the seconds to the token's expiry (TOKEN_TTL 36000 by default).
    const expiry = new Date(answer.body.data.startSession.expiry).getTime();
    expect(Number(maxAge)).toBeGreaterThanOrEqual(Math.floor((expiry - Date.now()) / 1000) - 1);
    expect(Number(maxAge)).toBeLessThanOrEqual(36_000);
    expect(expiry - before).toBeGreaterThan(35_990_000);
    expect(answer.body.data.startSession).toMatchObject({ user: { username: user.username } });
    expect(answer.body.data.startSession.tokenId).toMatch(/^\d+$/);
    // Nowhere in the body.
    expect(JSON.stringify(answer.body)).not.toContain(token);
    // The cookie is a login token like any other: named, listed, current.
    const mine = await post(server, '{ myTokens { id name current } tokenInfo { kind name } }', cookieHeader(token));
    expect(mine.body.data.tokenInfo).toEqual({ kind: 'LOGIN', name: 'browser' });
    expect(mine.body.data.myTokens).toContainEqual({ id: answer.body.data.startSession.tokenId, name: 'browser', current: true });
  });

  it('authenticates a request by its cookie with one query, as a header costs', async () => {
    const { token } = await startSession();
    // The first use writes lastUsed; the next ones within MIN_REFRESH_INTERVAL are reads only.
    await post(server, ME, cookieHeader(token));
    const { result, queries } = await countQueries(server.orm, () => post(server, ME, cookieHeader(token)));
    expect(result.body).toEqual({ data: { me: { username: user.username } } });
    expect(result.headers.getSetCookie()).toEqual([]);
    expect(queries).toHaveLength(1);
  });

  it('checks credentials exactly as login does, writing no token for a refusal', async () => {
    const before = await loginTokenCount(server, user.id);
    const wrong = await post(server, START, { origin: own }, { u: user.username, p: 'wrong' });
    expect(wrong.body.errors).toEqual([expect.objectContaining({ message: 'Unable to log in with provided credentials.', extensions: { code: 'BAD_USER_INPUT' }, path: ['startSession'] })]);
    const blank = await post(server, START, { origin: own }, { u: '', p: 'x' });
    expect(blank.body.errors[0].message).toBe('Must include "username" and "password".');
    const longName = await post(server, START, { origin: own }, { u: user.username, p: 'correct horse', n: 'x'.repeat(65) });
    expect(longName.body.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'name' } });
    const two = await post(server, 'mutation { a: startSession(username: "a", password: "b") { tokenId } b: login(username: "a", password: "b") { token } }', { origin: own });
    expect(two.status).toBe(400);
    for (const answer of [wrong, blank, longName, two]) expect(answer.headers.getSetCookie()).toEqual([]);
    expect(await loginTokenCount(server, user.id)).toBe(before);
  });

  it('uses the header alone when there is one: the cookie is not looked at', async () => {
    const other = await makeUser(server.orm);
    const { token } = await startSession();
    const drfKey = await tokenOf(server.orm, other.id);
    const byHeader = await post(server, ME, { ...cookieHeader(token), authorization: `Token ${drfKey}` });
    expect(byHeader.body).toEqual({ data: { me: { username: other.username } } });
    const badHeader = await post(server, ME, { ...cookieHeader(token), authorization: 'Token nope' });
    expect(badHeader.status).toBe(401);
    expect(badHeader.body.errors[0].message).toBe('Invalid token.');
    // A 401 for a bad header leaves the good cookie alone.
    expect(badHeader.headers.getSetCookie()).toEqual([]);
    const otherScheme = await post(server, ME, { ...cookieHeader(token), authorization: 'Basic dXNlcjpwYXNz' });
    expect(otherScheme.body.errors[0].message).toBe(ANONYMOUS);
    // A header from any origin needs no CSRF check: a foreign page cannot set it without CORS.
    const foreign = await post(server, ME, { cookie: `__Host-authtoken=${token}`, origin: 'https://evil.example', authorization: `Token ${drfKey}` });
    expect(foreign.body).toEqual({ data: { me: { username: other.username } } });
  });

  it('refuses a cookie from an untrusted Origin with 403 and Django\'s words, running nothing', async () => {
    const { token } = await startSession();
    const before = await loginTokenCount(server, user.id);
    const evil = await post(server, 'mutation { logoutAll }', { cookie: `__Host-authtoken=${token}`, origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect(evil.body).toEqual(csrfBody('https://evil.example'));
    const none = await post(server, 'mutation { logout }', { cookie: `__Host-authtoken=${token}` });
    expect(none.status).toBe(403);
    expect(none.body).toEqual(csrfBody('null'));
    const nullOrigin = await post(server, 'mutation { logout }', { cookie: `__Host-authtoken=${token}`, origin: 'null' });
    expect(nullOrigin.body).toEqual(csrfBody('null'));
    const referer = await post(server, 'mutation { logout }', { cookie: `__Host-authtoken=${token}`, referer: 'https://evil.example/page?x=1' });
    expect(referer.body).toEqual(csrfBody('https://evil.example/page?x=1', 'Referer'));
    const malformed = await post(server, 'mutation { logout }', { cookie: `__Host-authtoken=${token}`, referer: 'not a url' });
    expect(malformed.body.errors[0].message).toBe('CSRF Failed: Referer checking failed - Referer is malformed.');
    // A form or a simple fetch (text/plain, no preflight) meets the same answer, before Apollo's own CSRF check.
    const form = await fetch(`${server.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', cookie: `__Host-authtoken=${token}`, origin: 'https://evil.example' },
      body: JSON.stringify({ query: 'mutation { logoutAll }' }),
    });
    expect(form.status).toBe(403);
    expect(await form.json()).toEqual(csrfBody('https://evil.example'));
    // Another port of the same host is another origin.
    const otherPort = await post(server, 'mutation { logout }', { cookie: `__Host-authtoken=${token}`, origin: 'http://127.0.0.1:1' });
    expect(otherPort.status).toBe(403);
    // An anonymous mutation riding on the cookie is refused too: no account is made by a foreign page.
    const register = await post(server, 'mutation { register(input: {username: "csrfvictim", email: "v@example.com", password: "correct horse"}) { id } }', {
      cookie: `__Host-authtoken=${token}`,
      origin: 'https://evil.example',
    });
    expect(register.status).toBe(403);
    const [{ n }] = await server.orm.em.getConnection().execute<{ n: number }[]>("select count(*)::int as n from auth_user where username = 'csrfvictim'");
    expect(n).toBe(0);
    expect(await loginTokenCount(server, user.id)).toBe(before);
    expect((await post(server, ME, cookieHeader(token))).body).toEqual({ data: { me: { username: user.username } } });
  });

  it('accepts the own origin, a same-origin Referer and TRUSTED_ORIGINS (by default the CORS origins)', async () => {
    const { token } = await startSession();
    const cookie = `__Host-authtoken=${token}`;
    expect((await post(server, ME, { cookie, referer: `${own}/products` })).body.data.me.username).toBe(user.username);
    expect((await post(server, ME, { cookie, origin: 'https://app.example' })).body.data.me.username).toBe(user.username);
  });

  it('refuses a cookie-authenticated GET without a trusted Origin the same way', async () => {
    const { token } = await startSession();
    const url = `${server.baseUrl}/graphql?query=${encodeURIComponent(ME)}`;
    const headers = { cookie: `__Host-authtoken=${token}`, 'apollo-require-preflight': 'true', accept: 'application/json' };
    const refused = await fetch(url, { headers });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual(csrfBody('null'));
    const foreign = await fetch(url, { headers: { ...headers, origin: 'https://evil.example' } });
    expect(await foreign.json()).toEqual(csrfBody('https://evil.example'));
    const trusted = await fetch(url, { headers: { ...headers, origin: own } });
    expect(await trusted.json()).toEqual({ data: { me: { username: user.username } } });
  });

  it('answers CORS with credentials only to trusted origins', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.baseUrl}/graphql`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    const trusted = await preflight('https://app.example');
    expect(trusted.status).toBe(204);
    expect(trusted.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(trusted.headers.get('access-control-allow-credentials')).toBe('true');
    expect(trusted.headers.get('vary')).toMatch(/Origin/);
    const foreign = await preflight('https://evil.example');
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(foreign.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('logout deletes the cookie\'s token and clears the cookie; logoutAll too', async () => {
    const { token } = await startSession();
    const out = await post(server, 'mutation { logout }', cookieHeader(token));
    expect(out.body).toEqual({ data: { logout: true } });
    expect(out.headers.getSetCookie()).toEqual([CLEARED]);
    const after = await post(server, ME, cookieHeader(token));
    expect(after.status).toBe(401);
    const second = await startSession();
    const all = await post(server, 'mutation { logoutAll }', cookieHeader(second.token));
    expect(all.body.data.logoutAll).toBeGreaterThan(0);
    expect(all.headers.getSetCookie()).toEqual([CLEARED]);
    expect(await loginTokenCount(server, user.id)).toBe(0);
  });

  it('answers a cookie whose token is gone or expired as the header would, and clears it', async () => {
    const { token } = await startSession();
    await server.orm.em.getConnection().execute("update authtoken_login_token set expiry = now() - interval '1 second' where user_id = ?", [user.id]);
    const expired = await post(server, ME, cookieHeader(token));
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toBe('Token');
    expect(expired.body.errors).toEqual([{ message: 'Invalid token.', extensions: { code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' } }]);
    expect(expired.headers.getSetCookie()).toEqual([CLEARED]);
    const garbage = await post(server, ME, cookieHeader('nonsense'));
    expect(garbage.status).toBe(401);
    expect(garbage.headers.getSetCookie()).toEqual([CLEARED]);
  });

  describe('over WebSocket', () => {
    function refusedUpgrade(headers: Record<string, string>): Promise<{ status: number; body: string; type: string | undefined }> {
      return new Promise((resolve, reject) => {
        const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws', { headers });
        socket.on('open', () => reject(new Error('the upgrade was accepted')));
        socket.on('unexpected-response', (_request, response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk));
          response.on('end', () => resolve({ status: response.statusCode!, body, type: response.headers['content-type'] }));
        });
        socket.on('error', () => undefined);
      });
    }

    it('authenticates a socket by the upgrade\'s cookie when its Origin is trusted', async () => {
      const { token } = await startSession();
      const socket = openSocket(server.wsUrl, undefined, { headers: cookieHeader(token) });
      await socket.connected;
      expect(await runOnce(socket.client, ME)).toEqual({ data: { me: { username: user.username } } });
      // Revocation closes it as it closes a header's socket.
      await post(server, 'mutation { logout }', cookieHeader(token));
      expect(await socket.closed).toMatchObject({ code: 4403, reason: 'Invalid token.' });
    });

    it('refuses the upgrade with 403 and the CSRF answer when the cookie comes from an untrusted Origin', async () => {
      const { token } = await startSession();
      const refused = await refusedUpgrade({ cookie: `__Host-authtoken=${token}`, origin: 'https://evil.example' });
      expect(refused.status).toBe(403);
      expect(refused.type).toBe('application/json');
      expect(JSON.parse(refused.body)).toEqual(csrfBody('https://evil.example'));
      const none = await refusedUpgrade({ cookie: `__Host-authtoken=${token}` });
      expect(JSON.parse(none.body)).toEqual(csrfBody('null'));
      // Without the cookie a foreign page's socket is anonymous, as before.
      const anonymous = openSocket(server.wsUrl, undefined, { headers: { origin: 'https://evil.example' } });
      await anonymous.connected;
      expect((await runOnce(anonymous.client, ME)).errors![0].message).toBe(ANONYMOUS);
      await anonymous.dispose();
    });

    it('uses connection_init\'s Authorization over the cookie', async () => {
      const other = await makeUser(server.orm);
      const { token } = await startSession();
      const socket = openSocket(server.wsUrl, { Authorization: `Token ${await tokenOf(server.orm, other.id)}` }, { headers: cookieHeader(token) });
      await socket.connected;
      expect(await runOnce(socket.client, ME)).toEqual({ data: { me: { username: other.username } } });
      await socket.dispose();
    });

    it('refuses startSession over a socket, where no cookie can be set', async () => {
      const socket = openSocket(server.wsUrl);
      await socket.connected;
      const result = await runOnce(socket.client, START, { u: user.username, p: 'correct horse' });
      expect(result.errors).toEqual([expect.objectContaining({ message: 'startSession sets a cookie, which only an HTTP request can carry.', extensions: { code: 'FORBIDDEN' } })]);
      await socket.dispose();
    });
  });
});

describe('cookie session settings', () => {
  it('re-sends Max-Age when auto refresh moves the expiry, and only for the cookie', async () => {
    const server = await startTestServer({ AUTH_COOKIE: 'true', AUTO_REFRESH: 'true', MIN_REFRESH_INTERVAL: '0', TOKEN_TTL: '600' });
    try {
      const user = await makeUser(server.orm);
      const start = await post(server, START, { origin: server.baseUrl }, { u: user.username, p: 'correct horse' });
      const [setCookie] = start.headers.getSetCookie();
      const token = COOKIE.exec(setCookie)![1];
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const used = await post(server, ME, { cookie: `__Host-authtoken=${token}`, origin: server.baseUrl });
      expect(used.body.data.me.username).toBe(user.username);
      const [refreshed] = used.headers.getSetCookie();
      expect(refreshed).toMatch(COOKIE);
      expect(COOKIE.exec(refreshed)![1]).toBe(token);
      expect(Number(COOKIE.exec(refreshed)![2])).toBeGreaterThanOrEqual(598);
    } finally {
      await server.close();
    }
  });

  it('sends no Max-Age for a token that never expires, and honours AUTH_COOKIE_SECURE=false and AUTH_COOKIE_NAME', async () => {
    const server = await startTestServer({ AUTH_COOKIE: 'true', TOKEN_TTL: '0', AUTH_COOKIE_SECURE: 'false', AUTH_COOKIE_NAME: 'sid' });
    try {
      const user = await makeUser(server.orm);
      const start = await post(server, START, { origin: server.baseUrl }, { u: user.username, p: 'correct horse' });
      expect(start.body.data.startSession.expiry).toBeNull();
      const [setCookie] = start.headers.getSetCookie();
      expect(setCookie).toMatch(/^sid=[0-9a-f]{64}; HttpOnly; SameSite=Lax; Path=\/$/);
      const token = setCookie.slice(4, 68);
      const out = await post(server, 'mutation { logout }', { cookie: `sid=${token}`, origin: server.baseUrl });
      expect(out.headers.getSetCookie()).toEqual(['sid=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0']);
    } finally {
      await server.close();
    }
  });

  it('answers startSession with 403 when cookie sessions are off, before any password work or throttle count', async () => {
    const server = await startTestServer({ PASSWORD_RATE: '100/minute' });
    try {
      const user = await makeUser(server.orm);
      const before = await throttleRows(server);
      const answer = await post(server, START, {}, { u: user.username, p: 'correct horse' });
      expect(answer.status).toBe(403);
      expect(answer.body.errors).toEqual([expect.objectContaining({ message: 'Cookie sessions are off: set AUTH_COOKIE=true.', extensions: { code: 'FORBIDDEN' }, path: ['startSession'] })]);
      expect(answer.headers.getSetCookie()).toEqual([]);
      expect(await loginTokenCount(server, user.id)).toBe(0);
      expect(await throttleRows(server)).toBe(before);
      // And a cookie means nothing then: the request is anonymous.
      const login = await post(server, 'mutation ($u: String!) { login(username: $u, password: "correct horse") { token } }', {}, { u: user.username });
      const ignored = await post(server, ME, { cookie: `__Host-authtoken=${login.body.data.login.token}`, origin: 'https://evil.example' });
      expect(ignored.body.errors[0].message).toBe(ANONYMOUS);
    } finally {
      await server.close();
    }
  });
});
