// The security log's events (src/security/): one event of the right type, with every field, for each action
// that has one; no secret sent in this file's session in any event; a rolled-back write leaves none; the hot
// read path writes none. Real database, real HTTP and WebSocket.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/commands';
import { flushThrottled } from '../src/security/security-log';
import type { EventRow } from '../src/security/security-event.queries';
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

const LOGOUT = 'mutation SignOut { logout }';
const LOGOUT_ALL = 'mutation SignOutEverywhere { logoutAll }';
const REVOKE = 'mutation Revoke($id: ID!) { revokeToken(id: $id) }';
const REGENERATE = 'mutation Rotate { regenerateToken { token } }';
const CHANGE = 'mutation NewPassword($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }';

describe("events of a user's tokens and password", () => {
  it('logout: LOGOUT naming the token it deleted, then the MUTATION of the operation', async () => {
    const userId = await register('ev-logout');
    const { token } = await login('ev-logout');
    const before = await lastId();
    const response = await send(LOGOUT, { token });
    expect(response.body.data.logout).toBe(true);
    expect(await eventsSince(before)).toMatchObject([
      { type: 'LOGOUT', user_id: userId, actor_id: userId, token_kind: 'LOGIN', token_key: token.slice(0, 15), detail: null, ...fromClient(response.requestId, 'SignOut') },
      { type: 'MUTATION', user_id: userId, actor_id: userId, token_kind: 'LOGIN', token_key: token.slice(0, 15), detail: { fields: ['logout'] }, ...fromClient(response.requestId, 'SignOut') },
    ]);
  });

  it('logoutAll: TOKEN_REVOKED for each token, LOGOUT_ALL with the count', async () => {
    const userId = await register('ev-all');
    const key = (await tokenOf(server.orm, userId))!;
    const phone = await login('ev-all', 'Phone');
    const before = await lastId();
    const response = await send(LOGOUT_ALL, { token: phone.token });
    expect(response.body.data.logoutAll).toBe(2);
    const events = await eventsSince(before);
    const common = { user_id: userId, actor_id: userId, token_kind: 'LOGIN', token_key: phone.token.slice(0, 15), ...fromClient(response.requestId, 'SignOutEverywhere') };
    expect(events).toMatchObject([
      { type: 'TOKEN_REVOKED', detail: { tokenKind: 'AUTHTOKEN', tokenKey: key.slice(0, 15) }, ...common },
      { type: 'TOKEN_REVOKED', detail: { tokenKind: 'LOGIN', tokenKey: phone.token.slice(0, 15) }, ...common },
      { type: 'LOGOUT_ALL', detail: { count: 2 }, ...common },
      { type: 'MUTATION', detail: { fields: ['logoutAll'] }, ...common },
    ]);
  });

  it('revokeToken: TOKEN_REVOKED naming the revoked token, made with the token in use', async () => {
    const userId = await register('ev-revoke');
    const phone = await login('ev-revoke', 'Phone');
    const laptop = await login('ev-revoke', 'Laptop');
    const before = await lastId();
    const response = await send(REVOKE, { token: laptop.token, variables: { id: phone.tokenId } });
    expect(response.body.data.revokeToken).toBe(true);
    expect((await eventsSince(before)).slice(0, 1)).toMatchObject([
      { type: 'TOKEN_REVOKED', user_id: userId, token_key: laptop.token.slice(0, 15), detail: { tokenKind: 'LOGIN', tokenKey: phone.token.slice(0, 15) }, ...fromClient(response.requestId, 'Revoke') },
    ]);
  });

  it('regenerateToken: TOKEN_REVOKED for the old key and TOKEN_CREATED for the new one', async () => {
    const userId = await register('ev-regen');
    const old = (await tokenOf(server.orm, userId))!;
    const before = await lastId();
    const response = await send(REGENERATE, { token: old });
    const fresh = response.body.data.regenerateToken.token;
    secrets.add(fresh);
    const common = { user_id: userId, token_kind: 'AUTHTOKEN', token_key: old.slice(0, 15), ...fromClient(response.requestId, 'Rotate') };
    expect((await eventsSince(before)).slice(0, 2)).toMatchObject([
      { type: 'TOKEN_REVOKED', detail: { tokenKind: 'AUTHTOKEN', tokenKey: old.slice(0, 15) }, ...common },
      { type: 'TOKEN_CREATED', detail: { tokenKind: 'AUTHTOKEN', tokenKey: fresh.slice(0, 15) }, ...common },
    ]);
  });

  it('changePassword: TOKEN_REVOKED for each other token and PASSWORD_CHANGED; a wrong current password is LOGIN_FAILED_PASSWORD', async () => {
    const userId = await register('ev-change');
    const key = (await tokenOf(server.orm, userId))!;
    const phone = await login('ev-change', 'Phone');
    const before = await lastId();
    const wrong = await send(CHANGE, { token: phone.token, variables: { c: 'not it at all', n: 'a new secret 123' } });
    secrets.add('not it at all');
    expect(wrong.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const response = await send(CHANGE, { token: phone.token, variables: { c: PASSWORD, n: 'a new secret 456' } });
    secrets.add('a new secret 456').add('a new secret 123');
    expect(response.body.data.changePassword).toBe(true);
    const common = { user_id: userId, actor_id: userId, token_kind: 'LOGIN', token_key: phone.token.slice(0, 15) };
    expect(await eventsSince(before)).toMatchObject([
      { type: 'LOGIN_FAILED_PASSWORD', username: 'ev-change', detail: { reauthentication: true }, ...common, ...fromClient(wrong.requestId, 'NewPassword') },
      { type: 'TOKEN_REVOKED', detail: { tokenKind: 'AUTHTOKEN', tokenKey: key.slice(0, 15) }, ...common, ...fromClient(response.requestId, 'NewPassword') },
      { type: 'PASSWORD_CHANGED', detail: null, ...common, ...fromClient(response.requestId, 'NewPassword') },
      { type: 'MUTATION', detail: { fields: ['changePassword'] }, ...common },
    ]);
  });

  it('TOKEN_EXPIRED: an expired login token presented, with its owner and prefix', async () => {
    const userId = await register('ev-expired');
    const phone = await login('ev-expired');
    await server.orm.em.getConnection().execute("update authtoken_login_token set expiry = now() - interval '1 second' where id = ?", [phone.tokenId]);
    const before = await lastId();
    const response = await send('query Me { me { id } }', { token: phone.token });
    expect(response.status).toBe(401);
    expect(await eventsSince(before)).toMatchObject([
      { type: 'TOKEN_EXPIRED', user_id: userId, token_kind: 'LOGIN', token_key: phone.token.slice(0, 15), detail: null, ...fromClient(response.requestId, 'Me') },
    ]);
  });
});

const CREATE_USER = 'mutation AddUser($input: CreateUserInput!) { createUser(input: $input) { id } }';
const SET_ACTIVE = 'mutation Activate($id: ID!, $a: Boolean!) { setUserActive(id: $id, active: $a) { isActive } }';
const SET_PASSWORD = 'mutation SetPw($id: ID!, $p: String!) { setPassword(id: $id, password: $p) }';
const CREATE_TOKEN = 'mutation AddToken($u: String!, $r: Boolean) { createToken(username: $u, reset: $r) { key } }';
const DELETE_TOKEN = 'mutation DropToken($k: String!) { deleteToken(key: $k) }';
const DELETE_LOGIN_TOKEN = 'mutation DropLoginToken($id: ID!) { deleteLoginToken(id: $id) }';

describe('events of staff', () => {
  let staffId: number;
  let staffKey: string;
  beforeAll(async () => {
    staffId = (await makeUser(server.orm, { username: 'ev-staff', isStaff: true })).id;
    staffKey = (await tokenOf(server.orm, staffId))!;
    secrets.add(staffKey);
  });
  const asStaff = (requestId: string, operation: string) => ({ actor_id: staffId, token_kind: 'AUTHTOKEN', token_key: staffKey.slice(0, 15), ...fromClient(requestId, operation) });

  it('createUser: USER_CREATED for the new user, by the staff member', async () => {
    const before = await lastId();
    const response = await send(CREATE_USER, { token: staffKey, variables: { input: { username: 'ev-made', email: 'ev-made@example.com', password: 'made password 1' } } });
    secrets.add('made password 1');
    const userId = Number(response.body.data.createUser.id);
    expect((await eventsSince(before)).slice(0, 2)).toMatchObject([
      { type: 'USER_CREATED', user_id: userId, username: 'ev-made', detail: null, ...asStaff(response.requestId, 'AddUser') },
      { type: 'TOKEN_CREATED', user_id: userId, detail: { tokenKind: 'AUTHTOKEN' }, ...asStaff(response.requestId, 'AddUser') },
    ]);
  });

  it('setUserActive: USER_DEACTIVATED and USER_ACTIVATED', async () => {
    const user = await makeUser(server.orm, { username: 'ev-toggle' });
    const before = await lastId();
    const off = await send(SET_ACTIVE, { token: staffKey, variables: { id: String(user.id), a: false } });
    const on = await send(SET_ACTIVE, { token: staffKey, variables: { id: String(user.id), a: true } });
    const events = (await eventsSince(before)).filter((event) => event.type !== 'MUTATION');
    expect(events).toMatchObject([
      { type: 'USER_DEACTIVATED', user_id: user.id, detail: null, ...asStaff(off.requestId, 'Activate') },
      { type: 'USER_ACTIVATED', user_id: user.id, detail: null, ...asStaff(on.requestId, 'Activate') },
    ]);
  });

  it("setPassword: TOKEN_REVOKED for each of the user's tokens and PASSWORD_SET", async () => {
    const user = await makeUser(server.orm, { username: 'ev-setpw' });
    const key = (await tokenOf(server.orm, user.id))!;
    const before = await lastId();
    const response = await send(SET_PASSWORD, { token: staffKey, variables: { id: String(user.id), p: 'staff set this 1' } });
    secrets.add('staff set this 1');
    expect((await eventsSince(before)).slice(0, 2)).toMatchObject([
      { type: 'TOKEN_REVOKED', user_id: user.id, detail: { tokenKind: 'AUTHTOKEN', tokenKey: key.slice(0, 15) }, ...asStaff(response.requestId, 'SetPw') },
      { type: 'PASSWORD_SET', user_id: user.id, detail: null, ...asStaff(response.requestId, 'SetPw') },
    ]);
  });

  it('createToken, deleteToken and deleteLoginToken: TOKEN_CREATED and TOKEN_REVOKED on the owner', async () => {
    const user = await makeUser(server.orm, { username: 'ev-tokens' });
    const old = (await tokenOf(server.orm, user.id))!;
    const phone = await login('ev-tokens');
    const before = await lastId();
    const reset = await send(CREATE_TOKEN, { token: staffKey, variables: { u: 'ev-tokens', r: true } });
    const fresh = reset.body.data.createToken.key;
    secrets.add(fresh);
    const drop = await send(DELETE_TOKEN, { token: staffKey, variables: { k: fresh } });
    const dropLogin = await send(DELETE_LOGIN_TOKEN, { token: staffKey, variables: { id: phone.tokenId } });
    expect((await eventsSince(before)).filter((event) => event.type !== 'MUTATION')).toMatchObject([
      { type: 'TOKEN_REVOKED', user_id: user.id, detail: { tokenKind: 'AUTHTOKEN', tokenKey: old.slice(0, 15) }, ...asStaff(reset.requestId, 'AddToken') },
      { type: 'TOKEN_CREATED', user_id: user.id, detail: { tokenKind: 'AUTHTOKEN', tokenKey: fresh.slice(0, 15) }, ...asStaff(reset.requestId, 'AddToken') },
      { type: 'TOKEN_REVOKED', user_id: user.id, detail: { tokenKind: 'AUTHTOKEN', tokenKey: fresh.slice(0, 15) }, ...asStaff(drop.requestId, 'DropToken') },
      { type: 'TOKEN_REVOKED', user_id: user.id, detail: { tokenKind: 'LOGIN', tokenKey: phone.token.slice(0, 15) }, ...asStaff(dropLogin.requestId, 'DropLoginToken') },
    ]);
  });

  it('PERMISSION_DENIED: one event per refused operation, naming the field, whatever its aliases', async () => {
    const userId = await register('ev-denied');
    const key = (await tokenOf(server.orm, userId))!;
    const before = await lastId();
    const response = await send('query Peek { a: users { total } b: users { total } }', { token: key });
    expect(response.status).toBe(403);
    expect(await eventsSince(before)).toMatchObject([
      { type: 'PERMISSION_DENIED', user_id: userId, actor_id: userId, token_kind: 'AUTHTOKEN', token_key: key.slice(0, 15), detail: { field: 'Query.users', roles: ['STAFF'] }, ...fromClient(response.requestId, 'Peek') },
    ]);
  });

  it("PERMISSION_DENIED: staff changing a superuser's account", async () => {
    const boss = await makeUser(server.orm, { username: 'ev-boss', isSuperuser: true, isStaff: true });
    const before = await lastId();
    const response = await send(SET_ACTIVE, { token: staffKey, variables: { id: String(boss.id), a: false } });
    expect(response.status).toBe(403);
    expect(await eventsSince(before)).toMatchObject([
      { type: 'PERMISSION_DENIED', user_id: staffId, detail: { reason: 'Only a superuser may change a staff or superuser account.' }, ...asStaff(response.requestId, 'Activate') },
    ]);
  });
});

function io(env: Record<string, string>) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (out += chunk));
  return { io: { stdout, stderr, stdin: new PassThrough(), env }, output: () => out };
}

