/**
 * A socket's authentication, at connection_init: the Authorization value from its payload, parsed and
 * looked up by the same code as the HTTP header (src/authentication.ts), with the same errors.
 *
 * `authenticateSocket` is the one place the WebSocket transport meets token lookup: when another kind of
 * token joins (login tokens), this is what changes. It answers null (anonymous), or the socket's credential
 * for the registry (which token, whose, until when) and `bind(em)`, the user and token as managed entities
 * on an operation's EntityManager fork, built once per operation as a request's are.
 */
import { createHash } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { findCredentials, keyFromHeader, toAuthenticated, type Authenticated } from '../authentication';
import type { Settings } from '../settings';
import type { SocketCredential } from './socket-registry';

export interface SocketAuthentication {
  credential: SocketCredential;
  bind(em: EntityManager): Authenticated;
}

/** How DRF tokens are named in revocation notifications: the SHA-256 of the key (see the live_events migration). */
export function tokenDigest(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Null for anonymous, the credential for a valid token, AuthenticationFailed (DRF's messages) otherwise. */
export async function authenticateSocket(orm: MikroORM, settings: Settings, authorization: string | undefined): Promise<SocketAuthentication | null> {
  const key = keyFromHeader(authorization, settings.authKeyword);
  if (key === null) return null;
  const row = await findCredentials(orm.em, key, settings.authKeyword);
  return {
    credential: { kind: 'token', id: tokenDigest(row.token_key), userId: row.id, expiresAt: null },
    bind: (em) => toAuthenticated(em, row),
  };
}
