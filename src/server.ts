/**
 * Entry point: `npm start`. Prepares the database (embedded unless DATABASE_URL is set, migrations applied),
 * then serves: in this process when WEB_CONCURRENCY is 1, else through a primary and that many workers on
 * one port (src/cluster.ts). On SIGINT/SIGTERM it stops in order: stop accepting, finish requests, close the
 * ORM, and last stop the embedded PostgreSQL.
 */
import cluster from 'node:cluster';
import os from 'node:os';
import { describeUrl, prepareDatabase } from './database/database';
import { configureLogger, logger } from './logger';
import { loadSettings, SettingsError } from './settings';
import { runPrimary, runWorker } from './cluster';
import { serve, type Serving } from './http-server';
import { lowerThreadPoolPriority } from './thread-pool-priority';
import { announceReady } from './ready';

async function main(): Promise<void> {
  // First, before anything uses libuv's pool: logins hash there, and must not starve the event loop.
  const pool = lowerThreadPoolPriority();
  const settings = loadSettings();
  configureLogger(settings.logging);
  logger.debug(pool.length ? `Thread pool at nice ${os.getPriority(pool[0])}: threads ${pool.join(', ')}` : 'Thread pool priority unchanged');
  if (cluster.isWorker) return runWorker(settings);

  const database = await prepareDatabase(settings);
  logger.info(
    database.embedded
      ? `Database: embedded PostgreSQL on 127.0.0.1:${database.embedded.port}, data in ${database.embedded.dataDir}`
      : `Database: ${describeUrl(database.url)} (DATABASE_URL${settings.database.pooler === 'transaction' ? ', through a transaction pooler' : ''})`,
  );
  if (database.applied.length) logger.info(`Applied migrations: ${database.applied.join(', ')}`);
  // From here on the settings name the database in use, the embedded one included, for whatever needs
  // the direct URL (LISTEN, for subscriptions).
  const servingSettings = { ...settings, database: { ...settings.database, url: database.url, directUrl: database.directUrl } };

  if (settings.server.webConcurrency > 1) {
    process.exit(await runPrimary(servingSettings, database));
  }

  // One worker: this process serves, with no cluster in between.
  let serving: Serving;
  try {
    serving = await serve(servingSettings, database.url);
  } catch (error) {
    await database.embedded?.stop();
    throw error;
  }
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received, shutting down`);
    await serving.stop();
    await database.embedded?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // Only now, with the handlers in place: supervisors (and test/server.test.ts) take this line as ready, and a
  // signal sent on seeing it used to find no handler and kill the process mid-flight, skipping the shutdown.
  announceReady(settings.server, serving.port);
}

main().catch((error) => {
  if (error instanceof SettingsError) {
    console.error(`Configuration error: ${error.message}`);
  } else {
    // Our own start-up errors explain themselves; anything else is unexpected and keeps its stack.
    const known = error instanceof Error && ['EmbeddedDatabaseError', 'DatabaseStartError'].includes(error.name);
    console.error('The server could not start:', known ? error.message : error);
  }
  process.exit(1);
});