describe('events of the management commands', () => {
  it('create-token, createsuperuser and cleartokens record their events with detail.command and no client', async () => {
    const env = { DATABASE_URL: server.databaseUrl, BCRYPT_ROUNDS: '4', LOG_LEVEL: 'silent' };
    const user = await makeUser(server.orm, { username: 'ev-cli' });
    const old = (await tokenOf(server.orm, user.id))!;
    const phone = await login('ev-cli');
    await server.orm.em.getConnection().execute("update authtoken_login_token set expiry = now() - interval '1 second' where id = ?", [phone.tokenId]);
    const before = await lastId();
    const reset = io(env);
    expect(await main(['create-token', 'ev-cli', '-r'], reset.io)).toBe(0);
    const fresh = /Generated token ([0-9a-f]{40})/.exec(reset.output())![1];
    secrets.add(fresh);
    const superuser = io(env);
    expect(await main(['createsuperuser', '--username', 'ev-root', '--email', 'root@example.com', '--password', 'root password 1'], superuser.io)).toBe(0);
    secrets.add('root password 1');
    const clear = io(env);
    expect(await main(['cleartokens'], clear.io)).toBe(0);
    const events = await eventsSince(before);
    const none = { actor_id: null, token_kind: null, token_key: null, ip: null, user_agent: null, request_id: null, operation: null };
    const rootId = events.find((event) => event.type === 'USER_CREATED')!.user_id;
    expect(events).toMatchObject([
      { type: 'TOKEN_REVOKED', user_id: user.id, detail: { tokenKind: 'AUTHTOKEN', tokenKey: old.slice(0, 15), command: 'create-token' }, ...none },
      { type: 'TOKEN_CREATED', user_id: user.id, detail: { tokenKind: 'AUTHTOKEN', tokenKey: fresh.slice(0, 15), command: 'create-token' }, ...none },
      { type: 'USER_CREATED', user_id: rootId, username: 'ev-root', detail: { command: 'createsuperuser' }, ...none },
      { type: 'TOKEN_CREATED', user_id: rootId, detail: { tokenKind: 'AUTHTOKEN', command: 'createsuperuser' }, ...none },
      { type: 'TOKEN_REVOKED', user_id: user.id, detail: { tokenKind: 'LOGIN', tokenKey: phone.token.slice(0, 15), reason: 'expired', command: 'cleartokens' }, ...none },
    ]);
  });
});

