// The security log's API: securityEvents (staff, filters, cursor paging) and mySecurityEvents (the caller's
// own, never another user's); `first` and `after` and every filter value refused with DRF's messages, and a
// refused request writes nothing. Real database, real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, startTestServer, tokenOf, type TestServer } from './utils';

const PASSWORD = 'correct horse';
const FIELDS = 'id at type auth0Code userId actorId username tokenKind tokenKey ip userAgent requestId operation detail count';
const SEARCH = `query ($filter: SecurityEventFilter, $first: Int, $after: String) {
  securityEvents(filter: $filter, first: $first, after: $after) { edges { cursor node { ${FIELDS} } } pageInfo { hasNextPage endCursor } } }`;
const MINE = `query ($first: Int, $after: String) { mySecurityEvents(first: $first, after: $after) { edges { cursor node { ${FIELDS} } } pageInfo { hasNextPage endCursor } } }`;
const LOGIN = 'mutation LogIn($u: String!, $p: String!) { login(username: $u, password: $p) { token } }';

let server: TestServer;
let staffKey: string;
let alice: { id: number; key: string; login: string };
let bob: { id: number; key: string };

async function eventCount(): Promise<number> {
  const [row] = await server.orm.em.getConnection().execute<{ n: number }[]>('select count(*)::int as n from authtoken_security_event');
  return row.n;
}

beforeAll(async () => {
  server = await startTestServer();
  const staff = await makeUser(server.orm, { username: 'api-staff', isStaff: true });
  staffKey = (await tokenOf(server.orm, staff.id))!;
  const a = await makeUser(server.orm, { username: 'api-alice' });
  const b = await makeUser(server.orm, { username: 'api-bob' });
  const login = await server.graphql(LOGIN, { variables: { u: 'api-alice', p: PASSWORD }, headers: { 'x-forwarded-for': '198.51.100.1' } });
  alice = { id: a.id, key: (await tokenOf(server.orm, a.id))!, login: login.body.data.login.token };
  bob = { id: b.id, key: (await tokenOf(server.orm, b.id))! };
  await server.graphql(LOGIN, { variables: { u: 'api-bob', p: 'wrong one' }, headers: { 'x-forwarded-for': '198.51.100.2' } });
  await server.graphql(LOGIN, { variables: { u: 'api-bob', p: PASSWORD }, headers: { 'x-forwarded-for': '198.51.100.2' } });
  // Five mutations with alice's login token: her token's trail.
  for (let i = 0; i < 5; i += 1) {
    await server.graphql(`mutation Make${i} { createProduct(input: { name: "api ${i}", price: "1.00" }) { id } }`, { token: alice.login });
  }
});
afterAll(() => server.close());

type Node = Record<string, any>;
const nodes = (response: { body: { data?: any } }, field = 'securityEvents'): Node[] => response.body.data[field].edges.map((edge: { node: Node }) => edge.node);

