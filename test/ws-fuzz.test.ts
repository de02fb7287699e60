/**
 * Property-based fuzzing of the real server over WebSocket (fast-check), the HTTP fuzz's twin
 * (test/fuzz.test.ts). On one authenticated socket that holds a live `productChanged` subscription, random
 * documents and variables are sent as operations: each gets its answer (an `error` message, or results and
 * `complete`), the socket is never closed, and the subscription opened first keeps receiving events
 * throughout. Random messages on sockets of their own may close those sockets, but only with a code
 * docs/subscriptions.md documents, never 4500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import WebSocket from 'ws';
import { makeUser, startTestServer, tokenOf, type TestServer } from './utils';
import { openSocket, subscribe, type Subscription, type TestSocket } from './ws-client';
import { json, operationDocument, randomDocument } from './fuzz-documents';

const RUNS = 60;
const BATCH = 8;
const PROPERTY_TIMEOUT_MS = 120_000;
/** A started subscription answers nothing until an event: it is given this long, then unsubscribed. */
const SETTLE_MS = 150;
/** Every close code docs/subscriptions.md lists (the protocol's, and this server's). */
const DOCUMENTED_CLOSE_CODES = new Set([1000, 1001, 1009, 1013, 4400, 4401, 4403, 4406, 4408, 4409, 4429]);
const PRODUCT_CHANGED = 'subscription { productChanged { kind product { name } } }';

let server: TestServer;
let key: string;
let socket: TestSocket;
let live: Subscription<any>;
let closedAt: { code: number; reason: string } | undefined;
let events = 0;

async function createProduct(name: string): Promise<void> {
  const response = await server.graphql('mutation ($input: ProductInput!) { createProduct(input: $input) { id } }', {
    token: key,
    variables: { input: { name, description: '', price: '1' } },
  });
  expect(response.body.errors).toBeUndefined();
}

/** Writes a product and waits for the first subscription to report it. */
async function expectLive(): Promise<void> {
  const name = `event ${(events += 1)}`;
  for (let attempt = 0; attempt < 20; attempt += 1) {
    await createProduct(`${name} (${attempt})`);
    try {
      await live.until((result) => String(result.data?.productChanged?.product.name).startsWith(name), 500);
      return;
    } catch {
      // not yet subscribed on the server (only at the start): write again
    }
  }
  throw new Error('the first subscription stopped receiving events');
}

beforeAll(async () => {
  server = await startTestServer({ NODE_ENV: 'production', PASSWORD_RATE: '0' });
  const user = await makeUser(server.orm, { username: 'wsfuzz', password: 'correct horse' });
  key = (await tokenOf(server.orm, user.id))!;
  socket = openSocket(server.wsUrl, { Authorization: `Token ${key}` });
  void socket.closed.then((closed) => (closedAt = closed));
  await socket.connected;
  live = subscribe(socket.client, PRODUCT_CHANGED);
  await expectLive();
});
afterAll(async () => {
  await socket?.dispose();
  await server?.close();
});

type Outcome = { kind: 'error'; errors: unknown } | { kind: 'complete'; results: unknown[] } | { kind: 'running' };

/** One operation on the shared socket: its `error`, its results up to `complete`, or still running. */
function operate(query: string, variables: unknown): Promise<Outcome> {
  return new Promise((resolve) => {
    const results: unknown[] = [];
    let timer: NodeJS.Timeout;
    const unsubscribe = socket.client.subscribe(
      { query, variables: variables as Record<string, unknown> },
      {
        next: (value) => results.push(value),
        error: (errors) => {
          clearTimeout(timer);
          resolve({ kind: 'error', errors });
        },
        complete: () => {
          clearTimeout(timer);
          resolve({ kind: 'complete', results });
        },
      },
    );
    timer = setTimeout(() => {
      unsubscribe();
      resolve({ kind: 'running' });
    }, SETTLE_MS);
  });
}

function expectAnswered(outcome: Outcome, sent: unknown) {
  const context = JSON.stringify(sent).slice(0, 300);
  expect(closedAt, `${context} closed the socket`).toBeUndefined();
  if (outcome.kind === 'error') {
    // A refusal is a list of GraphQL errors with a code; never the close that a thrown error makes.
    expect(Array.isArray(outcome.errors), `${context} -> ${JSON.stringify(outcome.errors).slice(0, 300)}`).toBe(true);
    for (const error of outcome.errors as { message: string; extensions?: { code?: string } }[]) {
      expect(error.extensions?.code, `${context} -> ${error.message}`).toBeTypeOf('string');
      expect(error.message, context).not.toMatch(/Internal server error|    at /);
    }
  }
}

