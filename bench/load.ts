/**
 * One load run with autocannon: N keep-alive connections posting the same GraphQL request for a fixed time.
 * Every answer is checked (status and a fragment of the body), so a fast server that answers errors cannot
 * look good: anything unexpected counts in `errors`.
 */
import autocannon from 'autocannon';

export interface Request {
  /** The GraphQL document and variables, sent as a JSON POST to /graphql. */
  query: string;
  variables?: Record<string, unknown>;
  authorization?: string;
  /** More headers (a session cookie and its Origin). */
  headers?: Record<string, string>;
  /** Sent as `documentId` instead of the text (trusted documents); `query` is then only for reading. */
  documentId?: string;
  /** The status every answer must have. */
  status: number;
  /** A fragment every answer body must contain. */
  contains: string;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** Connection errors, timeouts, wrong statuses and wrong bodies. */
  errors: number;
  total: number;
  seconds: number;
  /** CPU ms the server spent per answered request (set by the bench around the run). */
  cpuMsPerRequest?: number;
  /** CPU ms the embedded PostgreSQL spent per request, and the bench's own process (autocannon). */
  databaseCpuMsPerRequest?: number;
  loadGeneratorCpuMsPerRequest?: number;
}

export async function runLoad(baseUrl: string, request: Request, connections: number, seconds: number): Promise<LoadResult> {
  return summarise([await runSlice(baseUrl, request, connections, seconds)]);
}

/** The raw outcome of one autocannon run; slices of one target are summed by `summarise`. */
export interface Slice {
  latencies: number[];
  total: number;
  errors: number;
  seconds: number;
}

export async function runSlice(baseUrl: string, request: Request, connections: number, seconds: number): Promise<Slice> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...request.headers };
  if (request.authorization) headers.authorization = request.authorization;
  const latencies: number[] = [];
  const instance = autocannon({
    url: `${baseUrl}/graphql`,
    method: 'POST',
    headers,
    body: JSON.stringify(request.documentId ? { documentId: request.documentId, variables: request.variables } : { query: request.query, variables: request.variables }),
    connections,
    duration: seconds,
    timeout: 30,
    verifyBody: (body) => body.includes(request.contains),
  });
  // Every latency is kept, so percentiles over several slices are exact rather than averaged.
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
  const result = await instance;
  let wrongStatus = 0;
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) {
    if (Number(code) !== request.status) wrongStatus += Number(count);
  }
  return {
    latencies,
    total: latencies.length,
    // A wrong status usually brings a wrong body too: count each answer once.
    errors: result.errors + Math.max(wrongStatus, result.mismatches),
    seconds: result.duration,
  };
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)], 1);
}

export function summarise(slices: Slice[]): LoadResult {
  const latencies = slices.flatMap((slice) => slice.latencies).sort((a, b) => a - b);
  const seconds = slices.reduce((sum, slice) => sum + slice.seconds, 0);
  const total = latencies.length;
  return {
    requestsPerSecond: round(total / seconds, 1),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors: slices.reduce((sum, slice) => sum + slice.errors, 0),
    total,
    seconds: round(seconds, 2),
  };
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
