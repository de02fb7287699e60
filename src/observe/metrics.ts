/**
 * Prometheus metrics (prom-client), served at GET /metrics when METRICS=true (src/http-server.ts). Not under CORS:
 * the route is outside /graphql, so no browser on another origin can read it; keep it off the public
 * internet with the balancer, as /metrics usually is.
 *
 * | metric                                   | type      | labels              | what                                   |
 * |------------------------------------------|-----------|---------------------|----------------------------------------|
 * | authtoken_graphql_requests_total         | counter   | operation, status   | POST/GET /graphql requests answered    |
 * | authtoken_graphql_request_duration_seconds | histogram | operation         | their latency, first byte in to last out |
 * | authtoken_authentication_failures_total  | counter   | reason              | 401s, by DRF message (see REASONS), or token_expired |
 * | authtoken_logins_total                   | counter   | result              | obtainAuthToken/login answers          |
 * | authtoken_db_pool_connections            | gauge     | state               | used, free, pending (waiting callers)  |
 * | authtoken_websockets_open                | gauge     |                     | open WebSockets (subscriptions)        |
 * | authtoken_untrusted_documents_total      | counter   |                     | operations run whose document is not in the trusted-documents manifest (TRUSTED_DOCUMENTS=log) |
 * | process_*, nodejs_*                      |           |                     | prom-client's default process metrics  |
 *
 * `operation` is the GraphQL operation name, `anonymous` without one, `none` when none was read (a body
 * that did not parse); names beyond the first 100 distinct ones count as `other`, so a client inventing
 * names cannot grow the series without bound.
 *
 * With WEB_CONCURRENCY > 1 each worker counts its own requests, and a scrape reaching any worker answers
 * the sum over all of them (the worker asks the primary, which gathers every worker's registry).
 *
 * Hook for more: `addGauge(name, help, read)` adds a gauge read at each scrape (src/http-server.ts adds the
 * open WebSockets that way). Call it once per name and process: prom-client refuses a name twice.
 */
import cluster from 'node:cluster';
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, register } from 'prom-client';
import type { MikroORM } from '@mikro-orm/postgresql';
import { INVALID_TOKEN, USER_INACTIVE } from '../errors';

let enabled = false;

