/**
 * src/web.ts over real HTTP: the built app and playground with their caching and security headers, the SPA
 * fallback, the browser's GET /graphql -> /playground, the API routes left alone, and a clear message
 * instead of a crash when the web build is missing.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { webRoutes } from '../src/web';
import { startTestServer, testSettings, type TestServer } from './utils';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

/** A stand-in build: the two pages as Vite emits them (with the meta tags) and one hashed asset. */
function fakeBuild(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'web-routes-'));
  const page = (id: string) =>
    `<!doctype html><html><head><meta name="auth-keyword" content="Token" /><meta name="introspection" content="true" /></head><body><div id="${id}"></div></body></html>`;
  fs.writeFileSync(path.join(root, 'index.html'), page('root'));
  fs.writeFileSync(path.join(root, 'playground.html'), page('playground'));
  fs.mkdirSync(path.join(root, 'assets'));
  fs.writeFileSync(path.join(root, 'assets', 'app-Ab12Cd34.js'), 'console.log("app");');
  return root;
}

async function serve(root: string, env: Record<string, string> = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const app = express();
  app.use(webRoutes(testSettings(env), { root }));
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('the web routes on a build', () => {
  let root: string;
  let site: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    root = fakeBuild();
    site = await serve(root, { AUTH_KEYWORD: 'Bearer', INTROSPECTION: 'false' });
  });

  afterAll(async () => {
    await site.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('/ serves index.html revalidated on every load, with a same-origin Content-Security-Policy', async () => {
    const response = await fetch(`${site.url}/`, { headers: { accept: BROWSER_ACCEPT } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('etag')).toBeTruthy();
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/https?:/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<div id="root">');
  });

  test('the server settings reach the page through its meta tags', async () => {
    const html = await (await fetch(`${site.url}/`)).text();
    expect(html).toContain('<meta name="auth-keyword" content="Bearer" />');
    expect(html).toContain('<meta name="introspection" content="false" />');
  });

  test('an unchanged page answers 304 to a conditional request', async () => {
    const first = await fetch(`${site.url}/`);
    // node:http rather than fetch(), which adds Cache-Control: no-cache to conditional requests (per the Fetch spec).
    const status = await new Promise<number | undefined>((resolve, reject) => {
      http.get(`${site.url}/`, { headers: { 'if-none-match': first.headers.get('etag')! } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).on('error', reject);
    });
    expect(status).toBe(304);
  });

  test('client-side routes fall back to index.html', async () => {
    for (const route of ['/login', '/products', '/admin', '/some/deeper/path']) {
      const response = await fetch(`${site.url}${route}`, { headers: { accept: BROWSER_ACCEPT } });
      expect(response.status, route).toBe(200);
      expect(await response.text(), route).toContain('<div id="root">');
    }
  });

  test('/playground serves the playground page', async () => {
    for (const route of ['/playground', '/playground/']) {
      const response = await fetch(`${site.url}${route}`, { headers: { accept: BROWSER_ACCEPT } });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<div id="playground">');
    }
  });

  test('hashed assets are cached for a year as immutable', async () => {
    const response = await fetch(`${site.url}/assets/app-Ab12Cd34.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(await response.text()).toBe('console.log("app");');
  });

  test('a missing asset, a file-like path or a non-HTML request is a 404, not the app', async () => {
    for (const [route, accept] of [
      ['/assets/missing-123.js', '*/*'],
      ['/favicon.ico', 'image/avif,image/webp,*/*;q=0.8'],
      ['/robots.txt', BROWSER_ACCEPT],
      ['/products', 'application/json'],
    ]) {
      const response = await fetch(`${site.url}${route}`, { headers: { accept } });
      expect(response.status, route).toBe(404);
      expect(await response.text(), route).not.toContain('<div id="root">');
    }
  });

  test('paths climbing out of the assets folder never reach other files', async () => {
    fs.writeFileSync(path.join(path.dirname(root), `${path.basename(root)}-secret.txt`), 'secret');
    for (const route of ['/assets/../index.html', '/assets/..%2f..%2fpackage.json', `/assets/..%2f..%2f${path.basename(root)}-secret.txt`, '/assets/%2e%2e/playground.html']) {
      const response = await fetch(`${site.url}${route}`);
      const body = await response.text();
      expect(body, route).not.toContain('secret');
      expect(body, route).not.toContain('"name"');
      if (response.status === 200) expect(body, route).toContain('<div id="root">');
    }
    fs.rmSync(path.join(path.dirname(root), `${path.basename(root)}-secret.txt`));
  });

  test('POST to a client-side route is not answered with the app', async () => {
    const response = await fetch(`${site.url}/products`, { method: 'POST', headers: { accept: BROWSER_ACCEPT } });
    expect(response.status).toBe(404);
  });
});

describe('the web routes without a build', () => {
  let root: string;
  let site: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'web-routes-empty-'));
    site = await serve(path.join(root, 'dist', 'web'));
  });

  afterAll(async () => {
    await site.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('/ and /playground say in plain text how to build the web app', async () => {
    for (const route of ['/', '/products', '/playground']) {
      const response = await fetch(`${site.url}${route}`, { headers: { accept: BROWSER_ACCEPT } });
      expect(response.status, route).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      const body = await response.text();
      expect(body).toContain('The web app is not built');
      expect(body).toContain('npm run build');
    }
  });

  test('a build that appears later is served without a restart', async () => {
    const built = fakeBuild();
    fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
    fs.renameSync(built, path.join(root, 'dist', 'web'));
    const response = await fetch(`${site.url}/`, { headers: { accept: BROWSER_ACCEPT } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div id="root">');
  });
});

describe('the web routes inside the real app', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.close();
  });

  test('a browser opening /graphql is sent to the playground', async () => {
    const response = await fetch(`${server.baseUrl}/graphql`, { headers: { accept: BROWSER_ACCEPT }, redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/playground');
  });

  test('API clients reaching GET /graphql still get GraphQL, not a redirect', async () => {
    for (const accept of ['application/json', '*/*', 'application/graphql-response+json']) {
      const response = await fetch(`${server.baseUrl}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
        headers: { accept, 'apollo-require-preflight': 'true' },
        redirect: 'manual',
      });
      expect(response.status, accept).toBe(200);
      expect(await response.json(), accept).toEqual({ data: { __typename: 'Query' } });
    }
  });

  test('POST /graphql, /healthz and /readyz are untouched', async () => {
    const result = await server.graphql('{ __typename }', { headers: { accept: BROWSER_ACCEPT } });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ data: { __typename: 'Query' } });
    expect(await (await fetch(`${server.baseUrl}/healthz`, { headers: { accept: BROWSER_ACCEPT } })).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${server.baseUrl}/readyz`, { headers: { accept: BROWSER_ACCEPT } })).json()).toEqual({ status: 'ok', database: 'ok' });
  });
});
