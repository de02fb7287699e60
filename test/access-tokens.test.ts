// Access tokens (issue 20) against the real server, over HTTP and WebSocket: creation and its validation,
// scopes enforced before anything runs (RFC 6750's 403), the fields no access token may use, networks judged
// after TRUST_PROXY, a per-token rate counted in the database across workers, expiry, rotation with a grace,
// the token API and the admin. Every refusal is checked for its exact status, header and body, and for
// writing nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countQueries, makeUser, startTestServer, tokenOf, type GraphQLResponse, type TestServer } from './utils';
import { openSocket, runOnce, subscribe } from './ws-client';
import { createAccessToken, type AccessTokenSpec } from '../src/authtoken/token-store';
import type { User } from '../src/users/user.entity';

const CREATE = `mutation ($name: String!, $scopes: [String!]!, $days: Int, $cidrs: [String!], $rate: String) {
  createAccessToken(name: $name, scopes: $scopes, expiresInDays: $days, allowedCidrs: $cidrs, rate: $rate) {
    token tokenId name scopes expiry allowedCidrs rate
  }
}`;
const CREATE_PRODUCT = 'mutation { createProduct(input: { name: "Widget", description: "", price: "1.00" }) { id } }';
const PRODUCTS = '{ products { total } }';
const TOKEN = /^[0-9a-f]{64}$/;

const insufficient = (required: string[], granted: string[]) => ({
  errors: [
    {
      message: 'You do not have permission to perform this action.',
      extensions: { code: 'FORBIDDEN', reason: 'INSUFFICIENT_SCOPE', requiredScopes: required, grantedScopes: granted },
    },
  ],
});
const NOT_ALLOWED = {
  errors: [{ message: 'You do not have permission to perform this action.', extensions: { code: 'FORBIDDEN', reason: 'ACCESS_TOKEN_NOT_ALLOWED' } }],
};

function expectInvalidToken(response: GraphQLResponse, reason?: string) {
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toBe('Token');
  expect(response.body).toEqual({ errors: [{ message: 'Invalid token.', extensions: { code: 'UNAUTHENTICATED', ...(reason ? { reason } : {}) } }] });
}

/** Everything a request could have written: products, users, tokens, their last use, password confirmations. */
async function snapshot(server: TestServer) {
  const [row] = await server.orm.em.getConnection().execute<Record<string, unknown>[]>(
    `select (select count(*) from product)::int as products, (select count(*) from auth_user)::int as users,
            (select string_agg(key, ',' order by key) from authtoken_token) as drf,
            (select string_agg(id || ':' || coalesce(last_used::text, '-') || ':' || coalesce(expiry::text, '-'), ',' order by id) from authtoken_login_token) as tokens,
            (select count(*) from authtoken_password_confirmation)::int as confirmations,
            (select string_agg(password, ',' order by id) from auth_user) as passwords`,
  );
  return row;
}

function spec(overrides: Partial<AccessTokenSpec> = {}): AccessTokenSpec {
  return { name: 'ci', scopes: ['products:read'], expiresInDays: 30, allowedCidrs: [], rate: null, ...overrides };
}

async function accessToken(server: TestServer, user: User, overrides: Partial<AccessTokenSpec> = {}) {
  return createAccessToken(server.orm.em.fork(), user.id, spec(overrides), server.settings.loginTokens.prefix);
}

