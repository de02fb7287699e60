/**
 * `npm run bench`: the performance benchmark. Starts the server as a user does (`node dist/src/server.js`,
 * NODE_ENV=production, the embedded PostgreSQL in a temporary DATA_DIR unless DATABASE_URL is set), seeds a
 * user and 50 products through the API, starts the raw floor (bench/floor.ts) on the same database, and
 * drives both over 127.0.0.1 with autocannon:
 *
 *   (a) products(limit: 50) with a valid token       server vs floor
 *       and the same with a login token                 server CPU per request vs the DRF token's, in turns
 *       and with an access token (products:read)        the same
 *       and the same through the session cookie         server CPU per request vs the login token's header (AUTH_COOKIE)
 *       and the app's Products by documentId, enforce  server CPU per request vs the same document as text
 *   (b) the same with an unknown token (401)         server vs floor
 *   (c) obtainAuthToken with the right password      server vs the hash-bound limit
 *   (d) (a) at 8 connections, idle and while 8 connections hammer obtainAuthToken: p99 against idle p99
 *   (e) server RSS after a run of (a)-(c), and again after a second identical run
 *   (f) (a) at 8 connections, idle and while 8 connections send 40 aliased registrations and 8 send 1,000
 *       aliased pages of products: each attack's p99 (answered with its refusal), and the reads' rate vs idle
 *   (g) live data: 1,000 subscribed WebSockets on a fresh 1-worker server: memory per socket, createProduct-to-delivery
 *       p50/p99 on all of them, and the time until every socket of a revoked token is closed (bench/sockets.ts)
 *   and (a) against a second server with WEB_CONCURRENCY=2 on the same database, as a speed-up over one worker.
 *
 * Ratios compare targets measured in turns (2 s slices each, see compare()), so that load from elsewhere on a
 * shared machine hits both sides alike; the CPU each server spent per request is printed as well.
 *
 * Prints a table and one PASS/FAIL line per budget, and writes everything to bench/results/<time>.json.
 * It exits 0 whatever the figures (budgets are reported, not asserted); only a crash exits 1.
 *
 * Environment: BENCH_DURATION (seconds per scenario, default 10), BENCH_WARMUP (seconds, default 3),
 * BENCH_CONNECTIONS (default 32), BENCH_SOCKETS (default 1000) and BENCH_EVENTS (default 50) for (g), BCRYPT_ROUNDS (the server's cost, default as the server's: 12),
 * DATABASE_URL (use this PostgreSQL instead of an embedded one), BENCH_BASELINE (a commit: (a) and (b) also run
 * that commit's server, built in a clone of its own (bench/baseline.ts), in turns with HEAD and the floor),
 * BENCH_SCENARIOS=ab (only (a) and (b): for a quick comparison while working on the hot path), or abc (and (c)
 * in turns with the first baseline).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execSync } from 'node:child_process';
import { freePort } from '../src/processes';
import { EMBEDDED_DATABASE_NAME } from '../src/database/database';
import { loadSettings } from '../src/settings';
import { measureHashBound, type HashBound } from './hash-bound';
import { round, runLoad, runSlice, summarise, type LoadResult, type Request, type Slice } from './load';
import { databaseCpuMs, embeddedDatabaseUrl, serverCpuMs, serverRss, startProcess, type Started } from './processes';
import { budgets, printBudgets, printTable, type Figures } from './report';
import { PASSWORD, post, PRODUCTS, seed } from './seed';
import { measureSockets } from './sockets';
import { aliasedProducts, aliasedRegister } from './attacks';
import { projectRoot } from '../src/paths';
import { buildBaseline } from './baseline';

const root = projectRoot;
const resultsDir = path.join(root, 'bench', 'results');

function seconds(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number of seconds, got "${raw}"`);
  return value;
}

const duration = seconds('BENCH_DURATION', 10);
const warmup = seconds('BENCH_WARMUP', 3);
const connections = Math.round(seconds('BENCH_CONNECTIONS', 32));
const socketCount = Math.round(seconds('BENCH_SOCKETS', 1000));
const socketEvents = Math.round(seconds('BENCH_EVENTS', 50));
const STORM_CONNECTIONS = 8;
const READ_CONNECTIONS_UNDER_STORM = 8;
const ATTACK_CONNECTIONS = 8;
/** (c) in turns with a baseline (BENCH_SCENARIOS=abc): twice the cores, so each turn's answers are not all queued. */
const C_CONNECTIONS = 2 * os.availableParallelism();
const rounds = loadSettings({ BCRYPT_ROUNDS: process.env.BCRYPT_ROUNDS }).passwords.bcryptRounds;
/** BENCH_BASELINE=<commit>[,<commit>]: the first is the budget's baseline; any further one is shown beside it. */
const baselineCommits = (process.env.BENCH_BASELINE ?? '').split(',').map((commit) => commit.trim()).filter(Boolean);
const baselineCommit = baselineCommits[0];
const onlyAB = process.env.BENCH_SCENARIOS === 'ab' || process.env.BENCH_SCENARIOS === 'abc';
/** BENCH_SCENARIOS=abc: (a) and (b), then (c) in turns with the baseline (a login's cost against an earlier commit's). */
const withC = process.env.BENCH_SCENARIOS === 'abc';
function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function measure(label: string, target: Started, request: Request, conns = connections): Promise<LoadResult> {
  log(`  ${label}: warm-up ${warmup} s, then ${duration} s at ${conns} connections`);
  await runLoad(target.baseUrl, request, conns, warmup);
  await drain(target, request);
  return measured(target, () => runLoad(target.baseUrl, request, conns, duration));
}

