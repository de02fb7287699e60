/**
 * The authenticated sockets of this process, indexed by the credential each authenticated with, so that a
 * revocation closes exactly those sockets, at once.
 *
 * A credential is `{ kind, id, userId, expiresAt? }`: `kind` is the token's kind (src/authtoken/token-kind.ts,
 * as revocation notifications name it), `id` what that table's revocation notifications name (for DRF tokens the SHA-256 of the
 * key, never the key), `expiresAt` when the credential stops being valid by itself (a socket is closed then,
 * as a request would then fail). Revocations come as `(kind, ids)` or as user ids (a deactivated user).
 *
 * One race is closed here: a token revoked while a socket is still authenticating (the lookup saw the row,
 * the notification came before the socket was registered). Revocations are remembered for a few seconds, and
 * `add` refuses a socket whose credential was revoked after its authentication began.
 */
import { CloseCode } from 'graphql-ws';
import type { TokenKind } from '../authtoken/token-kind';
import { INVALID_TOKEN, USER_INACTIVE } from '../errors';

export interface SocketCredential {
  kind: TokenKind;
  id: string;
  userId: number;
  expiresAt?: Date | null;
}

export interface ClosableSocket {
  close(code: number, reason: string): void;
}

/** What a credential at its expiry turned out to be: valid until a (new) time, or no longer valid. */
export type ExpiryCheck = (socket: ClosableSocket) => Promise<{ expiresAt: Date | null } | { reason: string }>;

/** graphql-transport-ws's Forbidden (4403): what a failed authentication closes with. */
const FORBIDDEN = CloseCode.Forbidden;

const REMEMBER_MS = 10_000;
// setTimeout's longest delay; a later expiry re-arms the timer when it fires.
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Entry {
  socket: ClosableSocket;
  credential: SocketCredential;
  expiry?: NodeJS.Timeout;
}

function credentialKey(kind: TokenKind, id: string): string {
  return `${kind}\u0000${id}`;
}

export class SocketRegistry {
  private readonly entries = new Map<ClosableSocket, Entry>();
  private readonly byCredential = new Map<string, Set<Entry>>();
  private readonly byUser = new Map<number, Set<Entry>>();
  /** Recently revoked credential keys and user ids, with when this process heard of it. */
  private readonly recent = new Map<string, { at: number; reason: string }>();
  /**
   * Asked when a credential reaches its expiry (the transport re-authenticates); without it, the socket
   * simply closes then.
   */
  expiryCheck: ExpiryCheck | undefined;

  get size(): number {
    return this.entries.size;
  }

  /**
   * Registers a socket that authenticated with `credential`, its lookup having started at `since`
   * (Date.now()). Returns false, having closed the socket, when the credential was revoked since.
   */
  add(socket: ClosableSocket, credential: SocketCredential, since: number): boolean {
    this.forget();
    for (const key of [credentialKey(credential.kind, credential.id), `user\u0000${credential.userId}`]) {
      const revoked = this.recent.get(key);
      if (revoked && revoked.at >= since) {
        socket.close(FORBIDDEN, revoked.reason);
        return false;
      }
    }
    const entry: Entry = { socket, credential };
    this.entries.set(socket, entry);
    addTo(this.byCredential, credentialKey(credential.kind, credential.id), entry);
    addTo(this.byUser, credential.userId, entry);
    if (credential.expiresAt) this.armExpiry(entry, credential.expiresAt.getTime());
    return true;
  }

  /** A new expiry for a socket's credential (a login token refreshed by its use), or none. */
  setExpiry(socket: ClosableSocket, expiresAt: Date | null): void {
    const entry = this.entries.get(socket);
    if (!entry) return;
    if (entry.expiry) clearTimeout(entry.expiry);
    entry.expiry = undefined;
    entry.credential = { ...entry.credential, expiresAt };
    if (expiresAt) this.armExpiry(entry, expiresAt.getTime());
  }

