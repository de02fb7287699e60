/**
 * The process's one LISTEN connection: a plain `pg` Client of its own, outside the ORM's pool (a pooled
 * connection goes back to the pool and would stop listening), on DATABASE_DIRECT_URL when set (LISTEN needs
 * a session, which a transaction pooler does not keep).
 *
 * `start()` resolves once the channels are listened to. A lost connection is reopened with a growing delay
 * (0.5 s doubling to 10 s); a notification sent meanwhile is lost for good, so `onLost` tells the owner,
 * which must treat anything it learned by notification as unknown (see src/realtime/hub.ts). A health query
 * every 15 s notices a connection that died silently (a dropped network path gives no error on its own).
 */
import { Client, type Notification } from 'pg';
import { logger } from '../logger';

export type NotificationHandler = (payload: string) => void;

/** The LISTEN connection's application_name in pg_stat_activity. */
export const LISTENER_NAME = 'graphql-authtoken listener';

const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 10_000;
const HEALTH_EVERY_MS = 15_000;
const HEALTH_TIMEOUT_MS = 5_000;

export class DatabaseListener {
  private client: Client | null = null;
  private stopped = false;
  private retryDelay = RETRY_FIRST_MS;
  private retryTimer: NodeJS.Timeout | null = null;
  private health: NodeJS.Timeout | null = null;
  private connected = false;

  constructor(
    private readonly url: string,
    private readonly handlers: Record<string, NotificationHandler>,
    private readonly events: { onLost?: () => void; onRestored?: () => void } = {},
  ) {
    for (const channel of Object.keys(handlers)) {
      // Channel names go into LISTEN unquoted-safe: identifiers of our own, never user input.
      if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`Bad channel name: ${channel}`);
    }
  }

  /** Whether notifications are arriving now (false between a loss and the reconnect). */
  get listening(): boolean {
    return this.connected;
  }

  async start(): Promise<void> {
    await this.connect();
    this.health = setInterval(() => void this.checkHealth(), HEALTH_EVERY_MS).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.health) clearInterval(this.health);
    const client = this.client;
    this.client = null;
    this.connected = false;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    // Named, as the advisory lock's session is, so an operator (or a test) finds it in pg_stat_activity: its
    // last query is a health check as often as a LISTEN.
    const client = new Client({ connectionString: this.url, keepAlive: true, connectionTimeoutMillis: 5000, application_name: LISTENER_NAME });
    client.on('notification', (message: Notification) => {
      const handler = this.handlers[message.channel];
      if (!handler || message.payload === undefined) return;
      try {
        handler(message.payload);
      } catch (error) {
        logger.error(`A notification on ${message.channel} could not be handled:`, error);
      }
    });
    client.on('error', (error) => this.lose(client, error));
    client.on('end', () => this.lose(client));
    await client.connect();
    try {
      for (const channel of Object.keys(this.handlers)) await client.query(`listen ${channel}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.connected = true;
    this.retryDelay = RETRY_FIRST_MS;
  }

  private lose(client: Client, error?: Error): void {
    if (this.client !== client) return;
    this.client = null;
    this.connected = false;
    client.end().catch(() => undefined);
    if (this.stopped) return;
    logger.error('The LISTEN connection to the database was lost; reconnecting.', error);
    this.events.onLost?.();
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.retryTimer) return;
    const delay = this.retryDelay;
    this.retryDelay = Math.min(RETRY_MAX_MS, this.retryDelay * 2);
    this.retryTimer = setTimeout(async () => {
      this.retryTimer = null;
      try {
        await this.connect();
        if (this.connected) {
          logger.info('The LISTEN connection to the database is back.');
          this.events.onRestored?.();
        }
      } catch (error) {
        logger.debug(`LISTEN reconnect failed: ${(error as Error).message}`);
        this.scheduleReconnect();
      }
    }, delay);
    this.retryTimer.unref();
  }

  private async checkHealth(): Promise<void> {
    const client = this.client;
    if (!client) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.query('select 1'),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('health query timed out')), HEALTH_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      this.lose(client, error as Error);
    } finally {
      clearTimeout(timer);
    }
  }
}
