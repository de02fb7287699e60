/**
 * What this process learns from the database's notifications (the live_events migration), and who acts on
 * it: product events go to the app's subscribers (the pub/sub the schema subscribes through), revocations
 * close the matching sockets in the registry. One hub, one LISTEN connection, per app (so per process).
 *
 * If the LISTEN connection is lost, notifications sent meanwhile are lost too, and a revocation among them
 * would leave a socket open: so every authenticated socket is closed with 1012 (Service Restart). Clients
 * reconnect, authenticate again, and a revoked token then fails as it would over HTTP. Until the connection
 * is back, authenticated sockets are refused (1013, Try Again Later).
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { logger } from '../logger';
import { ProductEventKind, PRODUCT_CHANGED, type LivePubSub } from '../products/product-events';
import { productFromRow, productRowById, type ProductRow } from '../products/product.queries';
import { DatabaseListener } from './listener';
import { SocketRegistry } from './socket-registry';

export const PRODUCT_CHANNEL = 'authtoken_product';
export const REVOKED_CHANNEL = 'authtoken_revoked';

/** Close code for "the server restarted; reconnect" (RFC 6455 registry); the graphql-ws client retries it. */
export const SERVICE_RESTART = 1012;

type ProductNotification = { kind: ProductEventKind; product: ProductRow } | { kind: ProductEventKind; id: number };

const KINDS = new Set<string>(Object.values(ProductEventKind));

export class LiveHub {
  readonly registry = new SocketRegistry();
  private readonly listener: DatabaseListener;
  // Events are published in the order they were committed, even when one needs a read first.
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly orm: MikroORM,
    url: string,
    private readonly pubSub: LivePubSub,
  ) {
    this.listener = new DatabaseListener(
      url,
      {
        [PRODUCT_CHANNEL]: (payload) => {
          this.queue = this.queue.then(() => this.product(payload)).catch((error) => logger.error('A product event was lost:', error));
        },
        [REVOKED_CHANNEL]: (payload) => this.revoked(payload),
      },
      {
        onLost: () => {
          const closed = this.registry.closeAll(SERVICE_RESTART, 'Service restart: reconnect.');
          if (closed) logger.info(`Closed ${closed} authenticated socket(s): revocations could be missed while the LISTEN connection is down.`);
        },
      },
    );
  }

  /** False while the LISTEN connection is down: revocations would not be heard. */
  get listening(): boolean {
    return this.listener.listening;
  }

  start(): Promise<void> {
    return this.listener.start();
  }

  stop(): Promise<void> {
    return this.listener.stop();
  }

  private revoked(payload: string): void {
    const message = JSON.parse(payload) as { kind?: unknown; ids?: unknown; until?: unknown };
    if (typeof message.kind !== 'string' || !Array.isArray(message.ids)) throw new Error(`Unexpected revocation: ${payload}`);
    const ids = message.ids.map(String);
    // A credential ending later rather than now (a rotated key's grace): its sockets are checked again then.
    if (typeof message.until === 'string') {
      this.registry.shortenCredentials(message.kind, ids, new Date(message.until));
      return;
    }
    const closed = message.kind === 'user' ? this.registry.revokeUsers(ids.map(Number)) : this.registry.revokeCredentials(message.kind, ids);
    if (closed) logger.debug(`Revocation (${message.kind}): closed ${closed} socket(s)`);
  }

  private async product(payload: string): Promise<void> {
    const message = JSON.parse(payload) as ProductNotification;
    if (!KINDS.has(message.kind)) throw new Error(`Unexpected product event: ${payload}`);
    let row: ProductRow | undefined;
    if ('product' in message) {
      row = message.product;
    } else {
      // Too large for a notification: read it. Gone already means a DELETED event follows.
      row = await productRowById(this.orm.em, message.id);
      if (!row) return;
    }
    this.pubSub.publish(PRODUCT_CHANGED, { kind: message.kind, product: productFromRow(row, this.orm.em.getPlatform()) });
  }
}

