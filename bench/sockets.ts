/**
 * Scenario (g): live data on one worker. SOCKETS sockets (1,000 by default, BENCH_SOCKETS) connect with one
 * user's token and subscribe to productChanged; then
 *
 * - memory per socket: the server's RSS once idle before connecting them, and again after, over their count;
 * - delivery: EVENTS createProduct mutations, one at a time, each timed from the moment the mutation is sent
 *   to its `next` message on every socket (p50 and p99 over all deliveries, and over the time until the
 *   last socket has it);
 * - revocation: the user logs out, and the time from sending `logout` until every socket has closed (4403).
 *
 * The sockets speak graphql-transport-ws over plain `ws`, without a client library: with a thousand of them
 * in the bench process, which shares the cores with the server, a lighter client skews the figures less.
 */
import WebSocket from 'ws';
import { round } from './load';
import { serverCpuMs, serverRss, type Started } from './processes';
import { post, PASSWORD } from './seed';

export interface SocketFigures {
  sockets: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  kbPerSocket: number;
  events: number;
  deliveryP50: number;
  deliveryP99: number;
  allDeliveredP50: number;
  allDeliveredP99: number;
  missed: number;
  /** Server CPU per event, for all its deliveries: steadier than latency on a shared machine. */
  serverCpuMsPerEvent: number;
  revokeAllClosedMs: number;
  /** Server CPU spent closing them. */
  revokeServerCpuMs: number;
  closeCodes: Record<string, number>;
}

const SUBSCRIPTION = 'subscription { productChanged { kind product { id name } } }';

interface LiveSocket {
  ws: WebSocket;
  /** event name -> Date.now() when it arrived */
  seen: Map<string, number>;
  closed: Promise<{ code: number; at: number }>;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function openLive(wsUrl: string, authorization: string): Promise<LiveSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, 'graphql-transport-ws');
    const seen = new Map<string, number>();
    const closed = new Promise<{ code: number; at: number }>((done) => ws.once('close', (code) => done({ code, at: Date.now() })));
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: authorization } })));
    ws.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.type === 'connection_ack') {
        ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION } }));
        resolve({ ws, seen, closed });
      } else if (message.type === 'next') {
        seen.set(message.payload.data.productChanged.product.name, Date.now());
      } else if (message.type === 'ping') {
        ws.send(JSON.stringify({ type: 'pong' }));
      } else if (message.type === 'error') {
        reject(new Error(`subscription refused: ${JSON.stringify(message.payload)}`));
      }
    });
    void closed.then(({ code }) => reject(new Error(`closed before the ack: ${code}`)));
  });
}

async function lowestRss(pid: number, samples = 6): Promise<number> {
  let lowest = serverRss(pid).totalMb;
  for (let i = 0; i < samples; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    lowest = Math.min(lowest, serverRss(pid).totalMb);
  }
  return lowest;
}

async function createProduct(baseUrl: string, authorization: string, name: string): Promise<void> {
  const created = await post(baseUrl, `mutation { createProduct(input: {name: "${name}", price: "1"}) { id } }`, authorization);
  if (!created.body.data?.createProduct) throw new Error(`createProduct failed: ${JSON.stringify(created.body)}`);
}

/** Waits until every socket has `name`, or `timeoutMs`; returns how many still lack it. */
async function allSeen(sockets: LiveSocket[], name: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const missing = sockets.filter((socket) => !socket.seen.has(name)).length;
    if (missing === 0 || Date.now() > deadline) return missing;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export async function measureSockets(server: Started, count: number, events: number, log: (message: string) => void): Promise<SocketFigures> {
  const wsUrl = `${server.baseUrl.replace(/^http/, 'ws')}/graphql`;
  const username = `live_${Date.now().toString(36)}`;
  await post(server.baseUrl, `mutation { register(input: {username: "${username}", email: "${username}@example.com", password: "${PASSWORD}"}) { id } }`);
  const login = await post(server.baseUrl, `mutation { obtainAuthToken(username: "${username}", password: "${PASSWORD}") { token } }`);
  const authorization = `Token ${login.body.data.obtainAuthToken.token}`;

  log(`  (g) ${count} sockets: RSS before`);
  const rssBeforeMb = await lowestRss(server.child.pid!);
  const sockets: LiveSocket[] = [];
  // In batches, so that connection_init's token lookups do not all queue on the pool at once.
  for (let i = 0; i < count; i += 50) {
    sockets.push(...(await Promise.all(Array.from({ length: Math.min(50, count - i) }, () => openLive(wsUrl, authorization)))));
  }
  // A subscription says nothing until its first event: warm up until every socket has had one.
  for (let attempt = 0; ; attempt += 1) {
    const name = `warm-up ${attempt}`;
    await createProduct(server.baseUrl, authorization, name);
    if ((await allSeen(sockets, name, 2000)) === 0) break;
    if (attempt === 20) throw new Error('the sockets never all went live');
  }
  log(`  (g) ${count} sockets live: RSS after`);
  const rssAfterMb = await lowestRss(server.child.pid!);

  log(`  (g) ${events} events to ${count} sockets`);
  const deliveries: number[] = [];
  const lastDeliveries: number[] = [];
  let missed = 0;
  const cpuBefore = serverCpuMs(server.child.pid!);
  for (let i = 0; i < events; i += 1) {
    const name = `event ${i}`;
    const sent = Date.now();
    await createProduct(server.baseUrl, authorization, name);
    missed += await allSeen(sockets, name, 5000);
    const times = sockets.map((socket) => socket.seen.get(name)).filter((at): at is number => at !== undefined).map((at) => at - sent);
    deliveries.push(...times);
    lastDeliveries.push(Math.max(...times));
    // Between events, so that each is timed on an idle server.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // Less the pauses' idle ticks, which are ~0; includes each createProduct's own handling (~1 ms).
  const serverCpuMsPerEvent = round((serverCpuMs(server.child.pid!) - cpuBefore) / events, 1);
  deliveries.sort((x, y) => x - y);
  lastDeliveries.sort((x, y) => x - y);

  log(`  (g) revoking the token of ${count} sockets`);
  const revokeCpuBefore = serverCpuMs(server.child.pid!);
  const revoked = Date.now();
  const logout = await post(server.baseUrl, 'mutation { logout }', authorization);
  if (logout.body.data?.logout !== true) throw new Error(`logout failed: ${JSON.stringify(logout.body)}`);
  const closes = await Promise.race([
    Promise.all(sockets.map((socket) => socket.closed)),
    new Promise<null>((resolve) => setTimeout(() => resolve(null), 10_000)),
  ]);
  const revokeServerCpuMs = serverCpuMs(server.child.pid!) - revokeCpuBefore;
  for (const socket of sockets) socket.ws.terminate();
  const closeCodes: Record<string, number> = {};
  for (const close of closes ?? []) closeCodes[close.code] = (closeCodes[close.code] ?? 0) + 1;

  return {
    sockets: count,
    rssBeforeMb,
    rssAfterMb,
    kbPerSocket: round(((rssAfterMb - rssBeforeMb) * 1024) / count, 1),
    events,
    deliveryP50: percentile(deliveries, 50),
    deliveryP99: percentile(deliveries, 99),
    allDeliveredP50: percentile(lastDeliveries, 50),
    allDeliveredP99: percentile(lastDeliveries, 99),
    missed,
    serverCpuMsPerEvent,
    revokeServerCpuMs,
    revokeAllClosedMs: closes ? Math.max(...closes.map((close) => close.at)) - revoked : -1,
    closeCodes,
  };
}