describe('access tokens', () => {
  let server: TestServer;
  let owner: User;
  let ownerKey: string;
  let staff: User;
  let staffKey: string;

  beforeAll(async () => {
    server = await startTestServer();
    owner = await makeUser(server.orm, { username: 'owner' });
    ownerKey = (await tokenOf(server.orm, owner.id))!;
    staff = await makeUser(server.orm, { username: 'boss', isStaff: true });
    staffKey = (await tokenOf(server.orm, staff.id))!;
  });
  afterAll(() => server.close());

  describe('createAccessToken', () => {
    it('shows the key once and stores only its digest and first 15 characters', async () => {
      const response = await server.graphql(CREATE, {
        token: ownerKey,
        variables: { name: 'deploy bot', scopes: ['products:write', 'profile:read', 'products:read'], cidrs: ['10.0.0.0/8', '2001:db8::/32'], rate: '100/min' },
      });
      expect(response.status).toBe(200);
      const created = response.body.data.createAccessToken;
      expect(created).toMatchObject({
        name: 'deploy bot',
        // In the order accessScopes lists them, each once.
        scopes: ['profile:read', 'products:read', 'products:write'],
        allowedCidrs: ['10.0.0.0/8', '2001:db8::/32'],
        rate: '100/minute',
      });
      expect(created.token).toMatch(TOKEN);
      const days = (new Date(created.expiry).getTime() - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(29.99);
      expect(days).toBeLessThan(30.01);
      const [row] = await server.orm.em
        .getConnection()
        .execute<Record<string, any>[]>('select *, allowed_cidrs::text[] as cidrs from authtoken_login_token where id = ?', [created.tokenId]);
      expect(row.kind).toBe('access');
      expect(row.token_key).toBe(created.token.slice(0, 15));
      expect(row.digest).toHaveLength(128);
      expect(JSON.stringify(row)).not.toContain(created.token);
      expect(row.cidrs).toEqual(['10.0.0.0/8', '2001:db8::/32']);
      expect([row.rate_requests, row.rate_seconds]).toEqual([100, 60]);
      // It works, from its networks.
      const me = await server.graphql('{ me { username } }', { token: created.token, headers: { 'x-forwarded-for': '10.9.8.7' } });
      expect(me.body).toEqual({ data: { me: { username: 'owner' } } });
    });

    it.each([
      [{ scopes: ['nope:read'] }, 'scopes', 'scopes: "nope:read" is not a valid choice.'],
      [{ scopes: ['products:read', 'products:admin'] }, 'scopes', 'scopes: "products:admin" is not a valid choice.'],
      [{ scopes: [] }, 'scopes', 'scopes: This list may not be empty.'],
      [{ days: 0 }, 'expiresInDays', 'expiresInDays: Ensure this value is greater than or equal to 1.'],
      [{ days: -5 }, 'expiresInDays', 'expiresInDays: Ensure this value is greater than or equal to 1.'],
      [{ days: 367 }, 'expiresInDays', 'expiresInDays: Ensure this value is less than or equal to 366.'],
      [{ cidrs: ['10.0.0.0/33'] }, 'allowedCidrs', 'allowedCidrs: Enter a valid IPv4 or IPv6 network.'],
      [{ cidrs: ['10.1.2.3/8'] }, 'allowedCidrs', 'allowedCidrs: Enter a valid IPv4 or IPv6 network.'],
      [{ cidrs: ['10'] }, 'allowedCidrs', 'allowedCidrs: Enter a valid IPv4 or IPv6 network.'],
      [{ cidrs: ['example.com'] }, 'allowedCidrs', 'allowedCidrs: Enter a valid IPv4 or IPv6 network.'],
      [{ cidrs: Array.from({ length: 51 }, (_, i) => `10.0.${i}.0/24`) }, 'allowedCidrs', 'allowedCidrs: Ensure this field has no more than 50 elements.'],
      [{ rate: '100' }, 'rate', 'rate: Enter a rate such as 100/minute.'],
      [{ rate: '0/minute' }, 'rate', 'rate: Enter a rate such as 100/minute.'],
      [{ rate: '5/fortnight' }, 'rate', 'rate: Enter a rate such as 100/minute.'],
      [{ name: '   ' }, 'name', 'name: This field may not be blank.'],
      [{ name: 'x'.repeat(65) }, 'name', 'name: Ensure this field has no more than 64 characters.'],
      [{ name: 'a\nb' }, 'name', 'name: Control characters are not allowed.'],
    ])('refuses %j with DRF-style field messages, writing nothing', async (bad, field, message) => {
      const before = await snapshot(server);
      const response = await server.graphql(CREATE, { token: ownerKey, variables: { name: 'bot', scopes: ['products:read'], ...bad } });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ data: null, errors: [{ message, path: ['createAccessToken'], locations: [{ line: 2, column: 3 }], extensions: { code: 'BAD_USER_INPUT', field } }] });
      expect(await snapshot(server)).toEqual(before);
    });

    it('refuses admin scopes to a user who is not staff (403), and gives them to staff', async () => {
      const before = await snapshot(server);
      const refused = await server.graphql(CREATE, { token: ownerKey, variables: { name: 'bot', scopes: ['admin:read'] } });
      expect(refused.status).toBe(403);
      expect(refused.body.errors).toEqual([
        { message: 'Requested scope exceeds your permissions.', path: ['createAccessToken'], locations: [{ line: 2, column: 3 }], extensions: { code: 'FORBIDDEN' } },
      ]);
      expect(await snapshot(server)).toEqual(before);
      const granted = await server.graphql(CREATE, { token: staffKey, variables: { name: 'bot', scopes: ['admin:write'] } });
      expect(granted.body.data.createAccessToken.scopes).toEqual(['admin:write']);
    });

    it('lists the scopes publicly, with a description each', async () => {
      const response = await server.graphql('{ accessScopes { name description } }');
      const names = response.body.data.accessScopes.map((scope: { name: string }) => scope.name);
      expect(names).toEqual(['profile:read', 'profile:write', 'products:read', 'products:write', 'tokens:read', 'tokens:write', 'admin:read', 'admin:write']);
      for (const scope of response.body.data.accessScopes) expect(scope.description.length).toBeGreaterThan(10);
    });
  });

  describe('scopes, before anything runs', () => {
    it('lets a read-only token read, and refuses a write whole with 403 and RFC 6750 WWW-Authenticate, writing nothing', async () => {
      const { token } = await accessToken(server, owner, { scopes: ['products:read'] });
      expect((await server.graphql(PRODUCTS, { token })).body).toEqual({ data: { products: { total: 0 } } });
      // A read first, so that the token's use is recorded and a write would be visible in the snapshot.
      const before = await snapshot(server);
      const refused = await server.graphql(CREATE_PRODUCT, { token });
      expect(refused.status).toBe(403);
      expect(refused.headers.get('www-authenticate')).toBe('Token error="insufficient_scope", scope="products:write"');
      expect(refused.body).toEqual(insufficient(['products:write'], ['products:read']));
      expect(await snapshot(server)).toEqual(before);
    });

    it('refuses an operation with one field out of scope whole, naming every missing scope', async () => {
      const { token } = await accessToken(server, owner, { scopes: ['products:read'] });
      const refused = await server.graphql(`query { products { total } me { username } myTokens { id } }`, { token });
      expect(refused.status).toBe(403);
      expect(refused.headers.get('www-authenticate')).toBe('Token error="insufficient_scope", scope="profile:read tokens:read"');
      expect(refused.body).toEqual(insufficient(['profile:read', 'tokens:read'], ['products:read']));
    });

    it('sees fields behind fragments and aliases', async () => {
      const { token } = await accessToken(server, owner, { scopes: ['products:read'] });
      const refused = await server.graphql('query { ...F } fragment F on Query { who: me { username } }', { token });
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual(insufficient(['profile:read'], ['products:read']));
    });

    it('counts write as read, and lets __typename, introspection, tokenInfo and logout through without a scope', async () => {
      const { token } = await accessToken(server, owner, { scopes: ['products:write'] });
      expect((await server.graphql(PRODUCTS, { token })).status).toBe(200);
      const free = await server.graphql('{ __typename __schema { queryType { name } } tokenInfo { kind scopes } }', { token });
      expect(free.body).toEqual({ data: { __typename: 'Query', __schema: { queryType: { name: 'Query' } }, tokenInfo: { kind: 'ACCESS', scopes: ['products:write'] } } });
      expect((await server.graphql('mutation { logout }', { token })).body).toEqual({ data: { logout: true } });
      expectInvalidToken(await server.graphql(PRODUCTS, { token }));
    });

    it('leaves DRF and login tokens unrestricted', async () => {
      const drf = await server.graphql(CREATE_PRODUCT, { token: ownerKey });
      expect(drf.status).toBe(200);
      const info = await server.graphql('{ tokenInfo { kind scopes } }', { token: ownerKey });
      expect(info.body.data.tokenInfo).toEqual({ kind: 'AUTHTOKEN', scopes: null });
    });

    it('never adds rights: admin:write on a user who is not staff still gets the staff refusal', async () => {
      // Made straight in the store: the API refuses to create it.
      const { token } = await accessToken(server, owner, { scopes: ['admin:write'] });
      const response = await server.graphql('{ users { total } }', { token });
      expect(response.status).toBe(403);
      expect(response.body.errors?.[0]).toMatchObject({ message: 'You do not have permission to perform this action.', extensions: { code: 'FORBIDDEN' } });
      expect(response.body.errors?.[0].extensions?.reason).toBeUndefined();
    });

    it.each([
      ['createAccessToken', 'mutation { createAccessToken(name: "x", scopes: ["products:read"]) { token } }'],
      ['rotateToken', 'mutation { rotateToken(id: "1") { token } }'],
      ['regenerateToken', 'mutation { regenerateToken { token } }'],
      ['changePassword', 'mutation { changePassword(currentPassword: "correct horse", newPassword: "another horse 1") }'],
      ['setPassword', 'mutation { setPassword(id: "1", password: "another horse 1") }'],
      ['confirmPassword', 'mutation { confirmPassword(password: "correct horse") }'],
      ['logoutAll', 'mutation { logoutAll }'],
    ])('never lets an access token use %s, whatever its scopes (403 ACCESS_TOKEN_NOT_ALLOWED, nothing written)', async (_field, query) => {
      const { token } = await accessToken(server, staff, { scopes: ['profile:write', 'products:write', 'tokens:write', 'admin:write'] });
      const before = await snapshot(server);
      const response = await server.graphql(query, { token });
      expect(response.status).toBe(403);
      expect(response.headers.get('www-authenticate')).toBeNull();
      expect(response.body).toEqual(NOT_ALLOWED);
      expect(await snapshot(server)).toEqual(before);
    });

    it('refuses over WebSocket with the same error and keeps the socket open', async () => {
      const { token } = await accessToken(server, owner, { scopes: ['products:read'] });
      const socket = openSocket(server.wsUrl, { Authorization: `Token ${token}` });
      try {
        await socket.connected;
        const before = await snapshot(server);
        const refused = await runOnce(socket.client, CREATE_PRODUCT).then(
          () => 'ran',
          (errors) => errors,
        );
        expect(refused).toEqual(insufficient(['products:write'], ['products:read']).errors);
        const forbidden = await runOnce(socket.client, 'mutation { logoutAll }').then(
          () => 'ran',
          (errors) => errors,
        );
        expect(forbidden).toEqual(NOT_ALLOWED.errors);
        expect(await snapshot(server)).toEqual(before);
        expect(await runOnce(socket.client, PRODUCTS)).toEqual({ data: { products: { total: expect.any(Number) } } });
      } finally {
        await socket.dispose();
      }
    });

    it('refuses a subscription out of scope at its start over WebSocket', async () => {
      const { token } = await accessToken(server, owner, { scopes: ['profile:read'] });
      const socket = openSocket(server.wsUrl, { Authorization: `Token ${token}` });
      try {
        await socket.connected;
        const refused = await runOnce(socket.client, 'subscription { productChanged { kind } }').then(
          () => 'ran',
          (errors) => errors,
        );
        expect(refused).toEqual(insufficient(['products:read'], ['profile:read']).errors);
        expect(await runOnce(socket.client, '{ me { username } }')).toEqual({ data: { me: { username: 'owner' } } });
      } finally {
        await socket.dispose();
      }
    });
  });

  describe('authentication', () => {
    it('costs one query, with a rate and networks too', async () => {
      const { token } = await accessToken(server, owner, { scopes: ['profile:read'], allowedCidrs: ['127.0.0.0/8'], rate: { requests: 1000, seconds: 60 } });
      await server.graphql('{ me { username } }', { token }); // its first use is recorded: a write
      const { result, queries } = await countQueries(server.orm, () => server.graphql('{ me { username } }', { token }));
      expect(result.body).toEqual({ data: { me: { username: 'owner' } } });
      expect(queries).toHaveLength(1);
      expect(queries[0]).toMatch(/from "authtoken_login_token"/);
    });

    it('answers an expired access token as an expired login token: 401 Invalid token. with TOKEN_EXPIRED', async () => {
      const { token, id } = await accessToken(server, owner);
      await server.orm.em.getConnection().execute("update authtoken_login_token set expiry = now() - interval '1 second' where id = ?", [id]);
      expectInvalidToken(await server.graphql(PRODUCTS, { token }), 'TOKEN_EXPIRED');
    });

    it('lists access tokens in myTokens with kind, scopes, networks and rate, and revokes them with revokeToken', async () => {
      const user = await makeUser(server.orm, { username: 'lister' });
      const key = (await tokenOf(server.orm, user.id))!;
      const { id, token } = await accessToken(server, user, { scopes: ['tokens:write'], allowedCidrs: ['127.0.0.1/32'], rate: { requests: 5, seconds: 3600 } });
      const mine = await server.graphql('{ myTokens { id kind name scopes allowedCidrs rate current } }', { token });
      expect(mine.body.data.myTokens).toEqual([
        { id, kind: 'ACCESS', name: 'ci', scopes: ['tokens:write'], allowedCidrs: ['127.0.0.1/32'], rate: '5/hour', current: true },
      ]);
      await server.graphql('mutation { login(username: "lister", password: "correct horse") { token } }');
      const both = await server.graphql('{ myTokens { kind scopes allowedCidrs rate } }', { token: key });
      expect(both.body.data.myTokens).toEqual([
        { kind: 'LOGIN', scopes: null, allowedCidrs: null, rate: null },
        { kind: 'ACCESS', scopes: ['tokens:write'], allowedCidrs: ['127.0.0.1/32'], rate: '5/hour' },
      ]);
      expect((await server.graphql('mutation ($id: ID!) { revokeToken(id: $id) }', { token: key, variables: { id } })).body).toEqual({ data: { revokeToken: true } });
      expectInvalidToken(await server.graphql('{ myTokens { id } }', { token }));
    });
  });

  describe('networks', () => {
    it('works from 10.1.2.3 behind the loopback proxy with 10.0.0.0/8, and answers 401 Invalid token. from elsewhere without a write', async () => {
      const { token, id } = await accessToken(server, owner, { scopes: ['profile:read'], allowedCidrs: ['10.0.0.0/8'] });
      const inside = await server.graphql('{ me { username } }', { token, headers: { 'x-forwarded-for': '10.1.2.3' } });
      expect(inside.body).toEqual({ data: { me: { username: 'owner' } } });
      // lastUsed written by that use; none of the refusals below may move it.
      await server.orm.em.getConnection().execute('update authtoken_login_token set last_used = null where id = ?', [id]);
      const before = await snapshot(server);
      expectInvalidToken(await server.graphql('{ me { username } }', { token, headers: { 'x-forwarded-for': '192.168.1.1' } }));
      expectInvalidToken(await server.graphql('{ me { username } }', { token }));
      // Expired and outside: still plain Invalid token. (no reason, nothing deleted), so it tells nothing.
      await server.orm.em.getConnection().execute("update authtoken_login_token set expiry = now() - interval '1 second' where id = ?", [id]);
      const expired = await snapshot(server);
      expectInvalidToken(await server.graphql('{ me { username } }', { token, headers: { 'x-forwarded-for': '192.168.1.1' } }));
      expect(await snapshot(server)).toEqual(expired);
      expect(before.tokens).toContain(`${id}:-:`);
    });

    it('holds a socket to the networks at connection_init: 4403 Invalid token. from outside, served from inside', async () => {
      const { token } = await accessToken(server, owner, { scopes: ['profile:read'], allowedCidrs: ['10.0.0.0/8'] });
      const outside = openSocket(server.wsUrl, { Authorization: `Token ${token}` }, { headers: { 'x-forwarded-for': '192.168.1.1' } });
      expect(await outside.closed).toMatchObject({ code: 4403, reason: 'Invalid token.' });
      const inside = openSocket(server.wsUrl, { Authorization: `Token ${token}` }, { headers: { 'x-forwarded-for': '10.1.2.3' } });
      try {
        await inside.connected;
        expect(await runOnce(inside.client, '{ me { username } }')).toEqual({ data: { me: { username: 'owner' } } });
      } finally {
        await inside.dispose();
      }
    });
  });

  describe('rate', () => {
    it('lets 3 through at 3/minute and refuses the 4th with 429 and Retry-After, counted across two workers', async () => {
      const second = await startTestServer({}, { databaseUrl: server.databaseUrl });
      try {
        const { token } = await accessToken(server, owner, { scopes: ['profile:read'], rate: { requests: 3, seconds: 60 } });
        const workers = [server, second, server];
        for (const worker of workers) expect((await worker.graphql('{ me { username } }', { token })).status).toBe(200);
        const before = await snapshot(server);
        for (const worker of [second, server]) {
          const refused = await worker.graphql('{ me { username } }', { token });
          expect(refused.status).toBe(429);
          const wait = Number(refused.headers.get('retry-after'));
          expect(wait).toBeGreaterThanOrEqual(1);
          expect(wait).toBeLessThanOrEqual(60);
          expect(refused.body).toEqual({
            errors: [{ message: `Request was throttled. Expected available in ${wait} second${wait === 1 ? '' : 's'}.`, extensions: { code: 'THROTTLED', retryAfter: wait } }],
          });
        }
        expect(await snapshot(server)).toEqual(before);
        // Over a socket: the operation is refused, the socket kept.
        const socket = openSocket(second.wsUrl, { Authorization: `Token ${token}` });
        try {
          await socket.connected;
          const refused = await runOnce(socket.client, '{ me { username } }').then(() => 'ran', (errors) => errors);
          expect(refused).toMatchObject([{ message: expect.stringMatching(/^Request was throttled\./), extensions: { code: 'THROTTLED' } }]);
          await expect(Promise.race([socket.closed, new Promise((resolve) => setTimeout(() => resolve('open'), 200))])).resolves.toBe('open');
        } finally {
          await socket.dispose();
        }
        // Another token of the same user has its own count.
        const other = await accessToken(server, owner, { scopes: ['profile:read'], rate: { requests: 3, seconds: 60 } });
        expect((await server.graphql('{ me { username } }', { token: other.token })).status).toBe(200);
      } finally {
        await second.close();
      }
    });
  });

  describe('rotateToken', () => {
    it('issues a new key with the same properties; the old one works for the grace, shows its end as expiry, then fails', async () => {
      const user = await makeUser(server.orm, { username: 'rotator' });
      const key = (await tokenOf(server.orm, user.id))!;
      const old = await accessToken(server, user, { scopes: ['profile:read'], allowedCidrs: ['127.0.0.0/8'], rate: { requests: 50, seconds: 60 } });
      const rotated = await server.graphql('mutation ($id: ID!) { rotateToken(id: $id, graceSeconds: 2) { token tokenId name scopes expiry allowedCidrs rate } }', {
        token: key,
        variables: { id: old.id },
      });
      const fresh = rotated.body.data.rotateToken;
      expect(fresh).toMatchObject({ name: 'ci', scopes: ['profile:read'], allowedCidrs: ['127.0.0.0/8'], rate: '50/minute', expiry: old.expiry!.toISOString() });
      expect(fresh.token).toMatch(TOKEN);
      expect(fresh.tokenId).not.toBe(old.id);
      const info = await server.graphql('{ tokenInfo { expiry } }', { token: old.token });
      const graceEnd = new Date(info.body.data.tokenInfo.expiry).getTime();
      expect(graceEnd - Date.now()).toBeGreaterThan(0);
      expect(graceEnd - Date.now()).toBeLessThanOrEqual(2000);
      expect((await server.graphql('{ me { username } }', { token: old.token })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, graceEnd - Date.now() + 100));
      expectInvalidToken(await server.graphql('{ me { username } }', { token: old.token }), 'TOKEN_EXPIRED');
      expect((await server.graphql('{ me { username } }', { token: fresh.token })).body).toEqual({ data: { me: { username: 'rotator' } } });
    });

    it("closes a socket open with the old key at the grace's end, not at the old expiry", async () => {
      const old = await accessToken(server, owner, { scopes: ['products:read'] });
      const socket = openSocket(server.wsUrl, { Authorization: `Token ${old.token}` });
      try {
        await socket.connected;
        const live = subscribe(socket.client, 'subscription { productChanged { kind } }');
        await new Promise((resolve) => setTimeout(resolve, 100));
        const rotatedAt = Date.now();
        await server.graphql('mutation ($id: ID!) { rotateToken(id: $id, graceSeconds: 1) { token } }', { token: ownerKey, variables: { id: old.id } });
        const closed = await socket.closed;
        expect(closed).toMatchObject({ code: 4403, reason: 'Invalid token.' });
        expect(closed.at - rotatedAt).toBeGreaterThanOrEqual(900);
        expect(closed.at - rotatedAt).toBeLessThan(5000);
        live.unsubscribe();
      } finally {
        await socket.dispose();
      }
    });

    it('stops the old key at once with no grace', async () => {
      const old = await accessToken(server, owner, { scopes: ['profile:read'] });
      const rotated = await server.graphql('mutation ($id: ID!) { rotateToken(id: $id) { token } }', { token: ownerKey, variables: { id: old.id } });
      expectInvalidToken(await server.graphql('{ me { username } }', { token: old.token }));
      expect((await server.graphql('{ me { username } }', { token: rotated.body.data.rotateToken.token })).status).toBe(200);
    });

    it.each([
      [-1, 'graceSeconds: Ensure this value is greater than or equal to 0.', 'graceSeconds', 'BAD_USER_INPUT'],
      [604_801, 'graceSeconds: Ensure this value is less than or equal to 604800.', 'graceSeconds', 'BAD_USER_INPUT'],
    ])('refuses a grace of %s, writing nothing', async (grace, message, field, code) => {
      const old = await accessToken(server, owner);
      const before = await snapshot(server);
      const response = await server.graphql('mutation ($id: ID!, $g: Int) { rotateToken(id: $id, graceSeconds: $g) { token } }', {
        token: ownerKey,
        variables: { id: old.id, g: grace },
      });
      expect(response.body.errors).toMatchObject([{ message, extensions: { code, field } }]);
      expect(await snapshot(server)).toEqual(before);
    });

    it("answers NOT_FOUND for another user's token, a login token and an unknown id, writing nothing", async () => {
      const others = await accessToken(server, staff);
      await server.graphql('mutation { login(username: "owner", password: "correct horse") { token } }');
      const [login] = await server.orm.em.getConnection().execute<{ id: string }[]>("select id from authtoken_login_token where user_id = ? and kind = 'login' limit 1", [owner.id]);
      const before = await snapshot(server);
      for (const id of [others.id, String(login.id), '999999', 'abc']) {
        const response = await server.graphql('mutation ($id: ID!) { rotateToken(id: $id) { token } }', { token: ownerKey, variables: { id } });
        expect(response.body.errors).toMatchObject([{ message: 'No AuthToken matches the given query.', extensions: { code: 'NOT_FOUND' } }]);
      }
      expect(await snapshot(server)).toEqual(before);
    });
  });

  describe('the admin', () => {
    it('shows staff every access token with its scopes, and lets them revoke it', async () => {
      const { id, token } = await accessToken(server, owner, { name: 'seen by staff', scopes: ['products:read'] });
      const list = await server.graphql('{ loginTokens(search: "owner", limit: 100) { items { id kind name scopes user { username } } } }', { token: staffKey });
      expect(list.body.data.loginTokens.items).toContainEqual({ id, kind: 'ACCESS', name: 'seen by staff', scopes: ['products:read'], user: { username: 'owner' } });
      expect((await server.graphql('mutation ($id: ID!) { deleteLoginToken(id: $id) }', { token: staffKey, variables: { id } })).body).toEqual({ data: { deleteLoginToken: true } });
      expectInvalidToken(await server.graphql(PRODUCTS, { token }));
    });

    it('does not count access tokens toward TOKEN_LIMIT_PER_USER', async () => {
      const limited = await startTestServer({ TOKEN_LIMIT_PER_USER: '1' }, { databaseUrl: server.databaseUrl });
      try {
        const user = await makeUser(limited.orm, { username: 'limited-machine' });
        await createAccessToken(limited.orm.em.fork(), user.id, spec(), '');
        await createAccessToken(limited.orm.em.fork(), user.id, spec(), '');
        const login = await limited.graphql('mutation { login(username: "limited-machine", password: "correct horse") { token } }');
        expect(login.status).toBe(200);
      } finally {
        await limited.close();
      }
    });
  });

});

