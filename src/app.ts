/**
 * createApp(): the one orchestrator. It wires the schema, Apollo Server, the context factory and the HTTP
 * routes onto an express app that it never starts listening; src/server.ts does that, tests import this.
 *
 * Routes: POST|GET /graphql (the API), GET /healthz (the process is up), GET /readyz (the database answers),
 * and the web app with its playground on every other GET (src/web.ts). WebSocket upgrades on /graphql
 * (subscriptions, src/realtime/websocket.ts) once `attach(server)` is given the HTTP server.
 */
import type http from 'node:http';
import express, { type ErrorRequestHandler } from 'express';
import cors from 'cors';
import type { GraphQLSchema } from 'graphql';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { MikroORM } from '@mikro-orm/postgresql';
import { contextFactory, type Context } from './context';
import { createSchema } from './schema';
import { formatErrorFor } from './error-format';
import { documentRules } from './limits';
import { OperationPipeline } from './operations/pipeline';
import { carryPrepared, pipelineDocumentStore, pipelineMiddleware, pipelinePlugin } from './operations/http';
import type { Settings } from './settings';
import { webRoutes } from './web';
import { createLivePubSub } from './realtime/live-events';
import { LiveHub } from './realtime/hub';
import { attachWebSocket, type WebSocketEndpoint } from './realtime/websocket';
import { httpClient } from './security/client';
import { startSecurityLogPruning } from './security/prune';
import { corsOptions } from './sessions/cors';
import { httpSessions } from './sessions/session';
import { trustedDocuments } from './trusted-documents';
import { scopeRule } from './access/scope-rule';

export interface App {
  express: express.Express;
  apollo: ApolloServer<Context>;
  schema: GraphQLSchema;
  /** Serves WebSockets (subscriptions) on this HTTP server's /graphql. */
  attach(server: http.Server, options?: { workerId?: number }): void;
  /** Waits for WebSocket operations in flight (up to graceMs), then closes every socket with 1001. */
  closeSockets(graceMs: number): Promise<void>;
  /** WebSockets open now (for the metrics). */
  openSockets(): number;
  /** Closes the sockets, stops listening to the database, stops Apollo; the caller closes the HTTP server and the ORM. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 2000;

export async function createApp({ orm, settings }: { orm: MikroORM; settings: Settings }): Promise<App> {
  const pubSub = createLivePubSub();
  const schema = await createSchema(pubSub);
  const development = settings.server.nodeEnv === 'development';
  const validationRules = documentRules(settings.limits);
  const documents = trustedDocuments(settings.sessions, settings.limits);
  // Every operation, over either transport, passes through this (src/operations/pipeline.ts).
  // The rules about who may run what: an access token's scopes (src/access/scope-rule.ts), then the trusted
  // documents' (none when TRUSTED_DOCUMENTS=off).
  const rules = [scopeRule(settings.tokens.keyword), ...documents.rules];
  const pipeline = new OperationPipeline({ schema, limits: settings.limits, validationRules, rules });
  const formatError = formatErrorFor({ development, suggestions: settings.limits.introspection });
  const apollo = new ApolloServer<Context>({
    schema,
    // INTROSPECTION is enforced by a rule of ours (src/limits/introspection.ts), whose refusal names it.
    introspection: true,
    // Apollo takes the pipeline's parsed and validated documents; its own validation, with the same rules,
    // would only run for a document the pipeline forgot between the middleware and Apollo.
    documentStore: pipelineDocumentStore(pipeline),
    validationRules,
    // One operation per request: a batch would multiply every per-operation limit by its length.
    allowBatchedHttpRequests: false,
    // server.ts owns shutdown order; Apollo's own signal handlers would stop it before requests finish.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: development,
    formatError,
    // No @cacheControl hints exist here, and Apollo's cache-control plugin hooks every resolved field:
    // 200 calls for a page of 50 products, for a header it would never set (profile in issue 5).
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      pipelinePlugin(pipeline, settings.tokens.keyword),
    ],
  });
  await apollo.start();
  // The one LISTEN connection of this process; never through a transaction pooler (see DATABASE_DIRECT_URL in src/settings/declarations.ts).
  const hub = new LiveHub(orm, settings.database.directUrl ?? (orm.config.get('clientUrl') as string), pubSub);
  try {
    await hub.start();
  } catch (error) {
    await apollo.stop();
    throw error;
  }

  const directUrl = settings.database.directUrl ?? (orm.config.get('clientUrl') as string);
  const stopPruning = settings.securityLog.prune ? startSecurityLogPruning(orm, directUrl, settings.securityLog.retentionDays) : () => undefined;

  const createContext = contextFactory(orm, settings);
  const app = express();
  app.disable('x-powered-by');
  // Decides req.ip, which keys the login throttle: believe X-Forwarded-For only from configured proxies.
  app.set('trust proxy', settings.server.trustProxy);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    try {
      await Promise.race([
        orm.em.getConnection().execute('select 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), READY_TIMEOUT_MS).unref()),
      ]);
      res.json({ status: 'ok', database: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable', database: 'unreachable' });
    }
  });

  const graphqlCors = cors(corsOptions(settings.server, settings.sessions));
  const sessions = httpSessions(settings.sessions);
  const graphql = [
    graphqlCors,
    sessions.csrfMiddleware,
    express.json({ limit: '100kb' }),
    // An id (documentId, Apollo's persisted query hash) becomes the manifest's text before the pipeline reads it.
    documents.httpMiddleware,
    pipelineMiddleware(pipeline, formatError),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const ip = req.ip ?? req.socket.remoteAddress ?? '';
        return carryPrepared(await createContext(req.headers.authorization, ip, httpClient(req), sessions.sessionOf(req, res)), req);
      },
    }),
  ];
  // The CORS preflight must be answered before the web routes: their router's GET /graphql makes express
  // answer OPTIONS /graphql itself ("Allow: GET, HEAD", no CORS headers), which failed every browser preflight.
  app.options('/graphql', graphqlCors);
  // POST, nearly every API request, goes straight to GraphQL rather than through the web app's routes.
  app.post('/graphql', ...graphql);

  // The web app, the playground, and the browser's GET /graphql -> /playground (see src/web.ts).
  app.use(webRoutes(settings));

  // GET /graphql?query=... (queries only, as Apollo allows), once the web routes let it through.
  app.use('/graphql', ...graphql);

  // Malformed JSON or an oversized body: answer in GraphQL's error shape rather than express's HTML page.
  const bodyErrors: ErrorRequestHandler = (error, _req, res, next) => {
    const status = typeof error?.status === 'number' ? error.status : 500;
    if (status >= 500) return next(error);
    res.status(status).json({ errors: [{ message: error.message, extensions: { code: 'BAD_REQUEST' } }] });
  };
  app.use(bodyErrors);

  let sockets: WebSocketEndpoint | undefined;
  const closeSockets = async (graceMs: number) => {
    await sockets?.close(graceMs);
  };
  return {
    express: app,
    apollo,
    schema,
    attach(server, options = {}) {
      if (sockets) throw new Error('The app serves WebSockets on one HTTP server only.');
      sockets = attachWebSocket(server, { schema, orm, settings, hub, pipeline, formatError, app, documents, ...options });
    },
    closeSockets,
    openSockets: () => sockets?.size ?? 0,
    async stop() {
      stopPruning();
      await closeSockets(0);
      await hub.stop();
      await apollo.stop();
    },
  };
}
