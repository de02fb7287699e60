/** The request behind a security event, from a GraphQL context: its client, user and token. */
import type { AuthToken } from '../authtoken/token-store';
import { tokenKeyOf } from '../authtoken/keys';
import { LoginToken } from '../authtoken/login-token.entity';
import type { ClientInfo } from './client';
import type { AdminAction } from './django-admin-log';
import type { Caller, TokenRef } from './security-log';

/** A token as the log names it: never the key, only its kind and its first 15 characters (as tokenInfo shows). */
export function tokenRefOf(token: AuthToken): TokenRef {
  if (token instanceof LoginToken) return { kind: token.kind === 'access' ? 'ACCESS' : 'LOGIN', key: token.tokenKey };
  return { kind: 'AUTHTOKEN', key: tokenKeyOf(token.key) };
}

/** A token as an event's `detail` names it (a token created or revoked). */
export function tokenDetail(token: TokenRef): { tokenKind: string; tokenKey: string } {
  return { tokenKind: token.kind, tokenKey: token.key };
}

export function callerOf(context: { client: ClientInfo; user: { id: number } | null; auth: AuthToken | null }): Caller {
  return { client: context.client, userId: context.user?.id ?? null, token: context.auth ? tokenRefOf(context.auth) : null };
}

/** The caller of a staff write that Django's admin log records too, with DJANGO_DATABASE (src/security/django-admin-log.ts). */
export function staffCallerOf(context: Parameters<typeof callerOf>[0] & { settings: { database: { django: boolean } } }, action: AdminAction): Caller {
  return { ...callerOf(context), ...(context.settings.database.django ? { djangoAdmin: action } : {}) };
}
