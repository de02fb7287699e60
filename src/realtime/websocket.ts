/**
 * GraphQL over WebSocket on the HTTP server's own port and path, `/graphql`: the `graphql-transport-ws`
 * protocol, served by the graphql-ws library (docs/subscriptions.md has the whole contract).
 *
 * - connection_init: `payload.Authorization` (key matched case-insensitively) is authenticated as the HTTP
 *   header is (src/realtime/socket-auth.ts). A bad value closes the socket with 4403 and DRF's message as the
 *   reason; none gives an anonymous socket; a payload that is not usable closes it with 4400 (fatal for the
 *   client, as a malformed request should be). A database outage closes with 1013 (Try Again Later).
 * - Cookie sessions (AUTH_COOKIE=true): a browser opens a socket with its cookies and no headers. An upgrade
 *   carrying the session cookie is refused with HTTP 403 (the CSRF answer's JSON) unless its Origin is
 *   trusted (src/sessions/csrf.ts): cross-site WebSocket hijacking gets nothing. A socket whose
 *   connection_init has no Authorization is then authenticated by that cookie.
 * - Each operation: an id (`documentId`, or Apollo's persisted query hash, with the empty `query`
 *   graphql-ws requires) first becomes the trusted-documents manifest's text (src/trusted-documents/); then
 *   through the same operation pipeline as an HTTP request (src/operations/pipeline.ts: the document's and
 *   the operation's limits, then authenticated again with the socket's Authorization or cookie, one query as
 *   a request costs, then the admission rules and the token's use), then run with a context of the same
 *   shape as a request's (a fresh EntityManager fork, the socket's user and token, settings, ip).
 *   A refused operation gets the protocol's `error` message; the socket stays open.
 *   Errors leave through the HTTP formatter (codes kept, internal errors masked, no `http` extension).
 *   A subscription refused at its start (an anonymous caller, say) gets the protocol's `error` message.
 * - Limits: WS_MAX_SOCKETS per process (more are refused at the upgrade with 503 and Retry-After),
 *   WS_MAX_SUBSCRIPTIONS operations at once per socket (more get LIMIT_EXCEEDED), WS_MAX_MESSAGE_BYTES per
 *   message (close 1009), WS_INIT_TIMEOUT_MS before connection_init (close 4408), WS_KEEPALIVE_MS pings.
 * - `close(graceMs)`: refuses new sockets and operations, waits for operations in flight (queries and
 *   mutations; a subscription is never "done") up to the grace, then closes every socket with 1001.
 */
