/**
 * GraphQL over WebSocket against the real app on a real port, with the graphql-ws client: authentication
 * at connection_init (DRF's messages as 4403 close reasons), the product events, revocation closing sockets,
 * the limits, and subscriptions refused over HTTP.
 */
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, startTestServer, tokenOf, type TestServer } from './utils';
import { openSocket, runOnce, subscribe, type Subscription, type TestSocket } from './ws-client';
import { LISTENER_NAME } from '../src/realtime/listener';

const PRODUCT_CHANGED = 'subscription { productChanged { kind product { id name description price created updated } } }';
const CREATE = 'mutation ($input: ProductInput!) { createProduct(input: $input) { id } }';

let server: TestServer;
let key: string;
let staffKey: string;
const sockets: TestSocket[] = [];

function open(params?: Record<string, unknown>): TestSocket {
  const socket = openSocket(server.wsUrl, params);
  sockets.push(socket);
  return socket;
}

async function createProduct(name: string, description = ''): Promise<string> {
  const response = await server.graphql(CREATE, { token: key, variables: { input: { name, description, price: '10' } } });
  expect(response.body.errors).toBeUndefined();
  return response.body.data.createProduct.id;
}

/**
 * A subscription answers nothing until its first event, so the test writes until one arrives: from then on
 * the server surely has it, and every later event must come.
 */
let warmUps = 0;
async function live(subscription: Subscription<any>): Promise<void> {
  const names = new Set<string>();
  for (let attempt = 0; attempt < 40; attempt += 1) {
    const name = `warm-up ${(warmUps += 1)}`;
    names.add(name);
    await createProduct(name);
    try {
      await subscription.until((result) => names.has(result.data?.productChanged?.product.name), 300);
      return;
    } catch {
      // not yet subscribed on the server: write again
    }
  }
  throw new Error('the subscription never went live');
}

const named = (name: string) => (result: { data?: any }) => result.data?.productChanged?.product.name === name;

beforeAll(async () => {
  server = await startTestServer({
    WS_MAX_SUBSCRIPTIONS: '3',
    WS_INIT_TIMEOUT_MS: '300',
    WS_MAX_MESSAGE_BYTES: '2048',
    MAX_TOKENS: '200',
    MAX_COST: '150',
  });
  const user = await makeUser(server.orm, { username: 'subscriber' });
  key = (await tokenOf(server.orm, user.id))!;
  const staff = await makeUser(server.orm, { username: 'staff-member', isStaff: true });
  staffKey = (await tokenOf(server.orm, staff.id))!;
});
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((socket) => socket.dispose()));
});
afterAll(() => server.close());

