/**
 * The security log's one writer: every event in `authtoken_security_event` is inserted here, and every part
 * of the server that has something to record calls `recordSecurityEvents` (or `recordThrottled`). Nothing
 * else writes the table, and no resolver writes events by hand.
 *
 * Contract:
 * - An event of a write is inserted with the EntityManager of that write's transaction, as the write's last
 *   statement: the write rolled back, no event. A failure (a wrong password, a 403) is recorded on its own,
 *   though nothing else is written.
 * - The token of an event is the one that authenticated the request (`caller.token`), unless the event names
 *   another (LOGIN_SUCCEEDED: the token the login returned). Only the 15-character public prefix is stored;
 *   a token created or revoked is named in `detail.tokenKind` / `detail.tokenKey` the same way.
 * - `detail` is small JSON; callers put no password, key, digest or Authorization value in it.
 * - With LOG_FORMAT=json each event is also one log line, `"msg":"security"` with the same fields, written
 *   once its row is inserted. (Only a COMMIT failing after that can leave a line without its row.)
 * - LOGIN_THROTTLED is aggregated (`recordThrottled`): one row per client address, scope and throttle window,
 *   whose `count` says how many refusals it stands for; see there.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { logger } from '../logger';
import type { ClientInfo } from './client';
import { SecurityEventType } from './event-types';
import { writeDjangoAdminLog, type AdminAction } from './django-admin-log';

/** A token as the log names it: its kind and its 15-character public prefix. */
export interface TokenRef {
  kind: 'AUTHTOKEN' | 'LOGIN' | 'ACCESS';
  key: string;
}

/** Who made the request an event belongs to. */
export interface Caller {
  client: ClientInfo | null;
  /** The authenticated user, or null. */
  userId: number | null;
  /** The token that authenticated the request, or null. */
  token: TokenRef | null;
  /** A management command's name, for events with no request behind them (`detail.command`). */
  command?: string;
  /** With DJANGO_DATABASE, the staff write whose events also go to Django's django_admin_log. */
  djangoAdmin?: AdminAction;
}

/** The caller of a management command (`manage create-token`, ...): no request, no user, no token. */
export function commandCaller(command: string): Caller {
  return { client: null, userId: null, token: null, command };
}

export interface SecurityEventInput {
  type: SecurityEventType;
  /** Whose log it belongs to; the caller's user unless given (null: unknown). */
  userId?: number | null;
  /** The username as given, for failed logins. */
  username?: string | null;
  /** The event's token, when it is not the caller's (LOGIN_SUCCEEDED). */
  token?: TokenRef | null;
  detail?: Record<string, unknown> | null;
}

const COLUMNS = ['type', 'user_id', 'actor_id', 'username', 'token_kind', 'token_key', 'ip', 'user_agent', 'request_id', 'operation', 'detail'];
const ROW = `(${COLUMNS.map((column) => (column === 'detail' ? '?::jsonb' : '?')).join(', ')})`;
/** Rows per statement: 11 parameters each, under PostgreSQL's 65,535. */
export const MAX_EVENTS_PER_STATEMENT = 2000;

function valuesOf(caller: Caller, event: SecurityEventInput): unknown[] {
  const token = event.token === undefined ? caller.token : event.token;
  const client = caller.client;
  return [
    event.type,
    event.userId === undefined ? caller.userId : event.userId,
    caller.userId,
    event.username?.slice(0, 150) ?? null,
    token?.kind ?? null,
    token?.key.slice(0, 15) ?? null,
    client?.ip?.slice(0, 45) ?? null,
    client?.userAgent ?? null,
    client?.requestId ?? null,
    client?.operation ?? null,
    event.detail || caller.command ? JSON.stringify({ ...event.detail, ...(caller.command ? { command: caller.command } : {}) }) : null,
  ];
}

/**
 * Inserts the events in one statement with `em` (a transaction's, for the events of its write), then logs
 * them with LOG_FORMAT=json.
 */
export async function recordSecurityEvents(em: EntityManager, caller: Caller, events: SecurityEventInput[]): Promise<void> {
  for (let start = 0; start < events.length; start += MAX_EVENTS_PER_STATEMENT) {
    const batch = events.slice(start, start + MAX_EVENTS_PER_STATEMENT);
    const values = batch.map((event) => valuesOf(caller, event));
    const rows = await em.execute<{ id: string; at: Date }[]>(
      `insert into authtoken_security_event (${COLUMNS.join(', ')}) values ${batch.map(() => ROW).join(', ')} returning id, at`,
      values.flat(),
    );
    if (logger.isJson()) rows.forEach((row, index) => logLine(row, values[index], 1));
  }
  if (caller.djangoAdmin && caller.userId !== null) await writeDjangoAdminLog(em, caller.djangoAdmin, caller.userId, events);
}

/**
 * One event's insert (`?` placeholders), for a failure path that must stay one round trip: the token
 * lookup's expired-token deletion (a CTE) carries its TOKEN_EXPIRED this way, so the 401 is not held for a
 * second statement. Pair it with eventValues() and, once run, logInserted().
 */
