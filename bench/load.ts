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
}

export async function runLoad(baseUrl: string, request: Request, connections: number, seconds: number): Promise<LoadResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (request.authorization) headers.authorization = request.authorization;
  const result = await autocannon({
    url: `${baseUrl}/graphql`,
    method: 'POST',
    headers,
    body: JSON.stringify({ query: request.query, variables: request.variables }),
    connections,
    duration: seconds,
    timeout: 30,
    verifyBody: (body) => body.includes(request.contains),
  });
  let total = 0;
  let wrongStatus = 0;
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) {
    total += Number(count);
    if (Number(code) !== request.status) wrongStatus += Number(count);
  }
  return {
    requestsPerSecond: round(total / result.duration, 1),
    p50: result.latency.p50,
    p99: result.latency.p99,
    // A wrong status usually brings a wrong body too: count each answer once.
    errors: result.errors + Math.max(wrongStatus, result.mismatches),
    total,
    seconds: round(result.duration, 2),
  };
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
