/** How the web app names security events: what happened, in words, and which token or device it concerned. */
import type { SecurityEventType } from './gql/graphql';

/** A token's kind in words: the log's `tokenKind` (ACCESS for issue 20's access tokens). */
const KIND_WORDS: Record<string, string> = { LOGIN: 'device', ACCESS: 'access token', AUTHTOKEN: 'API token' };

export const EVENT_LABELS: Record<SecurityEventType, string> = {
  LOGIN_SUCCEEDED: 'Logged in',
  LOGIN_FAILED_PASSWORD: 'Failed login: wrong password',
  LOGIN_FAILED_UNKNOWN_USER: 'Failed login: unknown user',
  LOGIN_FAILED_INACTIVE: 'Failed login: account inactive',
  LOGIN_THROTTLED: 'Logins blocked: too many attempts',
  LOGOUT: 'Logged out',
  LOGOUT_ALL: 'Logged out everywhere',
  TOKEN_CREATED: 'Token created',
  TOKEN_REVOKED: 'Token revoked',
  TOKEN_EXPIRED: 'Expired token used',
  TOKEN_ROTATED: 'Access token rotated',
  TOKEN_NETWORK_REFUSED: 'Access token refused: used from outside its networks',
  PASSWORD_CHANGED: 'Password changed',
  PASSWORD_SET: 'Password set by staff',
  PASSWORD_CONFIRMED: 'Password confirmed',
  USER_REGISTERED: 'Account created',
  USER_CREATED: 'Account created by staff',
  USER_DEACTIVATED: 'Account deactivated',
  USER_ACTIVATED: 'Account activated',
  PERMISSION_DENIED: 'Refused: not allowed',
  MUTATION: 'Change made',
};

export const EVENT_TYPES = Object.keys(EVENT_LABELS) as SecurityEventType[];

interface EventLike {
  type: SecurityEventType;
  tokenKind?: string | null;
  tokenKey?: string | null;
  detail?: Record<string, unknown> | null;
  count: number;
  operation?: string | null;
}

/** The event's label, with what its detail adds (the token concerned, a change's fields, a count). */
export function describeEvent(event: EventLike): string {
  const detail = event.detail ?? {};
  let text = EVENT_LABELS[event.type] ?? event.type;
  if (typeof detail.tokenKey === 'string') text += ` (${KIND_WORDS[String(detail.tokenKind)] ?? 'API token'} ${detail.tokenKey}…)`;
  if (event.type === 'MUTATION' && Array.isArray(detail.fields)) text += `: ${detail.fields.join(', ')}`;
  if (event.type === 'LOGOUT_ALL' && typeof detail.count === 'number') text += ` (${detail.count} token${detail.count === 1 ? '' : 's'})`;
  if (event.count > 1) text += ` × ${event.count}`;
  return text;
}

/** The token that made the request: a device's login token, an access token or the API token, by its first characters. */
export function describeToken(event: EventLike): string {
  if (!event.tokenKey) return '—';
  const words = KIND_WORDS[event.tokenKind ?? ''] ?? 'API token';
  return `${words[0].toUpperCase()}${words.slice(1)} ${event.tokenKey}…`;
}

/** Failed logins and refusals: what a user should look at twice. */
export function isWarning(type: SecurityEventType): boolean {
  return type.startsWith('LOGIN_FAILED') || type === 'LOGIN_THROTTLED' || type === 'TOKEN_EXPIRED' || type === 'PERMISSION_DENIED' || type === 'TOKEN_NETWORK_REFUSED';
}
