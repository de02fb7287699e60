/**
 * A socket's authentication: the Authorization value from its connection_init payload, parsed and looked
 * up by the same `authenticate()` as the HTTP header (src/authentication.ts), with the same errors, for
 * both kinds of token (DRF's and login tokens); or, without one, the session cookie its upgrade request
 * carried (AUTH_COOKIE=true; the upgrade's Origin was checked before the socket opened).
 *
 * `authenticateSocket` is the one place the WebSocket transport meets token lookup. It answers null
 * (anonymous), or the user and token (managed by `em` when given, as a request's are) with the socket's
 * credential for the registry: which token (its kind and the id its table's revocation notifications use),
 * whose, and until when.
 */
import { createHash } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { authenticate, authenticateKey, type Authenticated, type AuthenticationSettings } from '../authentication';
import type { Presenter } from '../authtoken/token-store';
import { LoginToken } from '../authtoken/login-token.entity';
import { TokenKind } from '../authtoken/token-kind';
import type { SocketCredential } from './socket-registry';
import type { ClientInfo } from '../security/client';

export interface SocketAuthentication {
  credential: SocketCredential;
  authenticated: Authenticated;
}

/** How DRF tokens are named in revocation notifications: the SHA-256 of the key (see the live_events migration). */
export function tokenDigest(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

function credentialOf({ user, token }: Authenticated): SocketCredential {
  // Login tokens are named by their surrogate id, which reveals nothing of the secret.
  return token instanceof LoginToken
    ? { kind: TokenKind.LOGIN, id: String(token.id), userId: user.id, expiresAt: token.expiry }
    : { kind: TokenKind.AUTHTOKEN, id: tokenDigest(token.key), userId: user.id, expiresAt: null };
}

/** What a socket authenticates with: connection_init's Authorization, or the upgrade's session cookie. */
export type SocketKey = { authorization: string } | { cookie: string };

/** Null for anonymous, the credential for a valid token, AuthenticationFailed (DRF's messages) otherwise. */
export async function authenticateSocket(
  orm: MikroORM,
  settings: AuthenticationSettings,
  key: SocketKey | undefined,
  em?: EntityManager,
  presenter: Presenter = {},
): Promise<SocketAuthentication | null> {
  const requestEm = () => em ?? orm.em.fork();
  const authenticated =
    key && 'cookie' in key
      ? await authenticateKey(orm.em, key.cookie, settings, requestEm, presenter)
      : await authenticate(orm.em, key?.authorization, settings, requestEm, presenter);
  return authenticated && { authenticated, credential: credentialOf(authenticated) };
}