describe('authentication at connection_init', () => {
  it('accepts a valid token and runs queries with the same context as HTTP', async () => {
    const socket = open({ Authorization: `Token ${key}` });
    await socket.connected;
    const result = await runOnce(socket.client, '{ me { username } }');
    expect(result).toEqual({ data: { me: { username: 'subscriber' } } });
  });

  it('matches the Authorization key case-insensitively, and the keyword too', async () => {
    for (const params of [{ authorization: `token ${key}` }, { AUTHORIZATION: `Token    ${key}` }]) {
      const socket = open(params);
      await socket.connected;
      expect(await runOnce(socket.client, '{ me { username } }')).toEqual({ data: { me: { username: 'subscriber' } } });
    }
  });

  const refusals: [string, Record<string, unknown>, string][] = [
    ['a key that is not a token', { Authorization: 'Token 0000000000000000000000000000000000000000' }, 'Invalid token.'],
    ['a key of the wrong shape', { Authorization: 'Token not-a-key' }, 'Invalid token.'],
    ['the keyword alone', { Authorization: 'Token' }, 'Invalid token header. No credentials provided.'],
    ['a key with spaces', { Authorization: 'Token abc def' }, 'Invalid token header. Token string should not contain spaces.'],
    ['a key with invalid characters', { Authorization: 'Token abcé' }, 'Invalid token header. Token string should not contain invalid characters.'],
  ];
  for (const [what, params, message] of refusals) {
    it(`closes with 4403 "${message}" for ${what}`, async () => {
      const socket = open(params);
      const closed = await socket.closed;
      expect(closed).toMatchObject({ code: 4403, reason: message });
      await expect(socket.connected).rejects.toThrow();
    });
  }

  it('closes with 4403 "User inactive or deleted." for an inactive user', async () => {
    const inactive = await makeUser(server.orm, { username: 'sleeper', isActive: false });
    const socket = open({ Authorization: `Token ${(await tokenOf(server.orm, inactive.id))!}` });
    expect(await socket.closed).toMatchObject({ code: 4403, reason: 'User inactive or deleted.' });
  });

  it('connects anonymously without Authorization, or with another scheme, and public fields work', async () => {
    for (const params of [undefined, {}, { Authorization: 'Bearer abc' }, { Authorization: '' }, { authorization: null }]) {
      const socket = open(params as Record<string, unknown> | undefined);
      await socket.connected;
      const result = await runOnce(socket.client, 'mutation { obtainAuthToken(username: "subscriber", password: "correct horse") { userId } }');
      expect(result.data).toEqual({ obtainAuthToken: { userId: expect.any(String) } });
    }
  });

  it('refuses an Authorization that is not a string, or given twice, with 4400 (fatal for the client)', async () => {
    expect(await open({ Authorization: 42 }).closed).toMatchObject({ code: 4400, reason: 'Authorization in connection_init must be a string.' });
    expect(await open({ Authorization: `Token ${key}`, authorization: `Token ${key}` }).closed).toMatchObject({
      code: 4400,
      reason: 'connection_init has more than one Authorization entry.',
    });
  });

  it('answers an anonymous subscription to productChanged with an error message: 401 text and code', async () => {
    const socket = open();
    await socket.connected;
    const subscription = subscribe(socket.client, PRODUCT_CHANGED);
    expect(await subscription.failed).toEqual([
      expect.objectContaining({
        message: 'Authentication credentials were not provided.',
        path: ['productChanged'],
        extensions: { code: 'UNAUTHENTICATED' },
      }),
    ]);
  });

  it('answers an anonymous protected query as HTTP does, with UNAUTHENTICATED and no http extension', async () => {
    const socket = open();
    await socket.connected;
    const result = await runOnce(socket.client, '{ me { username } }');
    expect(result.data).toBeNull();
    expect(result.errors).toEqual([
      expect.objectContaining({ message: 'Authentication credentials were not provided.', extensions: { code: 'UNAUTHENTICATED' } }),
    ]);
  });

  it('applies @Authorized roles over the socket (403 FORBIDDEN for a user who is not staff)', async () => {
    const plain = open({ Authorization: `Token ${key}` });
    const staff = open({ Authorization: `Token ${staffKey}` });
    expect((await runOnce(plain.client, '{ users { total } }')).errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect((await runOnce(staff.client, '{ users { total } }')).data).toEqual({ users: { total: expect.any(Number) } });
  });

  it('authenticates each operation again, as each request is: a role taken away applies to the next one', async () => {
    const boss = await makeUser(server.orm, { username: 'demoted-boss', isStaff: true });
    const socket = open({ Authorization: `Token ${(await tokenOf(server.orm, boss.id))!}` });
    expect((await runOnce(socket.client, '{ users { total } }')).data).toEqual({ users: { total: expect.any(Number) } });
    await server.orm.em.getConnection().execute('update auth_user set is_staff = false where id = ?', [boss.id]);
    expect((await runOnce(socket.client, '{ users { total } }')).errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(await runOnce(socket.client, '{ me { isStaff } }')).toEqual({ data: { me: { isStaff: false } } });
  });

  it('refuses an invalid operation with an error message (validation) and keeps the socket', async () => {
    const socket = open({ Authorization: `Token ${key}` });
    await expect(runOnce(socket.client, '{ nothing }')).rejects.toEqual([
      expect.objectContaining({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
    ]);
    await expect(runOnce(socket.client, '{ me { username ')).rejects.toEqual([
      expect.objectContaining({ extensions: { code: 'GRAPHQL_PARSE_FAILED' } }),
    ]);
    expect(await runOnce(socket.client, '{ me { username } }')).toEqual({ data: { me: { username: 'subscriber' } } });
  });
});

describe('productChanged', () => {
  it('delivers CREATED, UPDATED and DELETED with the product as written', async () => {
    const socket = open({ Authorization: `Token ${key}` });
    const subscription = subscribe(socket.client, PRODUCT_CHANGED);
    await live(subscription);
    const id = await createProduct('Lamp', 'A desk lamp');
    await server.graphql('mutation ($id: ID!) { updateProduct(id: $id, input: {name: "Lamp 2", price: "12.5"}) { id } }', {
      token: key,
      variables: { id },
    });
    await server.graphql('mutation ($id: ID!) { deleteProduct(id: $id) }', { token: key, variables: { id } });
    await subscription.until((result) => result.data?.productChanged.kind === 'DELETED' && result.data.productChanged.product.id === id);
    const events = subscription.results.map((result) => result.data!.productChanged).filter((event) => event.product.id === id);

    expect(events.map((event) => event.kind)).toEqual(['CREATED', 'UPDATED', 'DELETED']);
    expect(events[0].product).toMatchObject({ id, name: 'Lamp', description: 'A desk lamp', price: '10.00' });
    expect(events[1].product).toMatchObject({ id, name: 'Lamp 2', description: '', price: '12.50' });
    expect(events[2].product).toMatchObject({ id, name: 'Lamp 2', price: '12.50' });
    expect(new Date(events[0].product.created).toISOString()).toBe(events[0].product.created);
  });

  it('delivers writes made outside the API too (raw SQL), and a row too large for a notification', async () => {
    const socket = open({ Authorization: `Token ${key}` });
    const subscription = subscribe(socket.client, PRODUCT_CHANGED);
    await live(subscription);
    const long = 'é'.repeat(9000);
    const [{ id }] = await server.orm.em
      .getConnection()
      .execute<{ id: number }[]>(`insert into product (name, description, price) values ('Raw', ?, 1) returning id`, [long]);
    // Too large for a notification, the created row is read by each server: still there, so it is sent.
    await subscription.until((result) => result.data?.productChanged.product.id === String(id));
    await server.orm.em.getConnection().execute('delete from product where id = ?', [id]);
    await subscription.until((result) => result.data?.productChanged.kind === 'DELETED' && result.data.productChanged.product.id === String(id));
    const [created, deleted] = subscription.results.map((result) => result.data!.productChanged).filter((event) => event.product.id === String(id));
    expect(created).toMatchObject({ kind: 'CREATED', product: { id: String(id), name: 'Raw', description: long, price: '1.00' } });
    expect(deleted).toMatchObject({ kind: 'DELETED', product: { id: String(id), name: 'Raw', description: long.slice(0, 1500) } });
  });

  it('delivers each event to every subscriber', async () => {
    const subscriptions = [open({ Authorization: `Token ${key}` }), open({ Authorization: `Token ${staffKey}` })].map((socket) =>
      subscribe(socket.client, PRODUCT_CHANGED),
    );
    for (const subscription of subscriptions) await live(subscription);
    await createProduct('For everyone');
    for (const subscription of subscriptions) {
      expect((await subscription.until(named('For everyone'))).data!.productChanged.kind).toBe('CREATED');
    }
  });
});

describe('revocation', () => {
  async function liveSocket(token: string) {
    const socket = open({ Authorization: `Token ${token}` });
    const subscription = subscribe(socket.client, PRODUCT_CHANGED);
    await live(subscription);
    return socket;
  }

  it('closes every socket of a token deleted by logout with 4403 "Invalid token." within the second', async () => {
    const user = await makeUser(server.orm, { username: 'leaver' });
    const token = (await tokenOf(server.orm, user.id))!;
    const [first, second] = [await liveSocket(token), await liveSocket(token)];
    const other = await liveSocket(key);
    const start = Date.now();
    expect((await server.graphql('mutation { logout }', { token })).body.data).toEqual({ logout: true });
    for (const socket of [first, second]) {
      const closed = await socket.closed;
      expect(closed).toMatchObject({ code: 4403, reason: 'Invalid token.' });
      expect(closed.at - start).toBeLessThan(1000);
    }
    // Someone else's socket stays open and working.
    expect(await runOnce(other.client, '{ me { username } }')).toEqual({ data: { me: { username: 'subscriber' } } });
  });

  it('closes the sockets of a regenerated token, and the new key connects', async () => {
    const user = await makeUser(server.orm, { username: 'rotator' });
    const token = (await tokenOf(server.orm, user.id))!;
    const socket = await liveSocket(token);
    const start = Date.now();
    const regenerated = await server.graphql('mutation { regenerateToken { token } }', { token });
    const closed = await socket.closed;
    expect(closed).toMatchObject({ code: 4403, reason: 'Invalid token.' });
    expect(closed.at - start).toBeLessThan(1000);
    const fresh = open({ Authorization: `Token ${regenerated.body.data.regenerateToken.token}` });
    await fresh.connected;
  });

  it('closes the sockets of a token an admin deletes', async () => {
    const user = await makeUser(server.orm, { username: 'deleted-by-admin' });
    const token = (await tokenOf(server.orm, user.id))!;
    const socket = await liveSocket(token);
    await server.graphql('mutation ($key: String!) { deleteToken(key: $key) }', { token: staffKey, variables: { key: token } });
    expect(await socket.closed).toMatchObject({ code: 4403, reason: 'Invalid token.' });
  });

  it('closes the sockets of a deactivated user with "User inactive or deleted.", even if the write is raw SQL', async () => {
    const user = await makeUser(server.orm, { username: 'deactivated' });
    const token = (await tokenOf(server.orm, user.id))!;
    const socket = await liveSocket(token);
    const start = Date.now();
    await server.orm.em.getConnection().execute('update auth_user set is_active = false where id = ?', [user.id]);
    const closed = await socket.closed;
    expect(closed).toMatchObject({ code: 4403, reason: 'User inactive or deleted.' });
    expect(closed.at - start).toBeLessThan(1000);
  });

  it('leaves sockets open when a user is saved without being deactivated', async () => {
    const user = await makeUser(server.orm, { username: 'unchanged' });
    const token = (await tokenOf(server.orm, user.id))!;
    const socket = await liveSocket(token);
    await server.orm.em.getConnection().execute('update auth_user set is_active = true, first_name = ? where id = ?', ['Ann', user.id]);
    await server.orm.em.getConnection().execute('update auth_user set last_login = now() where id = ?', [user.id]);
    expect(await runOnce(socket.client, '{ me { username } }')).toEqual({ data: { me: { username: 'unchanged' } } });
  });

  it('closes the sockets of a deleted user', async () => {
    const user = await makeUser(server.orm, { username: 'gone' });
    const token = (await tokenOf(server.orm, user.id))!;
    const socket = await liveSocket(token);
    await server.orm.em.getConnection().execute('delete from auth_user where id = ?', [user.id]);
    expect(await socket.closed).toMatchObject({ code: 4403, reason: 'Invalid token.' });
  });

  it('never puts a token key in a notification', async () => {
    const user = await makeUser(server.orm, { username: 'watched' });
    const token = (await tokenOf(server.orm, user.id))!;
    const { Client } = await import('pg');
    const listener = new Client({ connectionString: server.databaseUrl });
    await listener.connect();
    const payloads: string[] = [];
    listener.on('notification', (message) => payloads.push(message.payload ?? ''));
    await listener.query('listen authtoken_revoked');
    await server.graphql('mutation { regenerateToken { token } }', { token });
    for (let i = 0; i < 50 && payloads.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    await listener.end();
    expect(payloads.length).toBeGreaterThan(0);
    expect(payloads.join('\n')).not.toContain(token);
    expect(JSON.parse(payloads[0])).toEqual({ kind: 'AUTHTOKEN', ids: [expect.stringMatching(/^[0-9a-f]{64}$/)] });
  });

  it("names what it revokes by the schema's token kinds, as tokenInfo does, and a deactivated user as USER", async () => {
    const user = await makeUser(server.orm, { username: 'kinds', password: 'correct horse' });
    const { Client } = await import('pg');
    const listener = new Client({ connectionString: server.databaseUrl });
    await listener.connect();
    const payloads: { kind: string; ids: string[] }[] = [];
    listener.on('notification', (message) => payloads.push(JSON.parse(message.payload ?? '')));
    await listener.query('listen authtoken_revoked');
    const login = await server.graphql('mutation { login(username: "kinds", password: "correct horse") { token tokenId } }');
    const { token, tokenId } = login.body.data.login;
    const info = await server.graphql('{ tokenInfo { kind } }', { token });
    expect(info.body.data.tokenInfo.kind).toBe('LOGIN');
    await server.graphql('mutation { logout }', { token });
    await server.orm.em.getConnection().execute('update auth_user set is_active = false where id = ?', [user.id]);
    for (let i = 0; i < 50 && payloads.length < 2; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    await listener.end();
    expect(payloads).toEqual([
      { kind: 'LOGIN', ids: [String(tokenId)] },
      { kind: 'USER', ids: [String(user.id)] },
    ]);
  });
});

describe('limits', () => {
  it('closes a socket that sends no connection_init in time with 4408', async () => {
    const raw = new WebSocket(server.wsUrl, 'graphql-transport-ws');
    const closed = await new Promise<{ code: number; reason: string }>((resolve) => raw.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    expect(closed).toEqual({ code: 4408, reason: 'Connection initialisation timeout' });
  });

  it('refuses operations beyond WS_MAX_SUBSCRIPTIONS on one socket with LIMIT_EXCEEDED, keeping the others', async () => {
    const socket = open({ Authorization: `Token ${key}` });
    const subscriptions = [1, 2, 3].map(() => subscribe(socket.client, PRODUCT_CHANGED));
    await live(subscriptions[2]);
    const fourth = subscribe(socket.client, PRODUCT_CHANGED);
    expect(await fourth.failed).toEqual([
      expect.objectContaining({ message: 'Too many operations at once on this socket (at most 3).', extensions: { code: 'LIMIT_EXCEEDED' } }),
    ]);
    subscriptions[0].unsubscribe();
    const replacement = subscribe(socket.client, PRODUCT_CHANGED);
    await live(replacement);
  });

  it('closes a socket that sends a message larger than WS_MAX_MESSAGE_BYTES with 1009', async () => {
    const socket = open({ Authorization: `Token ${key}` });
    await socket.connected;
    void runOnce(socket.client, `{ me { username } } # ${'x'.repeat(4096)}`).catch(() => undefined);
    expect(await socket.closed).toMatchObject({ code: 1009 });
  });

  it('holds each operation to the same limits as HTTP: tokens, depth, aliases, cost, one password field', async () => {
    const socket = open({ Authorization: `Token ${key}` });
    const refusals: [string, RegExp][] = [
      [`{ ${'me { id } '.repeat(60)}}`, /^Token limit of 200 exceeded/],
      ['{ me { a1: id a2: id a3: id a4: id a5: id a6: id a7: id a8: id a9: id a10: id a11: id a12: id a13: id a14: id a15: id a16: id } }', /alias/i],
      ['{ products(limit: 100) { items { id name } } }', /^Query cost limit of 150 exceeded/],
      ['mutation { a: obtainAuthToken(username: "x", password: "y") { token } b: obtainAuthToken(username: "x", password: "z") { token } }', /^Only one password-checking field/],
    ];
    for (const [query, message] of refusals) {
      const refused = await runOnce(socket.client, query).then(
        () => [],
        (errors) => errors,
      );
      expect(refused, query.slice(0, 60)).toEqual([expect.objectContaining({ message: expect.stringMatching(message), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })]);
    }
    expect(await runOnce(socket.client, '{ me { username } }')).toEqual({ data: { me: { username: 'subscriber' } } });
  });

  it('speaks only graphql-transport-ws (4406 without it)', async () => {
    const raw = new WebSocket(server.wsUrl);
    const closed = await new Promise<number>((resolve) => raw.on('close', (code) => resolve(code)));
    expect(closed).toBe(4406);
  });
});

describe('subscriptions over HTTP', () => {
  it('are refused with a message naming WebSocket at /graphql', async () => {
    const response = await server.graphql(PRODUCT_CHANGED, { token: key });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      expect.objectContaining({
        message: 'Subscriptions are served over WebSocket at /graphql (the graphql-transport-ws protocol), not over HTTP.',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      }),
    ]);
  });
});

describe('WS_MAX_SOCKETS', () => {
  let small: TestServer;
  beforeAll(async () => {
    small = await startTestServer({ WS_MAX_SOCKETS: '2' });
  });
  afterAll(() => small.close());

  it('refuses the upgrade past the limit with 503 and Retry-After, and accepts again once one closes', async () => {
    const first = openSocket(small.wsUrl);
    const second = openSocket(small.wsUrl);
    await Promise.all([first.connected, second.connected]);
    const refused = await new Promise<{ status: number; retryAfter: string | undefined }>((resolve, reject) => {
      const raw = new WebSocket(small.wsUrl, 'graphql-transport-ws');
      raw.on('unexpected-response', (_request, response) => {
        resolve({ status: response.statusCode!, retryAfter: response.headers['retry-after'] as string | undefined });
        raw.terminate();
      });
      raw.on('open', () => reject(new Error('a third socket was accepted')));
      raw.on('error', () => undefined);
    });
    expect(refused).toEqual({ status: 503, retryAfter: '1' });
    await first.dispose();
    await first.closed;
    const third = openSocket(small.wsUrl);
    await third.connected;
    await Promise.all([second.dispose(), third.dispose()]);
  });
});

describe('a lost LISTEN connection', () => {
  it('closes authenticated sockets with 1012 (revocations could be missed), then reconnects and follows revocations again', async () => {
    const user = await makeUser(server.orm, { username: 'through-outage' });
    const token = (await tokenOf(server.orm, user.id))!;
    const authenticated = open({ Authorization: `Token ${token}` });
    const anonymous = open();
    await Promise.all([authenticated.connected, anonymous.connected]);

    // By name: its last query is a LISTEN, or the health check that runs every 15 s (slow runs reach it).
    const terminated = await server.orm.em
      .getConnection()
      .execute<{ ok: boolean }[]>(
        'select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = current_database() and application_name = ?',
        [LISTENER_NAME],
      );
    expect(terminated).toEqual([{ ok: true }]);
    expect(await authenticated.closed).toMatchObject({ code: 1012 });

    // Back within a second or so: a new socket is accepted and a revocation reaches it.
    let again: TestSocket | undefined;
    for (let attempt = 0; attempt < 50 && !again; attempt += 1) {
      const socket = open({ Authorization: `Token ${token}` });
      const outcome = await Promise.race([socket.connected.then(() => 'connected'), socket.closed.then((closed) => closed.code)]);
      if (outcome === 'connected') again = socket;
      else expect(outcome).toBe(1013);
      if (!again) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(again).toBeDefined();
    await server.graphql('mutation { logout }', { token });
    expect(await again!.closed).toMatchObject({ code: 4403, reason: 'Invalid token.' });
    // The anonymous socket had nothing to lose and stayed.
    expect((await runOnce(anonymous.client, '{ __typename }')).data).toEqual({ __typename: 'Query' });
  });
});

describe('WS_KEEPALIVE_MS', () => {
  let pinging: TestServer;
  beforeAll(async () => {
    pinging = await startTestServer({ WS_KEEPALIVE_MS: '200' });
  });
  afterAll(() => pinging.close());

  it('pings every socket, and drops one that stops answering while one that answers stays', async () => {
    const answering = openSocket(pinging.wsUrl);
    await answering.connected;
    // ws answers pings by itself unless told not to: this one plays a client whose network went away.
    const silent = new WebSocket(pinging.wsUrl, 'graphql-transport-ws', { autoPong: false });
    let pinged = 0;
    silent.on('ping', () => (pinged += 1));
    await new Promise((resolve) => silent.once('open', resolve));
    silent.send(JSON.stringify({ type: 'connection_init' }));
    const dropped = await new Promise<number>((resolve) => silent.once('close', (code) => resolve(code)));
    expect(pinged).toBeGreaterThan(0);
    expect(dropped).toBe(1006);
    expect((await runOnce(answering.client, '{ __typename }')).data).toEqual({ __typename: 'Query' });
    await answering.dispose();
  });
});

describe('login tokens', () => {
  async function login(target: TestServer, username: string, name = 'laptop') {
    const response = await target.graphql('mutation ($u: String!, $n: String) { login(username: $u, password: "correct horse", name: $n) { token tokenId expiry } }', {
      variables: { u: username, n: name },
    });
    expect(response.body.errors).toBeUndefined();
    return response.body.data.login as { token: string; tokenId: string; expiry: string | null };
  }

  it('authenticate a socket as DRF tokens do, and revoking one (revokeToken, logoutAll) closes its sockets within the second', async () => {
    await makeUser(server.orm, { username: 'knox-user' });
    const phone = await login(server, 'knox-user', 'phone');
    const laptop = await login(server, 'knox-user', 'laptop');
    const phoneSocket = open({ Authorization: `Token ${phone.token}` });
    const laptopSocket = open({ Authorization: `Token ${laptop.token}` });
    expect(await runOnce(phoneSocket.client, '{ tokenInfo { kind name } }')).toEqual({ data: { tokenInfo: { kind: 'LOGIN', name: 'phone' } } });
    await laptopSocket.connected;

    // The laptop revokes the phone: only the phone's socket closes.
    const started = Date.now();
    await server.graphql('mutation ($id: ID!) { revokeToken(id: $id) }', { token: laptop.token, variables: { id: phone.tokenId } });
    const closed = await phoneSocket.closed;
    expect(closed).toMatchObject({ code: 4403, reason: 'Invalid token.' });
    expect(closed.at - started).toBeLessThan(1000);
    expect((await runOnce(laptopSocket.client, '{ me { username } }')).data).toEqual({ me: { username: 'knox-user' } });

    await server.graphql('mutation { logoutAll }', { token: laptop.token });
    expect(await laptopSocket.closed).toMatchObject({ code: 4403, reason: 'Invalid token.' });
  });
});

describe('login token expiry', () => {
  let short: TestServer;
  beforeAll(async () => {
    short = await startTestServer({ TOKEN_TTL: '2' });
  });
  afterAll(() => short.close());

  it('closes a socket when its login token expires, with "Invalid token.", within the second', async () => {
    await makeUser(short.orm, { username: 'short-lived' });
    const response = await short.graphql('mutation { login(username: "short-lived", password: "correct horse") { token expiry } }');
    const { token, expiry } = response.body.data.login as { token: string; expiry: string };
    const socket = openSocket(short.wsUrl, { Authorization: `Token ${token}` });
    await socket.connected;
    const closed = await socket.closed;
    expect(closed).toMatchObject({ code: 4403, reason: 'Invalid token.' });
    expect(closed.at).toBeGreaterThanOrEqual(new Date(expiry).getTime());
    expect(closed.at - new Date(expiry).getTime()).toBeLessThan(1000);
  });
});
