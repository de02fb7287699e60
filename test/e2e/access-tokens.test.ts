/**
 * Access tokens and sudo mode in a real browser: a user makes an access token on the Account screen (asked
 * for the password first because the session is not fresh), sees the key once, uses it from outside, rotates
 * and revokes it; staff meet the same prompt on a staff write, which is then retried without them seeing the
 * server's refusal. Screenshots in test-results/screenshots.
 */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { makeUser } from '../utils';
import { chromiumAvailable, field, fieldError, screenshot, useServerAndBrowser, warnIfNoChromium } from './browser';

warnIfNoChromium('access tokens');

describe.skipIf(!chromiumAvailable)('access tokens and sudo mode in Chromium', () => {
  const suite = useServerAndBrowser({ SUDO_MAX_AGE: '900' });

  async function logIn(username: string): Promise<Page> {
    const { page } = await suite.session();
    await page.goto(`${suite.server.baseUrl}/login`);
    await field(page, 'Username').fill(username);
    await field(page, 'Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Products' }).waitFor();
    return page;
  }

  /** Logging in confirmed the password; forgetting every confirmation makes the session stale. */
  async function staleSessions(): Promise<void> {
    await suite.server.orm.em.getConnection().execute('delete from authtoken_password_confirmation');
  }

  test('a user creates an access token after confirming the password, sees it once, rotates and revokes it', async () => {
    await makeUser(suite.server.orm, { username: 'dev', password: 'correct horse battery' });
    const page = await logIn('dev');
    await staleSessions();
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { name: 'Access tokens' }).waitFor();
    const form = page.getByRole('form', { name: 'New access token' });

    // No scope: the password is asked for first (the session is not fresh), then the server's validation.
    await field(page, 'Name').fill('CI deploy');
    await form.getByRole('button', { name: 'Create access token' }).click();
    const prompt = page.getByRole('dialog', { name: 'Confirm your password' });
    await prompt.waitFor();
    await field(page, 'Your password').fill('wrong horse');
    await prompt.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => fieldError(page, 'Your password').textContent()).toBe('Your password was entered incorrectly. Please enter it again.');
    await screenshot(page, '60-sudo-prompt-wrong-password');
    await field(page, 'Your password').fill('correct horse battery');
    await prompt.getByRole('button', { name: 'Confirm' }).click();
    await prompt.waitFor({ state: 'detached' });
    await form.getByText('This list may not be empty.').waitFor();
    expect(await suite.server.orm.em.getConnection().execute("select id from authtoken_login_token where kind = 'access'")).toEqual([]);

    // Write implies read: ticking write ticks read and holds it.
    await page.getByRole('checkbox', { name: 'products: write' }).check();
    expect(await page.getByRole('checkbox', { name: 'products: read' }).isChecked()).toBe(true);
    await page.getByRole('checkbox', { name: 'products: write' }).uncheck();
    await page.getByRole('checkbox', { name: 'profile: read' }).check();
    await page.getByLabel('Expires in').selectOption('7');
    await field(page, 'Networks (optional)').fill('127.0.0.1, 10.0.0.0/8');
    await field(page, 'Rate (optional)').fill('100/minute');
    await form.getByRole('button', { name: 'Create access token' }).click();
    const shown = page.getByTestId('new-access-token');
    await shown.waitFor();
    expect(await shown.textContent()).toContain('Copy it now: it will not be shown again.');
    const key = (await shown.locator('code').textContent())!;
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    await shown.getByRole('button', { name: 'Copy the access token' }).waitFor();
    const row = page.locator('tr[data-name="CI deploy"]');
    await expect.poll(() => row.textContent()).toContain('products:read');
    expect(await row.textContent()).toContain('profile:read');
    expect(await row.textContent()).toContain('100/minute');
    await screenshot(page, '61-access-token-created');

    // The key works as its scopes say, from outside the browser.
    expect((await suite.server.graphql('{ products { total } }', { token: key })).status).toBe(200);
    const write = await suite.server.graphql('mutation { deleteProduct(id: "1") }', { token: key });
    expect(write.status).toBe(403);
    expect(write.headers.get('www-authenticate')).toBe('Token error="insufficient_scope", scope="products:write"');

    // Rotate, the old key kept for an hour: both work; the new one is shown once.
    await page.getByLabel('When CI deploy is rotated, the old key').selectOption({ label: 'Works 1 more hour' });
    await page.getByRole('button', { name: 'Rotate CI deploy' }).click();
    await expect.poll(() => shown.textContent()).toContain('New key for “CI deploy”.');
    const rotated = (await shown.locator('code').textContent())!;
    expect(rotated).not.toBe(key);
    expect((await suite.server.graphql('{ me { username } }', { token: key })).status).toBe(200);
    expect((await suite.server.graphql('{ me { username } }', { token: rotated })).status).toBe(200);
    await screenshot(page, '62-access-token-rotated');

    // Two rows now (the old key in its grace, the new one); revoke both.
    await expect.poll(() => page.locator('tr[data-name="CI deploy"]').count()).toBe(2);
    await page.getByRole('button', { name: 'Revoke CI deploy' }).first().click();
    await page.getByText('Revoked “CI deploy”: it no longer works.').waitFor();
    await page.getByRole('button', { name: 'Revoke CI deploy' }).first().click();
    await expect.poll(() => page.locator('tr[data-name="CI deploy"]').count()).toBe(0);
    expect((await suite.server.graphql('{ me { username } }', { token: rotated })).status).toBe(401);
    expect((await suite.server.graphql('{ me { username } }', { token: key })).status).toBe(401);
  }, 90_000);

  test('a staff write answered REAUTHENTICATION_REQUIRED asks for the password, then goes through', async () => {
    await makeUser(suite.server.orm, { username: 'chief', password: 'correct horse battery', isStaff: true });
    const target = await makeUser(suite.server.orm, { username: 'olga', password: 'correct horse battery' });
    const page = await logIn('chief');
    await staleSessions();
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('tab', { name: 'Users' }).click();
    await page.getByRole('searchbox', { name: 'Search users by username or email' }).fill('olga');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);

    // Cancelled: nothing happens, and the refusal is said.
    await page.getByRole('button', { name: 'Deactivate olga' }).click();
    const prompt = page.getByRole('dialog', { name: 'Confirm your password' });
    await prompt.waitFor();
    await screenshot(page, '63-admin-sudo-prompt');
    await prompt.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Confirm your password to continue.').waitFor();
    const active = () => suite.server.orm.em.getConnection().execute<{ is_active: boolean }[]>('select is_active from auth_user where id = ?', [target.id]);
    expect(await active()).toEqual([{ is_active: true }]);

    // Confirmed: the same click goes through, no refusal shown.
    await page.getByRole('button', { name: 'Deactivate olga' }).click();
    await prompt.waitFor();
    await field(page, 'Your password').fill('correct horse battery');
    await prompt.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('Deactivated olga').waitFor();
    expect(await page.getByText('Confirm your password to continue.').count()).toBe(0);
    expect(await active()).toEqual([{ is_active: false }]);
    // Fresh now: the next write asks nothing.
    await page.getByRole('button', { name: 'Activate olga' }).click();
    await page.getByText('Activated olga.').waitFor();
    expect(await prompt.count()).toBe(0);
    await screenshot(page, '64-admin-after-sudo');
  }, 90_000);
});