const requests = new Counter({
  name: 'authtoken_graphql_requests_total',
  help: 'GraphQL HTTP requests answered, by operation name and HTTP status',
  labelNames: ['operation', 'status'] as const,
});
const duration = new Histogram({
  name: 'authtoken_graphql_request_duration_seconds',
  help: 'GraphQL HTTP request latency in seconds, by operation name',
  labelNames: ['operation'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
});
const authFailures = new Counter({
  name: 'authtoken_authentication_failures_total',
  help: 'Requests answered 401, by reason',
  labelNames: ['reason'] as const,
});
const logins = new Counter({
  name: 'authtoken_logins_total',
  help: 'Login mutations (obtainAuthToken, login), by result',
  labelNames: ['result'] as const,
});

const untrustedDocuments = new Counter({
  name: 'authtoken_untrusted_documents_total',
  help: 'Operations run with a document not in the trusted-documents manifest (TRUSTED_DOCUMENTS=log)',
});

/** DRF's 401 messages (src/authentication.ts, src/errors.ts) as short, fixed label values. */
const REASONS: Record<string, string> = {
  'Invalid token header. No credentials provided.': 'header_without_credentials',
  'Invalid token header. Token string should not contain spaces.': 'header_with_spaces',
  'Invalid token header. Token string should not contain invalid characters.': 'header_invalid_characters',
  [INVALID_TOKEN]: 'invalid_token',
  [USER_INACTIVE]: 'inactive_user',
  'Authentication credentials were not provided.': 'not_authenticated',
};

const MAX_OPERATION_NAMES = 100;
const operationNames = new Set<string>();

function operationLabel(operation: string | null | undefined): string {
  if (operation === undefined) return 'none';
  if (operation === null || operation === '') return 'anonymous';
  if (operationNames.has(operation)) return operation;
  if (operationNames.size >= MAX_OPERATION_NAMES) return 'other';
  operationNames.add(operation);
  return operation;
}

/** Starts collecting (METRICS=true); until then every record* call costs a boolean test. */
export function enableMetrics(): void {
  if (enabled) return;
  enabled = true;
  collectDefaultMetrics();
  // Installs the listener through which the primary gathers this worker's registry (no-op outside a cluster).
  if (cluster.isWorker) new AggregatorRegistry();
}

export function metricsEnabled(): boolean {
  return enabled;
}

export function recordRequest(operation: string | null | undefined, status: number, seconds: number): void {
  if (!enabled) return;
  const label = operationLabel(operation);
  requests.inc({ operation: label, status: String(status) });
  duration.observe({ operation: label }, seconds);
}

/** `reason`: the error's `extensions.reason` when it has one (`TOKEN_EXPIRED`), which the message alone hides. */
export function recordAuthenticationFailure(message: string, reason?: unknown): void {
  if (!enabled) return;
  authFailures.inc({ reason: reason === 'TOKEN_EXPIRED' ? 'token_expired' : (REASONS[message] ?? 'other') });
}

export function recordUntrustedDocument(): void {
  if (enabled) untrustedDocuments.inc();
}

export type LoginResult = 'success' | 'invalid_credentials' | 'bad_input' | 'throttled' | 'unavailable' | 'error';

export function recordLogin(result: LoginResult): void {
  if (enabled) logins.inc({ result });
}

/** The hook for other parts (e.g. subscriptions' open sockets): a gauge read at each scrape. */
export function addGauge(name: string, help: string, read: () => number): void {
  new Gauge({
    name,
    help,
    collect() {
      this.set(read());
    },
  });
}

/** The ORM's connection pool (tarn, under knex): connections in use, idle, and callers waiting for one. */
export function addPoolGauges(orm: MikroORM): void {
  const pool = () => orm.em.getConnection().getKnex().client.pool as
    | { numUsed(): number; numFree(): number; numPendingAcquires(): number }
    | undefined;
  new Gauge({
    name: 'authtoken_db_pool_connections',
    help: 'Database pool connections by state (used, free; pending: callers waiting for one)',
    labelNames: ['state'] as const,
    collect() {
      const current = pool();
      this.set({ state: 'used' }, current?.numUsed() ?? 0);
      this.set({ state: 'free' }, current?.numFree() ?? 0);
      this.set({ state: 'pending' }, current?.numPendingAcquires() ?? 0);
    },
  });
}

const REQUEST = 'authtoken:metrics-request';
const RESPONSE = 'authtoken:metrics-response';

/** This process's metrics in Prometheus' text format; in a cluster worker, the whole cluster's. */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  if (!cluster.isWorker || !process.send) return { contentType: register.contentType, body: await register.metrics() };
  const id = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  const body = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error('the primary did not answer in 5 s')), 5000);
    const onMessage = (message: { type?: string; id?: string; body?: string; error?: string }) => {
      if (message?.type === RESPONSE && message.id === id) finish(message.error ? new Error(message.error) : undefined, message.body);
    };
    function finish(error?: Error, text?: string) {
      clearTimeout(timer);
      process.removeListener('message', onMessage);
      if (error) reject(error);
      else resolve(text ?? '');
    }
    process.on('message', onMessage);
    process.send!({ type: REQUEST, id });
  });
  return { contentType: register.contentType, body };
}

/** In the primary (METRICS=true): answers workers asking for the cluster's metrics. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: { type?: string; id?: string }) => {
    if (message?.type !== REQUEST) return;
    aggregator.clusterMetrics().then(
      (body) => worker.isConnected() && worker.send({ type: RESPONSE, id: message.id, body }),
      (error: Error) => worker.isConnected() && worker.send({ type: RESPONSE, id: message.id, error: error.message }),
    );
  });
}
