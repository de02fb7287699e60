/**
 * `npm run bench:profile`: runs the server (1 worker) under `node --cpu-prof` while scenario (a) drives it,
 * then prints the top self-time functions and packages (bench/profile-summary.ts). The .cpuprofile lands in
 * bench/results/profile/ and opens in Chrome DevTools or speedscope for the full flame graph.
 *
 * Environment: BENCH_DURATION (default 10), DATABASE_URL (else an embedded PostgreSQL in a temp DATA_DIR),
 * PROFILE_SCENARIO=a|b (default a).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../src/processes';
import { runLoad } from './load';
import { startProcess } from './processes';
import { summarise } from './profile-summary';
import { PRODUCTS, seed } from './seed';
import { projectRoot } from '../src/paths';

const root = projectRoot;

async function main(): Promise<void> {
  const duration = Number(process.env.BENCH_DURATION || 10);
  const scenario = process.env.PROFILE_SCENARIO === 'b' ? 'b' : 'a';
  const outDir = path.join(root, 'bench', 'results', 'profile');
  fs.mkdirSync(outDir, { recursive: true });
  const before = new Set(fs.readdirSync(outDir));
  const tmp = process.env.DATABASE_URL ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'authtoken-profile-'));
  if (tmp) fs.chmodSync(tmp, 0o755);
  const server = await startProcess(['--cpu-prof', `--cpu-prof-dir=${outDir}`, path.join(root, 'dist', 'src', 'server.js')], {
    NODE_ENV: 'production',
    WEB_CONCURRENCY: '1',
    PORT: String(await freePort()),
    ...(tmp ? { DATA_DIR: tmp } : {}),
  });
  try {
    const { token } = await seed(server.baseUrl);
    const authorization = scenario === 'a' ? `Token ${token}` : `Token ${'0'.repeat(40)}`;
    const request = { query: PRODUCTS, authorization, status: scenario === 'a' ? 200 : 401, contains: scenario === 'a' ? '"total":' : 'Invalid' };
    await runLoad(server.baseUrl, request, 32, 3);
    const result = await runLoad(server.baseUrl, request, 32, duration);
    console.log(`(${scenario}) under the profiler: ${result.requestsPerSecond} req/s, p99 ${result.p99} ms, ${result.errors} errors`);
  } finally {
    await server.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
  const written = fs.readdirSync(outDir).filter((name) => name.endsWith('.cpuprofile') && !before.has(name));
  for (const name of written) {
    const summary = summarise(JSON.parse(fs.readFileSync(path.join(outDir, name), 'utf8')), 30);
    console.log(`\n${path.join('bench/results/profile', name)}: ${summary.totalMs} ms sampled\n\nself time by package`);
    for (const p of summary.packages) console.log(`${String(p.percent).padStart(6)} %  ${String(p.ms).padStart(6)} ms  ${p.name}`);
    console.log('\nself time by function');
    for (const f of summary.functions) console.log(`${String(f.percent).padStart(6)} %  ${String(f.ms).padStart(6)} ms  ${f.name}`);
  }
  if (!written.length) console.log('No profile was written (did the server exit cleanly?)');
}

main().catch((error) => {
  console.error('Profiling crashed:', error);
  process.exit(1);
});
