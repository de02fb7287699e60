/**
 * One postgres process on a cluster: started on 127.0.0.1 and a given port, in its own process group,
 * ready when its log says so; stopped with a fast shutdown.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Binaries } from './binaries';
import type { RunAs } from './os-user';

const START_TIMEOUT_MS = 60_000;

export interface Postmaster {
  child: ChildProcess;
  /** Resolves once postgres accepts connections; rejects if it exits or takes longer than 60 s. */
  ready: Promise<void>;
}

export function startPostmaster(
  dataDir: string,
  port: number,
  binaries: Binaries,
  runAs: RunAs | undefined,
  durable: boolean,
  onLog: (text: string) => void,
): Postmaster {
  const settings = [
    'listen_addresses=127.0.0.1',
    // No Unix socket: nothing to collide with a system PostgreSQL's socket directory.
    'unix_socket_directories=',
    'max_connections=200',
    ...(durable ? [] : ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off']),
  ];
  const child = spawn(binaries.postgres, ['-D', dataDir, '-p', String(port), ...settings.flatMap((s) => ['-c', s])], {
    ...runAs,
    env: { ...process.env, LC_ALL: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a Ctrl-C in the terminal reaches the server, which stops postgres last.
    detached: true,
  });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    const watch = (chunk: Buffer) => {
      const text = chunk.toString();
      onLog(text);
      if (text.includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', watch);
    child.stderr!.on('data', watch);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`postgres exited during start-up (${signal ?? `code ${code}`})`));
    });
  });
  return { child, ready };
}

export function stopPostmaster(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    // SIGINT is postgres's "fast" shutdown: roll back open transactions, checkpoint, exit.
    child.kill('SIGINT');
  });
}
