/**
 * One serving process: opens the ORM on a prepared database, builds the app and listens. Used as is by the
 * single-process server, and by every cluster worker (src/cluster.ts). Around the app it adds what belongs
 * to a process rather than to the app: the request log and metrics (src/observe/), GET /metrics when
 * METRICS=true, and the draining state of shutdown.
 *
 * `stop()` is the graceful half of shutdown, made for a balancer in front:
 * 1. /readyz answers 503 from that moment (a balancer probing a kept-alive connection stops sending);
 * 2. the listening socket closes: new connections are refused;
 * 3. idle kept-alive connections close; a request still arriving on a busy one is served, with
 *    `Connection: close`, so no request the server has read is lost;
 * 4. requests and WebSocket operations in flight complete (forced after SHUTDOWN_GRACE_MS), the sockets close
 *    with 1001, then Apollo stops and the ORM closes.
 * The database itself belongs to whoever prepared it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { connect } from './database/database';
import { addGauge, addPoolGauges, enableMetrics, metricsText } from './observe/metrics';
import { observeRequests } from './observe/requests';
import { logger } from './logger';
import type { Settings } from './settings';

export const SHUTDOWN_GRACE_MS = 10_000;

export interface Serving {
  port: number;
  stop(): Promise<void>;
}

export async function serve(settings: Settings, databaseUrl: string, options: { workerId?: number } = {}): Promise<Serving> {
  const orm = await connect(databaseUrl, settings);
  const app = await createApp({ orm, settings });
  if (settings.server.metrics) {
    enableMetrics();
    addPoolGauges(orm);
    addGauge('authtoken_websockets_open', 'Open WebSockets (GraphQL subscriptions)', () => app.openSockets());
  }
  let draining = false;
  const worker = options.workerId === undefined ? undefined : String(options.workerId);
  const handler = observeRequests((req, res) => {
    // Which worker answered: lets operators (and the cluster test) see the load spread over the workers.
    if (worker) res.setHeader('x-worker', worker);
    if (draining) {
      res.setHeader('connection', 'close');
      if (req.url === '/readyz') {
        res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'stopping' }));
        return;
      }
    }
    if (settings.server.metrics && req.method === 'GET' && req.url === '/metrics') {
      metricsText().then(
        ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body),
        (error: Error) => {
          logger.error('Metrics could not be gathered:', error);
          res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
        },
      );
      return;
    }
    app.express(req, res);
  });
  const server = http.createServer(handler);
  app.attach(server, { workerId: options.workerId });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.server.port, settings.server.host, resolve);
  });

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      draining = true;
      const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
      // close() stops listening and, since Node 19, closes the idle connections too.
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeIdleConnections();
      // Upgraded sockets keep server.close() waiting, so they are closed alongside (after their work in flight).
      await app.closeSockets(SHUTDOWN_GRACE_MS);
      await closed;
      clearTimeout(force);
      await app.stop();
      await orm.close();
    })();
    return stopped;
  };
  return { port: (server.address() as AddressInfo).port, stop };
}