describe('access token settings', () => {
  it('with ACCESS_TOKEN_MAX_DAYS=0 makes a token that never expires when expiresInDays is omitted', async () => {
    const server = await startTestServer({ ACCESS_TOKEN_MAX_DAYS: '0' });
    try {
      const user = await makeUser(server.orm, { username: 'forever' });
      const key = (await tokenOf(server.orm, user.id))!;
      const forever = await server.graphql(CREATE, { token: key, variables: { name: 'forever', scopes: ['profile:read'] } });
      expect(forever.body.data.createAccessToken.expiry).toBeNull();
      const long = await server.graphql(CREATE, { token: key, variables: { name: 'long', scopes: ['profile:read'], days: 1000 } });
      expect(new Date(long.body.data.createAccessToken.expiry).getTime()).toBeGreaterThan(Date.now() + 999 * 86_400_000);
    } finally {
      await server.close();
    }
  });

  it('takes ACCESS_TOKEN_DEFAULT_DAYS for an omitted expiry', async () => {
    const server = await startTestServer({ ACCESS_TOKEN_DEFAULT_DAYS: '7', ACCESS_TOKEN_MAX_DAYS: '90' });
    try {
      const user = await makeUser(server.orm, { username: 'weekly' });
      const key = (await tokenOf(server.orm, user.id))!;
      const created = await server.graphql(CREATE, { token: key, variables: { name: 'weekly', scopes: ['profile:read'] } });
      const days = (new Date(created.body.data.createAccessToken.expiry).getTime() - Date.now()) / 86_400_000;
      expect(Math.round(days)).toBe(7);
      const refused = await server.graphql(CREATE, { token: key, variables: { name: 'weekly', scopes: ['profile:read'], days: 91 } });
      expect(refused.body.errors?.[0].message).toBe('expiresInDays: Ensure this value is less than or equal to 90.');
    } finally {
      await server.close();
    }
  });
});
