/**
 * BENCH_BASELINE=<commit>: the server as it was at an earlier commit, built in a clone of its own, so that
 * the bench can run it in turns with HEAD and the floor in one run (the machine's speed drifts 10-20% between
 * runs; a figure from another day compares nothing). The clone is kept in the system's temporary directory,
 * named by the commit, and reused by later runs.
 *
 * It runs on HEAD's database (DATABASE_URL): migrations it does not know are left alone, and it needs no
 * embedded PostgreSQL of its own.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { projectRoot } from '../src/paths';

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The baseline's server script, built once per commit. */
export function buildBaseline(commit: string, log: (message: string) => void): string {
  const full = run('git', ['rev-parse', '--verify', `${commit}^{commit}`], projectRoot).trim();
  const dir = path.join(os.tmpdir(), `authtoken-baseline-${full.slice(0, 12)}`);
  const script = path.join(dir, 'dist', 'src', 'server.js');
  if (fs.existsSync(script)) {
    log(`Baseline ${commit}: reusing the build in ${dir}`);
    return script;
  }
  log(`Baseline ${commit}: cloning and building in ${dir} (once; about a minute)`);
  fs.rmSync(dir, { recursive: true, force: true });
  run('git', ['clone', '--quiet', '--no-checkout', projectRoot, dir], projectRoot);
  run('git', ['checkout', '--quiet', full], dir);
  // Install scripts are not needed: the baseline uses HEAD's database, and bcrypt ships its binary.
  run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], dir);
  run('npm', ['run', 'build'], dir);
  return script;
}
