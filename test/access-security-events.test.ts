// The seams between the security log (issue 18), access tokens and sudo mode (issue 20) and cookie sessions
// (issue 19), against the real server over HTTP and WebSocket: TOKEN_CREATED / TOKEN_ROTATED / TOKEN_REVOKED
// of an access token (tokenKind ACCESS), PASSWORD_CONFIRMED, TOKEN_NETWORK_REFUSED (the 401 an unknown
// key's, the allowed path still one query), PERMISSION_DENIED for scope and sudo refusals; and a cookie
// session as an unrestricted login token that confirmPassword makes fresh.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/commands';
import { createAccessToken, type AccessTokenSpec } from '../src/authtoken/token-store';
import type { User } from '../src/users/user.entity';
import { countQueries, makeUser, startTestServer, tokenOf, type RequestOptions, type TestServer } from './utils';
import { openSocket, runOnce } from './ws-client';

const PASSWORD = 'correct horse';
const CREATE = `mutation MakeKey($scopes: [String!]!, $cidrs: [String!]) {
  createAccessToken(name: "ci", scopes: $scopes, allowedCidrs: $cidrs) { token tokenId }
}`;
const LOGIN = 'mutation LogIn($u: String!, $p: String!) { login(username: $u, password: $p) { token tokenId } }';

interface EventRow {
  type: string;
  user_id: number | null;
  actor_id: number | null;
  token_kind: string | null;
  token_key: string | null;
  ip: string | null;
  operation: string | null;
  detail: Record<string, unknown> | null;
}

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ AUTH_COOKIE: 'true', SUDO_MAX_AGE: '900' });
});
afterAll(() => server.close());

async function lastId(): Promise<number> {
  const [row] = await server.orm.em.getConnection().execute<{ id: string | null }[]>('select max(id) as id from authtoken_security_event');
  return Number(row.id ?? 0);
}

async function eventsSince(after: number): Promise<EventRow[]> {
  return server.orm.em
    .getConnection()
    .execute<EventRow[]>('select type, user_id, actor_id, token_kind, token_key, ip, operation, detail from authtoken_security_event where id > ? order by id', [after]);
}

async function accessTokenCount(userId: number): Promise<number> {
  const [row] = await server.orm.em.getConnection().execute<{ n: number }[]>(`select count(*)::int as n from authtoken_login_token where user_id = ? and kind = 'access'`, [userId]);
  return row.n;
}

function spec(overrides: Partial<AccessTokenSpec> = {}): AccessTokenSpec {
  return { name: 'ci', scopes: ['products:read'], expiresInDays: 30, allowedCidrs: [], rate: null, ...overrides };
}

async function accessToken(user: User, overrides: Partial<AccessTokenSpec> = {}) {
  return createAccessToken(server.orm.em.fork(), user.id, spec(overrides), server.settings.loginTokens.prefix);
}

/** A login token fresh for sudo mode (login marks the token it returns). */
async function freshLogin(user: User): Promise<{ token: string; tokenId: string }> {
  const response = await server.graphql(LOGIN, { variables: { u: user.username, p: PASSWORD } });
  expect(response.body.errors).toBeUndefined();
  return response.body.data.login;
}

const send = (query: string, options: RequestOptions = {}) => server.graphql(query, { ...options, headers: { 'x-forwarded-for': '203.0.113.9', ...options.headers } });

