/**
 * SIGTERM under load, on the real server process: /readyz answers 503 from that moment, new connections
 * are refused, requests in flight complete, and the process exits 0, with no request the server accepted
 * left without its answer. "Accepted" is read from the server's own JSON request log, by request id.
 */
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from './utils';
import { graphqlAt, startServerProcess, type ServerProcess } from './server-process';

const CONNECTIONS = 32;
const ME = JSON.stringify({ query: '{ me { username } }' });
const LOGIN = 'mutation ($u: String!, $p: String!) { obtainAuthToken(username: $u, password: $p) { token } }';

interface Outcome {
  id: string;
  status?: number;
  ok?: boolean;
  error?: string;
}

function send(agent: http.Agent, url: string, id: string, token: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = http.request(
      `${url}/graphql`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Token ${token}`, 'x-request-id': id } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          let ok = false;
          try {
            ok = JSON.parse(body).data?.me?.username === 'drain';
          } catch {
            ok = false;
          }
          resolve({ id, status: res.statusCode, ok });
        });
        res.on('error', (error: NodeJS.ErrnoException) => resolve({ id, status: res.statusCode, error: error.code ?? error.message }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ id, error: error.code ?? error.message }));
    req.end(ME);
  });
}

/** Raw HTTP/1.1 on one socket, so that a second request can be written while the first is still in flight. */
function rawSocket(port: number, first: string): { write(text: string): void; received(): string; done: Promise<string> } {
  const socket = net.connect(port, '127.0.0.1');
  let data = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (data += chunk));
  socket.write(first);
  return { write: (text) => socket.write(text), received: () => data, done: new Promise((resolve) => socket.on('close', () => resolve(data))) };
}

function refused(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('SIGTERM under load', { timeout: 90_000 }, () => {
  let server: ServerProcess;
  afterAll(async () => {
    await server?.kill('SIGKILL');
  });

  let url: string;
  let token: string;
  beforeAll(async () => {
    server = startServerProcess({ DATABASE_URL: await createTestDatabase(), LOG_FORMAT: 'json' });
    url = await server.ready;
    await graphqlAt(url, 'mutation { register(input: {username: "drain", email: "drain@example.com", password: "drain secret"}) { id } }');
    token = (await graphqlAt(url, LOGIN, { u: 'drain', p: 'drain secret' })).body.data.obtainAuthToken.token;
  });

  it('turns /readyz 503 at once, refuses new connections, completes every accepted request and exits 0', async () => {
    const port = Number(new URL(url).port);
    // A login in flight when the signal lands (its body half sent, so it cannot finish before), then, once
    // the server is stopping, the rest of its body and a /readyz on that same kept-alive socket.
    const body = JSON.stringify({ query: LOGIN, variables: { u: 'drain', p: 'drain secret' } });
    const head = `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
    const probe = rawSocket(port, head + body.slice(0, 10));

    let stop = false;
    const outcomes: Outcome[] = [];
    const loops = Array.from({ length: CONNECTIONS }, async (_, c) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      for (let n = 0; !stop; n += 1) {
        const outcome = await send(agent, url, `c${c}-${n}`, token);
        outcomes.push(outcome);
        if (outcome.error) break; // the server is gone, or going: this connection is done
      }
      agent.destroy();
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const before = outcomes.length;
    server.child.kill('SIGTERM');
    while (!/SIGTERM received/.test(server.stdout())) await new Promise((resolve) => setTimeout(resolve, 2));
    expect(probe.received()).toBe('');
    probe.write(`${body.slice(10)}GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n`);
    // The listening socket closes as the signal is handled (uv closes it on the loop's next turn).
    let newConnection = await refused(port);
    for (let tries = 0; newConnection !== 'ECONNREFUSED' && tries < 50; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      newConnection = await refused(port);
    }
    expect(server.child.exitCode).toBeNull();
    const exit = await server.exited;
    stop = true;
    await Promise.all(loops);

    expect(exit).toEqual({ code: 0, signal: null });
    expect(newConnection).toBe('ECONNREFUSED');
    const answers = (await probe.done).split(/(?=HTTP\/1\.1 )/);
    expect(answers[0]).toMatch(/^HTTP\/1\.1 200 /);
    expect(answers[0]).toMatch(/"token":"[0-9a-f]+"/);
    expect(answers.length, answers.join("\n---\n")).toBe(2);
    expect(answers[1]).toMatch(/^HTTP\/1\.1 503 /);
    expect(answers[1]).toMatch(/connection: close/i);

    // What the server accepted, by its request log; each of those got its full, successful answer.
    const logged = server
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line))
      .filter((entry) => entry.msg === 'request' && /^c\d+-\d+$/.test(entry.requestId));
    const byId = new Map(outcomes.map((outcome) => [outcome.id, outcome]));
    expect(outcomes.length).toBeGreaterThan(before);
    expect(logged.length).toBeGreaterThan(0);
    for (const entry of logged) {
      expect(entry.status, entry.requestId).toBe(200);
      expect(byId.get(entry.requestId), entry.requestId).toMatchObject({ status: 200, ok: true });
    }
    // Those that failed were refused or cut before the server read them (so they are not in its log), never
    // answered with an error.
    const loggedIds = new Set(logged.map((entry) => entry.requestId));
    for (const outcome of outcomes.filter((o) => !o.ok)) {
      expect(outcome.status, outcome.id).toBeUndefined();
      expect(loggedIds.has(outcome.id), outcome.id).toBe(false);
    }
  });
});
