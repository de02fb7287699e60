/**
 * The built server (`node dist/src/server.js`) as a process under test, for the tests of what only a real
 * process shows: replicas, faults, shutdown, its log. `npm test` builds first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readPostmasterPid } from '../src/database/embedded';

export const SERVER = path.resolve(__dirname, '..', 'dist', 'src', 'server.js');

export interface ServerProcess {
  child: ChildProcess;
  /** http://127.0.0.1:<port>, once ready. */
  ready: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** stdout and stderr so far. */
  log(): string;
  /** stdout alone (the JSON log with LOG_FORMAT=json). */
  stdout(): string;
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the server with the test run's own variables removed and `env` added. */
export function startServerProcess(env: Record<string, string>, timeoutMs = 60_000): ServerProcess {
  if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} is missing: run npm run build first`);
  const base = { ...process.env };
  for (const name of ['DATABASE_URL', 'DATABASE_DIRECT_URL', 'DATABASE_POOLER', 'DATA_DIR', 'NODE_ENV', 'PORT', 'LOG_LEVEL', 'LOG_FORMAT', 'METRICS', 'WEB_CONCURRENCY']) {
    delete base[name];
  }
  const child = spawn(process.execPath, [SERVER], {
    env: { ...base, NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', BCRYPT_ROUNDS: '4', WEB_CONCURRENCY: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stdout = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after ${timeoutMs / 1000} s:\n${output}`)), timeoutMs);
    const watch = (chunk: Buffer) => {
      output += chunk.toString();
      // Text: "GraphQL API ready at http://...", JSON: {"msg":"GraphQL API ready at http://..."}.
      const match = /GraphQL API ready at (http:\/\/[^/\s"]+)\/graphql/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1].replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      watch(chunk);
    });
    child.stderr!.on('data', watch);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`exited (${signal ?? code}) before it was ready:\n${output}`));
    });
  });
  ready.catch(() => undefined);
  return {
    child,
    ready,
    exited,
    log: () => output,
    stdout: () => stdout,
    kill: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
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