describe('the MUTATION trail', () => {
  it("lists exactly the mutations made with a token, over HTTP and WebSocket, and none of another token's", async () => {
    const userId = await register('ev-trail');
    const key = (await tokenOf(server.orm, userId))!;
    const phone = await login('ev-trail', 'Phone');
    const laptop = await login('ev-trail', 'Laptop');
    // With the phone's token: two mutations over HTTP (one with two fields), a query, a failed mutation.
    await send('mutation Add1 { createProduct(input: { name: "Trail 1", price: "1.00" }) { id } }', { token: phone.token });
    await send('mutation Two { a: createProduct(input: { name: "Trail 2", price: "2.00" }) { id } b: createProduct(input: { name: "Trail 3", price: "3.00" }) { id } }', { token: phone.token });
    await send('query Look { me { id } }', { token: phone.token });
    await send('mutation Bad { revokeToken(id: "999999") }', { token: phone.token });
    // With the laptop's token: another mutation, not in the phone's trail.
    await send('mutation Other { createProduct(input: { name: "Trail 4", price: "4.00" }) { id } }', { token: laptop.token });
    // And over a socket with the phone's token.
    const socket = openSocket(server.wsUrl, { Authorization: `Token ${phone.token}` });
    await socket.connected;
    const result = await runOnce(socket.client, 'mutation OverSocket { createProduct(input: { name: "Trail 5", price: "5.00" }) { id } }');
    expect(result.errors).toBeUndefined();
    await socket.dispose();

    const trail = await server.orm.em.getConnection().execute<EventRow[]>(
      "select * from authtoken_security_event where token_key = ? and type = 'MUTATION' order by id",
      [phone.token.slice(0, 15)],
    );
    expect(trail.map((event) => [event.operation, event.detail])).toEqual([
      ['Add1', { fields: ['createProduct'] }],
      ['Two', { fields: ['createProduct'] }],
      ['OverSocket', { fields: ['createProduct'] }],
    ]);
    expect(trail[2]).toMatchObject({ user_id: userId, token_kind: 'LOGIN', ip: '127.0.0.1', request_id: null });
    expect(key).toBeTruthy();
  });
});

