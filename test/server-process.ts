/**
 * The one process harness: every test and bench that needs a real process (the built server, a CLI run,
 * the bench's floor) starts it here, as a user would (`node dist/src/server.js`). For what only a real
 * process shows: replicas, faults, shutdown, signals, its log, the entry points themselves. Anything that
 * does not need one runs in-process (test/utils.ts startTestServer, the commands' main()). `npm test` and
 * `npm run bench` build first.
 *
 * - `startNodeProcess`: `node <args>`, its output kept (the last 8 MB of each stream), `ready` resolving with
 *   http://127.0.0.1:<port> at its "ready at http://.../graphql" line, `embedded()` the embedded PostgreSQL's
 *   port and data directory from its start-up line.
 * - `startServerProcess`: the server under test, with the test run's own settings removed and test defaults.
 * - `runNodeProcess`: a process run to its end (a CLI command), stdin closed: exit code, stdout, stderr.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readPostmasterPid } from '../src/database/embedded';
import { projectRoot } from '../src/paths';

/** The built server and command line, whether this runs from the sources (vitest) or dist/ (the bench). */
export const SERVER = path.join(projectRoot, 'dist', 'src', 'server.js');
export const CLI = path.join(projectRoot, 'dist', 'src', 'cli.js');

/** The settings of the test run itself (its database, its log level...), kept from a process under test. */
const RUN_SETTINGS = [
  'DATABASE_URL',
  'DATABASE_DIRECT_URL',
  'DATABASE_POOLER',
  'DATA_DIR',
  'NODE_ENV',
  'PORT',
  'LOG_LEVEL',
  'LOG_FORMAT',
  'METRICS',
  'WEB_CONCURRENCY',
  'AUTH_KEYWORD',
  'SUPERUSER_PASSWORD',
];

/** process.env without the test run's own settings. */
export function cleanEnv(): Record<string, string | undefined> {
  const env = { ...process.env };
  for (const name of RUN_SETTINGS) delete env[name];
  return env;
}

type Exit = { code: number | null; signal: NodeJS.Signals | null };

export interface NodeProcess {
  child: ChildProcess;
  /** http://127.0.0.1:<port>, once ready. */
  ready: Promise<string>;
  exited: Promise<Exit>;
  /** stdout and stderr so far, interleaved. */
  log(): string;
  /** stdout alone (the JSON log with LOG_FORMAT=json). */
  stdout(): string;
  stderr(): string;
  /** The embedded PostgreSQL's port and data directory, once the server has said where. */
  embedded(): { port: number; dataDir: string } | undefined;
  kill(signal?: NodeJS.Signals): Promise<Exit>;
}

export interface NodeProcessOptions {
  /** Node's options and the script with its arguments: `[SERVER]`, `['--cpu-prof', SERVER]`. */
  args: string[];
  /** The whole environment: build it on cleanEnv() (tests) or process.env (the bench). */
  env: Record<string, string | undefined>;
  cwd?: string;
  /** How long `ready` may take; then the process is killed (SIGKILL) and `ready` rejects. */
  timeoutMs?: number;
}

// Enough for any test's log; a bench run's request log would otherwise grow without end.
const KEEP_CHARS = 8 * 1024 * 1024;
const READY = /ready at (http:\/\/[^\s/"]+)\/graphql/;
// [^\s"]: the path ends at the closing quote in a JSON log line.
const EMBEDDED = /embedded PostgreSQL on 127\.0\.0\.1:(\d+), data in ([^\s"]+)/;

function keep(text: string): string {
  return text.length > KEEP_CHARS ? text.slice(-KEEP_CHARS) : text;
}

export function startNodeProcess({ args, env, cwd, timeoutMs = 60_000 }: NodeProcessOptions): NodeProcess {
  const script = args.find((arg) => !arg.startsWith('-'));
  if (script && script.endsWith('.js') && !fs.existsSync(script)) throw new Error(`${script} is missing: run npm run build first`);
  const child = spawn(process.execPath, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let stdout = '';
  let stderr = '';
  let embedded: { port: number; dataDir: string } | undefined;
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise<string>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} was not ready after ${timeoutMs / 1000} s:\n${output}`));
    }, timeoutMs);
    const watch = (text: string) => {
      output = keep(output + text);
      if (done) return;
      const database = EMBEDDED.exec(output);
      if (database) embedded = { port: Number(database[1]), dataDir: database[2] };
      const match = READY.exec(output);
      if (match) {
        done = true;
        clearTimeout(timer);
        resolve(match[1].replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout = keep(stdout + chunk.toString());
      watch(chunk.toString());
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = keep(stderr + chunk.toString());
      watch(chunk.toString());
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited (${signal ?? code}) before it was ready:\n${output}`));
    });
  });
  ready.catch(() => undefined);
  return {
    child,
    ready,
    exited,
    log: () => output,
    stdout: () => stdout,
    stderr: () => stderr,
    embedded: () => embedded,
    kill: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export type ServerProcess = NodeProcess;

/** Starts the built server with the test run's own settings removed, test defaults, and `env` added. */
export function startServerProcess(env: Record<string, string>, timeoutMs = 60_000): ServerProcess {
  return startNodeProcess({
    args: [SERVER],
    env: { ...cleanEnv(), NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', BCRYPT_ROUNDS: '4', WEB_CONCURRENCY: '1', ...env },
    timeoutMs,
  });
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node <args>` to its end, stdin closed (not a terminal), with exactly `env`. */
export async function runNodeProcess(args: string[], env: Record<string, string | undefined>): Promise<Run> {
  const started = startNodeProcess({ args, env, timeoutMs: 120_000 });
  const { code } = await started.exited;
  // 'exit' can come before the last output is read: wait for the streams to end.
  await Promise.all([started.child.stdout, started.child.stderr].map((stream) => stream && !stream.readableEnded && new Promise((resolve) => stream.once('close', resolve))));
  return { code, stdout: started.stdout(), stderr: started.stderr() };
}

/** The embedded PostgreSQL's pid, from its postmaster.pid under DATA_DIR; undefined while there is none. */
export function postmasterPid(dataDir: string): number | undefined {
  return readPostmasterPid(path.join(dataDir, 'postgres'))?.pid;
}

/** Whether a process with this pid exists (signal 0 only asks). */
export { isAlive as alive } from '../src/processes';

export async function graphqlAt(
  baseUrl: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}