describe('events of access tokens', () => {
  it('createAccessToken records TOKEN_CREATED (tokenKind ACCESS) in its transaction; a refused one records none', async () => {
    const user = await makeUser(server.orm, { username: 'maker', password: PASSWORD });
    const login = await freshLogin(user);
    const before = await lastId();
    const response = await send(CREATE, { token: login.token, variables: { scopes: ['products:read'] } });
    expect(response.body.errors).toBeUndefined();
    const key = response.body.data.createAccessToken.token as string;
    const events = await eventsSince(before);
    expect(events.filter((event) => event.type !== 'MUTATION')).toEqual([
      {
        type: 'TOKEN_CREATED',
        user_id: user.id,
        actor_id: user.id,
        token_kind: 'LOGIN',
        token_key: login.token.slice(0, 15),
        ip: '203.0.113.9',
        operation: 'MakeKey',
        detail: { tokenKind: 'ACCESS', tokenKey: key.slice(0, 15) },
      },
    ]);
    // A refused creation (a bad scope) writes no token and no event.
    const mid = await lastId();
    const bad = await send(CREATE, { token: login.token, variables: { scopes: ['nope:read'] } });
    expect(bad.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await eventsSince(mid)).toEqual([]);
    expect(await accessTokenCount(user.id)).toBe(1);
  });

  it("manage create-access-token records TOKEN_CREATED with detail.command and no client", async () => {
    const user = await makeUser(server.orm, { username: 'cli-owner' });
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (chunk) => (out += chunk));
    const io = { stdout, stderr: stdout, stdin: new PassThrough(), env: { DATABASE_URL: server.databaseUrl, LOG_LEVEL: 'silent' } };
    const before = await lastId();
    expect(await main(['create-access-token', 'cli-owner', '--name', 'deploy', '--scope', 'products:read'], io)).toBe(0);
    const key = /Generated access token (\S+)/.exec(out)![1];
    expect(await eventsSince(before)).toEqual([
      {
        type: 'TOKEN_CREATED',
        user_id: user.id,
        actor_id: null,
        token_kind: null,
        token_key: null,
        ip: null,
        operation: null,
        detail: { tokenKind: 'ACCESS', tokenKey: key.slice(0, 15), command: 'create-access-token' },
      },
    ]);
    // An unknown scope: exit 1, no event.
    const mid = await lastId();
    expect(await main(['create-access-token', 'cli-owner', '--name', 'deploy', '--scope', 'nope:read'], io)).toBe(1);
    expect(await eventsSince(mid)).toEqual([]);
  });

  it('rotateToken records TOKEN_ROTATED naming the new key and the old; an unknown id records none', async () => {
    const user = await makeUser(server.orm, { username: 'rotator', password: PASSWORD });
    const login = await freshLogin(user);
    const old = await accessToken(user);
    const before = await lastId();
    const response = await send('mutation Roll($id: ID!) { rotateToken(id: $id, graceSeconds: 60) { token } }', { token: login.token, variables: { id: old.id } });
    expect(response.body.errors).toBeUndefined();
    const fresh = response.body.data.rotateToken.token as string;
    const events = (await eventsSince(before)).filter((event) => event.type !== 'MUTATION');
    expect(events).toEqual([
      {
        type: 'TOKEN_ROTATED',
        user_id: user.id,
        actor_id: user.id,
        token_kind: 'LOGIN',
        token_key: login.token.slice(0, 15),
        ip: '203.0.113.9',
        operation: 'Roll',
        detail: { tokenKind: 'ACCESS', tokenKey: fresh.slice(0, 15), previousTokenKey: old.token.slice(0, 15), graceSeconds: 60 },
      },
    ]);
    const mid = await lastId();
    const unknown = await send('mutation Roll($id: ID!) { rotateToken(id: $id) { token } }', { token: login.token, variables: { id: '999999' } });
    expect(unknown.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(await eventsSince(mid)).toEqual([]);
  });

  it('revokeToken and the staff deletion of an access token record TOKEN_REVOKED with tokenKind ACCESS', async () => {
    const user = await makeUser(server.orm, { username: 'revoker', password: PASSWORD });
    const staff = await makeUser(server.orm, { username: 'revoke-boss', password: PASSWORD, isStaff: true });
    const userKey = (await tokenOf(server.orm, user.id))!;
    const staffLogin = await freshLogin(staff);
    const mine = await accessToken(user);
    const theirs = await accessToken(user);
    const before = await lastId();
    expect((await send('mutation { revokeToken(id: "' + mine.id + '") }', { token: userKey })).body).toEqual({ data: { revokeToken: true } });
    expect((await send('mutation { deleteLoginToken(id: "' + theirs.id + '") }', { token: staffLogin.token })).body.errors).toBeUndefined();
    const revoked = (await eventsSince(before)).filter((event) => event.type === 'TOKEN_REVOKED');
    expect(revoked).toEqual([
      expect.objectContaining({ user_id: user.id, actor_id: user.id, token_kind: 'AUTHTOKEN', detail: { tokenKind: 'ACCESS', tokenKey: mine.token.slice(0, 15) } }),
      expect.objectContaining({ user_id: user.id, actor_id: staff.id, token_kind: 'LOGIN', detail: { tokenKind: 'ACCESS', tokenKey: theirs.token.slice(0, 15) } }),
    ]);
  });

  it("an access token's own requests name it: tokenKind ACCESS on its MUTATION trail", async () => {
    const user = await makeUser(server.orm, { username: 'writer' });
    const { token } = await accessToken(user, { scopes: ['products:write'] });
    const before = await lastId();
    const made = await send('mutation Make { createProduct(input: { name: "Bolt", description: "", price: "2.00" }) { id } }', { token });
    expect(made.body.errors).toBeUndefined();
    expect(await eventsSince(before)).toEqual([
      expect.objectContaining({ type: 'MUTATION', user_id: user.id, token_kind: 'ACCESS', token_key: token.slice(0, 15), operation: 'Make' }),
    ]);
  });
});