describe('what is not recorded', () => {
  it('a read with a valid token costs one query and writes no event', async () => {
    const userId = await register('ev-read');
    const key = (await tokenOf(server.orm, userId))!;
    await send('query Warm { me { id } }', { token: key });
    const before = await lastId();
    const { queries } = await countQueries(server.orm, () => send('query Me { me { username } products { total } }', { token: key }));
    expect(queries.filter((sql) => /authtoken_security_event/.test(sql))).toEqual([]);
    expect(await eventsSince(before)).toEqual([]);
  });

  it('a rolled-back write leaves no event: a duplicate registration, a login over the token limit', async () => {
    await register('ev-dup');
    const before = await lastId();
    const duplicate = await send(REGISTER, { variables: { input: { username: 'EV-DUP', email: 'dup@example.com', password: PASSWORD } } });
    expect(duplicate.body.errors?.[0].message).toBe('username: A user with that username already exists.');
    expect(await eventsSince(before)).toEqual([]);

    const limited = await startTestServer({ TOKEN_LIMIT_PER_USER: '1' }, { databaseUrl: server.databaseUrl });
    try {
      await makeUser(limited.orm, { username: 'ev-limit' });
      const first = await limited.graphql(LOGIN, { variables: { u: 'ev-limit', p: PASSWORD } });
      secrets.add(first.body.data.login.token);
      const mid = await lastId();
      const refused = await limited.graphql(LOGIN, { variables: { u: 'ev-limit', p: PASSWORD } });
      expect(refused.status).toBe(403);
      expect(await eventsSince(mid)).toEqual([]);
    } finally {
      await limited.close();
    }
  });
});

describe('secrets', () => {
  it('no password, key or Authorization value sent in this file appears anywhere in the table', async () => {
    const rows = await server.orm.em.getConnection().execute<{ text: string }[]>('select row_to_json(e)::text as text from authtoken_security_event e');
    const table = rows.map((row) => row.text).join('\n');
    expect(rows.length).toBeGreaterThan(40);
    expect(secrets.size).toBeGreaterThan(20);
    for (const secret of secrets) {
      expect(table).not.toContain(secret);
      expect(table).not.toContain(`Token ${secret}`);
      // A key's public prefix is recorded; anything longer would be the key itself.
      if (/^[0-9a-f]{40,}$/.test(secret)) expect(table).not.toContain(secret.slice(0, 16));
    }
  });
});
