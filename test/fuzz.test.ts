/**
 * Property-based fuzzing of the real server over HTTP (fast-check): random Authorization headers, raw bodies,
 * variables and operation documents. Whatever arrives, the answer is a client error or a success, never a
 * 5xx, never a stack trace or an internal message, always within a bound; and the server still answers a
 * valid request correctly afterwards. Each run sends a batch side by side, so thousands of requests take
 * seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeUser, startTestServer, tokenOf, type TestServer } from './utils';
import { json, operationDocument, randomDocument } from './fuzz-documents';

const RUNS = 125;
/** Per property: on a quiet machine each takes a few seconds; beside the rest of the suite, more. */
const PROPERTY_TIMEOUT_MS = 120_000;
const BATCH = 8;
/** Generous: a loaded 2-core machine running the rest of the suite beside this file. */
const ANSWER_BOUND_MS = 5_000;

let server: TestServer;
let key: string;

beforeAll(async () => {
  server = await startTestServer({ NODE_ENV: 'production', PASSWORD_RATE: '0' });
  const user = await makeUser(server.orm, { username: 'fuzz', password: 'correct horse' });
  key = (await tokenOf(server.orm, user.id))!;
});
afterAll(() => server.close());

interface Sent {
  headers?: Record<string, string>;
  body: string;
  contentType?: string;
}

async function send({ headers = {}, body, contentType = 'application/json' }: Sent) {
  const started = performance.now();
  const response = await fetch(`${server.baseUrl}/graphql`, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });
  const text = await response.text();
  return { status: response.status, text, ms: performance.now() - started };
}

function expectWellBehaved(answer: { status: number; text: string; ms: number }, what: unknown) {
  const context = `${JSON.stringify(what).slice(0, 300)} -> ${answer.status} ${answer.text.slice(0, 300)}`;
  expect(answer.status, context).toBeLessThan(500);
  expect(answer.text, context).not.toMatch(/stacktrace|Internal server error|    at /);
  expect(answer.ms, context).toBeLessThan(ANSWER_BOUND_MS);
  // Every answer of /graphql is JSON, errors included.
  expect(() => JSON.parse(answer.text), context).not.toThrow();
}

async function checkBatch(items: Sent[]) {
  const answers = await Promise.all(items.map(send));
  answers.forEach((answer, i) => expectWellBehaved(answer, items[i]));
}

/** Header values fetch() can send: Latin-1 without line breaks or NUL (anything else never reaches a server). */
const headerValue = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom(' ', '\t', 'Token', 'token', 'Bearer', 'Basic', '0123456789abcdef0123456789abcdef01234567'),
      fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)),
    ),
  })
  .filter((value) => !/[\r\n\0]/.test(value));

describe('the server under random input', () => {
  it('answers random Authorization headers with 200 or 401, never more', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(headerValue, { minLength: BATCH, maxLength: BATCH }), async (values) => {
        const items = values.map((authorization) => ({ headers: { authorization }, body: JSON.stringify({ query: '{ me { id } }' }) }));
        const answers = await Promise.all(items.map(send));
        answers.forEach((answer, i) => {
          expectWellBehaved(answer, items[i]);
          expect([200, 401]).toContain(answer.status);
        });
      }),
      { numRuns: RUNS },
    );
  }, PROPERTY_TIMEOUT_MS);

  it('answers random bodies and content types with client errors', async () => {
    const body = fc.oneof(fc.string({ maxLength: 200 }), json.map((value) => JSON.stringify(value)), json.map((value) => JSON.stringify({ query: value })));
    const contentType = fc.constantFrom('application/json', 'text/plain', 'application/graphql', 'application/json; charset=utf-16', 'multipart/form-data');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ body, contentType }), { minLength: BATCH, maxLength: BATCH }), checkBatch),
      { numRuns: RUNS },
    );
  }, PROPERTY_TIMEOUT_MS);

  it('answers random variables for real operations', async () => {
    const operations = [
      'query ($limit: Int!, $offset: Int!) { products(limit: $limit, offset: $offset) { total items { id } } }',
      'mutation ($input: RegisterInput!) { register(input: $input) { id } }',
      'mutation ($input: ProductInput!) { createProduct(input: $input) { id price } }',
      'mutation ($u: String!, $p: String!) { obtainAuthToken(username: $u, password: $p) { token } }',
      'query ($id: ID!) { product(id: $id) { id } }',
    ];
    const item = fc.record({ query: fc.constantFrom(...operations), variables: fc.oneof(json, fc.dictionary(fc.constantFrom('limit', 'offset', 'input', 'u', 'p', 'id'), json)) });
    await fc.assert(
      fc.asyncProperty(fc.array(item, { minLength: BATCH, maxLength: BATCH }), (requests) =>
        checkBatch(requests.map((request) => ({ headers: { authorization: `Token ${key}` }, body: JSON.stringify(request) })))),
      { numRuns: RUNS },
    );
  }, PROPERTY_TIMEOUT_MS);

  it('answers random operation documents', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(randomDocument, operationDocument), { minLength: BATCH, maxLength: BATCH }), (queries) =>
        checkBatch(queries.map((query) => ({ headers: { authorization: `Token ${key}` }, body: JSON.stringify({ query }) })))),
      { numRuns: RUNS },
    );
  }, PROPERTY_TIMEOUT_MS);

  it('still answers a valid request correctly afterwards', async () => {
    const response = await server.graphql('{ me { username } }', { token: key });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ data: { me: { username: 'fuzz' } } });
  });
});