describe('TOKEN_NETWORK_REFUSED', () => {
  it('answers 401 exactly as an unknown key, writes only the event, and the allowed path stays one query', async () => {
    const user = await makeUser(server.orm, { username: 'netted' });
    const { token, id } = await accessToken(user, { scopes: ['profile:read'], allowedCidrs: ['10.0.0.0/8'] });
    const unknownKey = token.slice(0, -4) + (token.endsWith('0000') ? '1111' : '0000');
    const unknown = await send('{ me { username } }', { token: unknownKey, headers: { 'x-forwarded-for': '192.168.1.1' } });
    const before = await lastId();
    const refused = await send('query Peek { me { username } }', { token, headers: { 'x-forwarded-for': '192.168.1.1' } });
    expect(refused.status).toBe(401);
    expect({ body: refused.body, auth: refused.headers.get('www-authenticate') }).toEqual({ body: unknown.body, auth: unknown.headers.get('www-authenticate') });
    expect(refused.body).toEqual({ errors: [{ message: 'Invalid token.', extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(await eventsSince(before)).toEqual([
      { type: 'TOKEN_NETWORK_REFUSED', user_id: user.id, actor_id: user.id, token_kind: 'ACCESS', token_key: token.slice(0, 15), ip: '192.168.1.1', operation: 'Peek', detail: null },
    ]);
    // Nothing else: the token's last use untouched.
    const [row] = await server.orm.em.getConnection().execute<{ last_used: Date | null }[]>('select last_used from authtoken_login_token where id = ?', [id]);
    expect(row.last_used).toBeNull();
    // Over a socket the upgrade is refused the same way, and recorded.
    const mid = await lastId();
    const socket = openSocket(server.wsUrl, { Authorization: `Token ${token}` }, { headers: { 'x-forwarded-for': '192.168.1.1' } });
    await socket.closed;
    await socket.dispose();
    expect((await eventsSince(mid)).map((event) => [event.type, event.token_kind, event.ip])).toEqual([['TOKEN_NETWORK_REFUSED', 'ACCESS', '192.168.1.1']]);

    // From inside: no event, and (after its first use's lastUsed write) one query.
    const inside = { token, headers: { 'x-forwarded-for': '10.1.2.3' } };
    expect((await send('{ me { username } }', inside)).body).toEqual({ data: { me: { username: 'netted' } } });
    const quiet = await lastId();
    const { result, queries } = await countQueries(server.orm, () => send('{ me { username } }', inside));
    expect(result.body).toEqual({ data: { me: { username: 'netted' } } });
    expect(queries).toHaveLength(1);
    expect(await eventsSince(quiet)).toEqual([]);
  });
});

describe('PERMISSION_DENIED of scopes and sudo mode', () => {
  it('records INSUFFICIENT_SCOPE and ACCESS_TOKEN_NOT_ALLOWED once per refused operation, over HTTP and WebSocket', async () => {
    const user = await makeUser(server.orm, { username: 'scoped' });
    const { token } = await accessToken(user, { scopes: ['products:read'] });
    const before = await lastId();
    const write = await send('mutation Write { a: createProduct(input: { name: "A", description: "", price: "1.00" }) { id } b: deleteProduct(id: "1") }', { token });
    expect(write.status).toBe(403);
    const all = await send('mutation Everything { logoutAll }', { token });
    expect(all.status).toBe(403);
    const denied = { type: 'PERMISSION_DENIED', user_id: user.id, actor_id: user.id, token_kind: 'ACCESS', token_key: token.slice(0, 15), ip: '203.0.113.9' };
    expect(await eventsSince(before)).toEqual([
      { ...denied, operation: 'Write', detail: { reason: 'INSUFFICIENT_SCOPE', requiredScopes: ['products:write'] } },
      { ...denied, operation: 'Everything', detail: { reason: 'ACCESS_TOKEN_NOT_ALLOWED' } },
    ]);
    expect(await accessTokenCount(user.id)).toBe(1);

    const mid = await lastId();
    const socket = openSocket(server.wsUrl, { Authorization: `Token ${token}` });
    try {
      await socket.connected;
      await expect(runOnce(socket.client, 'mutation SocketWrite { createProduct(input: { name: "A", description: "", price: "1.00" }) { id } }')).rejects.toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ reason: 'INSUFFICIENT_SCOPE' }) }),
      ]);
    } finally {
      await socket.dispose();
    }
    expect(await eventsSince(mid)).toEqual([
      expect.objectContaining({ type: 'PERMISSION_DENIED', token_kind: 'ACCESS', operation: 'SocketWrite', detail: { reason: 'INSUFFICIENT_SCOPE', requiredScopes: ['products:write'] } }),
    ]);
  });

  it('records REAUTHENTICATION_REQUIRED; confirmPassword records PASSWORD_CONFIRMED and a wrong password does not', async () => {
    const user = await makeUser(server.orm, { username: 'sudoer', password: PASSWORD });
    const key = (await tokenOf(server.orm, user.id))!;
    const before = await lastId();
    const refused = await send(CREATE, { token: key, variables: { scopes: ['products:read'] } });
    expect(refused.status).toBe(403);
    expect(refused.body.errors?.[0]).toMatchObject({ message: 'Confirm your password to continue.', extensions: { code: 'FORBIDDEN', reason: 'REAUTHENTICATION_REQUIRED' } });
    expect(await accessTokenCount(user.id)).toBe(0);
    const drf = { user_id: user.id, actor_id: user.id, token_kind: 'AUTHTOKEN', token_key: key.slice(0, 15), ip: '203.0.113.9' };
    expect(await eventsSince(before)).toEqual([{ type: 'PERMISSION_DENIED', ...drf, operation: 'MakeKey', detail: { reason: 'REAUTHENTICATION_REQUIRED' } }]);
    // Aliases are one refused operation: one event.
    const twice = await lastId();
    const aliases = await send('mutation Twice { a: createAccessToken(name: "a", scopes: ["products:read"]) { tokenId } b: createAccessToken(name: "b", scopes: ["products:read"]) { tokenId } }', { token: key });
    expect(aliases.status).toBe(403);
    expect((await eventsSince(twice)).map((event) => [event.type, event.operation, event.detail])).toEqual([['PERMISSION_DENIED', 'Twice', { reason: 'REAUTHENTICATION_REQUIRED' }]]);
    expect(await accessTokenCount(user.id)).toBe(0);

    const mid = await lastId();
    const wrong = await send('mutation Confirm($p: String!) { confirmPassword(password: $p) }', { token: key, variables: { p: 'wrong' } });
    expect(wrong.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    // The wrong password is a failed login (as changePassword's is), never a confirmation.
    expect(await eventsSince(mid)).toEqual([{ type: 'LOGIN_FAILED_PASSWORD', ...drf, operation: 'Confirm', detail: { reauthentication: true } }]);

    const right = await lastId();
    const confirmed = await send('mutation Confirm($p: String!) { confirmPassword(password: $p) }', { token: key, variables: { p: PASSWORD } });
    expect(confirmed.body).toEqual({ data: { confirmPassword: true } });
    expect((await eventsSince(right)).filter((event) => event.type !== 'MUTATION')).toEqual([{ type: 'PASSWORD_CONFIRMED', ...drf, operation: 'Confirm', detail: null }]);
    expect((await send(CREATE, { token: key, variables: { scopes: ['products:read'] } })).body.errors).toBeUndefined();
  });
});

