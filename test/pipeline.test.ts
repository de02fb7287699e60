/**
 * The one operation pipeline (src/operations/pipeline.ts), seen from both transports against the real
 * server: what HTTP and a WebSocket used to disagree on now agrees, documents that made graphql-js throw are
 * refusals (400 / an `error` message on a socket that stays open), and a refused document costs no query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countQueries, makeUser, startTestServer, tokenOf, type TestServer } from './utils';
import { openSocket, runOnce, type TestSocket } from './ws-client';

let server: TestServer;
let key: string;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  server = await startTestServer({ AUTO_REFRESH: 'true', MIN_REFRESH_INTERVAL: '0' });
  const user = await makeUser(server.orm, { username: 'piper', password: 'correct horse' });
  key = (await tokenOf(server.orm, user.id))!;
});
afterAll(async () => {
  await Promise.all(sockets.map((socket) => socket.dispose()));
  await server.close();
});

async function authenticatedSocket(token: string): Promise<TestSocket> {
  const socket = openSocket(server.wsUrl, { Authorization: `Token ${token}` });
  sockets.push(socket);
  await socket.connected;
  return socket;
}

/** The `error` message's errors of an operation over the socket (it fails the test if the operation ran). */
async function refusedOverSocket(socket: TestSocket, query: string): Promise<{ message: string; extensions?: { code?: string } }[]> {
  try {
    const result = await runOnce(socket.client, query);
    throw new Error(`ran: ${JSON.stringify(result)}`);
  } catch (errors) {
    if (errors instanceof Error) throw errors;
    return errors as { message: string; extensions?: { code?: string } }[];
  }
}

async function loginToken(): Promise<{ token: string; tokenId: string }> {
  const response = await server.graphql('mutation { login(username: "piper", password: "correct horse") { token tokenId } }');
  expect(response.body.errors).toBeUndefined();
  return response.body.data.login;
}

async function lastUsedOf(tokenId: string): Promise<{ last_used: string | null; expiry: string | null }> {
  const rows = await server.orm.em.getConnection().execute<{ last_used: string | null; expiry: string | null }[]>('select last_used, expiry from authtoken_login_token where id = ?', [tokenId]);
  return rows[0];
}

const THROWING = [
  {
    query: 'subscription { productChanged @include { kind } }',
    message: 'Directive "@include" argument "if" of type "Boolean!" is required, but it was not provided.',
  },
  { query: 'subscription { a @skip(if: $v) }', message: 'Variable "$v" is not defined.' },
  {
    query: 'subscription { productChanged @skip(if: true) { kind } }',
    message: 'Anonymous Subscription must not use `@skip` or `@include` directives in the top level selection.',
  },
  {
    query: 'subscription Live { ...F } fragment F on Subscription { productChanged @include(if: true) { kind } }',
    message: 'Subscription "Live" must not use `@skip` or `@include` directives in the top level selection.',
  },
];

describe('documents graphql-js throws on', () => {
  it.each(THROWING)('answers $query over HTTP with 400 GRAPHQL_VALIDATION_FAILED', async ({ query, message }) => {
    const response = await server.graphql(query, { token: key });
    expect(response.status).toBe(400);
    expect(response.body.errors?.map((error) => error.extensions?.code)).toContain('GRAPHQL_VALIDATION_FAILED');
    expect(response.body.errors?.map((error) => error.message)).toContain(message);
  });

  it.each(THROWING)('answers $query over a WebSocket with an error message, and the socket stays open', async ({ query, message }) => {
    const socket = await authenticatedSocket(key);
    const errors = await refusedOverSocket(socket, query);
    expect(errors.map((error) => error.message)).toContain(message);
    expect(errors.every((error) => error.extensions?.code === 'GRAPHQL_VALIDATION_FAILED')).toBe(true);
    // Still open and serving.
    expect((await runOnce(socket.client, '{ me { username } }')).data).toEqual({ me: { username: 'piper' } });
  });
});

describe('token use, the same on both transports', () => {
  it('records no use for an operation asking only tokenInfo, over HTTP', async () => {
    const { token, tokenId } = await loginToken();
    const before = await lastUsedOf(tokenId);
    const response = await server.graphql('{ tokenInfo { kind } __typename }', { token });
    expect(response.body.data.tokenInfo).toEqual({ kind: 'LOGIN' });
    expect(await lastUsedOf(tokenId)).toEqual(before);
    await server.graphql('{ me { id } }', { token });
    expect((await lastUsedOf(tokenId)).last_used).not.toBeNull();
  });

  it('records no use for an operation asking only tokenInfo, over a WebSocket: lastUsed and expiry stay', async () => {
    const { token, tokenId } = await loginToken();
    const socket = await authenticatedSocket(token);
    const before = await lastUsedOf(tokenId);
    expect((await runOnce(socket.client, '{ tokenInfo { kind } }')).data).toEqual({ tokenInfo: { kind: 'LOGIN' } });
    expect(await lastUsedOf(tokenId)).toEqual(before);
    // Anything more is a use: the same socket's next operation records it (so the check above can fail).
    await runOnce(socket.client, '{ me { id } }');
    const after = await lastUsedOf(tokenId);
    expect(after.last_used).not.toBeNull();
    expect(after.expiry).not.toEqual(before.expiry);
  });
});

describe('refusals before authentication', () => {
  it('costs no query to refuse a document, over HTTP, whatever the token', async () => {
    const { result, queries } = await countQueries(server.orm, () => server.graphql('{ me { nope } }', { token: key }));
    expect(result.status).toBe(400);
    expect(result.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(queries).toEqual([]);
  });

  it('refuses a subscription over HTTP with the message that says where they are served', async () => {
    const response = await server.graphql('subscription { productChanged { kind } }', { token: key });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      {
        message: 'Subscriptions are served over WebSocket at /graphql (the graphql-transport-ws protocol), not over HTTP.',
        locations: [{ line: 1, column: 1 }],
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      },
    ]);
  });

  it('answers a parse error with 400 GRAPHQL_PARSE_FAILED on HTTP and an error message on a socket', async () => {
    const response = await server.graphql('{ me { id }', { token: key });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ message: 'Syntax Error: Expected Name, found <EOF>.', locations: [{ line: 1, column: 12 }], extensions: { code: 'GRAPHQL_PARSE_FAILED' } }]);
    const socket = await authenticatedSocket(key);
    const errors = await refusedOverSocket(socket, '{ me { id }');
    expect(errors).toEqual([{ message: 'Syntax Error: Expected Name, found <EOF>.', locations: [{ line: 1, column: 12 }], extensions: { code: 'GRAPHQL_PARSE_FAILED' } }]);
  });
});
