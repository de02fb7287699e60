/**
 * One serving process: opens the ORM on a prepared database, builds the app and listens. Used as is by the
 * single-process server, and by every cluster worker (src/cluster.ts). `stop()` is the graceful half of
 * shutdown: stop accepting, let requests in flight finish (forcing them after a grace period), stop Apollo,
 * close the ORM. The database itself belongs to whoever prepared it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { connect } from './database/database';
import type { Settings } from './settings';

export const SHUTDOWN_GRACE_MS = 10_000;

export interface Serving {
  port: number;
  stop(): Promise<void>;
}

export async function serve(settings: Settings, databaseUrl: string, options: { workerId?: number } = {}): Promise<Serving> {
  const orm = await connect(databaseUrl, settings);
  const app = await createApp({ orm, settings });
  const server = http.createServer(app.express);
  if (options.workerId !== undefined) {
    // Which worker answered: lets operators (and the cluster test) see the load spread over the workers.
    const worker = String(options.workerId);
    server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => res.setHeader('x-worker', worker));
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, resolve);
  });

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
      server.closeIdleConnections();
      await new Promise((resolve) => server.close(resolve));
      clearTimeout(force);
      await app.stop();
      await orm.close();
    })();
    return stopped;
  };
  return { port: (server.address() as AddressInfo).port, stop };
}
