/** The bench's table and budget lines. Budgets are ratios within one run: these machines are noisy. */
import type { HashBound } from './hash-bound';
import type { LoadResult } from './load';
import type { SocketFigures } from './sockets';

/** Server CPU per request against the floor's (floor / server), and against a baseline commit's (server / baseline). */
export interface HotPath {
  cpuRatio: number;
  baseline?: { commit: string; result: LoadResult; cpuRatio: number };
}

export interface Figures {
  a: { floor: LoadResult; server: LoadResult; ratio: number } & HotPath;
  /** (a) with the DRF token and with a login token, in turns on the same server: CPU per request, login / DRF. */
  loginToken: { drf: LoadResult; login: LoadResult; cpuRatio: number };
  /** (a) with the login token in the header and as the session cookie, in turns: CPU per request, cookie / header. */
  cookie: { header: LoadResult; cookie: LoadResult; cpuRatio: number };
  /** (a) under TRUSTED_DOCUMENTS=enforce, the app's document as text and by documentId: CPU per request, id / text. */
  documentId: { text: LoadResult; id: LoadResult; cpuRatio: number };
  /** An access token (products:read) in the same turns as the DRF and login tokens. */
  accessToken: { access: LoadResult; cpuRatio: number };
  b: { floor: LoadResult; server: LoadResult; ratio: number } & HotPath;
  c: { server: LoadResult; hash: HashBound; ratio: number };
  d: { idle: LoadResult; underStorm: LoadResult; storm: LoadResult; ratio: number };
  e: { firstMb: number; secondMb: number; growthMb: number; processes: { pid: number; mb: number }[] };
  f: { idle: LoadResult; underAttack: LoadResult; register: LoadResult; products: LoadResult; ratio: number };
  g: SocketFigures;
  cluster: {
    workers: number;
    one: LoadResult;
    a: LoadResult;
    speedup: number;
    ceiling: { requestsPerSecond: number; speedup: number } | null;
    rssMb: number;
  };
  second: { a: LoadResult; b: LoadResult; c: LoadResult };
}

export interface Budget {
  name: string;
  figure: string;
  limit: string;
  pass: boolean;
}

/** Growth across two identical runs below this is allocator and GC noise, not a leak. */
const GROWTH_TOLERANCE_MB = 10;

export function budgets(f: Figures): Budget[] {
  return [
    { name: '(a) products with a valid token, vs floor', figure: `${f.a.ratio}x`, limit: '>= 0.8x', pass: f.a.ratio >= 0.8 },
    { name: '(a) products, floor CPU / server CPU per request', figure: `${f.a.cpuRatio}x`, limit: '>= 0.85x', pass: f.a.cpuRatio >= 0.85 },
    ...(f.a.baseline
      ? [{ name: `(a) products, server CPU per request vs ${f.a.baseline.commit}'s`, figure: `${f.a.baseline.cpuRatio}x`, limit: '<= 1x', pass: f.a.baseline.cpuRatio <= 1 }]
      : []),
    {
      name: '(a) login token, server CPU per request vs the DRF token',
      figure: `${f.loginToken.cpuRatio}x`,
      limit: '<= 1.05x',
      pass: f.loginToken.cpuRatio <= 1.05,
    },
    {
      name: '(a) session cookie, server CPU per request vs the same login token as a header',
      figure: `${f.cookie.cpuRatio}x`,
      limit: '<= 1.05x',
      pass: f.cookie.cpuRatio <= 1.05,
    },
    {
      name: '(a) enforce, by documentId: server CPU per request vs the same document as text',
      figure: `${f.documentId.cpuRatio}x`,
      limit: '<= 1x',
      pass: f.documentId.cpuRatio <= 1,
    },
    {
      name: '(a) access token, server CPU per request vs the DRF token',
      figure: `${f.accessToken.cpuRatio}x`,
      limit: '<= 1.05x',
      pass: f.accessToken.cpuRatio <= 1.05,
    },
    { name: '(b) unknown token (401), vs floor', figure: `${f.b.ratio}x`, limit: '>= 0.9x', pass: f.b.ratio >= 0.9 },
    { name: '(b) 401, floor CPU / server CPU per request', figure: `${f.b.cpuRatio}x`, limit: '>= 0.9x', pass: f.b.cpuRatio >= 0.9 },
    { name: '(c) obtainAuthToken, vs hash-bound limit', figure: `${f.c.ratio}x`, limit: '>= 0.9x', pass: f.c.ratio >= 0.9 },
    { name: '(d) read p99 under login storm, vs idle p99', figure: `${f.d.ratio}x`, limit: '<= 3x', pass: f.d.ratio <= 3 },
    { name: '(e) server RSS after the run', figure: `${f.e.secondMb} MB`, limit: '< 200 MB', pass: f.e.secondMb < 200 },
    {
      name: '(e) RSS growth from run 1 to run 2',
      figure: `${f.e.growthMb >= 0 ? '+' : ''}${f.e.growthMb} MB`,
      limit: `< ${GROWTH_TOLERANCE_MB} MB`,
      pass: f.e.growthMb < GROWTH_TOLERANCE_MB,
    },
    ...(['register', 'products'] as const).map((attack) => ({
      name: `(f) aliased-${attack} attack answered with its refusal: p99, errors`,
      figure: `${f.f[attack].p99} ms, ${f.f[attack].errors} errors`,
      limit: '< 50 ms, 0 errors',
      pass: f.f[attack].p99 < 50 && f.f[attack].errors === 0 && f.f[attack].total > 0,
    })),
    { name: '(f) reads under both attacks, vs idle req/s', figure: `${f.f.ratio}x`, limit: '>= 0.8x', pass: f.f.ratio >= 0.8 },
    {
      name: `(g) every event delivered to all ${f.g.sockets} sockets`,
      figure: `${f.g.missed} missed`,
      limit: '0 missed',
      pass: f.g.missed === 0,
    },
    {
      name: `(g) all ${f.g.sockets} sockets of a revoked token closed (4403)`,
      figure: `${f.g.revokeAllClosedMs} ms, ${f.g.closeCodes['4403'] ?? 0} with 4403`,
      limit: '< 1000 ms, all 4403',
      pass: f.g.revokeAllClosedMs >= 0 && f.g.revokeAllClosedMs < 1000 && f.g.closeCodes['4403'] === f.g.sockets,
    },
    { name: '(a) 2 workers vs 1 worker', figure: `${f.cluster.speedup}x`, limit: '>= 1.6x', pass: f.cluster.speedup >= 1.6 },
  ];
}

