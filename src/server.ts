/**
 * Entry point: `npm start`. Prepares the database (embedded unless DATABASE_URL is set, migrations applied),
 * serves the app, and on SIGINT/SIGTERM stops in order: stop accepting, finish requests, close the ORM,
 * stop the embedded PostgreSQL.
 */
import http from 'node:http';
import { createApp } from './app';
import { connect, describeUrl, prepareDatabase } from './database/database';
import { logger } from './logger';
import { loadSettings, SettingsError } from './settings';

const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  const settings = loadSettings();
  logger.setLevel(settings.logLevel);

  const database = await prepareDatabase(settings);
  logger.info(
    database.embedded
      ? `Database: embedded PostgreSQL on 127.0.0.1:${database.embedded.port}, data in ${database.embedded.dataDir}`
      : `Database: ${describeUrl(database.url)} (DATABASE_URL)`,
  );
  if (database.applied.length) logger.info(`Applied migrations: ${database.applied.join(', ')}`);

  const orm = await connect(database.url, settings);
  const app = await createApp({ orm, settings });
  const server = http.createServer(app.express);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, resolve);
  });
  const { port } = server.address() as import('node:net').AddressInfo;
  const shownHost = settings.host === '0.0.0.0' ? 'localhost' : settings.host;
  logger.info(`GraphQL API ready at http://${shownHost}:${port}/graphql`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received, shutting down`);
    const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
    server.closeIdleConnections();
    await new Promise((resolve) => server.close(resolve));
    clearTimeout(force);
    await app.stop();
    await orm.close();
    await database.embedded?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
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
