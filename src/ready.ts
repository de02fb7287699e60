/** The start-up lines people and supervisors read once the server listens. */
import { logger } from './logger';
import type { ServerSettings } from './settings';

/** Where to point a browser; the "GraphQL API ready" line comes last: tests and supervisors wait for it. */
export function announceReady(server: Pick<ServerSettings, 'host'>, port: number, workers?: number): void {
  const base = `http://${server.host === '0.0.0.0' ? 'localhost' : server.host}:${port}`;
  logger.info(`Web app at ${base}/ and the playground at ${base}/playground`);
  logger.info(`GraphQL API ready at ${base}/graphql${workers ? ` (${workers} workers)` : ''}`);
}
