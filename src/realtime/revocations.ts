/**
 * The revocation channel: `authtoken_revoked` carries `{"kind": "AUTHTOKEN"|"LOGIN"|"USER", "ids": [...]}`
 * (the live_events and token_kinds migrations) whenever credentials stop being valid, and each process
 * closes the sockets in its registry that authenticated with them. Token kinds are named as everywhere
 * (src/authtoken/token-kind.ts); `USER` names a deactivated user, whose every socket closes. A payload with
 * `"until"` (an ISO time) ends the credentials then rather than now: a rotated access token's grace
 * (rotateAccessToken); their sockets are checked again at that time and close once the key is dead.
 */
import { TokenKind } from '../authtoken/token-kind';
import { logger } from '../logger';
import type { SocketRegistry } from './socket-registry';

export const REVOKED_CHANNEL = 'authtoken_revoked';

const REVOKED_USER = 'USER';
const KINDS = new Set<string>([...Object.values(TokenKind), REVOKED_USER]);

/** Closes the sockets a revocation payload names; throws on a payload of another shape. */
export function applyRevocation(registry: SocketRegistry, payload: string): void {
  const message = JSON.parse(payload) as { kind?: unknown; ids?: unknown; until?: unknown };
  const kind = message.kind as TokenKind | typeof REVOKED_USER;
  if (!KINDS.has(kind) || !Array.isArray(message.ids)) throw new Error(`Unexpected revocation: ${payload}`);
  const ids = message.ids.map(String);
  if (typeof message.until === 'string' && kind !== REVOKED_USER) {
    registry.shortenCredentials(kind, ids, new Date(message.until));
    return;
  }
  const closed = kind === REVOKED_USER ? registry.revokeUsers(ids.map(Number)) : registry.revokeCredentials(kind, ids);
  if (closed) logger.debug(`Revocation (${kind}): closed ${closed} socket(s)`);
}