/**
 * autocannon walks away from the requests in flight when its time is up, and the server still answers
 * them: for logins that is seconds of queued bcrypt work that would eat into the next run. One request of
 * the same kind, answered, means the queue ahead of it is gone.
 */
async function drain(target: Started, request: Request): Promise<void> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (request.authorization) headers.authorization = request.authorization;
  await fetch(`${target.baseUrl}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query: request.query }) }).then((r) => r.text());
}

/** Adds the CPU the target spent per answered request: steadier than req/s when the machine is shared. */
async function measured(target: Started, load: () => Promise<LoadResult>): Promise<LoadResult> {
  const before = serverCpuMs(target.child.pid!);
  const result = await load();
  const spent = serverCpuMs(target.child.pid!) - before;
  return { ...result, cpuMsPerRequest: result.total ? round(spent / result.total, 3) : 0 };
}

/** Seconds per slice when targets take turns. */
const SLICE_SECONDS = 2;

/**
 * Measures several targets on the same request in turns of SLICE_SECONDS until each has had `duration`
 * seconds: on a shared machine, load from elsewhere then hits every side of a ratio alike.
 */
async function compare(label: string, targets: Started[], request: Request, conns = connections): Promise<LoadResult[]> {
  return compareSides(label, targets.map((target) => ({ target, request })), conns);
}

/** As compare(), for sides that may differ in the request as well as the target. */
async function compareSides(label: string, sides: { target: Started; request: Request }[], conns = connections): Promise<LoadResult[]> {
  const slices = Math.max(1, Math.round(duration / SLICE_SECONDS));
  log(`  ${label}: warm-up ${warmup} s each, then ${slices} turns of ${round(duration / slices, 1)} s each at ${conns} connections`);
  for (const { target, request } of sides) {
    await runLoad(target.baseUrl, request, conns, warmup);
    await drain(target, request);
  }
  const parts = sides.map(() => [] as Slice[]);
  const cpu = sides.map(() => ({ server: 0, database: 0, loadGenerator: 0 }));
  for (let i = 0; i < slices; i += 1) {
    for (const [index, { target, request }] of sides.entries()) {
      const before = { server: serverCpuMs(target.child.pid!), database: databaseCpu(), bench: process.cpuUsage() };
      parts[index].push(await runSlice(target.baseUrl, request, conns, duration / slices));
      cpu[index].server += serverCpuMs(target.child.pid!) - before.server;
      cpu[index].database += databaseCpu() - before.database;
      const bench = process.cpuUsage(before.bench);
      cpu[index].loadGenerator += (bench.user + bench.system) / 1000;
    }
  }
  return parts.map((slicesOf, index) => {
    const result = summarise(slicesOf);
    const per = (ms: number) => (result.total ? round(ms / result.total, 3) : 0);
    return {
      ...result,
      cpuMsPerRequest: per(cpu[index].server),
      databaseCpuMsPerRequest: per(cpu[index].database),
      loadGeneratorCpuMsPerRequest: per(cpu[index].loadGenerator),
    };
  });
}

/** The embedded PostgreSQL's CPU so far (0 with DATABASE_URL): it shares the cores with the server. */
let databaseCpu: () => number = () => 0;

/**
 * RSS once the server is idle: queued work answered, then the lowest of 5 s of samples, so that a garbage
 * collection landing just before or after the reading does not pass for growth or shrinkage.
 */
async function settledRss(target: Started, request: Request) {
  await drain(target, request);
  let lowest = serverRss(target.child.pid!);
  for (let i = 0; i < 10; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = serverRss(target.child.pid!);
    if (now.totalMb < lowest.totalMb) lowest = now;
  }
  return lowest;
}

/** Both answers must be the same JSON, or the comparison with the floor means nothing. */
async function checkSameAnswers(server: string, floor: string, token: string): Promise<void> {
  for (const authorization of [`Token ${token}`, `Token ${'0'.repeat(40)}`]) {
    const [a, b] = await Promise.all([post(server, PRODUCTS, authorization), post(floor, PRODUCTS, authorization)]);
    const same = a.status === b.status && (a.status !== 200 || JSON.stringify(a.body) === JSON.stringify(b.body));
    if (!same) throw new Error(`server and floor disagree: ${a.status} ${JSON.stringify(a.body).slice(0, 300)} vs ${b.status} ${JSON.stringify(b.body).slice(0, 300)}`);
  }
}

/**
 * What the machine allows however many workers there are: server, database and load generator share the
 * cores, so at best cores / (their CPU per request) requests a second. Null when the database is elsewhere.
 */
function machineCeiling(one: LoadResult): { requestsPerSecond: number; speedup: number } | null {
  if (!one.databaseCpuMsPerRequest) return null;
  const perRequest = (one.cpuMsPerRequest ?? 0) + one.databaseCpuMsPerRequest + (one.loadGeneratorCpuMsPerRequest ?? 0);
  const requestsPerSecond = round((os.availableParallelism() * 1000) / perRequest, 1);
  return { requestsPerSecond, speedup: round(requestsPerSecond / one.requestsPerSecond) };
}

function gitCommit(): string | undefined {
  try {
    return execSync('git rev-parse --short HEAD', { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** Server CPU per request as a share of the floor's (floor / server: 1 is as cheap as the floor), and vs a baseline. */
function hotPath(floor: LoadResult, server: LoadResult, baseline: LoadResult | undefined, commit: string | undefined) {
  const cpu = (result: LoadResult) => Math.max(result.cpuMsPerRequest ?? 0, 0.001);
  return {
    cpuRatio: round(cpu(floor) / cpu(server), 3),
    ...(baseline && commit ? { baseline: { commit, result: baseline, cpuRatio: round(cpu(server) / cpu(baseline), 3) } } : {}),
  };
}

/** BENCH_SCENARIOS=ab: the hot path's figures only. */
function printHotPath(a: { floor: LoadResult; server: LoadResult; baseline?: LoadResult }, b: { floor: LoadResult; server: LoadResult; baseline?: LoadResult }, commit: string | undefined) {
  for (const [label, side] of [['(a) products, valid token', a], ['(b) unknown token, 401', b]] as const) {
    const line = (name: string, result: LoadResult) => `  ${name.padEnd(22)} ${String(result.requestsPerSecond).padStart(8)} req/s  ${String(result.cpuMsPerRequest).padStart(7)} ms CPU/req`;
    console.log(label);
    console.log(line('floor', side.floor));
    console.log(line('HEAD', side.server));
    if (side.baseline) console.log(line(`baseline ${commit}`, side.baseline));
    const figures = hotPath(side.floor, side.server, side.baseline, commit);
    console.log(`  HEAD vs floor by CPU: ${figures.cpuRatio}x${figures.baseline ? `; HEAD CPU / baseline CPU: ${figures.baseline.cpuRatio}x` : ''}`);
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadavgAtStart = os.loadavg();
  const tmp = process.env.DATABASE_URL ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'authtoken-bench-'));
  // As root the embedded PostgreSQL runs as the `postgres` user, which must reach its data directory.
  if (tmp) fs.chmodSync(tmp, 0o755);
  const serverEnv = (workers: number) => ({
    NODE_ENV: 'production',
    WEB_CONCURRENCY: String(workers),
    BCRYPT_ROUNDS: String(rounds),
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    // (c) and (d) measure hashing from one address as fast as it goes: PASSWORD_RATE would answer 429.
    PASSWORD_RATE: '0',
    // (a) through the cookie beside the header: the web app's recommended production setting.
    AUTH_COOKIE: 'true',
    ...(tmp ? { DATA_DIR: tmp } : {}),
  });
  const serverScript = path.join(root, 'dist', 'src', 'server.js');
  const floorScript = path.join(root, 'dist', 'bench', 'floor.js');
  const running: Started[] = [];
  const start = async (script: string, env: Record<string, string>) => {
    const child = await startProcess([script], { ...env, PORT: String(await freePort()) });
    running.push(child);
    return child;
  };

  try {
    log(`Benchmark: ${duration} s per scenario after ${warmup} s of warm-up, ${connections} connections, BCRYPT_ROUNDS=${rounds}`);
    log(`Starting the server (1 worker, ${tmp ? `embedded PostgreSQL in ${tmp}` : 'DATABASE_URL'})`);
    const server = await start(serverScript, serverEnv(1));
    if (tmp) databaseCpu = () => databaseCpuMs(server.child.pid!);
    const { token, username, loginToken, accessToken, sessionCookie } = await seed(server.baseUrl, { session: true });
    const databaseUrl = process.env.DATABASE_URL ?? embeddedDatabaseUrl(server.embedded!, EMBEDDED_DATABASE_NAME);
    // Production mode for both: graphql-js runs extra instanceof checks in development.
    const floor = await start(floorScript, { DATABASE_URL: databaseUrl, NODE_ENV: 'production' });
    await checkSameAnswers(server.baseUrl, floor.baseUrl, token);

    log(`Measuring one bcrypt compare at cost ${rounds}`);
    const hash: HashBound = await measureHashBound(rounds);

    const read: Request = { query: PRODUCTS, authorization: `Token ${token}`, status: 200, contains: '"total":' };
    const readWithLoginToken: Request = { ...read, authorization: `Token ${loginToken}` };
    const readWithCookie: Request = { query: PRODUCTS, headers: { cookie: sessionCookie!, origin: server.baseUrl }, status: 200, contains: '"total":' };
    const readWithAccessToken: Request = { ...read, authorization: `Token ${accessToken}` };
    const unknown: Request = { query: PRODUCTS, authorization: `Token ${'0'.repeat(40)}`, status: 401, contains: 'Invalid token.' };
    const login: Request = {
      query: `mutation { obtainAuthToken(username: "${username}", password: "${PASSWORD}") { token } }`,
      status: 200,
      contains: `"token":"${token}"`,
    };

    const baselines: Started[] = [];
    for (const commit of baselineCommits) baselines.push(await start(buildBaseline(commit, log), { ...serverEnv(1), DATABASE_URL: databaseUrl }));
    // (a) and (b) measure a second HEAD server: the first owns the embedded PostgreSQL, whose log it reads,
    // which the floor and the baselines do not (the same HEAD measured 9% dearer as the owner than as a peer).
    const head = await start(serverScript, { ...serverEnv(1), DATABASE_URL: databaseUrl });

    log('Run 1');
    const [aFloor, aServer, aBaseline, ...aOthers] = await compare('(a) floor and server', [floor, head, ...baselines], read);
    const [bFloor, bServer, bBaseline, ...bOthers] = await compare('(b) floor and server', [floor, head, ...baselines], unknown);
    // Few connections: at bcrypt's cost a 2 s turn must see answers, not only a queue (32 connections saw none).
    const [cServer, cBaseline] = withC && baselines.length ? await compare('(c) server and baseline', [head, baselines[0]], login, C_CONNECTIONS) : [];
    for (const baseline of baselines) await baseline.stop();
    await head.stop();
    if (onlyAB) {
      printHotPath({ floor: aFloor, server: aServer, baseline: aBaseline }, { floor: bFloor, server: bServer, baseline: bBaseline }, baselineCommit);
      if (cServer && cBaseline) {
        console.log(`(c) obtainAuthToken: HEAD ${cServer.requestsPerSecond} req/s, ${cServer.cpuMsPerRequest} ms CPU/req; baseline ${baselineCommit} ${cBaseline.requestsPerSecond} req/s, ${cBaseline.cpuMsPerRequest} ms CPU/req; HEAD/baseline by rate ${round(cServer.requestsPerSecond / cBaseline.requestsPerSecond, 3)}x`);
      }
      aOthers.forEach((other, i) => console.log(`also ${baselineCommits[i + 1]}: (a) ${other.cpuMsPerRequest} ms CPU/req, ${other.requestsPerSecond} req/s; (b) ${bOthers[i].cpuMsPerRequest} ms CPU/req, ${bOthers[i].requestsPerSecond} req/s`));
      return;
    }
    const [aDrf, aLogin, aAccess, aCookie] = await compareSides('(a) DRF, login and access token, cookie session', [
      { target: server, request: read },
      { target: server, request: readWithLoginToken },
      { target: server, request: readWithAccessToken },
      { target: server, request: readWithCookie },
    ]);

    // (a) by documentId under TRUSTED_DOCUMENTS=enforce, beside the same document sent as text, on a second
    // server on the same database: the web app's own Products query, 50 a page, with the login token.
    log('Starting a server with TRUSTED_DOCUMENTS=enforce on the same database');
    const enforcing = await start(serverScript, { ...serverEnv(1), DATABASE_URL: databaseUrl, TRUSTED_DOCUMENTS: 'enforce' });
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'dist', 'web', 'trusted-documents.json'), 'utf8')) as Record<string, string>;
    const [productsId, productsText] = Object.entries(manifest).find(([, text]) => text.startsWith('query Products('))!;
    const byText: Request = { query: productsText, variables: { limit: 50, offset: 0 }, authorization: `Token ${loginToken}`, status: 200, contains: '"total":' };
    const [aText, aId] = await compareSides('(a) enforce: the document as text and by documentId', [
      { target: enforcing, request: byText },
      { target: enforcing, request: { ...byText, documentId: productsId } },
    ]);
    await enforcing.stop();
    const a = { floor: aFloor, server: aServer };
    const b = { floor: bFloor, server: bServer };
    const c = await measure('(c) server', server, login);
    const rssFirst = await settledRss(server, login);

    log('Run 2 (the same scenarios, for memory growth)');
    const [secondA] = await compare('(a) server', [server], read);
    const [secondB] = await compare('(b) server', [server], unknown);
    const second = { a: secondA, b: secondB, c: await measure('(c) server', server, login) };
    const rssSecond = await settledRss(server, login);

    log('(d) reads, idle and under a login storm');
    const idle = await measure('(d) reads, idle', server, read, READ_CONNECTIONS_UNDER_STORM);
    const storm = runLoad(server.baseUrl, login, STORM_CONNECTIONS, duration + 2 * warmup);
    await new Promise((resolve) => setTimeout(resolve, warmup * 1000));
    const underStorm = await measured(server, () => runLoad(server.baseUrl, read, READ_CONNECTIONS_UNDER_STORM, duration));
    const stormResult = await storm;
    await drain(server, login);

    log('(f) reads, idle and under the aliased-register and aliased-products attacks');
    const attackIdle = await measure('(f) reads, idle', server, read, READ_CONNECTIONS_UNDER_STORM);
    const products = aliasedProducts(`Token ${token}`);
    const attacks = [aliasedRegister, products].map((attack) => runLoad(server.baseUrl, attack, ATTACK_CONNECTIONS, duration + 2 * warmup));
    await new Promise((resolve) => setTimeout(resolve, warmup * 1000));
    const underAttack = await measured(server, () => runLoad(server.baseUrl, read, READ_CONNECTIONS_UNDER_STORM, duration));
    const [registerAttack, productsAttack] = await Promise.all(attacks);
    await floor.stop();

    // A fresh 1-worker server on the same database, so that its RSS before the sockets is not a heap still
    // shrinking from (a)-(f)'s garbage (on the first server that hid the sockets' memory almost entirely).
    log(`(g) ${socketCount} subscribed WebSockets on a fresh 1-worker server`);
    const live = await start(serverScript, { ...serverEnv(1), DATABASE_URL: databaseUrl });
    const g = await measureSockets(live, socketCount, socketEvents, log);
    await live.stop();

    // The 2-worker server joins the same database (as DATABASE_URL), and takes turns with the 1-worker one.
    log('Starting a second server with WEB_CONCURRENCY=2 on the same database');
    const cluster = await start(serverScript, { ...serverEnv(2), DATABASE_URL: databaseUrl });
    const [oneWorker, clusterA] = await compare('(a) 1 worker and 2 workers', [server, cluster], read);
    const clusterRss = serverRss(cluster.child.pid!);
    const clusterExit = await cluster.stop();
    const firstExit = await server.stop();
    running.length = 0;

    const figures: Figures = {
      a: { ...a, ratio: round(a.server.requestsPerSecond / a.floor.requestsPerSecond), ...hotPath(aFloor, aServer, aBaseline, baselineCommit) },
      loginToken: { drf: aDrf, login: aLogin, cpuRatio: round((aLogin.cpuMsPerRequest ?? 0) / Math.max(aDrf.cpuMsPerRequest ?? 0, 0.001), 3) },
      cookie: { header: aLogin, cookie: aCookie, cpuRatio: round((aCookie.cpuMsPerRequest ?? 0) / Math.max(aLogin.cpuMsPerRequest ?? 0, 0.001), 3) },
      documentId: { text: aText, id: aId, cpuRatio: round((aId.cpuMsPerRequest ?? 0) / Math.max(aText.cpuMsPerRequest ?? 0, 0.001), 3) },
      accessToken: { access: aAccess, cpuRatio: round((aAccess.cpuMsPerRequest ?? 0) / Math.max(aDrf.cpuMsPerRequest ?? 0, 0.001), 3) },
      b: { ...b, ratio: round(b.server.requestsPerSecond / b.floor.requestsPerSecond), ...hotPath(bFloor, bServer, bBaseline, baselineCommit) },
      c: { server: c, hash, ratio: round(c.requestsPerSecond / hash.limit) },
      d: { idle, underStorm, storm: stormResult, ratio: round(underStorm.p99 / Math.max(idle.p99, 1)) },
      f: {
        idle: attackIdle,
        underAttack,
        register: registerAttack,
        products: productsAttack,
        ratio: round(underAttack.requestsPerSecond / attackIdle.requestsPerSecond),
      },
      g,
      e: { firstMb: rssFirst.totalMb, secondMb: rssSecond.totalMb, growthMb: round(rssSecond.totalMb - rssFirst.totalMb, 1), processes: rssSecond.processes },
      cluster: {
        workers: 2,
        one: oneWorker,
        a: clusterA,
        speedup: round(clusterA.requestsPerSecond / oneWorker.requestsPerSecond),
        ceiling: machineCeiling(oneWorker),
        rssMb: clusterRss.totalMb,
      },
      second,
    };

    const report = {
      date: new Date().toISOString(),
      commit: gitCommit(),
      machine: { loadavgAtStart, loadavgAtEnd: os.loadavg(), cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, platform: `${os.platform()}-${os.arch()}` },
      config: { duration, warmup, connections, stormConnections: STORM_CONNECTIONS, readConnectionsUnderStorm: READ_CONNECTIONS_UNDER_STORM, bcryptRounds: rounds, database: tmp ? 'embedded' : 'DATABASE_URL' },
      figures,
      budgets: budgets(figures),
      exitCodes: { server: firstExit, cluster: clusterExit },
      seconds: Math.round((Date.now() - started) / 1000),
    };
    fs.mkdirSync(resultsDir, { recursive: true });
    const file = path.join(resultsDir, `bench-${report.date.replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    fs.writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);

    printTable(figures);
    printBudgets(report.budgets);
    console.log(`\nFigures written to ${path.relative(process.cwd(), file)} (${report.seconds} s in all).`);
  } finally {
    for (const child of running) await child.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error('The benchmark crashed:', error);
  process.exit(1);
});
