/**
 * The commands' database: the server's own settings. DATABASE_URL when set; otherwise the embedded
 * PostgreSQL in DATA_DIR, which may already be running under the server.
 *
 * A cluster directory serves one postgres at a time, so while the server runs a command cannot start a
 * second one there. Instead it joins the running one: postgres writes its port into `postmaster.pid` (read
 * by src/database/postgres/postmaster-pid.ts, its one reader) and removes the file when it stops, and the
 * embedded server's password sits beside the cluster in `postgres.password` (readable by this OS user
 * only). Nothing new for the server to record or to leave stale after a crash. When no server runs, the
 * command starts the embedded postgres itself and stops it when done (a server started meanwhile refuses
 * the busy directory, saying so, until it is done).
 */
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { connect, describeUrl, EMBEDDED_DATABASE_NAME, ensureDatabase, withDatabase } from '../database/database';
import { embeddedPassword, embeddedUrl, runningPostmaster, startEmbeddedPostgres, usableDataDir, type EmbeddedDatabase } from '../database/embedded';
import type { Settings } from '../settings';
import { CommandError } from './command';
import { configureLogger } from '../logger';

/** What a command's database depends on: where it is, and whether to log SQL. */
export type DatabaseCommandSettings = Pick<Settings, 'database' | 'logging'>;

export interface CommandDatabase {
  orm: MikroORM;
  /** The direct (unpooled) URL: DATABASE_DIRECT_URL, or the URL the ORM uses. */
  directUrl: string;
  /** For messages: the URL without its password. */
  description: string;
  close(): Promise<void>;
}

/** The URL of a postgres running on this cluster directory, or undefined when none is. */
export function runningEmbeddedUrl(dataDir: string): string | undefined {
  // A file left by a killed postgres names a dead pid (or a recycled one): not running. The embedded
  // start-up clears it.
  const running = runningPostmaster(dataDir);
  if (!running) return undefined;
  let password: string;
  try {
    password = embeddedPassword(dataDir);
  } catch (error) {
    throw new CommandError(
      `The embedded PostgreSQL in ${dataDir} is running (pid ${running.pid}), but its password file ${dataDir}.password ` +
        `cannot be read: ${(error as Error).message}`,
    );
  }
  return embeddedUrl(running.port, password, EMBEDDED_DATABASE_NAME);
}

async function open(url: string, settings: DatabaseCommandSettings, embedded?: EmbeddedDatabase, directUrl = url): Promise<CommandDatabase> {
  try {
    await ensureDatabase(directUrl);
    // One connection is plenty for a command.
    const orm = await connect(url, { ...settings, database: { ...settings.database, poolSize: 1 } });
    return {
      orm,
      directUrl,
      description: describeUrl(url),
      close: async () => {
        await orm.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw new CommandError(`Cannot use the database at ${describeUrl(url)}: ${(error as Error).message}`);
  }
}

export async function openDatabase(settings: DatabaseCommandSettings): Promise<CommandDatabase> {
  // Text whatever LOG_FORMAT says: a command's log is read by the person who typed it, beside its output.
  configureLogger({ level: settings.logging.level, format: 'text' });
  const { url, directUrl, dataDir: root, dataDirExplicit } = settings.database;
  if (url) return open(url, settings, undefined, directUrl);
  const dataDir = usableDataDir(path.join(root, 'postgres'), dataDirExplicit);
  const running = runningEmbeddedUrl(dataDir);
  if (running) return open(running, settings);
  let embedded: EmbeddedDatabase;
  try {
    embedded = await startEmbeddedPostgres({ dataDir });
  } catch (error) {
    throw new CommandError((error as Error).message);
  }
  return open(withDatabase(embedded.url, EMBEDDED_DATABASE_NAME), settings, embedded);
}

/**
 * Commands other than `migrate` refuse an out-of-date schema rather than migrating it on the side: schema
 * changes happen when the operator asks (`migrate`) or when the server starts.
 */
export async function requireMigrated(orm: MikroORM): Promise<void> {
  const pending = await orm.getMigrator().getPendingMigrations();
  if (pending.length > 0) {
    throw new CommandError(
      `The database has ${pending.length} unapplied migration${pending.length === 1 ? '' : 's'}. ` +
        'Run `npm run manage -- migrate` (or start the server) first.',
    );
  }
}

/** Opens the database, runs `work`, and closes it whatever happens. */
export async function withDatabaseFor<T>(settings: DatabaseCommandSettings, work: (db: CommandDatabase) => Promise<T>): Promise<T> {
  const db = await openDatabase(settings);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}
