// The security log's events (src/security/): one event of the right type, with every field, for each action
// that has one; no secret sent in this file's session in any event; a rolled-back write leaves none; the hot
// read path writes none. Real database, real HTTP and WebSocket.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/commands';
import { flushThrottled } from '../src/security/security-log';
import { countQueries, makeUser, startTestServer, tokenOf, type RequestOptions, type TestServer } from './utils';
import { openSocket, runOnce } from './ws-client';

const PASSWORD = 'correct horse';
const CLIENT_IP = '203.0.113.7';
const USER_AGENT = 'SecurityTest/1.0 (' + 'x'.repeat(300) + ')';

let server: TestServer;
// Every secret this file sends, searched for in the whole table at the end.
const secrets = new Set<string>([PASSWORD]);
let requestCounter = 0;

beforeAll(async () => {
  server = await startTestServer({ LOGIN_FAILURE_LIMIT: '3', LOGIN_FAILURE_WINDOW: '600' });
});
afterAll(() => server.close());

interface EventRow {
  id: string;
  at: string;
  type: string;
  user_id: number | null;
  actor_id: number | null;
  username: string | null;
  token_kind: string | null;
  token_key: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  operation: string | null;
  detail: Record<string, unknown> | null;
  count: number;
}

/** Sends an operation as a browser behind the loopback proxy would: X-Forwarded-For, User-Agent, X-Request-Id. */
async function send(query: string, options: RequestOptions & { requestId?: string } = {}) {
  requestCounter += 1;
  const requestId = options.requestId ?? `req-${requestCounter}`;
  if (options.token) secrets.add(options.token);
  const response = await server.graphql(query, {
    ...options,
    headers: { 'x-forwarded-for': CLIENT_IP, 'user-agent': USER_AGENT, 'x-request-id': requestId, ...options.headers },
  });
  return { ...response, requestId };
}

async function lastId(): Promise<number> {
  const [row] = await server.orm.em.getConnection().execute<{ id: string | null }[]>('select max(id) as id from authtoken_security_event');
  return Number(row.id ?? 0);
}

/** The events written since `after`, oldest first. */
async function eventsSince(after: number): Promise<EventRow[]> {
  return server.orm.em.getConnection().execute<EventRow[]>('select * from authtoken_security_event where id > ? order by id', [after]);
}

/** What every event of a request carries about its client. */
function fromClient(requestId: string, operation: string) {
  return { ip: CLIENT_IP, user_agent: USER_AGENT.slice(0, 256), request_id: requestId, operation };
}

const REGISTER = 'mutation SignUp($input: RegisterInput!) { register(input: $input) { id } }';
const OBTAIN = 'mutation GetToken($u: String!, $p: String!) { obtainAuthToken(username: $u, password: $p) { token userId } }';
const LOGIN = 'mutation LogIn($u: String!, $p: String!, $n: String) { login(username: $u, password: $p, name: $n) { token tokenId } }';

async function register(username: string) {
  const response = await send(REGISTER, { variables: { input: { username, email: `${username}@example.com`, password: PASSWORD } } });
  expect(response.body.errors).toBeUndefined();
  return Number(response.body.data.register.id);
}

async function login(username: string, name = 'Phone') {
  const response = await send(LOGIN, { variables: { u: username, p: PASSWORD, n: name } });
  expect(response.body.errors).toBeUndefined();
  secrets.add(response.body.data.login.token);
  return response.body.data.login as { token: string; tokenId: string };
}