describe('securityEvents', () => {
  it('lists every event newest first, with every field, to staff', async () => {
    const response = await server.graphql(SEARCH, { token: staffKey });
    expect(response.body.errors).toBeUndefined();
    const events = nodes(response);
    const ids = events.map((event) => Number(event.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const login = events.find((event) => event.type === 'LOGIN_SUCCEEDED' && event.userId === String(alice.id))!;
    expect(login).toEqual({
      id: expect.stringMatching(/^\d+$/),
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      type: 'LOGIN_SUCCEEDED',
      auth0Code: 's',
      userId: String(alice.id),
      actorId: null,
      username: null,
      tokenKind: 'LOGIN',
      tokenKey: alice.login.slice(0, 15),
      ip: '198.51.100.1',
      userAgent: 'node',
      requestId: null,
      operation: 'LogIn',
      detail: null,
      count: 1,
    });
  });

  it('answers "what did this token do" by its prefix or the whole token pasted', async () => {
    for (const tokenKey of [alice.login.slice(0, 15), alice.login, `  ${alice.login} `]) {
      const response = await server.graphql(SEARCH, { token: staffKey, variables: { filter: { tokenKey, types: ['MUTATION'] } } });
      expect(nodes(response).map((event) => event.operation)).toEqual(['Make4', 'Make3', 'Make2', 'Make1', 'Make0']);
    }
  });

  it('filters by type, user, username, address and time, all together', async () => {
    const byType = nodes(await server.graphql(SEARCH, { token: staffKey, variables: { filter: { types: ['LOGIN_FAILED_PASSWORD'] } } }));
    expect(byType.map((event) => [event.type, event.username])).toEqual([['LOGIN_FAILED_PASSWORD', 'api-bob']]);
    const byUser = nodes(await server.graphql(SEARCH, { token: staffKey, variables: { filter: { userId: String(bob.id) } } }));
    expect(new Set(byUser.map((event) => event.userId))).toEqual(new Set([String(bob.id)]));
    // makeUser creates users through the service without an audit: no USER_CREATED.
    expect(byUser.map((event) => event.type)).toEqual(['LOGIN_SUCCEEDED', 'TOKEN_CREATED', 'LOGIN_FAILED_PASSWORD']);
    const byName = nodes(await server.graphql(SEARCH, { token: staffKey, variables: { filter: { username: 'API-BOB' } } }));
    expect(byName.map((event) => event.id)).toEqual(byUser.map((event) => event.id));
    const byIp = nodes(await server.graphql(SEARCH, { token: staffKey, variables: { filter: { ip: '198.51.100.2' } } }));
    expect(byIp.map((event) => event.type)).toEqual(['LOGIN_SUCCEEDED', 'TOKEN_CREATED', 'LOGIN_FAILED_PASSWORD']);
    const future = nodes(await server.graphql(SEARCH, { token: staffKey, variables: { filter: { after: new Date(Date.now() + 60_000).toISOString() } } }));
    expect(future).toEqual([]);
    const past = nodes(await server.graphql(SEARCH, { token: staffKey, variables: { filter: { before: new Date(Date.now() - 3_600_000).toISOString() } } }));
    expect(past).toEqual([]);
    const window = nodes(
      await server.graphql(SEARCH, {
        token: staffKey,
        variables: { filter: { ip: '198.51.100.2', types: ['LOGIN_SUCCEEDED'], after: new Date(Date.now() - 3_600_000).toISOString(), before: new Date(Date.now() + 60_000).toISOString() } },
      }),
    );
    expect(window.map((event) => event.type)).toEqual(['LOGIN_SUCCEEDED']);
  });

  it('pages with cursors, and a page stays right while new events arrive', async () => {
    const all = nodes(await server.graphql(SEARCH, { token: staffKey, variables: { first: 100 } }));
    const first = await server.graphql(SEARCH, { token: staffKey, variables: { first: 3 } });
    expect(nodes(first).map((event) => event.id)).toEqual(all.slice(0, 3).map((event) => event.id));
    expect(first.body.data.securityEvents.pageInfo).toEqual({ hasNextPage: true, endCursor: first.body.data.securityEvents.edges[2].cursor });
    // New events arrive between pages.
    await server.graphql('mutation Late { createProduct(input: { name: "late", price: "1.00" }) { id } }', { token: alice.login });
    const second = await server.graphql(SEARCH, { token: staffKey, variables: { first: 3, after: first.body.data.securityEvents.pageInfo.endCursor } });
    expect(nodes(second).map((event) => event.id)).toEqual(all.slice(3, 6).map((event) => event.id));
    let cursor = second.body.data.securityEvents.pageInfo.endCursor;
    const seen = [...nodes(first), ...nodes(second)].map((event) => event.id);
    for (;;) {
      const page = await server.graphql(SEARCH, { token: staffKey, variables: { first: 7, after: cursor } });
      seen.push(...nodes(page).map((event) => event.id));
      if (!page.body.data.securityEvents.pageInfo.hasNextPage) {
        expect(page.body.data.securityEvents.pageInfo.endCursor).toBe(page.body.data.securityEvents.edges.at(-1)?.cursor ?? null);
        break;
      }
      cursor = page.body.data.securityEvents.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.map((event) => event.id));
  });

  it('refuses non-staff with 403 and anonymous callers with 401', async () => {
    const refused = await server.graphql(SEARCH, { token: alice.key });
    expect(refused.status).toBe(403);
    expect(refused.body.errors?.[0]).toMatchObject({ message: 'You do not have permission to perform this action.', extensions: { code: 'FORBIDDEN' } });
    expect(refused.body.data).toBeNull();
    const anonymous = await server.graphql(SEARCH);
    expect(anonymous.status).toBe(401);
  });

  it('refuses bad values with DRF messages, and a refused request writes nothing', async () => {
    const bad: [Record<string, unknown>, string, string][] = [
      [{ first: 0 }, 'first', 'first: Ensure this value is greater than or equal to 1.'],
      [{ first: -5 }, 'first', 'first: Ensure this value is greater than or equal to 1.'],
      [{ first: 101 }, 'first', 'first: Ensure this value is less than or equal to 100.'],
      [{ after: 'not a cursor!' }, 'after', 'after: Invalid cursor'],
      [{ after: Buffer.from('Product:5').toString('base64url') }, 'after', 'after: Invalid cursor'],
      [{ after: 'x'.repeat(500) }, 'after', 'after: Invalid cursor'],
      [{ filter: { userId: 'abc' } }, 'userId', 'userId: Enter a valid id (a positive integer).'],
      [{ filter: { userId: '0' } }, 'userId', 'userId: Enter a valid id (a positive integer).'],
      [{ filter: { username: 'x'.repeat(151) } }, 'username', 'username: Ensure this field has no more than 150 characters.'],
      [{ filter: { username: 'a\nb' } }, 'username', 'username: Control characters are not allowed.'],
      [{ filter: { tokenKey: 'k'.repeat(129) } }, 'tokenKey', 'tokenKey: Ensure this field has no more than 128 characters.'],
      [{ filter: { ip: '1'.repeat(46) } }, 'ip', 'ip: Ensure this field has no more than 45 characters.'],
    ];
    const before = await eventCount();
    for (const [variables, field, message] of bad) {
      const response = await server.graphql(SEARCH, { token: staffKey, variables });
      expect(response.body.errors, JSON.stringify(variables)).toMatchObject([{ message, extensions: { code: 'BAD_USER_INPUT', field } }]);
    }
    const wrongType = await server.graphql(SEARCH, { token: staffKey, variables: { filter: { types: ['NOT_A_TYPE'] } } });
    expect(wrongType.status).toBe(400);
    const wrongDate = await server.graphql(SEARCH, { token: staffKey, variables: { filter: { after: 'yesterday' } } });
    expect(wrongDate.status).toBe(400);
    expect(await eventCount()).toBe(before);
  });

  it('costs each event as a page item under MAX_COST', async () => {
    const limited = await startTestServer({ MAX_COST: '300' }, { databaseUrl: server.databaseUrl });
    try {
      const cheap = await limited.graphql('{ securityEvents(first: 10) { edges { node { id type } } } }', { token: staffKey });
      expect(cheap.body.errors).toBeUndefined();
      const dear = await limited.graphql(SEARCH, { token: staffKey, variables: { first: 100 } });
      expect(dear.status).toBe(400);
      expect(dear.body.errors?.[0].message).toMatch(/^Query cost limit of 300 exceeded, found \d+\.$/);
      const byDefault = await limited.graphql(`{ securityEvents { edges { cursor node { ${FIELDS} } } } }`, { token: staffKey });
      expect(byDefault.status).toBe(400);
    } finally {
      await limited.close();
    }
  });
});

describe('mySecurityEvents', () => {
  it("shows the caller's own events only, and what staff did to the account without the staff member's token or address", async () => {
    await server.graphql('mutation ($id: ID!) { setUserActive(id: $id, active: true) { id } }', { token: staffKey, variables: { id: String(bob.id) } });
    const mine = nodes(await server.graphql(MINE, { token: bob.key, variables: { first: 100 } }), 'mySecurityEvents');
    expect(mine.length).toBeGreaterThan(3);
    expect(new Set(mine.map((event) => event.userId))).toEqual(new Set([String(bob.id)]));
    const activated = mine.find((event) => event.type === 'USER_ACTIVATED')!;
    expect(activated).toMatchObject({ actorId: expect.any(String), tokenKind: null, tokenKey: null, ip: null, userAgent: null, requestId: null });
    const failed = mine.find((event) => event.type === 'LOGIN_FAILED_PASSWORD')!;
    expect(failed).toMatchObject({ ip: '198.51.100.2', username: 'api-bob' });
    // The staff view of the same event names the staff member's token.
    const staffView = nodes(await server.graphql(SEARCH, { token: staffKey, variables: { filter: { types: ['USER_ACTIVATED'] } } }));
    expect(staffView[0].tokenKey).toBe(staffKey.slice(0, 15));
    const alices = nodes(await server.graphql(MINE, { token: alice.login, variables: { first: 100 } }), 'mySecurityEvents');
    expect(alices.some((event) => event.userId !== String(alice.id))).toBe(false);
    expect(alices.filter((event) => event.type === 'MUTATION').length).toBeGreaterThanOrEqual(5);
  });

  it('pages as securityEvents does, refuses bad values, and needs authentication', async () => {
    const all = nodes(await server.graphql(MINE, { token: alice.key, variables: { first: 100 } }), 'mySecurityEvents');
    const first = await server.graphql(MINE, { token: alice.key, variables: { first: 2 } });
    const rest = await server.graphql(MINE, { token: alice.key, variables: { first: 100, after: first.body.data.mySecurityEvents.pageInfo.endCursor } });
    expect([...nodes(first, 'mySecurityEvents'), ...nodes(rest, 'mySecurityEvents')].map((event) => event.id)).toEqual(all.map((event) => event.id));
    const bad = await server.graphql('{ mySecurityEvents(first: 1000) { pageInfo { hasNextPage } } }', { token: alice.key });
    expect(bad.body.errors).toMatchObject([{ message: 'first: Ensure this value is less than or equal to 100.', extensions: { code: 'BAD_USER_INPUT', field: 'first' } }]);
    expect((await server.graphql(MINE)).status).toBe(401);
  });
});
