/**
 * The live parts of the web app in a real browser: a product added in one tab (or by anyone, anywhere)
 * appears in another without a reload, and a tab whose token is revoked elsewhere goes to the login screen
 * at once, through the WebSocket the product list keeps open.
 */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { makeUser } from '../utils';
import { chromiumAvailable, field, screenshot, sessionStorageKeys, storedToken, useServerAndBrowser, warnIfNoChromium } from './browser';

warnIfNoChromium('live product list');

describe.skipIf(!chromiumAvailable)('live data in Chromium', () => {
  const suite = useServerAndBrowser();

  async function logIn(page: Page, username: string): Promise<void> {
    await page.goto(`${suite.server.baseUrl}/login`);
    await field(page, 'Username').fill(username);
    await field(page, 'Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Products' }).waitFor();
    await page.locator('main table, main .empty').first().waitFor();
  }

  /**
   * Waits until the product list's subscription is up: writes a product named `<prefix> <n>` straight into
   * the database until one of them shows (a subscription says nothing until its first event).
   */
  async function untilLive(page: Page, prefix: string): Promise<void> {
    const shown = page.getByRole('cell', { name: new RegExp(`^${prefix} \\d+$`) }).first();
    for (let attempt = 0; attempt < 20; attempt += 1) {
      await suite.server.orm.em.getConnection().execute('insert into product (name, price) values (?, 1)', [`${prefix} ${attempt}`]);
      if (await shown.waitFor({ timeout: 500 }).then(() => true, () => false)) return;
    }
    throw new Error('the product list never went live');
  }

  test('a product added in another tab, or straight in the database, appears without a reload', async () => {
    await makeUser(suite.server.orm, { username: 'lena', password: 'correct horse battery' });
    const watcher = await suite.session();
    const editor = await suite.session();
    await logIn(watcher.page, 'lena');
    await logIn(editor.page, 'lena');
    await untilLive(watcher.page, 'Lena probe');
    const navigations: string[] = [];
    watcher.page.on('framenavigated', (frame) => navigations.push(frame.url()));

    await field(editor.page, 'Name').fill('Live teapot');
    await field(editor.page, 'Price').fill('19.99');
    await editor.page.getByRole('button', { name: 'Add product' }).click();
    await editor.page.getByText('Added “Live teapot”.').waitFor();

    await watcher.page.getByRole('cell', { name: 'Live teapot', exact: true }).waitFor({ timeout: 5000 });
    expect(await watcher.page.locator('tbody tr').first().textContent()).toContain('Live teapot');
    await screenshot(watcher.page, '30-live-product-from-another-tab');

    // Deleted elsewhere: gone here too.
    await editor.page.getByRole('button', { name: 'Delete Live teapot' }).click();
    await editor.page.getByRole('button', { name: 'Confirm delete' }).click();
    await expect.poll(() => watcher.page.getByRole('cell', { name: 'Live teapot', exact: true }).count(), { timeout: 5000 }).toBe(0);
    expect(navigations).toEqual([]);
  }, 60_000);

  test('a tab whose token is revoked elsewhere goes to the login screen with the reason, without a click', async () => {
    await makeUser(suite.server.orm, { username: 'mira', password: 'correct horse battery' });
    const { page } = await suite.session();
    await logIn(page, 'mira');
    // The login screen logs in with a login token: the one this tab holds.
    const key = (await storedToken(page))!;
    expect(key).toBeTruthy();
    await untilLive(page, 'Mira probe');

    // Logged out from elsewhere: another client calls logout with the same key.
    expect((await suite.server.graphql('mutation { logout }', { token: key })).body.data).toEqual({ logout: true });
    await page.getByRole('heading', { name: 'Log in' }).waitFor({ timeout: 5000 });
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByRole('alert').filter({ hasText: 'Your session has ended: Invalid token.' }).waitFor();
    expect(await sessionStorageKeys(page)).toEqual([]);
    await screenshot(page, '31-revoked-elsewhere');
  }, 60_000);

  test('regenerating the token in this tab keeps the session, and the list stays live on the new key', async () => {
    await makeUser(suite.server.orm, { username: 'nora', password: 'correct horse battery' });
    const { page } = await suite.session();
    await logIn(page, 'nora');
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByRole('button', { name: 'Regenerate token' }).click();
    await page.getByText('A new token was issued').waitFor();
    await page.getByRole('link', { name: 'Products' }).click();
    await page.getByRole('heading', { name: 'Products' }).waitFor();
    await untilLive(page, 'Nora probe');
    expect(new URL(page.url()).pathname).toBe('/products');
  }, 60_000);
});
