/**
 * The web app in Chromium with the server's cookie sessions on and trusted documents enforced
 * (AUTH_COOKIE=true, TRUSTED_DOCUMENTS=enforce): the key is in no script-readable place, every operation goes
 * by documentId, the live list still updates, a page on another local origin gets the CSRF refusal for its
 * fetch and its form and changes nothing, and logging out clears the cookie.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeUser } from '../utils';
import { chromiumAvailable, field, screenshot, useServerAndBrowser, warnIfNoChromium } from './browser';

warnIfNoChromium('cookie sessions');

const CSRF_MESSAGE = (origin: string) => `CSRF Failed: Origin checking failed - ${origin} does not match any trusted origins.`;

describe.skipIf(!chromiumAvailable)('cookie sessions and trusted documents in Chromium', () => {
  const suite = useServerAndBrowser({ AUTH_COOKIE: 'true', TRUSTED_DOCUMENTS: 'enforce' });
  // Another origin on this machine: the same site (127.0.0.1), so SameSite=Lax still sends the cookie and only
  // the Origin check stands between its pages and the API.
  let attacker: http.Server;
  let attackerUrl: string;

  beforeAll(async () => {
    attacker = http.createServer((req, res) => {
      const api = `${suite.server.baseUrl}/graphql`;
      const body = JSON.stringify({ query: 'mutation { logoutAll }' });
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>elsewhere</title>
<form id="form" method="POST" action="${api}" enctype="text/plain"><input name='${body.slice(0, -2)}' value='"}'></form>
<script>
  window.fetchResult = fetch(${JSON.stringify(api)}, { method: 'POST', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: ${JSON.stringify(body)} })
    .then((r) => 'answered ' + r.status, (e) => 'failed: ' + e.message);
  window.jsonResult = fetch(${JSON.stringify(api)}, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: ${JSON.stringify(body)} })
    .then((r) => 'answered ' + r.status, (e) => 'failed: ' + e.message);
</script>`);
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => attacker?.close(resolve));
  });

  async function loginTokens(userId: number): Promise<number> {
    const [row] = await suite.server.orm.em.getConnection().execute<{ n: number }[]>('select count(*)::int as n from authtoken_login_token where user_id = ?', [userId]);
    return row.n;
  }

  test('logs in with the key only in an HttpOnly cookie, sends ids only, keeps the live list, refuses another origin, and logs out', async () => {
    const user = await makeUser(suite.server.orm, { username: 'cora', password: 'correct horse battery' });
    const { page, context } = await suite.session();
    const bodies: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql') && request.method() === 'POST') bodies.push(request.postData() ?? '');
    });
    await page.goto(`${suite.server.baseUrl}/login`);
    await field(page, 'Username').fill('cora');
    await field(page, 'Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Products' }).waitFor();
    await page.locator('main table, main .empty').first().waitFor();

    // The key: in the browser's cookie jar, HttpOnly, and nowhere a script can read.
    const cookies = await context.cookies(suite.server.baseUrl);
    expect(cookies.map((cookie) => ({ name: cookie.name, httpOnly: cookie.httpOnly, secure: cookie.secure, sameSite: cookie.sameSite, path: cookie.path }))).toEqual([
      { name: '__Host-authtoken', httpOnly: true, secure: true, sameSite: 'Lax', path: '/' },
    ]);
    const key = cookies[0].value;
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const readable = (await page.evaluate('JSON.stringify([document.cookie, {...localStorage}, {...sessionStorage}])')) as string;
    expect(readable).not.toContain(key);
    expect(readable).not.toContain(key.slice(0, 15));
    // Every operation went by id (trusted documents are enforced: free text from this user would be refused).
    expect(bodies.length).toBeGreaterThan(1);
    for (const body of bodies) {
      expect(JSON.parse(body)).toMatchObject({ documentId: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
      expect(JSON.parse(body).query).toBeUndefined();
    }
    await screenshot(page, '60-cookie-session-products');

    // The live list: a product written elsewhere appears, over the socket the cookie authenticated. Until the
    // subscription is live on the server, nothing comes: probes are written until one appears, and from then
    // on every later write must come.
    const probe = page.getByRole('cell', { name: /^Cookie probe \d+$/ }).first();
    for (let attempt = 0; attempt < 20 && !(await probe.isVisible()); attempt += 1) {
      await suite.server.orm.em.getConnection().execute('insert into product (name, price) values (?, 1)', [`Cookie probe ${attempt}`]);
      await page.waitForTimeout(300);
    }
    await probe.waitFor({ timeout: 5000 });
    await suite.server.orm.em.getConnection().execute("insert into product (name, price) values ('Cookie jar', 3)");
    await page.getByRole('cell', { name: 'Cookie jar', exact: true }).waitFor({ timeout: 5000 });

    // Another origin, same browser: its fetch with credentials and its form both meet the CSRF refusal.
    const tokensBefore = await loginTokens(user.id);
    const evil = await context.newPage();
    const answers: { status: number; body: string }[] = [];
    evil.on('response', async (response) => {
      if (response.url() === `${suite.server.baseUrl}/graphql` && response.request().method() === 'POST') {
        answers.push({ status: response.status(), body: await response.text().catch(() => '') });
      }
    });
    // The fetches' answers are hidden from the page and from Playwright (CORS fails them); what left the
    // browser is not: the text/plain one went with the cookie, the JSON one never got past its preflight.
    const sent: { type: string; cookie: boolean }[] = [];
    evil.on('request', async (request) => {
      if (request.url() !== `${suite.server.baseUrl}/graphql` || request.method() !== 'POST') return;
      const headers = await request.allHeaders();
      sent.push({ type: headers['content-type'], cookie: (headers.cookie ?? '').includes(`__Host-authtoken=${key}`) });
    });
    await evil.goto(`${attackerUrl}/`);
    expect(await evil.evaluate('window.fetchResult')).toMatch(/^failed: /); // the page cannot read the answer
    expect(await evil.evaluate('window.jsonResult')).toMatch(/^failed: /); // its preflight was refused
    await Promise.all([evil.waitForURL(`${suite.server.baseUrl}/graphql`), evil.evaluate("document.getElementById('form').submit()")]);
    // The form's answer is the page it navigated to: the CSRF refusal.
    await expect.poll(() => answers.length).toBe(1);
    expect(answers[0].status).toBe(403);
    expect(JSON.parse(answers[0].body)).toEqual({ errors: [{ message: CSRF_MESSAGE(attackerUrl), extensions: { code: 'FORBIDDEN', reason: 'CSRF' } }] });
    expect(sent).toContainEqual({ type: 'text/plain', cookie: true });
    await screenshot(evil, '61-cookie-session-csrf-form-refused');
    await evil.close();
    expect(await loginTokens(user.id)).toBe(tokensBefore);
    // Still signed in.
    await page.reload();
    await page.getByTestId('signed-in-as').waitFor();

    // Logging out deletes the token and the cookie.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect(await context.cookies(suite.server.baseUrl)).toEqual([]);
    expect(await loginTokens(user.id)).toBe(tokensBefore - 1);
    await screenshot(page, '62-cookie-session-logged-out');
  });
});
