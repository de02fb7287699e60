/**
 * `npm run bench:replicas`: scenario (a) of `npm run bench` (products(limit: 50) with a valid token) against
 * 1 and then 3 replicas (separate server processes, NODE_ENV=production, one worker each) through PgBouncer in
 * transaction pooling mode in front of the machine's PostgreSQL (127.0.0.1:5432, trust), as a deployment
 * runs them. The connections are spread evenly over the replicas, as a balancer would.
 *
 * The two set-ups take turns of 2 s until each has had BENCH_DURATION, so that load from elsewhere on a shared
 * machine falls on both alike. For each it prints requests/s, p50/p99, and the CPU spent per request by the servers, by PgBouncer, by
 * PostgreSQL (every postgres process on the machine: on a shared machine that includes others' work) and by
 * the load generator; then the two ceilings that bound the rate: the cores (their ms per second over the CPU
 * a request costs everything on the machine) and the event loops (1000 ms per second per replica over a
 * server's CPU per request). The lower one is the limit; replicas only raise the second.
 *
 * Without pgbouncer or that PostgreSQL it says why and exits 0. Environment: BENCH_DURATION (seconds per
 * target, default 10), BENCH_WARMUP (default 3), BENCH_CONNECTIONS (default 32).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { freePort } from '../src/processes';
import { round, runSlice, type Request } from './load';
import { pgbouncerUnavailable, startPgBouncer, type PgBouncer } from './pgbouncer';
import { serverCpuMs, startProcess, type Started } from './processes';
import { PRODUCTS, seed } from './seed';

function seconds(name: string, fallback: number): number {
  const value = Number(process.env[name] || fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${process.env[name]}"`);
  return value;
}
const duration = seconds('BENCH_DURATION', 10);
const warmup = seconds('BENCH_WARMUP', 3);
const connections = Math.round(seconds('BENCH_CONNECTIONS', 32));
const TICK_MS = 1000 / 100; // USER_HZ

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** CPU ms of every process whose command name is `name` (e.g. all postgres backends), from /proc. */
function cpuMsOf(name: string): number {
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== name) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/** Times the kernel took the CPU away from these processes while they still wanted it (all their threads). */
function preemptions(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
        const status = fs.readFileSync(`/proc/${pid}/task/${task}/status`, 'utf8');
        total += Number(/nonvoluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0);
      }
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

interface Figures {
  replicas: number;
  /** Involuntary context switches of the servers per 1,000 requests: CPU contention made visible. */
  serverPreemptionsPer1000: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  serverCpuMsPerRequest: number;
  pgbouncerCpuMsPerRequest: number;
  postgresCpuMsPerRequest: number;
  loadGeneratorCpuMsPerRequest: number;
}

/** Seconds per turn: the two set-ups take turns, so that load from elsewhere on a shared machine hits both alike. */
const TURN_SECONDS = 2;

interface Tally {
  total: number;
  seconds: number;
  errors: number;
  latencies: number[];
  server: number;
  pgbouncer: number;
  postgres: number;
  bench: number;
  preemptions: number;
}

/** One turn of `seconds` with the connections spread evenly over `targets`, added to `tally`. */
async function turn(targets: Started[], request: Request, seconds: number, tally?: Tally): Promise<void> {
  const share = (i: number) => Math.floor(connections / targets.length) + (i < connections % targets.length ? 1 : 0);
  const before = {
    server: targets.reduce((sum, target) => sum + serverCpuMs(target.child.pid!), 0),
    pgbouncer: cpuMsOf('pgbouncer'),
    postgres: cpuMsOf('postgres'),
    bench: process.cpuUsage(),
    preemptions: preemptions(targets.map((target) => target.child.pid!)),
  };
  const slices = await Promise.all(targets.map((target, i) => runSlice(target.baseUrl, request, share(i), seconds)));
  if (!tally) return;
  const bench = process.cpuUsage(before.bench);
  tally.total += slices.reduce((sum, slice) => sum + slice.total, 0);
  tally.seconds += Math.max(...slices.map((slice) => slice.seconds));
  tally.errors += slices.reduce((sum, slice) => sum + slice.errors, 0);
  tally.latencies.push(...slices.flatMap((slice) => slice.latencies));
  tally.server += targets.reduce((sum, target) => sum + serverCpuMs(target.child.pid!), 0) - before.server;
  tally.pgbouncer += cpuMsOf('pgbouncer') - before.pgbouncer;
  tally.postgres += cpuMsOf('postgres') - before.postgres;
  tally.bench += (bench.user + bench.system) / 1000;
  tally.preemptions += preemptions(targets.map((target) => target.child.pid!)) - before.preemptions;
}

