/**
 * WebSockets against the built server as a process: events and revocations across two cluster workers
 * (WEB_CONCURRENCY=2, one LISTEN connection each), and the graceful shutdown (work in flight finishes, then
 * every socket closes with 1001).
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { freePort } from '../src/processes';
import { initOrm } from '../src/database/orm';
import { startServerProcess } from './server-process';
import { createTestDatabase, makeUser, tokenOf } from './utils';
import { openSocket, runOnce, subscribe, type Subscription, type TestSocket } from './ws-client';

const PRODUCT_CHANGED = 'subscription { productChanged { kind product { id name } } }';

interface Running {
  child: ChildProcess;
  baseUrl: string;
  wsUrl: string;
  /** stdout and stderr so far. */
  log(): string;
  exit: Promise<number | null>;
}

const running: Running[] = [];

/** The built server through the shared starter (test/server-process.ts), kept for the end of the file. */
async function start(env: Record<string, string>): Promise<Running> {
  const process_ = startServerProcess(env);
  const baseUrl = await process_.ready;
  const server = { child: process_.child, baseUrl, wsUrl: `${baseUrl.replace(/^http/, 'ws')}/graphql`, log: process_.log, exit: process_.exited.then(({ code }) => code) };
  running.push(server);
  return server;
}

async function graphql(baseUrl: string, query: string, token?: string, variables?: Record<string, unknown>) {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Token ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as any;
}

afterAll(() => {
  for (const server of running) if (server.child.exitCode === null) server.child.kill('SIGKILL');
});

describe('two workers (WEB_CONCURRENCY=2)', () => {
  let server: Running;
  let orm: MikroORM;
  const sockets: TestSocket[] = [];
  let warmUps = 0;

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase();
    orm = await initOrm(databaseUrl, { poolSize: 2 });
    server = await start({ DATABASE_URL: databaseUrl, WEB_CONCURRENCY: '2', PORT: String(await freePort()) });
  });
  afterAll(async () => {
    await Promise.all(sockets.map((socket) => socket.dispose()));
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    await orm?.close();
  });

  /** Opens sockets until there is a connected one on each worker, then keeps those two. */
  async function onBothWorkers(token: string): Promise<TestSocket[]> {
    const byWorker = new Map<string, TestSocket>();
    for (let attempt = 0; attempt < 20 && byWorker.size < 2; attempt += 1) {
      const socket = openSocket(server.wsUrl, { Authorization: `Token ${token}` });
      sockets.push(socket);
      await socket.connected;
      const worker = socket.worker()!;
      if (byWorker.has(worker)) await socket.dispose();
      else byWorker.set(worker, socket);
    }
    expect([...byWorker.keys()].sort()).toEqual(['1', '2']);
    return [...byWorker.values()];
  }

  async function live(subscription: Subscription<any>, token: string): Promise<void> {
    const names = new Set<string>();
    for (let attempt = 0; attempt < 40; attempt += 1) {
      const name = `warm-up ${(warmUps += 1)}`;
      names.add(name);
      await graphql(server.baseUrl, 'mutation ($n: String!) { createProduct(input: {name: $n, price: "1"}) { id } }', token, { n: name });
      try {
        await subscription.until((result) => names.has(result.data?.productChanged?.product.name), 300);
        return;
      } catch {
        // not subscribed on its worker yet
      }
    }
    throw new Error('the subscription never went live');
  }

  it('delivers a product written through either worker to subscribers on both', async () => {
    const user = await makeUser(orm, { username: 'cluster-watcher' });
    const token = (await tokenOf(orm, user.id))!;
    const subscriptions = (await onBothWorkers(token)).map((socket) => subscribe(socket.client, PRODUCT_CHANGED));
    for (const subscription of subscriptions) await live(subscription, token);

    // Each on a fresh connection, so the writes too go through both workers.
    for (const name of ['first', 'second', 'third', 'fourth']) {
      await graphql(server.baseUrl, 'mutation ($n: String!) { createProduct(input: {name: $n, price: "1"}) { id } }', token, { n: name });
    }
    for (const subscription of subscriptions) {
      for (const name of ['first', 'second', 'third', 'fourth']) {
        await subscription.until((result) => result.data?.productChanged?.product.name === name);
      }
    }
  });

  it('closes the sockets of a revoked token on both workers within the second', async () => {
    const user = await makeUser(orm, { username: 'cluster-leaver' });
    const token = (await tokenOf(orm, user.id))!;
    const both = await onBothWorkers(token);
    const started = Date.now();
    expect(await graphql(server.baseUrl, 'mutation { logout }', token)).toEqual({ data: { logout: true } });
    for (const socket of both) {
      const closed = await socket.closed;
      expect(closed).toMatchObject({ code: 4403, reason: 'Invalid token.' });
      expect(closed.at - started).toBeLessThan(1000);
    }
  });

  it('closes the sockets of a deactivated user on both workers within the second', async () => {
    const user = await makeUser(orm, { username: 'cluster-sleeper' });
    const token = (await tokenOf(orm, user.id))!;
    const both = await onBothWorkers(token);
    const started = Date.now();
    await orm.em.getConnection().execute('update auth_user set is_active = false where id = ?', [user.id]);
    for (const socket of both) {
      const closed = await socket.closed;
      expect(closed).toMatchObject({ code: 4403, reason: 'User inactive or deleted.' });
      expect(closed.at - started).toBeLessThan(1000);
    }
  });

  it('closes every socket with 1001 on SIGTERM, and exits 0', async () => {
    const user = await makeUser(orm, { username: 'cluster-stayer' });
    const both = await onBothWorkers((await tokenOf(orm, user.id))!);
    server.child.kill('SIGTERM');
    for (const socket of both) expect(await socket.closed).toMatchObject({ code: 1001 });
    expect(await server.exit).toBe(0);
  }, 60_000);
});

describe('graceful shutdown of one process', () => {
  it('finishes an operation in flight on a socket before closing it with 1001', async () => {
    const databaseUrl = await createTestDatabase();
    const orm = await initOrm(databaseUrl, { poolSize: 2 });
    try {
      const user = await makeUser(orm, { username: 'in-flight' });
      const token = (await tokenOf(orm, user.id))!;
      const server = await start({ DATABASE_URL: databaseUrl, WEB_CONCURRENCY: '1', PORT: String(await freePort()) });
      const socket = openSocket(server.wsUrl, { Authorization: `Token ${token}` });
      await socket.connected;

      // The product table is locked, so the mutation sent now waits in the server, however fast the machine.
      const em = orm.em.fork();
      await em.begin();
      await em.getConnection().execute('lock table product in access exclusive mode', [], 'run', em.getTransactionContext());
      const created = runOnce(socket.client, 'mutation { createProduct(input: {name: "In flight", price: "1"}) { name } }');
      let closedEarly = false;
      void socket.closed.then(() => (closedEarly = true));
      await until(async () => ((await orm.em.getConnection().execute(
        "select 1 from pg_locks where relation = 'product'::regclass and not granted",
      )).length ? true : undefined));

      server.child.kill('SIGTERM');
      await until(async () => (server.log().includes('SIGTERM received') ? true : undefined));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(closedEarly).toBe(false);

      await em.commit();
      expect(await created).toEqual({ data: { createProduct: { name: 'In flight' } } });
      expect(await socket.closed).toMatchObject({ code: 1001 });
      expect(await server.exit).toBe(0);
    } finally {
      await orm.close();
    }
  }, 60_000);
});

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('timed out');
}
