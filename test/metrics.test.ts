/**
 * GET /metrics (METRICS=true) from the real process, with two workers: the counts are the whole server's,
 * whichever worker answers the scrape; no CORS header on it; nothing served without METRICS.
 */
import http from 'node:http';
import { WebSocket } from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from './utils';
import { startServerProcess, type ServerProcess } from './server-process';

const started: ServerProcess[] = [];
afterAll(async () => {
  await Promise.all(started.map((server) => server.kill('SIGKILL')));
});

/** One request on a fresh connection, so that the cluster's primary hands each to the next worker. */
function request(url: string, options: { body?: object; headers?: Record<string, string> } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: options.body ? 'POST' : 'GET', agent: false, headers: { 'content-type': 'application/json', ...options.headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    req.end(options.body ? JSON.stringify(options.body) : undefined);
  });
}

function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) return Number(line.split(' ').pop());
  }
  return undefined;
}

const LOGIN = 'mutation Login($u: String!, $p: String!) { obtainAuthToken(username: $u, password: $p) { token } }';

describe('METRICS=true with WEB_CONCURRENCY=2', { timeout: 90_000 }, () => {
  it('counts requests by operation and status, latency, 401s by reason, logins by result and the pool, over both workers', async () => {
    // TOKEN_TTL=1: a login token that expires within the test.
    const server = startServerProcess({ DATABASE_URL: await createTestDatabase(), METRICS: 'true', WEB_CONCURRENCY: '2', CORS_ORIGINS: '*', TOKEN_TTL: '1' });
    started.push(server);
    const url = await server.ready;
    const graphql = (body: object, headers?: Record<string, string>) => request(`${url}/graphql`, { body, headers });

    await graphql({ query: 'mutation { register(input: {username: "mo", email: "mo@example.com", password: "metric secret"}) { id } }' });
    const login = await graphql({ query: LOGIN, variables: { u: 'mo', p: 'metric secret' } });
    const token = JSON.parse(login.text).data.obtainAuthToken.token;
    for (let i = 0; i < 2; i += 1) await graphql({ query: LOGIN, variables: { u: 'mo', p: 'wrong secret' } });
    const workers = new Set<string>();
    for (let i = 0; i < 6; i += 1) workers.add(String((await graphql({ query: 'query Me { me { id } }' }, { authorization: `Token ${token}` })).headers['x-worker']));
    for (let i = 0; i < 3; i += 1) await graphql({ query: 'query Me { me { id } }' }, { authorization: `Token ${'0'.repeat(40)}` });
    await graphql({ query: 'query Me { me { id } }' }, { authorization: 'Token a b' });
    await graphql({ query: 'query Me { me { id } }' });
    const knox = await graphql({ query: 'mutation Knox { login(username: "mo", password: "metric secret") { token } }' });
    const loginToken = JSON.parse(knox.text).data.login.token;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await graphql({ query: 'query Me { me { id } }' }, { authorization: `Token ${loginToken}` })).status).toBe(401);
    expect(workers.size).toBe(2);

    const scrape = await request(`${url}/metrics`, { headers: { origin: 'https://elsewhere.example' } });
    expect(scrape.status).toBe(200);
    expect(scrape.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(scrape.headers['access-control-allow-origin']).toBeUndefined();
    const text = scrape.text;
    expect(sample(text, 'authtoken_graphql_requests_total', { operation: 'Me', status: '200' })).toBe(6);
    expect(sample(text, 'authtoken_graphql_requests_total', { operation: 'Me', status: '401' })).toBe(6);
    expect(sample(text, 'authtoken_graphql_requests_total', { operation: 'Login', status: '200' })).toBe(3);
    expect(sample(text, 'authtoken_graphql_request_duration_seconds_count', { operation: 'Me' })).toBe(12);
    expect(sample(text, 'authtoken_graphql_request_duration_seconds_bucket', { operation: 'Me', le: '+Inf' })).toBe(12);
    expect(sample(text, 'authtoken_authentication_failures_total', { reason: 'token_expired' })).toBe(1);
    expect(sample(text, 'authtoken_authentication_failures_total', { reason: 'invalid_token' })).toBe(3);
    expect(sample(text, 'authtoken_authentication_failures_total', { reason: 'header_with_spaces' })).toBe(1);
    expect(sample(text, 'authtoken_authentication_failures_total', { reason: 'not_authenticated' })).toBe(1);
    expect(sample(text, 'authtoken_logins_total', { result: 'success' })).toBe(2);
    expect(sample(text, 'authtoken_logins_total', { result: 'invalid_credentials' })).toBe(2);
    expect(sample(text, 'authtoken_db_pool_connections', { state: 'used' })).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'authtoken_db_pool_connections', { state: 'free' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'authtoken_websockets_open')).toBe(0);

    // An open WebSocket, on whichever worker took it, counts in the cluster's gauge.
    const socket = new WebSocket(`${url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    expect(sample((await request(`${url}/metrics`)).text, 'authtoken_websockets_open')).toBe(1);
    socket.close();

    // The same totals from the other worker.
    const again = await request(`${url}/metrics`);
    expect(sample(again.text, 'authtoken_graphql_requests_total', { operation: 'Me', status: '200' })).toBe(6);
  });
});

describe('without METRICS', { timeout: 90_000 }, () => {
  it('serves no metrics', async () => {
    const server = startServerProcess({ DATABASE_URL: await createTestDatabase() });
    started.push(server);
    const url = await server.ready;
    const answer = await request(`${url}/metrics`, { headers: { accept: 'text/plain' } });
    expect(answer.text).not.toMatch(/authtoken_graphql_requests_total/);
  });
});