import type http from 'node:http';
import type express from 'express';
import proxyaddr from 'proxy-addr';
import { execute, getOperationAST, GraphQLError, subscribe, type ExecutionArgs, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { WebSocketServer, type WebSocket } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { CloseCode } from 'graphql-ws';
import type { MikroORM } from '@mikro-orm/postgresql';
import { makeContext } from '../context';
import { formatForClient, type FormatError } from '../error-format';
import { AuthenticationFailed, INVALID_TOKEN, ServiceUnavailable, Throttled, TooManyOperations } from '../errors';
import { logger } from '../logger';
import { outageOf } from '../operations/outage';
import { Refusal, type OperationPipeline } from '../operations/pipeline';
import type { Settings } from '../settings';
import type { LiveHub } from './hub';
import { authenticateSocket, type SocketAuthentication, type SocketKey } from './socket-auth';
import { socketClient } from '../security/client';
import type { Context } from '../context';
import { sessionKeyFrom } from '../sessions/cookie';
import { csrfAnswer, csrfReason } from '../sessions/csrf';
import type { TrustedDocuments } from '../trusted-documents';

export const GOING_AWAY = 1001;
/** RFC 6455's Try Again Later: the graphql-ws client retries it. */
export const TRY_AGAIN_LATER = 1013;
/** After the close frames, how long a socket that does not answer may keep the shutdown waiting. */
const CLOSE_HANDSHAKE_MS = 2000;


export interface WebSocketOptions {
  schema: GraphQLSchema;
  orm: MikroORM;
  settings: Settings;
  hub: LiveHub;
  /** The one operation pipeline, which HTTP's requests pass through as well. */
  pipeline: OperationPipeline;
  formatError: FormatError;
  /** express's compiled `trust proxy`, so a socket's ip is what a request's req.ip would be. */
  app: express.Express;
  /** Trusted documents: ids become the manifest's text before the pipeline (its rule is among the pipeline's). */
  documents: TrustedDocuments;
  /** Sent as X-Worker on the upgrade response, as HTTP answers carry it (src/http-server.ts). */
  workerId?: number;
}

export interface WebSocketEndpoint {
  /** Open sockets in this process. */
  readonly size: number;
  close(graceMs: number): Promise<void>;
}

interface SocketState {
  /** What authenticated the socket (connection_init's Authorization or the upgrade's cookie), or null. */
  key: SocketKey | null;
  ip: string;
}

/** A connection_init payload that cannot be used: 4400, which the client treats as fatal. */
class BadConnectionParams extends Error {}

/** The Authorization entry of a connection_init payload, its name matched case-insensitively. */
export function authorizationParam(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const names = Object.keys(params ?? {}).filter((name) => name.toLowerCase() === 'authorization');
  if (names.length === 0) return undefined;
  if (names.length > 1) throw new BadConnectionParams('connection_init has more than one Authorization entry.');
  const value = params![names[0]];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new BadConnectionParams('Authorization in connection_init must be a string.');
  return value;
}

/** Carries the errors of a subscription refused at its start through graphql-ws to the `error` message. */
class SubscriptionRefused extends Error {
  constructor(readonly errors: readonly GraphQLError[]) {
    super(errors[0]?.message ?? 'Subscription refused');
  }
}

/** The message types only a server sends (a client sending one has broken the protocol). */
const SERVER_ONLY_MESSAGE = /"type"\s*:\s*"(connection_ack|next|error)"/;

/**
 * graphql-ws answers a client's `next`, `error` or `connection_ack` message by throwing, which its socket
 * adapter turns into 4500 Internal Server Error, as if the server were at fault. The client broke the
 * protocol: 4400, as for any other malformed message (graphql-ws's own close then finds the socket closing).
 */
function refuseServerMessages(socket: WebSocket): void {
  socket.on('message', (data) => {
    const text = String(data);
    if (!SERVER_ONLY_MESSAGE.test(text)) return;
    let type: unknown;
    try {
      type = (JSON.parse(text) as { type?: unknown } | null)?.type;
    } catch {
      return;
    }
    if (type === 'connection_ack' || type === 'next' || type === 'error') socket.close(CloseCode.BadRequest, `Unexpected message of type ${type} received`);
  });
}

/** A database outage as the operation's error; anything else is a bug, left to graphql-ws (4500). */
function outageOrThrow(error: unknown): GraphQLError {
  const outage = outageOf(error);
  if (!outage) throw error;
  return outage;
}

/**
 * graphql-js's execute and subscribe, made total: a throw (graphql-js 16's subscribe() throws on documents
 * it cannot run, rather than answering errors) is the operation's error, never the whole socket's 4500.
 */
async function settled<T>(run: () => T | Promise<T>): Promise<T | { errors: GraphQLError[] }> {
  try {
    return await run();
  } catch (error) {
    logger.error('An operation threw instead of answering errors:', error);
    return { errors: [error instanceof GraphQLError ? error : new GraphQLError('Internal server error', { originalError: error as Error })] };
  }
}

export function attachWebSocket(server: http.Server, options: WebSocketOptions): WebSocketEndpoint {
  const { schema, orm, settings, hub, pipeline, formatError, documents } = options;
  const trust = options.app.get('trust proxy fn') as (address: string, hop: number) => boolean;
  const states = new WeakMap<WebSocket, SocketState>();
  let stopping = false;
  let inFlight = 0;
  let drained: (() => void) | null = null;

  const wss = new WebSocketServer({
    server,
    path: '/graphql',
    maxPayload: settings.sockets.maxMessageBytes,
    verifyClient: (info, done) => {
      if (stopping) return done(false, 503, 'The server is shutting down.', { 'Retry-After': '1' });
      if (wss.clients.size >= settings.sockets.maxSockets) {
        return done(false, 503, `Too many WebSocket connections (at most ${settings.sockets.maxSockets} per process).`, { 'Retry-After': '1' });
      }
      const csrf = cookieRefusal(info.req);
      if (csrf) return done(false, 403, csrfAnswer(csrf), { 'Content-Type': 'application/json' });
      done(true);
    },
  });
  // Registered before graphql-ws's own handlers, so that this listener sees each message first.
  wss.on('connection', refuseServerMessages);

  // The upgrade's own origin, as express's req.protocol would see it (X-Forwarded-Proto from trusted proxies).
  const ownOrigin = (request: http.IncomingMessage): string => {
    const encrypted = (request.socket as { encrypted?: boolean }).encrypted === true;
    const forwarded = trust(request.socket.remoteAddress ?? '', 0) ? String(request.headers['x-forwarded-proto'] ?? '').split(',')[0].trim() : '';
    return `${forwarded || (encrypted ? 'https' : 'http')}://${request.headers.host}`;
  };
  const trustedOrigins = new Set(settings.sessions.trustedOrigins);
  // An upgrade carrying the session cookie from an untrusted page: the socket is never opened.
  const cookieRefusal = (request: http.IncomingMessage): string | undefined => {
    if (!settings.sessions.cookie || sessionKeyFrom(request.headers.cookie, settings.sessions) === undefined) return undefined;
    return csrfReason(request.headers.origin, request.headers.referer, { ownOrigin: ownOrigin(request), trusted: trustedOrigins });
  };

  // A credential reaching its expiry is checked again before its sockets close: a login token refreshed by
  // its use elsewhere (AUTO_REFRESH) lives on, one deleted or expired closes with DRF's message.
  hub.registry.expiryCheck = async (socket) => {
    const state = states.get(socket as WebSocket);
    const key = state?.key;
    if (!key) return { reason: INVALID_TOKEN };
    try {
      // Checking that the credential still holds is no use of it: an access token's rate is not spent.
      const auth = await authenticateSocket(orm, settings, key, undefined, { ip: state.ip, countUse: false });
      return { expiresAt: auth?.credential.expiresAt ?? null };
    } catch (error) {
      if (error instanceof AuthenticationFailed) return { reason: error.message };
      // The database is unreachable: look again shortly rather than guess.
      return { expiresAt: new Date(Date.now() + 1000) };
    }
  };

  if (options.workerId !== undefined) {
    const header = `X-Worker: ${options.workerId}`;
    wss.on('headers', (headers) => headers.push(header));
  }

  const formatErrors = (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
    errors.map((error) => formatForClient(error, formatError));

  // Queries and mutations from their subscribe message until their result has been sent (onComplete comes
  // after the `next` message went out), per socket so that a socket closing mid-way settles its own.
  const pending = new WeakMap<object, Set<string>>();
  const settle = (ctx: object, id: string) => {
    if (!pending.get(ctx)?.delete(id)) return;
    inFlight -= 1;
    if (inFlight === 0) drained?.();
  };

  const serving = useServer<Record<string, unknown> | undefined>(
    {
      schema,
      execute: (args: ExecutionArgs) => settled(() => execute(args)),
      subscribe: (args: ExecutionArgs) => settled(() => subscribe(args)),
      connectionInitWaitTimeout: settings.sockets.initTimeoutMs,
      onConnect: async (ctx) => {
        const { socket, request } = ctx.extra;
        if (stopping) {
          socket.close(GOING_AWAY, 'Server shutting down');
          return false;
        }
        let auth: SocketAuthentication | null;
        let key: SocketKey | undefined;
        const since = Date.now();
        const ip = proxyaddr(request, trust);
        try {
          const authorization = authorizationParam(ctx.connectionParams);
          // The cookie counts only without an Authorization, as over HTTP; its Origin passed verifyClient.
          const cookie = settings.sessions.cookie && authorization === undefined ? sessionKeyFrom(request.headers.cookie, settings.sessions) : undefined;
          key = authorization !== undefined ? { authorization } : cookie !== undefined ? { cookie } : undefined;
          // An access token's networks apply to the socket; its rate is spent by operations, not by connecting.
          auth = await authenticateSocket(orm, settings, key, undefined, { ip, countUse: false, client: socketClient(request, ip, null) });
        } catch (error) {
          if (error instanceof BadConnectionParams) socket.close(CloseCode.BadRequest, error.message);
          else if (error instanceof AuthenticationFailed) socket.close(CloseCode.Forbidden, error.message);
          else if (outageOf(error)) socket.close(TRY_AGAIN_LATER, new ServiceUnavailable().message);
          else throw error;
          return false;
        }
        // Closed while the lookup ran: registering it now would leak it.
        if (socket.readyState !== socket.OPEN) return false;
        if (auth) {
          if (!hub.listening) {
            socket.close(TRY_AGAIN_LATER, 'Revocations cannot be followed right now. Try again shortly.');
            return false;
          }
          if (!hub.registry.add(socket, auth.credential, since)) return false;
        }
        states.set(socket, { key: auth ? key! : null, ip });
        return true;
      },
      onClose: (ctx) => {
        hub.registry.remove(ctx.extra.socket);
        for (const id of pending.get(ctx) ?? []) settle(ctx, id);
      },
      onComplete: (ctx, id) => settle(ctx, id),
      onSubscribe: async (ctx, id, payload) => {
        if (stopping) return [new ServiceUnavailable('The server is shutting down. Reconnect and try again.')];
        // graphql-ws has already counted this operation in.
        if (Object.keys(ctx.subscriptions).length > settings.sockets.maxSubscriptions) {
          return [new TooManyOperations(`Too many operations at once on this socket (at most ${settings.sockets.maxSubscriptions}).`)];
        }
        // An id (documentId, or Apollo's persisted query hash) becomes the manifest's text first.
        let query: string;
        try {
          query = documents.resolveSubscribe(payload);
        } catch (error) {
          return [error as GraphQLError];
        }
        // The pipeline's steps, as over HTTP (src/operations/pipeline.ts): the document, then the operation.
        const prepared = pipeline.prepare(query);
        if (prepared instanceof Refusal) return [...prepared.errors];
        const operation = pipeline.operation(prepared, payload.operationName, payload.variables ?? undefined, 'ws');
        if (operation instanceof Refusal) return [...operation.errors];
        const { socket } = ctx.extra;
        const state = states.get(socket)!;
        // Every operation authenticates again, with the one query an HTTP request costs: the user it runs
        // as is then as fresh as a request's (a role taken away applies from the next operation), and a
        // token revoked an instant ago fails here even while its notification is on its way.
        const em = orm.em.fork();
        const client = socketClient(ctx.extra.request, state.ip, payload.operationName ?? operation?.node.name?.value);
        let auth: SocketAuthentication | null = null;
        if (state.key !== null) {
          try {
            auth = await authenticateSocket(orm, settings, state.key, em, { ip: state.ip, client });
          } catch (error) {
            if (error instanceof AuthenticationFailed) {
              socket.close(CloseCode.Forbidden, error.message);
              return [error];
            }
            // An access token past its rate: this operation is refused, the socket stays.
            if (error instanceof Throttled) return [error];
            return [outageOrThrow(error)];
          }
        }
        const authenticated = auth?.authenticated ?? null;
        if (operation) {
          const refusal = pipeline.admit(operation, { authenticated, ip: state.ip, transport: 'ws' });
          if (refusal) {
            try {
              await pipeline.recordRefusal(refusal, authenticated, client, em);
            } catch (error) {
              return [outageOrThrow(error)];
            }
            return [refusal];
          }
          try {
            // The socket then lives until the new expiry, when the use moved it.
            const use = await pipeline.recordUse(operation, authenticated, em);
            if (use) hub.registry.setExpiry(socket, use.expiry);
          } catch (error) {
            return [outageOrThrow(error)];
          }
        }
        if (operation?.node.operation !== 'subscription') {
          let ids = pending.get(ctx);
          if (!ids) pending.set(ctx, (ids = new Set()));
          ids.add(id);
          inFlight += 1;
        }
        return {
          schema,
          document: prepared.document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: makeContext(em, authenticated, settings, state.ip, client),
        };
      },
      onOperation: (_ctx, _id, _payload, args, result) => {
        const operation = getOperationAST(args.document, args.operationName)?.operation;
        if (operation !== 'subscription' || Symbol.asyncIterator in result) return undefined;
        // graphql-ws would send a subscription that failed to start as a `next` then `complete`; the
        // protocol's answer for an operation refused is `error`, which clients surface as such.
        const errors = (result as { errors?: readonly GraphQLError[] }).errors ?? [];
        return (async function* refused() {
          throw new SubscriptionRefused(errors);
        })() as unknown as AsyncGenerator<never>;
      },
      onNext: (_ctx, _id, _payload, args, result) => {
        const formatted = result.errors ? { ...result, errors: formatErrors(result.errors) } : undefined;
        // The pipeline's step 6 (the security log's MUTATION trail), as HTTP's plugin runs it: only an
        // authenticated mutation's answer is looked at. A subscription's events, every socket's every event,
        // go out without a promise to wait for.
        const context = args.contextValue as Context;
        if (!context.user) return formatted;
        const operation = getOperationAST(args.document, args.operationName);
        if (operation?.operation !== 'mutation') return formatted;
        return pipeline.recordOutcome(operation, context, result).then(() => formatted);
      },
      onError: (ctx, id, _payload, errors) => {
        settle(ctx, id);
        const refused = errors[0]?.originalError;
        return formatErrors(refused instanceof SubscriptionRefused ? refused.errors : errors);
      },
    },
    wss,
    settings.sockets.keepAliveMs,
  );

  return {
    get size() {
      return wss.clients.size;
    },
    async close(graceMs: number) {
      if (stopping) return;
      stopping = true;
      if (inFlight > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, graceMs).unref();
          drained = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        // The last result went out; its `complete` message is sent on the next turn, before the close frames.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const open = [...wss.clients];
      // dispose() sends every socket 1001 and waits for their close handshakes; one that never answers is cut.
      const cut = setTimeout(() => open.forEach((socket) => socket.terminate()), CLOSE_HANDSHAKE_MS).unref();
      try {
        await serving.dispose();
      } catch (error) {
        logger.error('Closing the WebSocket server failed:', error);
      } finally {
        clearTimeout(cut);
      }
    },
  };
}
