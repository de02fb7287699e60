/**
 * Operation limits (src/limits/): each refused with HTTP 400, GRAPHQL_VALIDATION_FAILED and a message naming
 * the limit and what was found, before anything runs; a refused operation writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getIntrospectionQuery } from 'graphql';
import { makeUser, startTestServer, type TestServer } from './utils';

function register(alias: string, n: number | string): string {
  return `${alias}: register(input: {username: "mass${n}", email: "mass${n}@example.com", password: "correct horse"}) { id }`;
}

async function userCount(server: TestServer): Promise<number> {
  const [row] = await server.orm.em.getConnection().execute<{ n: number }[]>('select count(*)::int as n from auth_user');
  return row.n;
}

function expectRefused(response: { status: number; body: any }, message: string) {
  expect(response.status).toBe(400);
  expect(response.body.data).toBeUndefined();
  expect(response.body.errors).toHaveLength(1);
  expect(response.body.errors![0]).toMatchObject({ message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
}

describe('operation limits with the default settings', () => {
  let server: TestServer;
  let key: string;
  beforeAll(async () => {
    server = await startTestServer();
    const user = await makeUser(server.orm);
    const [row] = await server.orm.em.getConnection().execute<{ key: string }[]>('select key from authtoken_token where user_id = ?', [user.id]);
    key = row.key;
  });
  afterAll(() => server.close());

  it('refuses more than 15 aliases, naming the limit and the count', async () => {
    const fields = Array.from({ length: 16 }, (_, i) => `a${i}: me { id }`).join(' ');
    expectRefused(await server.graphql(`{ ${fields} }`, { token: key }), 'Aliases limit of 15 exceeded, found 16.');
  });

  it('refuses a replayed document the same way, without a token lookup for an over-long one', async () => {
    const fields = Array.from({ length: 20 }, (_, i) => `a${i}: me { id }`).join(' ');
    for (let i = 0; i < 3; i += 1) {
      expectRefused(await server.graphql(`{ ${fields} }`, { token: key }), 'Aliases limit of 15 exceeded, found 20.');
    }
    // MAX_TOKENS is checked before the context: even an invalid token is not looked up, the size answers first.
    const long = `{ ${'__typename '.repeat(1001)}}`;
    expectRefused(await server.graphql(long, { token: '0'.repeat(40) }), 'Token limit of 1000 exceeded, found more than 1000.');
    const get = await fetch(`${server.baseUrl}/graphql?query=${encodeURIComponent(long)}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(get.status).toBe(400);
    expect(((await get.json()) as { errors: unknown[] }).errors[0]).toEqual({ message: 'Token limit of 1000 exceeded, found more than 1000.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });

  it('counts aliases inside fragments, and does not count __typename', async () => {
    const inFragment = Array.from({ length: 16 }, (_, i) => `a${i}: id`).join(' ');
    expectRefused(await server.graphql(`{ me { ...F } } fragment F on User { ${inFragment} }`, { token: key }), 'Aliases limit of 15 exceeded, found 16.');
    const fifteen = Array.from({ length: 15 }, (_, i) => `a${i}: me { id }`).join(' ');
    const typenames = Array.from({ length: 30 }, (_, i) => `t${i}: __typename`).join(' ');
    const response = await server.graphql(`{ ${fifteen} ${typenames} }`, { token: key });
    expect(response.status).toBe(200);
    expect(response.body.data.a14.id).toBeDefined();
    expect(response.body.data.t29).toBe('Query');
  });

  it('refuses a selection deeper than 10 fields', async () => {
    const deep = '{ __type(name: "Query") { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } }';
    expectRefused(await server.graphql(deep), 'Query depth limit of 10 exceeded, found 11.');
    const fragments = '{ __type(name: "Query") { ...A } } fragment A on __Type { fields { type { ...B } } } fragment B on __Type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } }';
    expectRefused(await server.graphql(fragments), 'Query depth limit of 10 exceeded, found 11.');
  });

  it("answers the playground's introspection query, which is deeper than any operation", async () => {
    const query = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true, oneOf: true });
    const response = await server.graphql(query);
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.__schema.queryType.name).toBe('Query');
  });

  it('refuses 99 kB of repeated fields before parsing', async () => {
    const body = `{ ${'me { id } '.repeat(9_900)} }`;
    const started = performance.now();
    const response = await server.graphql(body, { token: key });
    expectRefused(response, 'Token limit of 1000 exceeded, found more than 1000.');
    // Not a timing assertion: only that the answer did not take the old seconds of validation.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('refuses 7,000 nested fragments with the token limit, not a stack overflow', async () => {
    const response = await server.graphql(`{ ${'...on Query{'.repeat(7000)}__typename${'}'.repeat(7000)} }`);
    expect(response.status).toBe(400);
    expect(response.body.errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.body.errors![0].message).toBe('Token limit of 1000 exceeded, found more than 1000.');
  });

  it('prices a page at its limit, summed over aliases, variables included', async () => {
    const page = (alias: string) => `${alias}: products(limit: 100) { items { id name description price } total }`;
    const ten = Array.from({ length: 10 }, (_, i) => page(`p${i}`)).join(' ');
    // Each page: 1 + 100 x (items 1 + 4 fields + total 1) = 601.
    expectRefused(await server.graphql(`{ ${ten} }`, { token: key }), 'Query cost limit of 5000 exceeded, found 6010.');
    const nine = Array.from({ length: 9 }, (_, i) => `p${i}: products(limit: $limit) { items { id name description price } total }`).join(' ');
    const query = `query Pages($limit: Int!) { ${nine} }`;
    expectRefused(await server.graphql(query, { token: key, variables: { limit: 100 } }), 'Query cost limit of 5000 exceeded, found 5409.');
    const allowed = await server.graphql(query, { token: key, variables: { limit: 90 } });
    expect(allowed.status).toBe(200);
    expect(allowed.body.data.p8.items).toEqual([]);
  });

  it("lets the web app's largest page through", async () => {
    const response = await server.graphql('{ products(limit: 100) { total items { id name description price created updated } } }', { token: key });
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
  });

  it('refuses two password-checking fields in one operation, and writes nothing', async () => {
    const before = await userCount(server);
    const forms = [
      `mutation { ${register('a', 1)} ${register('b', 2)} }`,
      `mutation { ${register('a', 3)} obtainAuthToken(username: "x", password: "y") { token } }`,
      `mutation { ${register('a', 4)} ...F } fragment F on Mutation { ${register('b', 5)} }`,
      `mutation { ...F } fragment F on Mutation { ${register('a', 6)} ...G } fragment G on Mutation { ${register('b', 7)} }`,
      `mutation { ${Array.from({ length: 40 }, (_, i) => register(`r${i}`, 100 + i)).join(' ')} }`,
    ];
    for (const query of forms) {
      const response = await server.graphql(query);
      expect(response.status).toBe(400);
      expect(response.body.errors![0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    }
    const two = await server.graphql(forms[0]);
    expectRefused(two, 'Only one password-checking field is allowed per operation.');
    expect(await userCount(server)).toBe(before);
  });

  it('allows one password-checking field, selected twice under one name (it runs once)', async () => {
    const response = await server.graphql(`mutation { ${register('a', 200)} ...F } fragment F on Mutation { ${register('a', 200)} }`);
    expect(response.status).toBe(200);
    expect(response.body.data.a.id).toBeDefined();
  });

  it('answers batched requests with a refusal: one operation per request', async () => {
    const response = await fetch(`${server.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/batching/i);
  });
});

describe('operation limits from settings', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ MAX_ALIASES: '2', MAX_DEPTH: '3', MAX_TOKENS: '100', MAX_COST: '50' });
  });
  afterAll(() => server.close());

  it('applies each configured limit', async () => {
    expectRefused(await server.graphql('{ a: __type(name: "Query") { name } b: __type(name: "User") { name } c: __type(name: "Token") { name } }'), 'Aliases limit of 2 exceeded, found 3.');
    expectRefused(await server.graphql('{ __type(name: "Query") { fields { type { name } } } }'), 'Query depth limit of 3 exceeded, found 4.');
    expectRefused(await server.graphql(`{ ${'__typename '.repeat(101)}}`), 'Token limit of 100 exceeded, found more than 100.');
    expectRefused(await server.graphql('{ products(limit: 10) { items { id name description price } total } }'), 'Query cost limit of 50 exceeded, found 61.');
  });
});

describe('schema privacy in production', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ NODE_ENV: 'production' });
  });
  afterAll(() => server.close());

  it('names no field a stranger did not ask for', async () => {
    const response = await server.graphql('{ produc { id } }');
    expect(response.status).toBe(400);
    expect(response.body.errors![0].message).toBe('Cannot query field "produc" on type "Query".');
    const argument = await server.graphql('mutation { obtainAuthToken(usernam: "a", password: "b") { token } }');
    expect(argument.body.errors!.map((e: { message: string }) => e.message).join(' ')).not.toMatch(/Did you mean/);
  });

  it('refuses introspection naming the setting and why it is off', async () => {
    expectRefused(
      await server.graphql('{ __schema { queryType { name } } }'),
      'GraphQL introspection is off on this server (it is off by default with NODE_ENV=production); set INTROSPECTION=true to allow it.',
    );
  });
});

describe('schema hints outside production', () => {
  it('keeps suggestions where introspection shows the schema anyway, and names an explicit INTROSPECTION=false', async () => {
    const open = await startTestServer();
    const closed = await startTestServer({ INTROSPECTION: 'false' });
    try {
      expect((await open.graphql('{ produc { id } }')).body.errors![0].message).toMatch(/Did you mean "product" or "products"\?$/);
      expectRefused(
        await closed.graphql('{ __type(name: "Query") { name } }'),
        'GraphQL introspection is off on this server (INTROSPECTION=false is set); set INTROSPECTION=true to allow it.',
      );
    } finally {
      await open.close();
      await closed.close();
    }
  });
});
