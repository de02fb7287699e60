/**
 * The operation pipeline's HTTP adapter: an express middleware ahead of Apollo, one Apollo plugin, and the
 * document store through which Apollo takes the pipeline's documents instead of parsing and validating again.
 *
 * - The middleware runs the pipeline's steps 1 and 2 (pipeline.ts) on the request's `query`, before the
 *   context's token lookup: a refusal is answered here, HTTP 400 in Apollo's error shape, held
 *   REFUSAL_HOLD_MS first; what passed rides on the request into the context.
 * - The plugin runs steps 4, 5 and 6 (after execution) once Apollo has authenticated the caller and chosen the operation, and
 *   everything else a request needs from GraphQL: the outage's 503, `WWW-Authenticate` on every 401, the
 *   request log's operation and user, the login metrics. (A request whose text reaches Apollo another way,
 *   an automatic persisted query by hash, is prepared in the plugin instead.)
 */
import type http from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { RequestHandler } from 'express';
import type { DocumentNode, GraphQLError } from 'graphql';
import type { LoginToken } from '../authtoken/login-token.entity';
import { authenticatedOf, type Context } from '../context';
import { formatForClient, type FormatError } from '../error-format';
import { noteOperation } from '../observe/requests';
import { outageOf } from './outage';
import { Refusal, type OperationPipeline, type PreparedOperation } from './pipeline';

/**
 * How long a refusal answered before Apollo is held before it is sent. Even this early a refusal costs about
 * what a 401 does (most of it Node's HTTP work, which the raw floor pays too), so a client repeating one as
 * fast as answers come back took two thirds of the event loop from the reads beside it. Held on a timer,
 * which costs nothing, a repeating client slows itself instead; a person who hits a limit by mistake waits
 * 25 ms more for the message.
 */
export const REFUSAL_HOLD_MS = 25;


/**
 * The operation the middleware prepared, carried on the request into its context (and Apollo's copies of
 * it) under a symbol: a property rather than a WeakMap entry, which every request would add to a table the
 * collector has to sweep.
 */
const PREPARED = Symbol('prepared operation');
type Carrying = { [PREPARED]?: PreparedOperation };

