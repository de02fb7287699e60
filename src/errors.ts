/**
 * The errors this API answers with, each defined once with a stable `extensions.code` and HTTP status
 * (DRF's APIException subclasses, mapped to GraphQL).
 *
 * | class                 | code                  | HTTP | when                                               |
 * |-----------------------|-----------------------|------|----------------------------------------------------|
 * | AuthenticationFailed  | UNAUTHENTICATED       | 401  | a bad Authorization header                         |
 * | TokenExpired          | UNAUTHENTICATED       | 401  | an expired login token (`extensions.reason`)       |
 * | NotAuthenticated      | UNAUTHENTICATED       | 401  | anonymous caller on an @Authorized field           |
 * | PermissionDenied      | FORBIDDEN             | 403  | authenticated, but lacking the role                |
 * | CsrfFailed            | FORBIDDEN (reason     | 403  | a cookie-authenticated request from an untrusted   |
 * |                       | CSRF)                 |      | origin (src/sessions/csrf.ts)                      |
 * | InsufficientScope     | FORBIDDEN             | 403  | an access token without a scope the operation      |
 * |                       |                       |      | needs (`reason`, WWW-Authenticate per RFC 6750)     |
 * | AccessTokenNotAllowed | FORBIDDEN             | 403  | a field an access token may never use (`reason`)   |
 * | ReauthenticationRequired | FORBIDDEN          | 403  | sudo mode: no password confirmation within         |
 * |                       |                       |      | SUDO_MAX_AGE (`reason`)                            |
 * | ValidationError       | BAD_USER_INPUT        | 200  | bad input; `extensions.field` names the field      |
 * | NotFound              | NOT_FOUND             | 200  | update/delete of a missing object                  |
 * | Throttled             | THROTTLED             | 429  | too many failed logins or password checks (with    |
 * |                       |                       |      | Retry-After)                                       |
 * | ServiceUnavailable    | SERVICE_UNAVAILABLE   | 503  | the database cannot be reached                     |
 * | TooManyOperations     | LIMIT_EXCEEDED        | 200  | a WebSocket's operations at once over the limit    |
 * | PersistedQueryNotInList | PERSISTED_QUERY_NOT_IN_LIST | 404 | a documentId the manifest does not hold   |
 * | QueryNotInSafelist    | QUERY_NOT_IN_SAFELIST | 400  | free text outside the manifest (enforce)           |
 * | LimitExceeded         | GRAPHQL_VALIDATION_   | 400  | an operation over MAX_TOKENS/ALIASES/DEPTH/COST or |
 * |  (src/limits/)        | FAILED                |      | with two password-checking fields                  |
 *
 * Validation and not-found errors keep HTTP 200, as GraphQL does for field errors, so Apollo Client hands them
 * to the form as `graphQLErrors` rather than as a network failure. Apollo Server reads `extensions.http`
 * (status, and headers as a Map) and strips it from the response body. Every 401 gets its
 * `WWW-Authenticate: <AUTH_KEYWORD>` in one place, wwwAuthenticatePlugin (src/error-format.ts).
 */
import { GraphQLError, type GraphQLErrorOptions } from 'graphql';

function httpExtension(status: number, headers?: Record<string, string>) {
  return { status, headers: new Map(Object.entries(headers ?? {})) };
}

/**
 * An answer to the client, not a bug: its stack trace is never shown (formatError strips it) nor logged, so
 * none is captured. Error and GraphQLError each capture one, with async frames, and in the profile of a 401
 * that was the largest single cost left beside the floor's (issue 5).
 */
class ClientError extends GraphQLError {
  constructor(message: string, options: GraphQLErrorOptions) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message, options);
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
}

export class AuthenticationFailed extends ClientError {
  constructor(message: string, reason?: string) {
    super(message, { extensions: { code: 'UNAUTHENTICATED', ...(reason ? { reason } : {}), http: httpExtension(401) } });
  }
}

/** DRF's authentication messages that more than one path answers with (HTTP, WebSocket close reasons). */
export const INVALID_TOKEN = 'Invalid token.';
export const USER_INACTIVE = 'User inactive or deleted.';

/**
 * knox's answer to an expired token (`Invalid token.`), with `extensions.reason` so that a client can say
 * "your session expired" rather than "invalid".
 */
export class TokenExpired extends AuthenticationFailed {
  constructor() {
    super(INVALID_TOKEN, 'TOKEN_EXPIRED');
  }
}

export class NotAuthenticated extends AuthenticationFailed {
  constructor() {
    super('Authentication credentials were not provided.');
  }
}

/** DRF's PermissionDenied default message. */
export const PERMISSION_DENIED = 'You do not have permission to perform this action.';

export class PermissionDenied extends ClientError {
  constructor(message = PERMISSION_DENIED, extensions: Record<string, unknown> = {}, headers?: Record<string, string>) {
    super(message, { extensions: { code: 'FORBIDDEN', ...extensions, http: httpExtension(403, headers) } });
  }
}

