/**
 * WEB_CONCURRENCY > 1: one primary and that many workers on one port (node:cluster; the primary accepts
 * connections and hands them to the workers in turn).
 *
 * - The primary prepares the database once (the embedded PostgreSQL is started here, migrations applied
 *   here), then forks the workers with the database URL in their environment. Workers never migrate.
 * - A worker that dies is replaced. Crashes in quick succession wait longer each time (0.5 s doubling up to
 *   30 s), so a crash loop costs little CPU and leaves a readable log. A worker that dies before the whole
 *   cluster first came up means the configuration is wrong: everything stops with exit code 1.
 * - SIGINT/SIGTERM: each worker stops gracefully (the same steps as a single process), then the primary
 *   stops the embedded PostgreSQL, once, and exits 0.
 *
 * Nothing is shared between workers but the database: a revoked token fails in every worker at once
 * because each request reads the token table.
 */
import cluster, { type Worker } from 'node:cluster';
import { logger } from './logger';
import type { PreparedDatabase } from './database/database';
import type { Settings } from './settings';
import { serve, SHUTDOWN_GRACE_MS } from './http-server';
import { announceReady } from './ready';
import { serveClusterMetrics } from './observe/metrics';

/** How the primary tells a worker where the prepared database is (the pooled URL, and the direct one). */
export const WORKER_DATABASE_ENV = 'AUTHTOKEN_WORKER_DATABASE_URL';
export const WORKER_DIRECT_DATABASE_ENV = 'AUTHTOKEN_WORKER_DATABASE_DIRECT_URL';

const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 30_000;
/** Crashes further apart than this do not count towards the back-off. */
const CRASH_MEMORY_MS = 60_000;

export function backoffDelay(recentCrashes: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** Math.max(0, recentCrashes - 1));
}

function describeExit(code: number | null, signal: string | null): string {
  return signal ? `signal ${signal}` : `code ${code}`;
}

/** Runs the primary until a signal stops it; resolves with the exit code. */
export function runPrimary(settings: Settings, database: PreparedDatabase): Promise<number> {
  return new Promise((resolveExit) => {
    const workers = settings.server.webConcurrency;
    const listening = new Set<number>();
    const crashes: number[] = [];
    const respawns = new Set<NodeJS.Timeout>();
    let ready = false;
    let stopping = false;

    const fork = () => cluster.fork({ [WORKER_DATABASE_ENV]: database.url, [WORKER_DIRECT_DATABASE_ENV]: database.directUrl });
    if (settings.server.metrics) serveClusterMetrics();

    const finish = async (code: number) => {
      const alive = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => Boolean(worker));
      const exited = alive.map((worker) => new Promise((resolve) => worker.process.exitCode !== null ? resolve(undefined) : worker.once('exit', resolve)));
      for (const worker of alive) worker.process.kill('SIGTERM');
      // A worker gets the same grace as a single process, and a little more to close its pool.
      const kill = setTimeout(() => alive.forEach((worker) => worker.process.kill('SIGKILL')), SHUTDOWN_GRACE_MS + 5000).unref();
      await Promise.all(exited);
      clearTimeout(kill);
      await database.embedded?.stop();
      resolveExit(code);
    };

    const stop = (reason: string, code: number) => {
      if (stopping) return;
      stopping = true;
      for (const timer of respawns) clearTimeout(timer);
      logger.info(reason);
      void finish(code);
    };

    cluster.on('listening', (worker, address) => {
      listening.add(worker.id);
      if (!ready && listening.size >= workers) {
        ready = true;
        announceReady(settings.server, address.port, workers);
      }
    });

    cluster.on('exit', (worker, code, signal) => {
      listening.delete(worker.id);
      if (stopping) return;
      if (!ready) {
        logger.error(`A worker exited during start-up (${describeExit(code, signal)}); stopping.`);
        stop('Start-up failed', 1);
        return;
      }
      const now = Date.now();
      crashes.push(now);
      while (crashes.length && crashes[0] < now - CRASH_MEMORY_MS) crashes.shift();
      const delay = backoffDelay(crashes.length);
      logger.error(`Worker ${worker.process.pid} exited (${describeExit(code, signal)}); starting a new one in ${delay} ms.`);
      const timer = setTimeout(() => {
        respawns.delete(timer);
        if (!stopping) fork();
      }, delay);
      respawns.add(timer);
    });

    process.on('SIGINT', () => stop('SIGINT received, shutting down the workers', 0));
    process.on('SIGTERM', () => stop('SIGTERM received, shutting down the workers', 0));

    for (let i = 0; i < workers; i += 1) fork();
  });
}

/** A worker: serves on the shared port until told to stop, or until the primary goes away. */
export async function runWorker(settings: Settings): Promise<void> {
  const url = process.env[WORKER_DATABASE_ENV];
  if (!url) throw new Error(`${WORKER_DATABASE_ENV} is not set: workers are started by the primary`);
  const directUrl = process.env[WORKER_DIRECT_DATABASE_ENV] ?? url;
  const serving = await serve({ ...settings, database: { ...settings.database, url, directUrl } }, url, { workerId: cluster.worker?.id });
  const stop = async () => {
    await serving.stop();
    process.exit(0);
  };
  // A Ctrl-C reaches the whole process group, so a worker may hear SIGINT and then the primary's SIGTERM.
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  // The primary died without a word (SIGKILL): nobody would restart or stop this worker.
  process.on('disconnect', () => void stop());
}