function row(cells: (string | number)[], widths: number[]): string {
  return cells.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  ');
}

export function printTable(f: Figures): void {
  const widths = [34, 9, 8, 8, 7, 10, 18];
  const line = (name: string, r: LoadResult, versus: string) =>
    console.log(row([name, r.requestsPerSecond, `${r.p50} ms`, `${r.p99} ms`, r.errors, r.cpuMsPerRequest ?? '', versus], widths));
  console.log('');
  console.log(row(['scenario', 'req/s', 'p50', 'p99', 'errors', 'CPU ms/req', 'ratio'], widths));
  line('(a) products, valid token: floor', f.a.floor, '');
  line('(a) products, valid token: server', f.a.server, `${f.a.ratio}x floor`);
  line('(a) products, DRF token (in turns)', f.loginToken.drf, '');
  line('(a) products, login token', f.loginToken.login, `${f.loginToken.cpuRatio}x DRF CPU`);
  line('(a) products, session cookie', f.cookie.cookie, `${f.cookie.cpuRatio}x header CPU`);
  line('(a) enforce, app document as text', f.documentId.text, '');
  line('(a) enforce, by documentId', f.documentId.id, `${f.documentId.cpuRatio}x text CPU`);
  line('(a) products, access token', f.accessToken.access, `${f.accessToken.cpuRatio}x DRF CPU`);
  line('(b) unknown token, 401: floor', f.b.floor, '');
  line('(b) unknown token, 401: server', f.b.server, `${f.b.ratio}x floor`);
  line('(c) obtainAuthToken: server', f.c.server, `${f.c.ratio}x limit`);
  console.log(
    `    hash-bound limit: ${f.c.hash.cores} cores / ${f.c.hash.compareMs} ms per compare (cost ${f.c.hash.rounds}) = ${f.c.hash.limit} req/s`,
  );
  line('(d) reads, idle', f.d.idle, '');
  line('(d) reads, under login storm', f.d.underStorm, `${f.d.ratio}x idle p99`);
  line('(d) the storm itself', f.d.storm, '');
  line('(f) reads, idle', f.f.idle, '');
  line('(f) reads, under both attacks', f.f.underAttack, `${f.f.ratio}x idle req/s`);
  line('(f) aliased-register attack', f.f.register, '');
  line('(f) aliased-products attack', f.f.products, '');
  console.log(
    `(g) ${f.g.sockets} subscribed sockets: RSS ${f.g.rssBeforeMb} -> ${f.g.rssAfterMb} MB (${f.g.kbPerSocket} kB per socket); ` +
      `createProduct to delivery over ${f.g.events} events: p50 ${f.g.deliveryP50} ms, p99 ${f.g.deliveryP99} ms per socket, ` +
      `all sockets by p50 ${f.g.allDeliveredP50} ms, p99 ${f.g.allDeliveredP99} ms (server CPU ${f.g.serverCpuMsPerEvent} ms per event); ` +
      `revoked token: all closed in ${f.g.revokeAllClosedMs} ms (server CPU ${f.g.revokeServerCpuMs} ms)`,
  );
  line('run 2: (a) server', f.second.a, '');
  line('run 2: (b) server', f.second.b, '');
  line('run 2: (c) server', f.second.c, '');
  console.log(`(e) server RSS: ${f.e.firstMb} MB after run 1, ${f.e.secondMb} MB after run 2 (${f.e.growthMb >= 0 ? '+' : ''}${f.e.growthMb} MB)`);
  line('(a) products, 1 worker (in turns)', f.cluster.one, '');
  line(`(a) products, ${f.cluster.workers} workers`, f.cluster.a, `${f.cluster.speedup}x 1 worker`);
  const one = f.cluster.one;
  if (f.cluster.ceiling) {
    console.log(
      `    CPU per request with 1 worker: server ${one.cpuMsPerRequest} ms + PostgreSQL ${one.databaseCpuMsPerRequest} ms + ` +
        `load generator ${one.loadGeneratorCpuMsPerRequest} ms: this machine's cores allow at most ` +
        `${f.cluster.ceiling.requestsPerSecond} req/s, ${f.cluster.ceiling.speedup}x one worker`,
    );
  }
  console.log(`    RSS with ${f.cluster.workers} workers (primary + workers): ${f.cluster.rssMb} MB`);
}

export function printBudgets(list: Budget[]): void {
  console.log('');
  for (const budget of list) {
    console.log(`${budget.pass ? 'PASS' : 'FAIL'}  ${budget.name}: ${budget.figure} (budget ${budget.limit})`);
  }
}
