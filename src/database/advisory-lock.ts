/**
 * Serialises work across every process on one database with a PostgreSQL session-level advisory lock:
 * `withAdvisoryLock(directUrl, key, work)` runs `work` while holding the lock, waiting for whoever holds it.
 *
 * The lock belongs to a session, so it is taken on a connection of its own to the DIRECT URL: through a
 * transaction pooler (PgBouncer) the statement that takes it and the one that releases it could reach two
 * different server connections, and the lock would outlive its owner on a pooled connection. The session
 * ending (the process killed, the connection lost) releases the lock: a crash never leaves it taken.
 */
import { Client } from 'pg';
import { logger } from '../logger';

/** Fixed keys, one per serialised job; any 64-bit number, as long as no other job on the database uses it. */
export const LOCK_KEYS = {
  /** `CREATE DATABASE` by servers that found their database missing. */
  createDatabase: 461_782_001,
  /** Applying migrations. */
  migrate: 461_782_002,
  /** The security log's daily prune: one replica at a time, the others skip it. */
  securityLogPrune: 461_782_003,
} as const;

/**
 * Runs `work` if the lock is free and answers its result; answers `skipped` at once when another session holds
 * it (a periodic job another replica is running). Same connection rules as withAdvisoryLock.
 */
export async function tryWithAdvisoryLock<T>(directUrl: string, key: number, what: string, work: () => Promise<T>): Promise<T | 'skipped'> {
  const session = new Client({ connectionString: directUrl, connectionTimeoutMillis: 5000, application_name: `graphql-authtoken ${what}` });
  session.on('error', () => undefined);
  await session.connect();
  try {
    const { rows } = await session.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [key]);
    if (!rows[0].locked) return 'skipped';
    return await work();
  } finally {
    await session.end().catch(() => undefined);
  }
}

export async function withAdvisoryLock<T>(directUrl: string, key: number, what: string, work: () => Promise<T>): Promise<T> {
  const session = new Client({ connectionString: directUrl, connectionTimeoutMillis: 5000, application_name: `graphql-authtoken ${what}` });
  // A lost connection shows up as the failure of the query in flight, or of `work` itself; without a
  // listener, the 'error' event of an idle client would end the process.
  session.on('error', () => undefined);
  await session.connect();
  try {
    const { rows } = await session.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [key]);
    if (!rows[0].locked) {
      logger.info(`Waiting for another process to finish: ${what}`);
      await session.query('select pg_advisory_lock($1)', [key]);
    }
    return await work();
  } finally {
    // Ending the session releases the lock; no explicit unlock needed (nor possible once the session is gone).
    await session.end().catch(() => undefined);
  }
}
