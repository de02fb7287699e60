/**
 * Retention: security events older than SECURITY_LOG_RETENTION_DAYS (default 90) are deleted, by
 * `npm run manage -- prune-security-log` and, with SECURITY_LOG_PRUNE=true (the default), by the server
 * itself once a day.
 *
 * The server's prune: every process looks hourly (the first time a minute after it starts) whether a day has
 * passed since the last prune (`authtoken_job_run`); under an advisory lock taken without waiting, so that
 * of many replicas one prunes and the others skip. Deletion goes in batches, so that no statement holds
 * many rows' locks for long.
 */
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { LOCK_KEYS, tryWithAdvisoryLock } from '../database/advisory-lock';
import { logger } from '../logger';

const BATCH = 10_000;
const JOB = 'prune-security-log';
const FIRST_CHECK_MS = 60_000;
const CHECK_EVERY_MS = 3_600_000;

/** Deletes the events older than `retentionDays`; answers how many. */
export async function pruneSecurityLog(em: EntityManager, retentionDays: number): Promise<number> {
  let deleted = 0;
  for (;;) {
    const rows = await em.getConnection().execute<{ n: number }[]>(
      `with gone as (
         delete from authtoken_security_event where id in (
           select id from authtoken_security_event where at < now() - make_interval(days => ?) limit ?
         ) returning 1
       ) select count(*)::int as n from gone`,
      [retentionDays, BATCH],
    );
    deleted += rows[0].n;
    if (rows[0].n < BATCH) return deleted;
  }
}

/**
 * Prunes when a day has passed since the last prune by any process; answers how many went, `skipped` when
 * another process holds the job or it is not due.
 */
export async function pruneIfDue(orm: MikroORM, directUrl: string, retentionDays: number): Promise<number | 'skipped'> {
  return tryWithAdvisoryLock(directUrl, LOCK_KEYS.securityLogPrune, JOB, async () => {
    const em = orm.em.fork();
    const [due] = await em.getConnection().execute<{ due: boolean }[]>(
      `select not exists (select 1 from authtoken_job_run where name = ? and at > now() - interval '1 day') as due`,
      [JOB],
    );
    if (!due.due) return 'skipped' as const;
    const deleted = await pruneSecurityLog(em, retentionDays);
    await em.getConnection().execute(
      'insert into authtoken_job_run (name, at) values (?, now()) on conflict (name) do update set at = excluded.at',
      [JOB],
    );
    if (deleted > 0) logger.info('Pruned the security log', { deleted, retentionDays });
    return deleted;
  });
}

/** Starts the daily prune of this process; the answer stops it. */
export function startSecurityLogPruning(orm: MikroORM, directUrl: string, retentionDays: number): () => void {
  const run = () =>
    void pruneIfDue(orm, directUrl, retentionDays).catch((error) => {
      // An unreachable database now is no reason to stop: the next hour tries again.
      logger.error('Pruning the security log failed:', error);
    });
  let interval: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    run();
    interval = setInterval(run, CHECK_EVERY_MS).unref();
  }, FIRST_CHECK_MS).unref();
  return () => {
    clearTimeout(first);
    if (interval) clearInterval(interval);
  };
}
