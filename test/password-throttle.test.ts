/**
 * PASSWORD_RATE (src/throttles/password-work.ts): every operation that runs the password hasher counts per
 * client address; past the rate, THROTTLED (429) with Retry-After and DRF's message, before any hashing and
 * without writing anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, startTestServer, type TestServer } from './utils';

const OBTAIN = 'mutation ($u: String!, $p: String!) { obtainAuthToken(username: $u, password: $p) { token } }';
const REGISTER = 'mutation ($u: String!) { register(input: {username: $u, email: "x@example.com", password: "correct horse"}) { id } }';
const CREATE_USER = 'mutation ($u: String!) { createUser(input: {username: $u, email: "y@example.com", password: "correct horse"}) { id } }';

async function userCount(server: TestServer, username: string): Promise<number> {
  const [row] = await server.orm.em.getConnection().execute<{ n: number }[]>('select count(*)::int as n from auth_user where username = ?', [username]);
  return row.n;
}

function expectThrottled(response: { status: number; headers: Headers; body: any }) {
  expect(response.status).toBe(429);
  const wait = Number(response.headers.get('retry-after'));
  expect(wait).toBeGreaterThanOrEqual(1);
  expect(wait).toBeLessThanOrEqual(60);
  expect(response.body.errors![0]).toMatchObject({
    message: `Request was throttled. Expected available in ${wait} second${wait === 1 ? '' : 's'}.`,
    extensions: { code: 'THROTTLED', retryAfter: wait },
  });
}

describe('PASSWORD_RATE=3/minute', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ PASSWORD_RATE: '3/minute' });
    await makeUser(server.orm, { username: 'alice', password: 'correct horse' });
  });
  afterAll(() => server.close());

  it('counts successful and failed logins and registrations alike, then refuses before hashing or writing', async () => {
    const from = { headers: { 'x-forwarded-for': '203.0.113.7' } };
    expect((await server.graphql(OBTAIN, { ...from, variables: { u: 'alice', p: 'correct horse' } })).body.data.obtainAuthToken.token).toMatch(/^[0-9a-f]{40}$/);
    expect((await server.graphql(OBTAIN, { ...from, variables: { u: 'alice', p: 'wrong horse' } })).body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect((await server.graphql(REGISTER, { ...from, variables: { u: 'bob' } })).body.data.register.id).toBeDefined();

    expectThrottled(await server.graphql(REGISTER, { ...from, variables: { u: 'carol' } }));
    expect(await userCount(server, 'carol')).toBe(0);
    // Even the right password waits: the throttle counts hashing, not failures.
    expectThrottled(await server.graphql(OBTAIN, { ...from, variables: { u: 'alice', p: 'correct horse' } }));
  });

  it('counts per client address', async () => {
    const response = await server.graphql(OBTAIN, { headers: { 'x-forwarded-for': '203.0.113.8' }, variables: { u: 'alice', p: 'correct horse' } });
    expect(response.status).toBe(200);
  });

  it('refuses concurrent requests past the rate too: the count is taken under a lock', async () => {
    const from = { headers: { 'x-forwarded-for': '203.0.113.9' } };
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) => server.graphql(REGISTER, { ...from, variables: { u: `burst${i}` } })),
    );
    expect(responses.filter((r) => r.status === 200)).toHaveLength(3);
    expect(responses.filter((r) => r.status === 429)).toHaveLength(5);
    const [row] = await server.orm.em.getConnection().execute<{ n: number }[]>("select count(*)::int as n from auth_user where username like 'burst%'");
    expect(row.n).toBe(3);
  });

  it('counts users created by staff', async () => {
    const staff = await makeUser(server.orm, { isStaff: true });
    const [{ key }] = await server.orm.em.getConnection().execute<{ key: string }[]>('select key from authtoken_token where user_id = ?', [staff.id]);
    const from = { token: key, headers: { 'x-forwarded-for': '203.0.113.10' } };
    for (let i = 0; i < 3; i += 1) {
      expect((await server.graphql(CREATE_USER, { ...from, variables: { u: `made${i}` } })).status).toBe(200);
    }
    expectThrottled(await server.graphql(CREATE_USER, { ...from, variables: { u: 'made3' } }));
    expect(await userCount(server, 'made3')).toBe(0);
  });
});

describe('PASSWORD_RATE=0', () => {
  it('turns the throttle off', async () => {
    const server = await startTestServer({ PASSWORD_RATE: '0' });
    try {
      for (let i = 0; i < 5; i += 1) {
        expect((await server.graphql(REGISTER, { variables: { u: `free${i}` } })).status).toBe(200);
      }
    } finally {
      await server.close();
    }
  });
});
