/**
 * Logging in, both ways: DRF's ObtainAuthToken (the user's one token, get-or-create) and knox's LoginView
 * (a new login token per call). Both check credentials with the same function (src/users/credentials.ts),
 * so their messages, timing, throttle and password upgrades are the same; the token rows are the token store's.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Settings } from '../settings';
import { checkCredentials, type CredentialSettings, type LoginThrottle } from '../users/credentials';
import { createLoginToken, deleteToken, deleteTokensOfUser, getOrCreateToken, loginRef, tokenKeyOf, type AuthToken, type IssuedLoginToken } from './token-store';
import { SecurityEventType } from '../security/event-types';
import type { Caller, SecurityEventInput, TokenRef } from '../security/security-log';
import { requireMaxLength, requireNoControlCharacters } from '../validation';

export interface IssuedToken {
  token: string;
  userId: number;
  email: string;
}

/** DRF's AuthTokenSerializer + ObtainAuthToken: the user's token, created if missing. */
export async function obtainAuthToken(
  em: EntityManager,
  username: string,
  password: string,
  settings: CredentialSettings,
  throttle?: LoginThrottle,
  caller?: Caller,
): Promise<IssuedToken> {
  const user = await checkCredentials(em, username, password, settings, throttle, { caller });
  const audit = caller && { caller, events: (key: string) => [loginSucceeded(user.id, { kind: 'AUTHTOKEN' as const, key: tokenKeyOf(key) })] };
  return { token: await getOrCreateToken(em, user.id, audit), userId: user.id, email: user.email };
}

/** LOGIN_SUCCEEDED names the token the login returned: a token's trail starts at its creation. */
function loginSucceeded(userId: number, token: TokenRef): SecurityEventInput {
  return { type: SecurityEventType.LOGIN_SUCCEEDED, userId, token };
}

export const MAX_TOKEN_NAME_LENGTH = 64;

/** A device name: trimmed, at most 64 characters, no control characters; absent means empty. */
export function cleanTokenName(raw: string | null | undefined): string {
  const name = (raw ?? '').trim();
  requireMaxLength(name, MAX_TOKEN_NAME_LENGTH, 'name');
  requireNoControlCharacters(name, 'name');
  return name;
}

/** knox's LoginView: a new login token for every successful call. */
export async function login(
  em: EntityManager,
  username: string,
  password: string,
  rawName: string | null | undefined,
  settings: CredentialSettings & Pick<Settings, 'loginTokens'>,
  throttle?: LoginThrottle,
  caller?: Caller,
): Promise<IssuedLoginToken & { userId: number }> {
  // A bad name is refused before any password work.
  const name = cleanTokenName(rawName);
  const user = await checkCredentials(em, username, password, settings, throttle, { caller });
  const audit = caller && { caller, events: (issued: IssuedLoginToken) => [loginSucceeded(user.id, loginRef(issued.token))] };
  return { ...(await createLoginToken(em, user.id, name, settings.loginTokens, audit)), userId: user.id };
}

/** `logout`: deletes the token the request authenticated with; LOGOUT when it was still there. */
export function logout(em: EntityManager, token: AuthToken, caller: Caller): Promise<boolean> {
  return deleteToken(em, token, { caller, events: (deleted) => (deleted ? [{ type: SecurityEventType.LOGOUT }] : []) });
}

/** `logoutAll` (knox's logoutall): every token of the user; TOKEN_REVOKED for each, then LOGOUT_ALL with the count. */
export function logoutAll(em: EntityManager, userId: number, caller: Caller): Promise<number> {
  return deleteTokensOfUser(em, userId, null, { caller, events: (count) => [{ type: SecurityEventType.LOGOUT_ALL, detail: { count } }] });
}
