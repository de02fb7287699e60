/**
 * One log line and one metrics sample per HTTP request (src/http-server.ts wraps the app's handler with
 * `observeRequests`), and `noteOperation`, which tells them what happened inside GraphQL.
 *
 * The request id is the client's `X-Request-Id` when it sends a sane one (1-128 visible ASCII characters),
 * else a new UUID; either way it is echoed in the response's `X-Request-Id`, so a client, a balancer and
 * this log name the same request. The line (info level, message `request`) carries: `requestId`, `method`,
 * `path` (without the query string, which may hold variables), `operation` (the GraphQL operation name),
 * `userId` (the authenticated user, absent for anonymous or refused requests), `status` and `durationMs`.
 * Never a header, body or variable: those carry tokens and passwords.
 *
 * noteOperation finds its request by the id: the wrapper writes the id into the request's headers before
 * Apollo reads them, and keeps the request's record in `pending` until the response is finished.
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import { outageOf } from '../operations/outage';
import { logger } from '../logger';
import { metricsEnabled, recordLogin, recordRequest, type LoginResult } from './metrics';

interface RequestRecord {
  operation?: string | null;
  userId?: number | string;
}

const pending = new Map<string, RequestRecord>();
const REQUEST_ID = /^[\x21-\x7e]{1,128}$/;
const LOGIN_FIELDS = new Set(['obtainAuthToken', 'login']);

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export function observeRequests(handler: Handler): Handler {
  return (req, res) => {
    const start = process.hrtime.bigint();
    const given = req.headers['x-request-id'];
    // A client's id is kept only while no request in flight uses it: two records must not merge.
    const id = typeof given === 'string' && REQUEST_ID.test(given) && !pending.has(given) ? given : randomUUID();
    req.headers['x-request-id'] = id;
    res.setHeader('x-request-id', id);
    const record: RequestRecord = {};
    pending.set(id, record);
    res.once('close', () => {
      pending.delete(id);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const path = (req.url ?? '').split('?')[0];
      // The plugin names the operation it ran; a request refused before (a 401 from the context) still
      // has the name its body gave, if any.
      const operation = record.operation !== undefined ? record.operation : bodyOperation(req);
      const status = res.writableFinished ? res.statusCode : 0;
      if (path === '/graphql' && metricsEnabled()) recordRequest(operation, status, seconds);
      if (!logger.isEnabled('info')) return;
      logger.request({
        requestId: id,
        method: req.method,
        path,
        operation: operation ?? undefined,
        userId: record.userId,
        // 0: the connection closed before the response was sent.
        status,
        durationMs: Math.round(seconds * 10_000) / 10,
      });
    });
    handler(req, res);
  };
}

const OPERATION_NAME = /^\s*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]{0,127})/;

/** The operation a request named, when GraphQL did not run it (refused in the context, with a 401 or 503). */
function bodyOperation(req: http.IncomingMessage): string | null | undefined {
  const body = (req as { body?: unknown }).body;
  if (!body || typeof body !== 'object') return undefined;
  const { operationName, query } = body as { operationName?: unknown; query?: unknown };
  if (typeof operationName === 'string') return operationName.length <= 128 ? operationName : null;
  return (typeof query === 'string' && OPERATION_NAME.exec(query)?.[1]) || null;
}

function loginResult(error: GraphQLError): LoginResult {
  const { message } = error;
  const code = error.extensions?.code;
  if (outageOf(error)) return 'unavailable';
  if (code === 'BAD_USER_INPUT') return message === 'Unable to log in with provided credentials.' ? 'invalid_credentials' : 'bad_input';
  if (code === 'THROTTLED') return 'throttled';
  return 'error';
}

/**
 * What GraphQL did with a request, for its log line and the metrics: called once per request from the
 * pipeline's plugin (src/operations/http.ts), as Apollo is about to answer.
 */
export function noteOperation({ request, operationName, operation, contextValue, errors, response }: GraphQLRequestContextWillSendResponse<{ user?: { id: number | string } | null }>): void {
  const id = request.http?.headers.get('x-request-id');
  const record = id === undefined ? undefined : pending.get(id);
  if (record) {
    record.operation = operationName ?? (operation ? null : undefined);
    if (contextValue.user) record.userId = contextValue.user.id;
  }
  if (!operation || !metricsEnabled()) return;
  const data = response.body.kind === 'single' ? response.body.singleResult.data : undefined;
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== 'Field' || !LOGIN_FIELDS.has(selection.name.value)) continue;
    const key = selection.alias?.value ?? selection.name.value;
    // An error without a path (no data at all) belongs to every field of the operation.
    const error = errors?.find((candidate) => candidate.path?.[0] === key) ?? (data ? undefined : errors?.[0]);
    recordLogin(error ? loginResult(error) : 'success');
  }
}