describe('a cookie session', () => {
  async function post(query: string, headers: Record<string, string>, variables?: Record<string, unknown>) {
    const response = await fetch(`${server.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.baseUrl, ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as any, headers: response.headers };
  }

  it('is an unrestricted login token for scopes, and confirmPassword over it makes it fresh for sudo mode', async () => {
    const user = await makeUser(server.orm, { username: 'browser-user', password: PASSWORD });
    const started = await post('mutation { startSession(username: "browser-user", password: "correct horse") { tokenId } }', {});
    expect(started.body.errors).toBeUndefined();
    const cookie = /__Host-authtoken=([^;]+)/.exec(started.headers.get('set-cookie')!)![1];
    const headers = { cookie: `__Host-authtoken=${cookie}` };
    expect((await post('{ tokenInfo { kind scopes } }', headers)).body).toEqual({ data: { tokenInfo: { kind: 'LOGIN', scopes: null } } });
    // Unrestricted: a write of any resource passes the scope rule.
    expect((await post('mutation { createProduct(input: { name: "Cookie", description: "", price: "1.00" }) { id } }', headers)).body.errors).toBeUndefined();
    // startSession marks the session fresh, as login does: its row is there, confirmed now.
    const [mark] = await server.orm.em.getConnection().execute<{ confirmed: string }[]>(
      "select confirmed from authtoken_password_confirmation where credential = ?",
      [`login:${started.body.data.startSession.tokenId}`],
    );
    expect(Date.now() - new Date(mark.confirmed).getTime()).toBeLessThan(60_000);
    // Once the mark is older than SUDO_MAX_AGE (here: gone), sudo asks for the password, then it passes.
    await server.orm.em.getConnection().execute('delete from authtoken_password_confirmation where credential = ?', [`login:${started.body.data.startSession.tokenId}`]);
    const refused = await post(CREATE, headers, { scopes: ['products:read'] });
    expect(refused.body.errors[0].extensions.reason).toBe('REAUTHENTICATION_REQUIRED');
    expect(await accessTokenCount(user.id)).toBe(0);
    const before = await lastId();
    expect((await post('mutation ($p: String!) { confirmPassword(password: $p) }', headers, { p: PASSWORD })).body).toEqual({ data: { confirmPassword: true } });
    expect((await eventsSince(before)).filter((event) => event.type !== 'MUTATION')).toEqual([
      expect.objectContaining({ type: 'PASSWORD_CONFIRMED', user_id: user.id, token_kind: 'LOGIN', token_key: cookie.slice(0, 15) }),
    ]);
    const made = await post(CREATE, headers, { scopes: ['products:read'] });
    expect(made.body.errors).toBeUndefined();
    expect(await accessTokenCount(user.id)).toBe(1);
  });
});