/**
 * RFC 6750 section 3's answer to a token that lacks a scope: 403 with
 * `WWW-Authenticate: <keyword> error="insufficient_scope", scope="<missing, space-separated>"`, and the
 * scopes missing and granted in the body (DRF sends WWW-Authenticate on 401 only; django-oauth-toolkit's 403
 * names no scope).
 */
export class InsufficientScope extends PermissionDenied {
  constructor(keyword: string, missing: readonly string[], granted: readonly string[]) {
    super(
      PERMISSION_DENIED,
      { reason: 'INSUFFICIENT_SCOPE', requiredScopes: [...missing], grantedScopes: [...granted] },
      { 'www-authenticate': `${keyword} error="insufficient_scope", scope="${missing.join(' ')}"` },
    );
  }
}

/** A field an access token may never use, whatever its scopes: it mints credentials or acts on the account. */
export class AccessTokenNotAllowed extends PermissionDenied {
  constructor() {
    super(PERMISSION_DENIED, { reason: 'ACCESS_TOKEN_NOT_ALLOWED' });
  }
}

/** Sudo mode: the calling token's password confirmation is missing or older than SUDO_MAX_AGE. */
export class ReauthenticationRequired extends PermissionDenied {
  constructor() {
    super('Confirm your password to continue.', { reason: 'REAUTHENTICATION_REQUIRED' });
  }
}

/** DRF's SessionAuthentication answer to a failed CSRF check: `CSRF Failed: <Django's reason>`. */
export class CsrfFailed extends ClientError {
  constructor(reason: string) {
    super(`CSRF Failed: ${reason}`, { extensions: { code: 'FORBIDDEN', reason: 'CSRF', http: httpExtension(403) } });
  }
}

export class ValidationError extends ClientError {
  constructor(message: string, field?: string) {
    super(message, { extensions: { code: 'BAD_USER_INPUT', ...(field ? { field } : {}) } });
  }
}

export class NotFound extends ClientError {
  constructor(message = 'Not found.') {
    super(message, { extensions: { code: 'NOT_FOUND' } });
  }
}

/** DRF's Throttled, with its wording. */
export class Throttled extends ClientError {
  constructor(waitSeconds: number) {
    const wait = Math.max(1, Math.ceil(waitSeconds));
    super(`Request was throttled. Expected available in ${wait} second${wait === 1 ? '' : 's'}.`, {
      extensions: { code: 'THROTTLED', retryAfter: wait, http: httpExtension(429, { 'retry-after': String(wait) }) },
    });
  }
}

export class ServiceUnavailable extends ClientError {
  constructor(message = 'The database is unavailable. Try again shortly.') {
    super(message, { extensions: { code: 'SERVICE_UNAVAILABLE', http: httpExtension(503, { 'retry-after': '1' }) } });
  }
}

/** Trusted documents (src/trusted-documents/), in Apollo Router's codes and words. */
export class PersistedQueryNotInList extends ClientError {
  constructor(id: string) {
    super(`Persisted query '${id}' not found in the persisted query list`, { extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST', http: httpExtension(404) } });
  }
}

export class QueryNotInSafelist extends ClientError {
  constructor() {
    super('The operation body was not found in the persisted query safelist', { extensions: { code: 'QUERY_NOT_IN_SAFELIST', http: httpExtension(400) } });
  }
}

/** A request that cannot be read as GraphQL over HTTP (both `query` and `documentId`, say). */
export class BadRequest extends ClientError {
  constructor(message: string) {
    super(message, { extensions: { code: 'BAD_REQUEST', http: httpExtension(400) } });
  }
}

/**
 * A per-connection limit (WebSocket operations at once): the operation is refused, the connection kept.
 * (Limits on one operation's size are validation failures: src/limits/refusal.ts.)
 */
export class TooManyOperations extends ClientError {
  constructor(message: string) {
    super(message, { extensions: { code: 'LIMIT_EXCEEDED' } });
  }
}

/** Codes whose messages are meant for clients; anything else is masked in production. */
export const PUBLIC_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'THROTTLED',
  'SERVICE_UNAVAILABLE',
  'LIMIT_EXCEEDED',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_IN_LIST',
  'QUERY_NOT_IN_SAFELIST',
]);

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08001',
  '08003',
  '08006',
]);

const CONNECTION_MESSAGES =
  /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable|Transaction query already complete/i;

/** True when an error means "the database is not reachable", as opposed to a bug or bad data. */
export function isConnectionError(error: unknown): boolean {
  let e: any = error;
  for (let depth = 0; e && depth < 5; depth++, e = e.cause ?? e.originalError ?? e.previous) {
    if (CONNECTION_ERROR_CODES.has(e.code)) return true;
    if (e.name === 'ConnectionException' || e.name === 'KnexTimeoutError') return true;
    // The last two are what a write caught mid-transaction sees when its connection dies: pg refuses further
    // queries on the broken client, and knex, having ended the transaction, refuses the unit of work's next one.
    if (typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message)) {
      return true;
    }
  }
  return false;
}
