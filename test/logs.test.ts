/**
 * The server's log, read from the real process: one line per request with its id, operation, user, status and
 * duration; and, at LOG_LEVEL=debug with the SQL log on, not one of the secrets a whole session sent
 * (passwords, token keys, Authorization values), in either format.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from './utils';
import { graphqlAt, startServerProcess, type ServerProcess } from './server-process';

const REGISTER = 'mutation Register($input: RegisterInput!) { register(input: $input) { id } }';
const LOGIN = 'mutation Login($u: String!, $p: String!) { obtainAuthToken(username: $u, password: $p) { token userId } }';
const ME = 'query Me { me { id username } }';

const started: ServerProcess[] = [];
afterAll(async () => {
  await Promise.all(started.map((server) => server.kill('SIGKILL')));
});

/** Logins, registrations, authenticated and refused requests, bad input: every secret it sent. */
async function session(url: string): Promise<{ secrets: string[]; userId: string }> {
  const secrets: string[] = [];
  const password = (label: string) => {
    const value = `pw-${label}-${Math.random().toString(36).slice(2, 10)}`;
    secrets.push(value);
    return value;
  };
  const adaPassword = password('ada');
  const registered = await graphqlAt(url, REGISTER, { input: { username: 'ada', email: 'ada@example.com', password: adaPassword } });
  expect(registered.body.errors).toBeUndefined();
  await graphqlAt(url, REGISTER, { input: { username: 'bob', email: 'bob@example.com', password: password('bob') } });
  // Refused registrations: a short password, a duplicate username.
  const short = `Q${Math.random().toString(36).slice(2, 7)}`;
  secrets.push(short);
  await graphqlAt(url, REGISTER, { input: { username: 'cy', email: 'cy@example.com', password: short } });
  await graphqlAt(url, REGISTER, { input: { username: 'ada', email: 'ada2@example.com', password: password('dup') } });

  const login = await graphqlAt(url, LOGIN, { u: 'ada', p: adaPassword });
  const { token, userId } = login.body.data.obtainAuthToken;
  secrets.push(token, `Token ${token}`);
  await graphqlAt(url, LOGIN, { u: 'ada', p: password('wrong') });
  await graphqlAt(url, LOGIN, { u: 'nobody', p: password('unknown') });

  // A login token (knox's login) too, and a password change: old and new passwords, a refused new one.
  const knox = await graphqlAt(url, 'mutation Knox($u: String!, $p: String!) { login(username: $u, password: $p, name: "laptop") { token } }', { u: 'ada', p: adaPassword });
  const loginToken = knox.body.data.login.token;
  secrets.push(loginToken, `Token ${loginToken}`);
  const CHANGE = 'mutation Change($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }';
  await graphqlAt(url, CHANGE, { c: password('notcurrent'), n: password('unused') }, { authorization: `Token ${loginToken}` });
  const newPassword = password('new');
  expect((await graphqlAt(url, CHANGE, { c: adaPassword, n: newPassword }, { authorization: `Token ${loginToken}` })).body.data).toEqual({ changePassword: true });
  await graphqlAt(url, LOGIN, { u: 'ada', p: newPassword });
  const fresh = (await graphqlAt(url, LOGIN, { u: 'ada', p: newPassword })).body.data.obtainAuthToken.token;
  secrets.push(fresh);

  expect((await graphqlAt(url, ME, undefined, { authorization: `Token ${fresh}` })).status).toBe(200);
  const made = `${'ab'.repeat(20)}`;
  for (const header of [`Token ${made}`, `Token ${token} extra`, `Token ${token.slice(0, 20)}\u00e9`, 'Token', `Bearer ${token}`]) {
    secrets.push(header.replace(/^\w+\s*/, '') || 'Token');
    await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: header },
      body: JSON.stringify({ query: ME }),
    });
  }
  secrets.push(made);
  // Malformed JSON and a GET with the password in its query string.
  const raw = password('raw');
  await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"query": "${LOGIN}", "variables": {"u": "ada", "p": "${raw}"` });
  const get = password('get');
  await fetch(`${url}/graphql?query=${encodeURIComponent(LOGIN)}&variables=${encodeURIComponent(JSON.stringify({ u: 'ada', p: get }))}`);
  await graphqlAt(url, 'mutation { logout }', undefined, { authorization: `Token ${token}` });
  // A secret too short to search for would match by chance; the label part keeps each one distinctive.
  return { secrets: secrets.filter((secret) => secret.length >= 4 && secret !== 'Token'), userId: String(userId) };
}

for (const format of ['json', 'text'] as const) {
  describe(`LOG_FORMAT=${format} at LOG_LEVEL=debug`, { timeout: 90_000 }, () => {
    it('logs every request and SQL statement, and none of the secrets the session sent', async () => {
      const server = startServerProcess({ DATABASE_URL: await createTestDatabase(), LOG_LEVEL: 'debug', LOG_FORMAT: format });
      started.push(server);
      const url = await server.ready;
      const { secrets } = await session(url);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await server.kill('SIGTERM')).toEqual({ code: 0, signal: null });
      const log = server.log();
      // Not a vacuous search: the statements that carried the secrets are there, without their values.
      expect(log).toMatch(/insert into \\?"authtoken_token\\?"/);
      expect(log).toMatch(/insert into \\?"auth_user\\?"/);
      for (const secret of secrets) expect(log.includes(secret), `the log contains ${JSON.stringify(secret)}`).toBe(false);
      expect(log.toLowerCase()).not.toMatch(/authorization/);
      if (format === 'json') {
        const lines = server.stdout().split('\n').filter(Boolean);
        for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
      }
    });
  });
}

describe('the request log', { timeout: 90_000 }, () => {
  it('writes one JSON line per request: id (the client\'s, echoed, or a new one), operation, user, status, duration', async () => {
    const server = startServerProcess({ DATABASE_URL: await createTestDatabase(), LOG_FORMAT: 'json' });
    started.push(server);
    const url = await server.ready;
    await graphqlAt(url, REGISTER, { input: { username: 'lin', email: 'lin@example.com', password: 'log secret 1' } });
    const login = await graphqlAt(url, LOGIN, { u: 'lin', p: 'log secret 1' }, { 'x-request-id': 'client-id-1' });
    expect(login.headers.get('x-request-id')).toBe('client-id-1');
    const { token, userId } = login.body.data.obtainAuthToken;
    const me = await graphqlAt(url, ME, undefined, { authorization: `Token ${token}`, 'x-request-id': 'client-id-2' });
    const refused = await graphqlAt(url, ME, undefined, { authorization: 'Token nonsense' });
    const generated = refused.headers.get('x-request-id')!;
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    // An id that is not a short run of visible characters is replaced.
    const odd = await graphqlAt(url, '{ __typename }', undefined, { 'x-request-id': 'x'.repeat(200) });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(me.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));

    const entries = server
      .stdout()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
      .filter((entry) => entry.msg === 'request');
    const byId = new Map(entries.map((entry) => [entry.requestId, entry]));
    expect(byId.get('client-id-1')).toMatchObject({ level: 'info', method: 'POST', path: '/graphql', operation: 'Login', status: 200 });
    expect(byId.get('client-id-1').userId).toBeUndefined();
    expect(byId.get('client-id-2')).toMatchObject({ operation: 'Me', userId: Number(userId), status: 200 });
    expect(byId.get(generated)).toMatchObject({ operation: 'Me', status: 401 });
    expect(byId.get(generated).userId).toBeUndefined();
    for (const entry of entries) {
      expect(typeof entry.durationMs).toBe('number');
      expect(entry.durationMs).toBeGreaterThanOrEqual(0);
      expect(Date.parse(entry.time)).not.toBeNaN();
    }
    expect(entries.filter((entry) => entry.path === '/graphql')).toHaveLength(5);
  });
});
