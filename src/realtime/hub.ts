/**
 * What this process learns from the database's notifications, dispatched: each live event registered in
 * src/resources.ts (src/realtime/live-events.ts) is decoded and published to the app's subscribers, and
 * revocations (src/realtime/revocations.ts) close the matching sockets in the registry. The hub knows no
 * resource and no payload: one LISTEN connection per app (so per process), and the dispatch.
 *
 * If the LISTEN connection is lost, notifications sent meanwhile are lost too, and a revocation among them
 * would leave a socket open: so every authenticated socket is closed with 1012 (Service Restart). Clients
 * reconnect, authenticate again, and a revoked token then fails as it would over HTTP. Until the connection
 * is back, authenticated sockets are refused (1013, Try Again Later).
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { logger } from '../logger';
import { liveEvents } from '../resources';
import { DatabaseListener, type NotificationHandler } from './listener';
import type { LiveEvent, LivePubSub } from './live-events';
import { applyRevocation, REVOKED_CHANNEL } from './revocations';
import { SocketRegistry } from './socket-registry';

/** Close code for "the server restarted; reconnect" (RFC 6455 registry); the graphql-ws client retries it. */
export const SERVICE_RESTART = 1012;

export class LiveHub {
  readonly registry = new SocketRegistry();
  private readonly listener: DatabaseListener;
  // Events are published in the order they were committed, even when one needs a read first.
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly orm: MikroORM,
    url: string,
    private readonly pubSub: LivePubSub,
    events: readonly LiveEvent[] = liveEvents,
  ) {
    const handlers: Record<string, NotificationHandler> = { [REVOKED_CHANNEL]: (payload) => applyRevocation(this.registry, payload) };
    for (const event of events) {
      if (handlers[event.channel]) throw new Error(`Two live events on one channel: ${event.channel}`);
      handlers[event.channel] = (payload) => this.publish(event, payload);
    }
    this.listener = new DatabaseListener(url, handlers, {
      onLost: () => {
        const closed = this.registry.closeAll(SERVICE_RESTART, 'Service restart: reconnect.');
        if (closed) logger.info(`Closed ${closed} authenticated socket(s): revocations could be missed while the LISTEN connection is down.`);
      },
    });
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

  private publish(event: LiveEvent, payload: string): void {
    this.queue = this.queue
      .then(async () => {
        const decoded = await event.decode(payload, this.orm);
        if (decoded !== undefined) this.pubSub.publish(event.topic, decoded);
      })
      .catch((error) => logger.error(`A ${event.topic} event was lost:`, error));
  }
}
