/**
 * Where the data lives: DATABASE_URL when set, else the embedded PostgreSQL. `prepareDatabase` makes sure the
 * database exists and is migrated; `connect` opens the ORM on it.
 *
 * Replicas: any number of servers may prepare the same database at the same moment. Creating the database
 * and applying migrations each run under an advisory lock (src/database/advisory-lock.ts) taken on
 * DATABASE_DIRECT_URL, so the first server does the work and the others, once they get the lock, find
 * nothing left to do. Both happen on the direct URL: a pooler can neither create a database nor hold a
 * session's lock. Requests then go through DATABASE_URL (the pooler, when there is one).
 */
import path from 'node:path';
import { Client } from 'pg';
import type { MikroORM } from '@mikro-orm/postgresql';
import { initOrm, migrate } from './orm';
import { LOCK_KEYS, withAdvisoryLock } from './advisory-lock';
import { startEmbeddedPostgres, usableDataDir, type EmbeddedDatabase } from './embedded';
import type { Settings } from '../settings';

export const EMBEDDED_DATABASE_NAME = 'authtoken';

/** The database could not be prepared at start-up; the message says which server and why, without a stack. */
export class DatabaseStartError extends Error {
  override name = 'DatabaseStartError';
}

export interface PreparedDatabase {
  url: string;
  /** A direct, unpooled URL to the same database (DATABASE_DIRECT_URL, or `url` itself). */
  directUrl: string;
  /** Set when the embedded server was started here; stop it last. */
  embedded?: EmbeddedDatabase;
  /** Migrations applied by this start, by name. */
  applied: string[];
}

/** The same server URL, naming another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function describeUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** Creates the database named in `url` when it does not exist yet. */
export async function ensureDatabase(url: string): Promise<boolean> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const probe = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await probe.connect();
    return false;
  } catch (error) {
    // 3D000: invalid_catalog_name. Anything else (refused, bad password) is the caller's to see.
    if ((error as { code?: string }).code !== '3D000') throw error;
  } finally {
    await probe.end().catch(() => undefined);
  }
  const maintenance = withDatabase(url, 'postgres');
  // Replicas started together all find the database missing: one creates it, the others wait and find it.
  return withAdvisoryLock(maintenance, LOCK_KEYS.createDatabase, `creating database ${name}`, async () => {
    const admin = new Client({ connectionString: maintenance, connectionTimeoutMillis: 5000 });
    admin.on('error', () => undefined);
    await admin.connect();
    try {
      if ((await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount) return false;
      await admin.query(`create database "${name.replace(/"/g, '""')}"`);
      return true;
    } catch (error) {
      // 42P04 duplicate_database, 23505 unique_violation: another process that does not take the lock won.
      if (['42P04', '23505'].includes((error as { code?: string }).code ?? '')) return false;
      throw error;
    } finally {
      await admin.end().catch(() => undefined);
    }
  });
}

/** Applies pending migrations under the migrations' lock, on the direct URL; returns the names applied. */
export async function migrateDatabase(directUrl: string, settings: Pick<Settings, 'database' | 'logging'>): Promise<string[]> {
  return withAdvisoryLock(directUrl, LOCK_KEYS.migrate, 'migrations', async () => {
    const orm = await initOrm(directUrl, { poolSize: 1, debug: settings.logging.level === 'debug' });
    try {
      return await migrate(orm, { djangoDatabase: settings.database.django });
    } finally {
      await orm.close();
    }
  });
}

export async function prepareDatabase(settings: Pick<Settings, 'database' | 'logging'>): Promise<PreparedDatabase> {
  let embedded: EmbeddedDatabase | undefined;
  let url = settings.database.url;
  let directUrl = settings.database.directUrl ?? url;
  if (!url) {
    const dataDir = usableDataDir(path.join(settings.database.dataDir, 'postgres'), settings.database.dataDirExplicit);
    embedded = await startEmbeddedPostgres({ dataDir, restart: true });
    url = directUrl = withDatabase(embedded.url, EMBEDDED_DATABASE_NAME);
  }
  try {
    await ensureDatabase(directUrl!);
    return { url, directUrl: directUrl!, embedded, applied: await migrateDatabase(directUrl!, settings) };
  } catch (error) {
    await embedded?.stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new DatabaseStartError(`Cannot use the database at ${describeUrl(directUrl!)}: ${reason}`, { cause: error });
  }
}

export function connect(url: string, settings: Pick<Settings, 'database' | 'logging'>): Promise<MikroORM> {
  return initOrm(url, { poolSize: settings.database.poolSize, debug: settings.logging.level === 'debug', pooler: settings.database.pooler });
}
