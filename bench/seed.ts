/**
 * The bench's data, created through the API as a client would: one user with a DRF token, a login token, an
 * access token (products:read) and a cookie session (the server runs with AUTH_COOKIE=true), and 50 products.
 */
import { randomBytes } from 'node:crypto';

export const PASSWORD = 'bench correct horse';

export const PRODUCTS = '{ products(limit: 50) { items { id name description price } total } }';

export async function post(baseUrl: string, query: string, authorization?: string): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization) headers.authorization = authorization;
  const response = await fetch(`${baseUrl}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query }) });
  return { status: response.status, body: await response.json() };
}

/** A user and at least 50 products, created through the API as a client would. */
export interface Seeded {
  username: string;
  token: string;
  loginToken: string;
  accessToken: string;
  /** With `session: true` (a server with AUTH_COOKIE=true): the session cookie, `name=value`. */
  sessionCookie?: string;
}

export async function seed(baseUrl: string, { session = false }: { session?: boolean } = {}): Promise<Seeded> {
  const username = `bench_${randomBytes(4).toString('hex')}`;
  const registered = await post(
    baseUrl,
    `mutation { register(input: {username: "${username}", email: "${username}@example.com", password: "${PASSWORD}"}) { id } }`,
  );
  if (!registered.body.data?.register) throw new Error(`register failed: ${JSON.stringify(registered.body)}`);
  const login = await post(baseUrl, `mutation { obtainAuthToken(username: "${username}", password: "${PASSWORD}") { token } }`);
  const token = login.body.data?.obtainAuthToken?.token as string | undefined;
  if (!token) throw new Error(`obtainAuthToken failed: ${JSON.stringify(login.body)}`);
  const page = await post(baseUrl, PRODUCTS, `Token ${token}`);
  for (let i = page.body.data.products.total; i < 50; i += 1) {
    const description = `Product number ${i + 1}, seeded by the benchmark.`;
    const created = await post(
      baseUrl,
      `mutation { createProduct(input: {name: "Bench product ${i + 1}", description: "${description}", price: "${(i * 3.17 + 1).toFixed(2)}"}) { id } }`,
      `Token ${token}`,
    );
    if (!created.body.data?.createProduct) throw new Error(`createProduct failed: ${JSON.stringify(created.body)}`);
  }
  // A login token beside the DRF token, for (a)'s side-by-side line.
  const device = await post(baseUrl, `mutation { login(username: "${username}", password: "${PASSWORD}", name: "bench") { token } }`);
  const loginToken = device.body.data?.login?.token as string | undefined;
  if (!loginToken) throw new Error(`login failed: ${JSON.stringify(device.body)}`);
  // A cookie session, for (a) through the cookie: startSession from the server's own origin.
  let sessionCookie: string | undefined;
  if (session) {
    const started = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: baseUrl },
      body: JSON.stringify({ query: `mutation { startSession(username: "${username}", password: "${PASSWORD}", name: "bench") { tokenId } }` }),
    });
    sessionCookie = started.headers.getSetCookie()[0]?.split(';')[0];
    if (!sessionCookie) throw new Error(`startSession failed: ${started.status} ${await started.text()}`);
  }
  // An access token (products:read), made with the login token the login just confirmed (sudo mode).
  const machine = await post(baseUrl, 'mutation { createAccessToken(name: "bench", scopes: ["products:read"]) { token } }', `Token ${loginToken}`);
  const accessToken = machine.body.data?.createAccessToken?.token as string | undefined;
  if (!accessToken) throw new Error(`createAccessToken failed: ${JSON.stringify(machine.body)}`);
  return { username, token, loginToken, accessToken, sessionCookie };
}

