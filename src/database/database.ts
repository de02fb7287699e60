/**
 * Where the data lives: DATABASE_URL when set, else the embedded PostgreSQL. `prepareDatabase` makes sure the
 * database exists and is migrated (run once, by the primary process); `connect` opens the ORM on it.
 */
import path from 'node:path';
import { Client } from 'pg';
import type { MikroORM } from '@mikro-orm/postgresql';
import { initOrm, migrate } from './orm';
import { startEmbeddedPostgres, usableDataDir, type EmbeddedDatabase } from './embedded';
import type { Settings } from '../settings';

export const EMBEDDED_DATABASE_NAME = 'authtoken';

/** The database could not be prepared at start-up; the message says which server and why, without a stack. */
export class DatabaseStartError extends Error {
  override name = 'DatabaseStartError';
}

export interface PreparedDatabase {
  url: string;
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
  const admin = new Client({ connectionString: withDatabase(url, 'postgres'), connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    await admin.query(`create database "${name.replace(/"/g, '""')}"`);
  } catch (error) {
    // 42P04: duplicate_database, another process won the race.
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await admin.end();
  }
  return true;
}

export async function prepareDatabase(settings: Settings): Promise<PreparedDatabase> {
  let embedded: EmbeddedDatabase | undefined;
  let url = settings.databaseUrl;
  if (!url) {
    const dataDir = usableDataDir(path.join(settings.dataDir, 'postgres'), settings.dataDirExplicit);
    embedded = await startEmbeddedPostgres({ dataDir });
    url = withDatabase(embedded.url, EMBEDDED_DATABASE_NAME);
  }
  try {
    await ensureDatabase(url);
    const orm = await connect(url, settings);
    try {
      return { url, embedded, applied: await migrate(orm, { djangoDatabase: settings.djangoDatabase }) };
    } finally {
      await orm.close();
    }
  } catch (error) {
    await embedded?.stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new DatabaseStartError(`Cannot use the database at ${describeUrl(url)}: ${reason}`, { cause: error });
  }
}

export function connect(url: string, settings: Pick<Settings, 'dbPoolSize' | 'logLevel'>): Promise<MikroORM> {
  return initOrm(url, { poolSize: settings.dbPoolSize, debug: settings.logLevel === 'debug' });
}