describe('events of logging in', () => {
  it('register: USER_REGISTERED and TOKEN_CREATED for the token the subscriber made, with every field', async () => {
    const before = await lastId();
    const response = await send(REGISTER, { variables: { input: { username: 'ev-reg', email: 'ev-reg@example.com', password: PASSWORD } } });
    const userId = Number(response.body.data.register.id);
    const key = (await tokenOf(server.orm, userId))!;
    secrets.add(key);
    const events = await eventsSince(before);
    expect(events).toMatchObject([
      { type: 'USER_REGISTERED', user_id: userId, actor_id: null, username: 'ev-reg', token_kind: null, token_key: null, detail: null, count: 1, ...fromClient(response.requestId, 'SignUp') },
      { type: 'TOKEN_CREATED', user_id: userId, actor_id: null, username: null, token_kind: null, token_key: null, detail: { tokenKind: 'AUTHTOKEN', tokenKey: key.slice(0, 15) }, ...fromClient(response.requestId, 'SignUp') },
    ]);
    expect(Math.abs(new Date(events[0].at).getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('obtainAuthToken: LOGIN_SUCCEEDED naming the token it returned; TOKEN_CREATED only when it made one', async () => {
    const userId = await register('ev-obtain');
    const before = await lastId();
    const first = await send(OBTAIN, { variables: { u: 'ev-obtain', p: PASSWORD } });
    const key = first.body.data.obtainAuthToken.token;
    expect(await eventsSince(before)).toMatchObject([
      { type: 'LOGIN_SUCCEEDED', user_id: userId, actor_id: null, username: null, token_kind: 'AUTHTOKEN', token_key: key.slice(0, 15), detail: null, ...fromClient(first.requestId, 'GetToken') },
    ]);
    await server.orm.em.getConnection().execute('delete from authtoken_token where user_id = ?', [userId]);
    const mid = await lastId();
    const second = await send(OBTAIN, { variables: { u: 'ev-obtain', p: PASSWORD } });
    const made = second.body.data.obtainAuthToken.token;
    secrets.add(made);
    expect(await eventsSince(mid)).toMatchObject([
      { type: 'TOKEN_CREATED', user_id: userId, token_key: null, detail: { tokenKind: 'AUTHTOKEN', tokenKey: made.slice(0, 15) }, ...fromClient(second.requestId, 'GetToken') },
      { type: 'LOGIN_SUCCEEDED', user_id: userId, token_kind: 'AUTHTOKEN', token_key: made.slice(0, 15), ...fromClient(second.requestId, 'GetToken') },
    ]);
  });

  it('login: TOKEN_CREATED and LOGIN_SUCCEEDED naming the new login token', async () => {
    const userId = await register('ev-login');
    const before = await lastId();
    const response = await send(LOGIN, { variables: { u: 'ev-login', p: PASSWORD, n: 'Laptop' } });
    const token = response.body.data.login.token;
    secrets.add(token);
    expect(await eventsSince(before)).toMatchObject([
      { type: 'TOKEN_CREATED', user_id: userId, detail: { tokenKind: 'LOGIN', tokenKey: token.slice(0, 15) }, ...fromClient(response.requestId, 'LogIn') },
      { type: 'LOGIN_SUCCEEDED', user_id: userId, actor_id: null, token_kind: 'LOGIN', token_key: token.slice(0, 15), ...fromClient(response.requestId, 'LogIn') },
    ]);
  });

  it('failed logins: LOGIN_FAILED_PASSWORD, LOGIN_FAILED_UNKNOWN_USER and LOGIN_FAILED_INACTIVE, with the username as given', async () => {
    const userId = await register('ev-fail');
    const inactive = await makeUser(server.orm, { username: 'ev-inactive', isActive: false });
    const before = await lastId();
    const wrong = await send(OBTAIN, { variables: { u: '  EV-Fail ', p: 'wrong password 1' } });
    secrets.add('wrong password 1');
    const unknown = await send(LOGIN, { variables: { u: 'ev-nobody', p: 'wrong password 2' } });
    secrets.add('wrong password 2');
    const idle = await send(OBTAIN, { variables: { u: 'ev-inactive', p: PASSWORD } });
    for (const response of [wrong, unknown, idle]) expect(response.body.errors?.[0].message).toBe('Unable to log in with provided credentials.');
    expect(await eventsSince(before)).toMatchObject([
      { type: 'LOGIN_FAILED_PASSWORD', user_id: userId, actor_id: null, username: 'EV-Fail', token_kind: null, token_key: null, detail: null, ...fromClient(wrong.requestId, 'GetToken') },
      { type: 'LOGIN_FAILED_UNKNOWN_USER', user_id: null, username: 'ev-nobody', ...fromClient(unknown.requestId, 'LogIn') },
      { type: 'LOGIN_FAILED_INACTIVE', user_id: inactive.id, username: 'ev-inactive', ...fromClient(idle.requestId, 'GetToken') },
    ]);
  });

  it('LOGIN_THROTTLED: one event per address, scope and window, counting every 429', async () => {
    await register('ev-throttle');
    for (let i = 0; i < 3; i += 1) await send(OBTAIN, { variables: { u: 'ev-throttle', p: `bad ${i}` } });
    const before = await lastId();
    const refused = [];
    for (let i = 0; i < 5; i += 1) refused.push(await send(OBTAIN, { variables: { u: 'ev-throttle', p: `bad again ${i}` } }));
    for (const response of refused) expect(response.status).toBe(429);
    await flushThrottled();
    const events = await eventsSince(before);
    expect(events).toMatchObject([
      { type: 'LOGIN_THROTTLED', user_id: null, username: 'ev-throttle', count: 5, detail: { scope: 'login', windowSeconds: 600 }, ...fromClient(refused[0].requestId, 'GetToken') },
    ]);
  });
});