  remove(socket: ClosableSocket): void {
    const entry = this.entries.get(socket);
    if (!entry) return;
    this.entries.delete(socket);
    if (entry.expiry) clearTimeout(entry.expiry);
    removeFrom(this.byCredential, credentialKey(entry.credential.kind, entry.credential.id), entry);
    removeFrom(this.byUser, entry.credential.userId, entry);
  }

  /** Closes every socket authenticated with one of these credentials; returns how many. */
  revokeCredentials(kind: TokenKind, ids: readonly string[], reason = INVALID_TOKEN): number {
    let closed = 0;
    for (const id of ids) {
      const key = credentialKey(kind, id);
      this.remember(key, reason);
      closed += this.closeEach(this.byCredential.get(key), reason);
    }
    return closed;
  }

  /**
   * Brings forward the expiry of the sockets of these credentials to `until` when they would live longer (a
   * rotated access token's grace): at that time they are checked again, and close when the key is dead.
   */
  shortenCredentials(kind: TokenKind, ids: readonly string[], until: Date): void {
    for (const id of ids) {
      for (const entry of [...(this.byCredential.get(credentialKey(kind, id)) ?? [])]) {
        const current = entry.credential.expiresAt;
        if (!current || current > until) this.setExpiry(entry.socket, until);
      }
    }
  }

  /** Closes every socket of these users (deactivated); returns how many. */
  revokeUsers(ids: readonly number[], reason = USER_INACTIVE): number {
    let closed = 0;
    for (const id of ids) {
      this.remember(`user\u0000${id}`, reason);
      closed += this.closeEach(this.byUser.get(id), reason);
    }
    return closed;
  }

  /** Closes every registered socket (e.g. when revocations may have been missed). */
  closeAll(code: number, reason: string): number {
    const all = [...this.entries.values()];
    for (const entry of all) {
      this.remove(entry.socket);
      entry.socket.close(code, reason);
    }
    return all.length;
  }

  private closeEach(entries: Set<Entry> | undefined, reason: string): number {
    if (!entries) return 0;
    const list = [...entries];
    for (const entry of list) {
      this.remove(entry.socket);
      entry.socket.close(FORBIDDEN, reason);
    }
    return list.length;
  }

  private armExpiry(entry: Entry, at: number): void {
    const delay = at - Date.now();
    if (delay > 0) {
      entry.expiry = setTimeout(() => this.armExpiry(entry, at), Math.min(delay, MAX_TIMER_MS));
      entry.expiry.unref();
      return;
    }
    entry.expiry = undefined;
    if (!this.expiryCheck) {
      this.remove(entry.socket);
      entry.socket.close(FORBIDDEN, INVALID_TOKEN);
      return;
    }
    void this.expiryCheck(entry.socket).then(
      (checked) => {
        if (this.entries.get(entry.socket) !== entry) return; // closed meanwhile
        if ('reason' in checked) {
          this.remove(entry.socket);
          entry.socket.close(FORBIDDEN, checked.reason);
        } else {
          this.setExpiry(entry.socket, checked.expiresAt);
        }
      },
      () => this.setExpiry(entry.socket, new Date(Date.now() + 1000)),
    );
  }

  private remember(key: string, reason: string): void {
    this.forget();
    // Deleted first, so that the map's order stays the order of the times (forget() relies on it).
    this.recent.delete(key);
    this.recent.set(key, { at: Date.now(), reason });
  }

  private forget(): void {
    const cutoff = Date.now() - REMEMBER_MS;
    for (const [key, { at }] of this.recent) {
      if (at >= cutoff) break; // insertion order is time order
      this.recent.delete(key);
    }
  }
}

function addTo<K>(index: Map<K, Set<Entry>>, key: K, entry: Entry): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(entry);
}

function removeFrom<K>(index: Map<K, Set<Entry>>, key: K, entry: Entry): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(entry);
  if (set.size === 0) index.delete(key);
}
