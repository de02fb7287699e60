/**
 * Who is on the other end of a request, as the security log records it: the client address (after
 * TRUST_PROXY, as express's req.ip), the User-Agent (at most 256 characters), the request id (the log's
 * X-Request-Id, src/observe/requests.ts) and the GraphQL operation's name.
 *
 * Read lazily: a request that records no event (nearly all of them) pays for one small object, not for
 * header parsing. Never an Authorization value, a body or a variable.
 */
import type http from 'node:http';

export interface ClientInfo {
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly requestId: string | null;
  readonly operation: string | null;
}

export const MAX_USER_AGENT = 256;
const REQUEST_ID = /^[\x21-\x7e]{1,128}$/;
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,127}$/;
const FIRST_OPERATION = /^\s*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]{0,127})/;

function header(headers: http.IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}

function userAgentOf(headers: http.IncomingHttpHeaders): string | null {
  return header(headers, 'user-agent')?.slice(0, MAX_USER_AGENT) || null;
}

function requestIdOf(headers: http.IncomingHttpHeaders): string | null {
  const id = header(headers, 'x-request-id');
  return id !== undefined && REQUEST_ID.test(id) ? id : null;
}

export function operationNameOf(name: unknown): string | null {
  return typeof name === 'string' && OPERATION_NAME.test(name) ? name : null;
}

type HttpRequest = { ip?: string; headers: http.IncomingHttpHeaders; body?: unknown };

/**
 * An HTTP request's client. The operation's name is the body's operationName, else the document's first.
 * A class, its getters on the prototype: one small object per request, no closures.
 */
class HttpClient implements ClientInfo {
  constructor(private readonly req: HttpRequest) {}

  get ip(): string | null {
    return this.req.ip || null;
  }

  get userAgent(): string | null {
    return userAgentOf(this.req.headers);
  }

  get requestId(): string | null {
    return requestIdOf(this.req.headers);
  }

  get operation(): string | null {
    const body = (this.req.body && typeof this.req.body === 'object' ? this.req.body : {}) as { operationName?: unknown; query?: unknown };
    if (body.operationName !== undefined && body.operationName !== null) return operationNameOf(body.operationName);
    return (typeof body.query === 'string' && FIRST_OPERATION.exec(body.query)?.[1]) || null;
  }
}

export function httpClient(req: HttpRequest): ClientInfo {
  return new HttpClient(req);
}

/** A WebSocket operation's client: the upgrade request's headers, the operation's own name. */
export function socketClient(upgrade: http.IncomingMessage, ip: string, operation: string | null | undefined): ClientInfo {
  return {
    ip: ip || null,
    get userAgent() {
      return userAgentOf(upgrade.headers);
    },
    get requestId() {
      return requestIdOf(upgrade.headers);
    },
    operation: operationNameOf(operation),
  };
}