/** Each set-up (a list of replicas sharing the connections) measured in turns until each had `duration`. */
async function compare(setups: Started[][], request: Request): Promise<Figures[]> {
  const turns = Math.max(1, Math.round(duration / TURN_SECONDS));
  log(`  warm-up ${warmup} s each, then ${turns} turns of ${round(duration / turns, 1)} s each at ${connections} connections`);
  for (const targets of setups) await turn(targets, request, warmup);
  const tallies = setups.map((): Tally => ({ total: 0, seconds: 0, errors: 0, latencies: [], server: 0, pgbouncer: 0, postgres: 0, bench: 0, preemptions: 0 }));
  for (let i = 0; i < turns; i += 1) {
    for (const [index, targets] of setups.entries()) await turn(targets, request, duration / turns, tallies[index]);
  }
  return tallies.map((tally, index) => {
    const per = (ms: number) => (tally.total ? round(ms / tally.total, 3) : 0);
    const latencies = tally.latencies.sort((a, b) => a - b);
    const pct = (p: number) => round(latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? 0, 1);
    return {
      replicas: setups[index].length,
      serverPreemptionsPer1000: tally.total ? round((tally.preemptions * 1000) / tally.total, 1) : 0,
      requestsPerSecond: round(tally.total / tally.seconds, 1),
      p50: pct(50),
      p99: pct(99),
      errors: tally.errors,
      serverCpuMsPerRequest: per(tally.server),
      pgbouncerCpuMsPerRequest: per(tally.pgbouncer),
      postgresCpuMsPerRequest: per(tally.postgres),
      loadGeneratorCpuMsPerRequest: per(tally.bench),
    };
  });
}

async function main(): Promise<void> {
  const unavailable = await pgbouncerUnavailable();
  if (unavailable) {
    log(`bench:replicas needs PgBouncer and a PostgreSQL at 127.0.0.1:5432: ${unavailable}`);
    return;
  }
  const database = `authtoken_bench_replicas_${randomBytes(4).toString('hex')}`;
  let bouncer: PgBouncer | undefined;
  const replicas: Started[] = [];
  try {
    bouncer = await startPgBouncer();
    const env = {
      NODE_ENV: 'production',
      WEB_CONCURRENCY: '1',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DATABASE_URL: bouncer.url(database),
      DATABASE_DIRECT_URL: bouncer.directUrl(database),
      DATABASE_POOLER: 'transaction',
    };
    log(`Starting 3 replicas through PgBouncer (port ${bouncer.port}) on database ${database}`);
    const ports = await Promise.all([freePort(), freePort(), freePort()]);
    replicas.push(...(await Promise.all(ports.map((port) => startProcess([path.resolve(__dirname, '..', 'src', 'server.js')], { ...env, PORT: String(port) })))));
    const { token } = await seed(replicas[0].baseUrl);
    const request: Request = { query: PRODUCTS, authorization: `Token ${token}`, status: 200, contains: '"total":' };

    const [one, three] = await compare([replicas.slice(0, 1), replicas], request);

    const cores = os.availableParallelism();
    console.log(
      `\nScenario (a), products(limit: 50) with a valid token, through PgBouncer (transaction pooling), ${cores} cores, ` +
        `load average ${os.loadavg().map((load) => round(load, 1)).join(' ')}:\n`,
    );
    console.log('replicas | req/s   | p50 ms | p99 ms | errors | server CPU ms/req | pgbouncer | postgres | load generator | server preemptions/1000 req');
    for (const f of [one, three]) {
      console.log(
        `${String(f.replicas).padEnd(8)} | ${String(f.requestsPerSecond).padEnd(7)} | ${String(f.p50).padEnd(6)} | ${String(f.p99).padEnd(6)} | ` +
          `${String(f.errors).padEnd(6)} | ${String(f.serverCpuMsPerRequest).padEnd(17)} | ${String(f.pgbouncerCpuMsPerRequest).padEnd(9)} | ` +
          `${String(f.postgresCpuMsPerRequest).padEnd(8)} | ${String(f.loadGeneratorCpuMsPerRequest).padEnd(14)} | ${f.serverPreemptionsPer1000}`,
      );
    }
    console.log('\nWhy the rate cannot grow with replicas here:');
    for (const f of [one, three]) {
      const everything = f.serverCpuMsPerRequest + f.pgbouncerCpuMsPerRequest + f.postgresCpuMsPerRequest + f.loadGeneratorCpuMsPerRequest;
      const coreCeiling = round((cores * 1000) / everything, 0);
      const loopCeiling = round((f.replicas * 1000) / f.serverCpuMsPerRequest, 0);
      console.log(
        `  ${f.replicas} replica(s): a request costs ${round(everything, 3)} ms of CPU on this machine in all, so ${cores} cores ` +
          `x 1000 ms / ${round(everything, 3)} ms = ${coreCeiling} req/s at most; the event loops allow ${f.replicas} x 1000 / ` +
          `${f.serverCpuMsPerRequest} = ${loopCeiling} req/s. Measured: ${f.requestsPerSecond} req/s.`,
      );
    }
    console.log(
      `  Server CPU per request, 3 vs 1 replica: ${round(three.serverCpuMsPerRequest / one.serverCpuMsPerRequest, 2)}x (flat is the promise: ` +
        'replicas share no state, so each request costs the same wherever it lands).',
    );
    const results = path.resolve(__dirname, '..', '..', 'bench', 'results');
    fs.mkdirSync(results, { recursive: true });
    const file = path.join(results, `replicas-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, JSON.stringify({ cores, loadAverage: os.loadavg(), duration, connections, one, three }, null, 2));
    log(`\nWritten to ${file}`);
  } finally {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await bouncer?.stop();
    const admin = new Client({ connectionString: `postgres://postgres@127.0.0.1:5432/postgres` });
    await admin.connect().then(
      () => admin.query(`drop database if exists ${database} with (force)`).finally(() => admin.end()),
      () => undefined,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