export function eventInsert(): string {
  return `insert into authtoken_security_event (${COLUMNS.join(', ')}) values ${ROW} returning id, at`;
}

export function eventValues(caller: Caller, event: SecurityEventInput): unknown[] {
  return valuesOf(caller, event);
}

/** The log line of an event inserted through eventInsert(). */
export function logInserted(row: { id: string; at: Date | string } | undefined, values: unknown[]): void {
  if (row && logger.isJson()) logLine(row, values, 1);
}

function logLine(row: { id: string; at: Date | string }, values: unknown[], count: number): void {
  const [type, userId, actorId, username, tokenKind, tokenKey, ip, userAgent, requestId, operation, detail] = values;
  logger.info('security', {
    id: String(row.id),
    at: new Date(row.at).toISOString(),
    type,
    userId,
    actorId,
    username,
    tokenKind,
    tokenKey,
    ip,
    userAgent,
    requestId,
    operation,
    detail: detail === null ? null : JSON.parse(detail as string),
    count,
  });
}

// ---------------------------------------------------------------------------------------------------------
// LOGIN_THROTTLED, aggregated

/** How often the refusals counted in memory are added to their rows. */
const FLUSH_MS = 5000;

interface Aggregate {
  /** Refusals not yet added to the row. */
  pending: number;
  /** The connection pool to add them with (not the request's EntityManager, which must not outlive it). */
  connection: ReturnType<EntityManager['getConnection']>;
  bucketEnds: number;
}

const aggregates = new Map<string, Aggregate>();
let flushTimer: NodeJS.Timeout | undefined;

/**
 * A 429 of a throttle (`scope`: `login` for the failed-login throttle, `password` for PASSWORD_RATE). A flood
 * must not become a flood of writes: the first refusal of a client address in a scope and throttle window
 * (windows are fixed, `windowSeconds` long, counted from the epoch) inserts the window's one row, or adds to
 * it when another process did; later ones in this process are counted in memory and added to the row every
 * 5 seconds. At most one row per address, scope and window, then, and one write per process per 5 seconds.
 * A process killed meanwhile loses its last 5 seconds of count, not the event.
 */
export async function recordThrottled(
  em: EntityManager,
  caller: Caller,
  { scope, windowSeconds, username }: { scope: string; windowSeconds: number; username?: string | null },
): Promise<void> {
  const window = Math.max(1, windowSeconds) * 1000;
  const bucket = Math.floor(Date.now() / window);
  const key = `${scope}|${bucket}|${caller.client?.ip ?? ''}`.slice(0, 200);
  const known = aggregates.get(key);
  if (known) {
    known.pending += 1;
    return;
  }
  aggregates.set(key, { pending: 0, connection: em.getConnection(), bucketEnds: (bucket + 1) * window });
  flushTimer ??= setInterval(() => void flushThrottled(), FLUSH_MS).unref();
  const values = valuesOf(caller, {
    type: SecurityEventType.LOGIN_THROTTLED,
    userId: null,
    username,
    detail: { scope, windowSeconds },
  });
  const rows = await em.execute<{ id: string; at: Date; count: number }[]>(
    `insert into authtoken_security_event (${COLUMNS.join(', ')}, aggregate_key) values ${ROW.slice(0, -1)}, ?)
     on conflict (aggregate_key) where aggregate_key is not null
     do update set count = authtoken_security_event.count + 1
     returning id, at, count`,
    [...values, key],
  );
  if (logger.isJson() && rows[0]?.count === 1) logLine(rows[0], values, 1);
}

/** Adds the refusals counted in memory to their rows, and forgets windows that have ended. */
export async function flushThrottled(): Promise<void> {
  const now = Date.now();
  for (const [key, aggregate] of aggregates) {
    const { pending } = aggregate;
    aggregate.pending = 0;
    if (aggregate.bucketEnds <= now) aggregates.delete(key);
    if (pending === 0) continue;
    try {
      await aggregate.connection.execute('update authtoken_security_event set count = count + ? where aggregate_key = ?', [pending, key]);
    } catch (error) {
      logger.error('Counting throttled requests in the security log failed:', error);
    }
  }
  if (aggregates.size === 0 && flushTimer) {
    clearInterval(flushTimer);
    flushTimer = undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Events of a write

/** What a write records: who asked, and the events beside its own (LOGIN_SUCCEEDED beside TOKEN_CREATED). */
export interface Audit<T = unknown> {
  caller: Caller;
  /** Recorded after the write's own events, from its result. */
  events?: (result: T) => SecurityEventInput[];
}

/**
 * Runs `write` in a transaction and records, as its last statements, the events it names and the audit's:
 * the write rolled back, no event. Without an audit (tests, the backfill) the write runs as it is.
 */
export async function writeWithEvents<T>(
  em: EntityManager,
  audit: Audit<T> | undefined,
  write: (tx: EntityManager) => Promise<[result: T, events: SecurityEventInput[]]>,
): Promise<T> {
  if (!audit) return (await write(em))[0];
  return em.transactional(async (tx) => {
    const [result, events] = await write(tx);
    await recordSecurityEvents(tx, audit.caller, [...events, ...(audit.events?.(result) ?? [])]);
    return result;
  });
}
