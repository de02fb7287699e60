/**
 * The graphql-ws client, as an application uses it, wrapped for tests: one socket per `openSocket`, no
 * retries (a test wants to see each close), and the close code and reason kept.
 */
import WebSocket from 'ws';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';

type ExecutionResult<T> = FormattedExecutionResult<T, unknown>;

export interface Closed {
  code: number;
  reason: string;
  /** Date.now() when the client saw the close. */
  at: number;
}

export interface TestSocket {
  client: Client;
  /** Resolves on connection_ack. */
  connected: Promise<void>;
  /** Resolves when the socket closes, however it closes. */
  closed: Promise<Closed>;
  /** The X-Worker header of the upgrade response (which cluster worker took the socket). */
  worker(): string | undefined;
  dispose(): Promise<void>;
}

export function openSocket(
  url: string,
  connectionParams?: Record<string, unknown> | (() => Record<string, unknown>),
  /** `headers`: sent with the upgrade request, as a browser (Cookie, Origin) or a proxy (X-Forwarded-For) adds them. */
  options: { headers?: Record<string, string> } = {},
): TestSocket {
  let worker: string | undefined;
  // Records the upgrade response, which the browser-style API hides; sends `headers` with the upgrade (what a
  // proxy in front would add, X-Forwarded-For).
  class RecordingWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: options.headers });
      this.once('upgrade', (response) => (worker = response.headers['x-worker'] as string | undefined));
    }
  }
  let resolveClosed!: (closed: Closed) => void;
  const closed = new Promise<Closed>((resolve) => (resolveClosed = resolve));
  let resolveConnected!: () => void;
  let rejectConnected!: (error: unknown) => void;
  const connected = new Promise<void>((resolve, reject) => {
    resolveConnected = resolve;
    rejectConnected = reject;
  });
  connected.catch(() => undefined);
  const client = createClient({
    url,
    webSocketImpl: RecordingWebSocket,
    connectionParams,
    lazy: false,
    retryAttempts: 0,
    shouldRetry: () => false,
    onNonLazyError: () => undefined,
    on: {
      connected: () => resolveConnected(),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        resolveClosed({ code, reason: String(reason), at: Date.now() });
        rejectConnected(new Error(`closed before the ack: ${code} ${reason}`));
      },
      error: (error) => rejectConnected(error),
    },
  });
  return { client, connected, closed, worker: () => worker, dispose: () => client.dispose() as Promise<void> };
}

/** One query or mutation over the socket: its result, or the `error` message's errors thrown. */
export function runOnce<T = any>(client: Client, query: string, variables?: Record<string, unknown>, extra?: Record<string, unknown>): Promise<ExecutionResult<T>> {
  return new Promise((resolve, reject) => {
    let result: ExecutionResult<T> | undefined;
    client.subscribe<T>(
      { query, variables, ...extra },
      { next: (value) => (result = value), error: reject, complete: () => resolve(result!) },
    );
  });
}

export interface Subscription<T> {
  /** Every `next` payload so far. */
  results: ExecutionResult<T>[];
  /** Resolves with the `error` message's errors (or the close), if the operation fails. */
  failed: Promise<unknown>;
  /** Resolves once `count` results have come. */
  next(count: number, timeoutMs?: number): Promise<ExecutionResult<T>[]>;
  /** Resolves with the first result, past or future, that `match` accepts. */
  until(match: (result: ExecutionResult<T>) => boolean, timeoutMs?: number): Promise<ExecutionResult<T>>;
  unsubscribe(): void;
}

export function subscribe<T = any>(client: Client, query: string, variables?: Record<string, unknown>): Subscription<T> {
  const results: ExecutionResult<T>[] = [];
  const waiters: (() => void)[] = [];
  let fail!: (error: unknown) => void;
  const failed = new Promise<unknown>((resolve) => (fail = resolve));
  const unsubscribe = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        results.push(value);
        waiters.splice(0).forEach((wake) => wake());
      },
      error: (error) => fail(error),
      complete: () => undefined,
    },
  );
  return {
    results,
    failed,
    unsubscribe,
    until(match, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching result after ${timeoutMs} ms (${results.length} results)`)), timeoutMs);
        const check = () => {
          const found = results.find(match);
          if (found) {
            clearTimeout(timer);
            resolve(found);
          } else {
            waiters.push(check);
          }
        };
        check();
      });
    },
    next(count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${results.length} of ${count} results after ${timeoutMs} ms`)), timeoutMs);
        const check = () => {
          if (results.length >= count) {
            clearTimeout(timer);
            resolve(results.slice(0, count));
          } else {
            waiters.push(check);
          }
        };
        check();
      });
    },
  };
}
