/**
 * How the token store names tokens in the security log (src/security/security-log.ts): a token by its kind
 * and 15-character public prefix, never the key, and the TOKEN_CREATED / TOKEN_REVOKED event of one.
 */
import { SecurityEventType } from '../security/event-types';
import type { SecurityEventInput, TokenRef } from '../security/security-log';
import { tokenKeyOf } from './keys';

/** A DRF key as the security log names it. */
export function drfRef(key: string): TokenRef {
  return { kind: 'AUTHTOKEN', key: tokenKeyOf(key) };
}

/** A login token as the security log names it. */
export function loginRef(token: string): TokenRef {
  return { kind: 'LOGIN', key: tokenKeyOf(token) };
}

/** TOKEN_CREATED or TOKEN_REVOKED of `token`, in its owner's log. */
export function tokenEvent(type: SecurityEventType.TOKEN_CREATED | SecurityEventType.TOKEN_REVOKED, userId: number, token: TokenRef): SecurityEventInput {
  return { type, userId, detail: { tokenKind: token.kind, tokenKey: token.key } };
}