/** Hands the middleware's prepared operation to the request's context; app.ts's context function calls it. */
export function carryPrepared<T extends object>(context: T, req: http.IncomingMessage): T {
  const prepared = (req as Carrying)[PREPARED];
  if (prepared) (context as Carrying)[PREPARED] = prepared;
  return context;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** GET's `variables` is JSON in the query string; what does not parse is left for Apollo to refuse. */
function variablesOf(raw: unknown): Record<string, unknown> | undefined {
  if (isObject(raw)) return raw;
  if (typeof raw !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function pipelineMiddleware(pipeline: OperationPipeline, formatError: FormatError): RequestHandler {
  const refuse = (res: Parameters<RequestHandler>[1], refusal: Refusal) => {
    const body = { errors: refusal.errors.map((error) => formatForClient(error, formatError)) };
    setTimeout(() => {
      if (!res.headersSent && !res.destroyed) res.status(400).json(body);
    }, REFUSAL_HOLD_MS);
  };
  return (req, res, next) => {
    const params: Record<string, unknown> | undefined = req.method === 'GET' ? (req.query as Record<string, unknown>) : req.body;
    const source = params?.query;
    if (typeof source !== 'string') return next();
    const prepared = pipeline.prepare(source);
    if (prepared instanceof Refusal) return refuse(res, prepared);
    const name = params!.operationName;
    const operation = pipeline.operation(prepared, typeof name === 'string' ? name : undefined, variablesOf(params!.variables), 'http');
    if (operation instanceof Refusal) return refuse(res, operation);
    if (operation) (req as Carrying)[PREPARED] = operation;
    next();
  };
}

/**
 * Apollo's document store, answered from the pipeline's documents: a document the middleware prepared is
 * neither parsed nor validated again by Apollo. Apollo prefixes its keys with a hash of the schema and a
 * colon; the rest is the SHA-256 of the text, as the pipeline keys it.
 */
export function pipelineDocumentStore(pipeline: OperationPipeline): KeyValueCache<DocumentNode> {
  return {
    async get(key) {
      return pipeline.documentByHash(key.slice(key.indexOf(':') + 1));
    },
    // The pipeline keeps what it prepared; Apollo's own parses (none, but for a cache miss) are not kept.
    async set() {},
    async delete() {
      return false;
    },
  };
}

/** A refusal thrown from an Apollo hook answers with its own status (400) rather than as a 500. */
function throwRefusal(refusal: Refusal): never {
  throw refusal.errors[0];
}

export function pipelinePlugin(pipeline: OperationPipeline, authKeyword: string): ApolloServerPlugin<Context> {
  const refusalCodes = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED']);
  return {
    // Every 401 carries `WWW-Authenticate: <AUTH_KEYWORD>` (RFC 7235; DRF sends its keyword). A 401 from the
    // context (a bad header) never reaches willSendResponse: Apollo answers from the error's own `http`.
    async contextCreationDidFail({ error }) {
      const http = (error as GraphQLError).extensions?.http as { status?: number; headers?: Map<string, string> } | undefined;
      if (http?.status === 401 && http.headers) http.headers.set('www-authenticate', authKeyword);
    },
    // Apollo treats an error thrown from didResolveSource as unexpected (a 500) unless a plugin throws it on
    // from here: then it answers with the error's own status.
    async unexpectedErrorProcessingRequest({ error }) {
      if (refusalCodes.has((error as GraphQLError).extensions?.code as string)) throw error;
    },
    async requestDidStart({ contextValue }) {
      let operation = (contextValue as Carrying)[PREPARED];
      return {
        async didResolveSource({ source }) {
          if (operation) return;
          const prepared = pipeline.prepare(source);
          if (prepared instanceof Refusal) throwRefusal(prepared);
        },
        async didResolveOperation({ contextValue, request, source }) {
          if (!operation) {
            const prepared = pipeline.prepare(source);
            if (prepared instanceof Refusal) throwRefusal(prepared);
            const chosen = pipeline.operation(prepared, request.operationName, request.variables, 'http');
            if (chosen instanceof Refusal) throwRefusal(chosen);
            if (!chosen) return;
            operation = chosen;
          }
          const authenticated = authenticatedOf(contextValue);
          const refusal = pipeline.admit(operation, { authenticated, ip: contextValue.ip, transport: 'http' });
          if (refusal) {
            await pipeline.recordRefusal(refusal, authenticated, contextValue.client, contextValue.em);
            throw refusal;
          }
          const session = contextValue.session;
          const expiry = session?.authenticated && authenticated?.use ? (authenticated.token as LoginToken).expiry : undefined;
          const use = await pipeline.recordUse(operation, authenticated, contextValue.em);
          // A cookie session's refreshed expiry reaches the browser as a new Max-Age, or its cookie would die first.
          if (use && session?.authenticated && use.expiry?.getTime() !== expiry?.getTime()) session.set(session.key!, use.expiry);
        },
        async willSendResponse(requestContext) {
          const { errors, response } = requestContext;
          if (errors?.some((error) => outageOf(error))) {
            response.http.status = 503;
            response.http.headers.set('retry-after', '1');
          }
          if (response.http.status === 401) response.http.headers.set('www-authenticate', authKeyword);
          noteOperation(requestContext);
          // Step 6: only an authenticated mutation's answer is looked at (no query for anything else).
          const node = operation?.node ?? requestContext.operation;
          if (node?.operation === 'mutation' && requestContext.contextValue.user && response.body.kind === 'single') {
            await pipeline.recordOutcome(node, requestContext.contextValue, response.body.singleResult);
          }
        },
      };
    },
  };
}
