/**
 * Serves the built web app and playground (dist/web, made by `npm run build`) next to the API:
 *
 * | request                                   | answer                                                        |
 * |-------------------------------------------|---------------------------------------------------------------|
 * | GET /assets/<hashed name>                 | the file, cached for a year (`immutable`: names change)       |
 * | GET /playground                           | the GraphiQL playground                                       |
 * | GET /graphql from a browser (Accept html) | 302 to /playground (API clients are not affected)             |
 * | GET / and any other extension-less path   | the web app's index.html (SPA fallback; the app routes)       |
 *
 * HTML is never cached without revalidation (`no-cache` + ETag), so a new build shows up on the next load,
 * and carries a Content-Security-Policy that allows only this origin: the token the app keeps in
 * sessionStorage is only as safe as the scripts the page runs. The server's AUTH_KEYWORD and INTROSPECTION
 * settings are written into <meta> tags, so the client never guesses them.
 *
 * POST /graphql, /healthz and /readyz pass through untouched. Without a build (a deployment that skipped it),
 * these routes answer a plain message saying how to build, instead of failing.
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { type Request, type Response, type Router } from 'express';
import { projectRoot } from './paths';
import type { Settings } from './settings';

/** What the pages are told: the header keyword, and whether introspection is on (and if not, why). */
export type WebSettings = Pick<Settings, 'tokens' | 'limits'>;
import { introspectionRefusal } from './limits/introspection';

export const DEFAULT_WEB_ROOT = path.join(projectRoot, 'dist', 'web');

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // React sets style attributes and Monaco injects <style> elements at run time.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  // Monaco runs its language services in workers, loaded from /assets.
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT =
  'The web app is not built, so there is nothing to show here.\n' +
  'Build it with `npm run build` (`npm start` builds it too), then reload.\n' +
  'The GraphQL API itself is up at /graphql.\n';

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Reads an HTML page of the build with the settings filled in; re-read when a rebuild changes the file. */
function htmlReader(file: string, settings: WebSettings): () => string | null {
  let cached: { mtimeMs: number; html: string } | undefined;
  return () => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return null;
    }
    if (cached?.mtimeMs !== stat.mtimeMs) {
      const html = fs
        .readFileSync(file, 'utf8')
        .replace(/(<meta name="auth-keyword" content=")[^"]*(")/, `$1${escapeAttribute(settings.tokens.keyword)}$2`)
        .replace(/(<meta name="introspection" content=")[^"]*(")/, `$1${settings.limits.introspection}$2`)
        .replace(/(<meta name="introspection-refusal" content=")[^"]*(")/, `$1${escapeAttribute(settings.limits.introspection ? '' : introspectionRefusal(settings.limits))}$2`);
      cached = { mtimeMs: stat.mtimeMs, html };
    }
    return cached.html;
  };
}

/** True for a browser navigating to the URL, as opposed to an API client or a fetch() for JSON. */
function wantsHtml(req: Request): boolean {
  return req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
}

export function webRoutes(settings: WebSettings, { root = DEFAULT_WEB_ROOT }: { root?: string } = {}): Router {
  const router = express.Router();
  const indexHtml = htmlReader(path.join(root, 'index.html'), settings);
  const playgroundHtml = htmlReader(path.join(root, 'playground.html'), settings);

  function sendPage(res: Response, html: string | null): void {
    if (html === null) {
      res.status(404).type('text/plain').send(NOT_BUILT);
      return;
    }
    res.set({
      'cache-control': 'no-cache',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    res.type('html').send(html);
  }

  router.get('/graphql', (req, res, next) => {
    if (wantsHtml(req)) res.redirect(302, '/playground');
    else next();
  });

  router.use(
    '/assets',
    express.static(path.join(root, 'assets'), {
      index: false,
      immutable: true,
      maxAge: '365d',
      setHeaders: (res) => res.setHeader('x-content-type-options', 'nosniff'),
    }),
  );

  router.use('/assets', (_req, res) => {
    res.status(404).type('text/plain').send('Not found.\n');
  });

  router.get(['/playground', '/playground/'], (_req, res) => sendPage(res, playgroundHtml()));

  // Client-side routes (/login, /products, ...): any extension-less GET a browser makes. A missing file such as
  // /favicon.ico still gets a 404, and API paths registered before this router never reach it.
  router.get(/^\/(?:[^.]*\/)?[^/.]*$/, (req, res, next) => {
    if (req.path === '/graphql' || !req.accepts('html')) return next();
    sendPage(res, indexHtml());
  });

  return router;
}
