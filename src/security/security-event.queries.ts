/**
 * Reading the security log: a page of events, newest first, after an opaque cursor (the last event's id),
 * with the staff's filters. Keyset paging (`id < cursor`), so events arriving meanwhile never shift a page.
 * One query per page: `first + 1` rows tell whether there is a next page.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { ValidationError } from '../errors';
import { tokenKeyOf } from '../authtoken/keys';
import { TokenKind } from '../authtoken/token-kind';
import { usernameMatches } from '../users/credentials';
import { parseId, requireMaxLength, requireNoControlCharacters } from '../validation';
import { EVENT_TYPES, type SecurityEventType } from './event-types';
import type { SecurityEvent, SecurityEventConnection, SecurityEventFilter } from './security-event.types';

export const DEFAULT_EVENTS = 50;
export const MAX_EVENTS = 100;

/** A row of authtoken_security_event as pg reads it. */
export interface EventRow {
  id: string;
  at: string;
  type: SecurityEventType;
  user_id: number | null;
  actor_id: number | null;
  username: string | null;
  token_kind: string | null;
  token_key: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  operation: string | null;
  detail: Record<string, unknown> | null;
  count: number;
}

/** DRF's IntegerField messages, naming `first`. */
export function pageSize(first: number | null | undefined, fallback: number): number {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < 1) throw new ValidationError('first: Ensure this value is greater than or equal to 1.', 'first');
  if (size > MAX_EVENTS) throw new ValidationError(`first: Ensure this value is less than or equal to ${MAX_EVENTS}.`, 'first');
  return size;
}

const CURSOR_PREFIX = 'SecurityEvent:';

export function cursorOf(id: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${id}`).toString('base64url');
}

/** DRF's CursorPagination message for a cursor it did not make. */
function afterId(cursor: string | null | undefined): string | null {
  if (cursor === null || cursor === undefined) return null;
  const decoded = /^[A-Za-z0-9_-]{1,64}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString() : '';
  const match = /^SecurityEvent:(\d{1,18})$/.exec(decoded);
  if (!match) throw new ValidationError('after: Invalid cursor', 'after');
  return match[1];
}

/** The filter as SQL conditions over `e`, checked first (each bad value a BAD_USER_INPUT naming it). */
function conditions(filter: SecurityEventFilter | null | undefined, djangoDatabase: boolean): [string[], unknown[]] {
  const where: string[] = [];
  const values: unknown[] = [];
  if (!filter) return [where, values];
  if (filter.types?.length) {
    where.push(`e.type in (${filter.types.map(() => '?').join(', ')})`);
    values.push(...filter.types);
  }
  if (filter.userId !== undefined && filter.userId !== null) {
    where.push('e.user_id = ?');
    values.push(parseId(filter.userId, 'userId'));
  }
  const username = filter.username?.trim();
  if (username) {
    requireMaxLength(username, 150, 'username');
    requireNoControlCharacters(username, 'username');
    where.push(`(lower(e.username) = lower(?) or e.user_id in (select u.id from auth_user u where ${usernameMatches(djangoDatabase)}))`);
    values.push(username, username);
  }
  const token = filter.tokenKey?.trim();
  if (token) {
    requireMaxLength(token, 128, 'tokenKey');
    // A pasted token is matched by its first 15 characters, as the admin's token search does.
    where.push('e.token_key = ?');
    values.push(tokenKeyOf(token));
  }
  const ip = filter.ip?.trim();
  if (ip) {
    requireMaxLength(ip, 45, 'ip');
    where.push('e.ip = ?');
    values.push(ip);
  }
  if (filter.after) {
    where.push('e.at >= ?');
    values.push(filter.after);
  }
  if (filter.before) {
    where.push('e.at < ?');
    values.push(filter.before);
  }
  return [where, values];
}

function eventOf(row: EventRow, hideActor: boolean): SecurityEvent {
  // In a user's own log, what staff did to the account shows without the staff member's token or client.
  const client = hideActor && row.actor_id !== null && row.actor_id !== row.user_id;
  return {
    id: String(row.id),
    at: new Date(row.at),
    type: row.type,
    auth0Code: EVENT_TYPES[row.type]?.auth0 ?? null,
    userId: row.user_id === null ? null : String(row.user_id),
    actorId: row.actor_id === null ? null : String(row.actor_id),
    username: row.username,
    tokenKind: client || row.token_kind === null ? null : TokenKind[row.token_kind as keyof typeof TokenKind],
    tokenKey: client ? null : row.token_key,
    ip: client ? null : row.ip,
    userAgent: client ? null : row.user_agent,
    requestId: client ? null : row.request_id,
    operation: row.operation,
    detail: row.detail,
    count: row.count,
  };
}

export interface EventPage {
  first: number;
  after?: string | null;
}

/** Staff's search (`securityEvents`). */
export async function searchSecurityEvents(
  em: EntityManager,
  filter: SecurityEventFilter | null | undefined,
  page: EventPage,
  djangoDatabase: boolean,
): Promise<SecurityEventConnection> {
  const [where, values] = conditions(filter, djangoDatabase);
  return pageOfEvents(em, where, values, page, false);
}

/** The caller's own events (`mySecurityEvents`): never another user's. */
export function ownSecurityEvents(em: EntityManager, userId: number, page: EventPage): Promise<SecurityEventConnection> {
  return pageOfEvents(em, ['e.user_id = ?'], [userId], page, true);
}

async function pageOfEvents(em: EntityManager, where: string[], values: unknown[], page: EventPage, own: boolean): Promise<SecurityEventConnection> {
  const after = afterId(page.after);
  if (after !== null) {
    where.push('e.id < ?');
    values.push(after);
  }
  const rows = await em.getConnection().execute<EventRow[]>(
    `select e.* from authtoken_security_event e ${where.length ? `where ${where.join(' and ')}` : ''} order by e.id desc limit ?`,
    [...values, page.first + 1],
  );
  const edges = rows.slice(0, page.first).map((row) => ({ cursor: cursorOf(String(row.id)), node: eventOf(row, own) }));
  return { edges, pageInfo: { hasNextPage: rows.length > page.first, endCursor: edges.at(-1)?.cursor ?? null } };
}