describe('the WebSocket under random input', () => {
  it('answers random documents on an authenticated socket without closing it', async () => {
    // Variables the protocol accepts (an object or none; anything else is a malformed message, 4400, which the
    // last property covers on sockets of its own), with any values.
    const variables = fc.oneof(fc.constant(undefined), fc.dictionary(fc.string({ maxLength: 4 }), json), fc.dictionary(fc.constantFrom('v', 'limit'), json));
    const item = fc.record({ query: fc.oneof(randomDocument, operationDocument), variables });
    await fc.assert(
      fc.asyncProperty(fc.array(item, { minLength: BATCH, maxLength: BATCH }), async (items) => {
        const outcomes = await Promise.all(items.map(({ query, variables }) => operate(query, variables)));
        outcomes.forEach((outcome, i) => expectAnswered(outcome, items[i]));
      }),
      { numRuns: RUNS },
    );
    await expectLive();
  }, PROPERTY_TIMEOUT_MS);

  it('answers the documents that used to close the socket with 4500 with an error message', async () => {
    for (const query of [
      'subscription { productChanged @include { kind } }',
      'subscription { a @skip(if: $v) }',
      'subscription { productChanged @skip(if: true) { kind } }',
      'subscription Live { ... on Subscription { productChanged @include(if: false) { kind } } }',
    ]) {
      const outcome = await operate(query, undefined);
      expect(outcome.kind, query).toBe('error');
      expectAnswered(outcome, query);
    }
    await expectLive();
  });

  it('closes a socket whose client sends a message only a server sends with 4400, not 4500', async () => {
    for (const sent of [
      { id: ' ', type: 'next', payload: {} },
      { id: '1', type: 'error', payload: [] },
      { type: 'connection_ack' },
    ]) {
      const closed = await new Promise<{ code: number; reason: string }>((resolve, reject) => {
        const raw = new WebSocket(server.wsUrl, 'graphql-transport-ws');
        raw.on('error', reject);
        raw.on('open', () => raw.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Token ${key}` } })));
        raw.on('message', (data) => {
          if (JSON.parse(String(data)).type === 'connection_ack') raw.send(JSON.stringify(sent));
        });
        raw.on('close', (code, reason) => resolve({ code, reason: String(reason) }));
      });
      expect(closed).toEqual({ code: 4400, reason: `Unexpected message of type ${sent.type} received` });
    }
    expect(closedAt).toBeUndefined();
  });

  it('closes sockets sent random messages only with documented codes, and the first subscription lives on', async () => {
    const message = fc.oneof(
      json.map((payload) => ({ id: 'x', type: 'subscribe', payload })),
      fc.record({ id: fc.oneof(fc.string({ maxLength: 3 }), fc.integer()), type: fc.constantFrom('subscribe', 'complete', 'ping', 'pong', 'next', 'nope'), payload: json }),
      json,
    );
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 4 }), async (messages) => {
        const code = await new Promise<number | null>((resolve, reject) => {
          const raw = new WebSocket(server.wsUrl, 'graphql-transport-ws');
          let acked = false;
          raw.on('error', reject);
          raw.on('open', () => raw.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Token ${key}` } })));
          raw.on('message', (data) => {
            if (acked || JSON.parse(String(data)).type !== 'connection_ack') return;
            acked = true;
            for (const sent of messages) raw.send(JSON.stringify(sent));
            // Still open after this long: nothing sent closed it.
            setTimeout(() => resolve(null), SETTLE_MS);
          });
          raw.on('close', (closeCode) => resolve(closeCode));
        });
        if (code !== null) expect(DOCUMENTED_CLOSE_CODES.has(code), `${JSON.stringify(messages).slice(0, 300)} closed with ${code}`).toBe(true);
      }),
      { numRuns: RUNS },
    );
    expect(closedAt).toBeUndefined();
    await expectLive();
  }, PROPERTY_TIMEOUT_MS);
});
