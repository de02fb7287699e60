/**
 * The socket registry's own rules, on sockets that record how they were closed: which sockets a revocation
 * closes, the revocation that lands while a socket is still authenticating, and expiry.
 */
import { describe, expect, it } from 'vitest';
import { TokenKind } from '../src/authtoken/token-kind';
import { SocketRegistry } from '../src/realtime/socket-registry';

class RecordingSocket {
  closed: { code: number; reason: string; at: number } | null = null;
  close(code: number, reason: string) {
    this.closed ??= { code, reason, at: Date.now() };
  }
}

const credential = (id: string, userId: number, expiresAt?: Date) => ({ kind: TokenKind.AUTHTOKEN, id, userId, expiresAt });

describe('SocketRegistry', () => {
  it('closes the sockets of a revoked credential and only those', () => {
    const registry = new SocketRegistry();
    const [a, b, c] = [new RecordingSocket(), new RecordingSocket(), new RecordingSocket()];
    registry.add(a, credential('d1', 1), Date.now());
    registry.add(b, credential('d1', 1), Date.now());
    registry.add(c, credential('d2', 2), Date.now());
    expect(registry.revokeCredentials(TokenKind.AUTHTOKEN, ['d1'])).toBe(2);
    expect([a.closed?.code, a.closed?.reason, b.closed?.reason, c.closed]).toEqual([4403, 'Invalid token.', 'Invalid token.', null]);
    expect(registry.size).toBe(1);
  });

  it('matches a credential by kind and id together, so another token table cannot close it by accident', () => {
    const registry = new SocketRegistry();
    const socket = new RecordingSocket();
    registry.add(socket, credential('same', 1), Date.now());
    expect(registry.revokeCredentials(TokenKind.LOGIN, ['same'])).toBe(0);
    expect(socket.closed).toBeNull();
  });

  it("closes every socket of a deactivated user, whatever token it used, with DRF's message", () => {
    const registry = new SocketRegistry();
    const [a, b] = [new RecordingSocket(), new RecordingSocket()];
    registry.add(a, credential('d1', 7), Date.now());
    registry.add(b, { kind: TokenKind.LOGIN, id: 'x', userId: 7 }, Date.now());
    expect(registry.revokeUsers([7])).toBe(2);
    expect([a.closed?.reason, b.closed?.reason]).toEqual(['User inactive or deleted.', 'User inactive or deleted.']);
  });

  it('refuses a socket whose credential was revoked after its authentication began', () => {
    const registry = new SocketRegistry();
    const since = Date.now();
    registry.revokeCredentials(TokenKind.AUTHTOKEN, ['late']);
    const socket = new RecordingSocket();
    expect(registry.add(socket, credential('late', 3), since)).toBe(false);
    expect(socket.closed).toMatchObject({ code: 4403, reason: 'Invalid token.' });
    expect(registry.size).toBe(0);
  });

  it('accepts a socket that authenticated after the revocation (a new token row with the same digest cannot exist, but a reactivated user can)', () => {
    const registry = new SocketRegistry();
    registry.revokeUsers([4]);
    const socket = new RecordingSocket();
    expect(registry.add(socket, credential('fresh', 4), Date.now() + 1)).toBe(true);
    expect(socket.closed).toBeNull();
  });

  it('closes a socket when its credential expires, with "Invalid token."', async () => {
    const registry = new SocketRegistry();
    const socket = new RecordingSocket();
    const expiresAt = new Date(Date.now() + 200);
    registry.add(socket, credential('short', 5, expiresAt), Date.now());
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(socket.closed).toMatchObject({ code: 4403, reason: 'Invalid token.' });
    expect(socket.closed!.at).toBeGreaterThanOrEqual(expiresAt.getTime());
    expect(registry.size).toBe(0);
  });

  it('closes at once a socket whose credential has already expired, and forgets a removed one', () => {
    const registry = new SocketRegistry();
    const expired = new RecordingSocket();
    registry.add(expired, credential('old', 6, new Date(Date.now() - 1)), Date.now());
    expect(expired.closed?.code).toBe(4403);
    const removed = new RecordingSocket();
    registry.add(removed, credential('kept', 6), Date.now());
    registry.remove(removed);
    expect(registry.revokeCredentials(TokenKind.AUTHTOKEN, ['kept'])).toBe(0);
    expect(removed.closed).toBeNull();
  });
});
