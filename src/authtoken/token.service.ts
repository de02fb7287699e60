/**
 * Logging in, both ways: DRF's ObtainAuthToken (the user's one token, get-or-create) and knox's LoginView
 * (a new login token per call). Both check credentials with the same function (src/users/credentials.ts),
 * so their messages, timing, throttle and password upgrades are the same; the token rows are the token store's.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Settings } from '../settings';
import { checkCredentials, type CredentialSettings, type LoginThrottle } from '../users/credentials';
import { createLoginToken, getOrCreateToken, type IssuedLoginToken } from './token-store';
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
): Promise<IssuedToken> {
  const user = await checkCredentials(em, username, password, settings, throttle);
  return { token: await getOrCreateToken(em, user.id), userId: user.id, email: user.email };
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
): Promise<IssuedLoginToken & { userId: number }> {
  // A bad name is refused before any password work.
  const name = cleanTokenName(rawName);
  const user = await checkCredentials(em, username, password, settings, throttle);
  return { ...(await createLoginToken(em, user.id, name, settings.loginTokens)), userId: user.id };
}
