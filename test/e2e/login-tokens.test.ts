/**
 * Login tokens in the web app, in a real browser against the real server: logging in makes a login token
 * named after the browser; "Your devices" lists them with this one marked, revokes another, and logs out
 * everywhere; the change-password form; an expired token returns to the login screen saying the session
 * expired; the admin's Login tokens section.
 */
import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { makeUser, tokenOf } from '../utils';
import { chromiumAvailable, field, fieldError, screenshot, sessionStorageKeys, storedToken, useServerAndBrowser, warnIfNoChromium } from './browser';

warnIfNoChromium('login tokens');

const LOGIN = 'mutation ($u: String!, $p: String!, $n: String) { login(username: $u, password: $p, name: $n) { token } }';

describe.skipIf(!chromiumAvailable)('login tokens in the web app, in Chromium', () => {
  const suite = useServerAndBrowser();

  async function logIn(username: string, password = 'correct horse battery'): Promise<Page> {
    const { page } = await suite.session();
    await page.goto(`${suite.server.baseUrl}/login`);
    await field(page, 'Username').fill(username);
    await field(page, 'Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Products' }).waitFor();
    return page;
  }

  /** A login token made elsewhere (another device), through the API. */
  async function loginElsewhere(username: string, name: string, password = 'correct horse battery'): Promise<string> {
    const response = await suite.server.graphql(LOGIN, { variables: { u: username, p: password, n: name } });
    return response.body.data.login.token;
  }

  async function loginRows(userId: number) {
    return suite.server.orm.em
      .getConnection()
      .execute<{ name: string; digest: string }[]>('select name, digest from authtoken_login_token where user_id = ? order by id', [userId]);
  }

  const digest = (token: string | null) => createHash('sha512').update(token ?? '').digest('hex');

  test('logging in makes a login token named after the browser; Your devices lists it, revokes another, and logs out everywhere', async () => {
    const user = await makeUser(suite.server.orm, { username: 'heidi', password: 'correct horse battery' });
    const phone = await loginElsewhere('heidi', 'Phone');
    const page = await logIn('heidi');

    const stored = await storedToken(page);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    const rows = await loginRows(user.id);
    expect(rows.map((row) => row.name)).toEqual(['Phone', 'Chrome on Linux']);
    expect(rows[1].digest).toBe(digest(stored));

    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { name: 'Your devices' }).waitFor();
    const devices = page.getByTestId('device');
    await expect.poll(() => devices.count()).toBe(2);
    // Newest first: this browser, marked, and with no Revoke of its own.
    expect(await devices.nth(0).textContent()).toContain('Chrome on Linux');
    expect(await devices.nth(0).textContent()).toContain('This device');
    expect(await devices.nth(0).getAttribute('aria-current')).toBe('true');
    expect(await devices.nth(0).getByRole('button', { name: /Revoke/ }).count()).toBe(0);
    expect(await devices.nth(1).textContent()).toContain('Phone');
    expect(await devices.nth(1).textContent()).toContain(phone.slice(0, 15));
    expect(await page.content()).not.toContain(phone);
    await screenshot(page, '40-your-devices');

    await devices.nth(1).getByRole('button', { name: /^Revoke Phone/ }).click();
    await page.getByText('Revoked “Phone”: it is logged out.').waitFor();
    await expect.poll(() => devices.count()).toBe(1);
    expect((await suite.server.graphql('{ me { id } }', { token: phone })).status).toBe(401);
    expect((await suite.server.graphql('{ me { username } }', { token: stored! })).body.data).toEqual({ me: { username: 'heidi' } });

    const other = await loginElsewhere('heidi', 'Tablet');
    await page.getByRole('button', { name: 'Log out everywhere' }).click();
    await page.getByText('You have been logged out on every device.').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await sessionStorageKeys(page)).toEqual([]);
    expect(await loginRows(user.id)).toEqual([]);
    expect(await tokenOf(suite.server.orm, user.id)).toBeUndefined();
    expect((await suite.server.graphql('{ me { id } }', { token: other })).status).toBe(401);
    await screenshot(page, '41-logged-out-everywhere');
  }, 60_000);

  test('the change-password form shows a wrong current password at its field, then changes it and logs the other devices out', async () => {
    const user = await makeUser(suite.server.orm, { username: 'ivan', password: 'correct horse battery' });
    const laptop = await loginElsewhere('ivan', 'Laptop');
    const page = await logIn('ivan');
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { name: 'Change password' }).waitFor();

    await field(page, 'Current password').fill('not my password');
    await field(page, 'New password').fill('a brand new secret');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => fieldError(page, 'Current password').textContent()).toBe('Your old password was entered incorrectly. Please enter it again.');
    await field(page, 'Current password').fill('correct horse battery');
    await field(page, 'New password').fill('short');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => fieldError(page, 'New password').textContent()).toBe('This password is too short. It must contain at least 8 characters.');
    await screenshot(page, '42-change-password-error');

    await field(page, 'New password').fill('a brand new secret');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Your password was changed. Your other devices have been logged out.').waitFor();
    expect((await suite.server.graphql('{ me { id } }', { token: laptop })).status).toBe(401);
    expect((await loginRows(user.id)).map((row) => row.name)).toEqual(['Chrome on Linux']);
    await expect.poll(() => page.getByTestId('device').count()).toBe(1);
    // This tab is still logged in, and the new password is the one that works.
    await page.getByRole('link', { name: 'Products' }).click();
    await page.getByRole('heading', { name: 'Products' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Log in' }).count()).toBe(0);
    expect((await suite.server.graphql(LOGIN, { variables: { u: 'ivan', p: 'a brand new secret' } })).status).toBe(200);
    await screenshot(page, '43-password-changed');
  }, 60_000);

  test('an expired login token returns the browser to the login screen saying the session expired', async () => {
    const user = await makeUser(suite.server.orm, { username: 'judith', password: 'correct horse battery' });
    const page = await logIn('judith');
    await page.locator('main table, main .empty').first().waitFor();
    await suite.server.orm.em.getConnection().execute("update authtoken_login_token set expiry = now() - interval '1 second' where user_id = ?", [user.id]);
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await page.getByRole('alert').filter({ hasText: 'Your session expired. Please log in again.' }).waitFor();
    expect(await page.getByText('Invalid token.').count()).toBe(0);
    expect(await sessionStorageKeys(page)).toEqual([]);
    await screenshot(page, '44-session-expired');

    await field(page, 'Username').fill('judith');
    await field(page, 'Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByTestId('signed-in-as').textContent()).toBe('judith');
  }, 60_000);

  test("staff find a user's login tokens by username or by a pasted token, never see one in full, and revoke one", async () => {
    await makeUser(suite.server.orm, { username: 'kstaff', password: 'correct horse battery', isStaff: true });
    await makeUser(suite.server.orm, { username: 'leaky', email: 'leaky@example.com', password: 'correct horse battery' });
    const leaked = await loginElsewhere('leaky', 'CI runner');
    const kept = await loginElsewhere('leaky', 'Desktop');
    const page = await logIn('kstaff');
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('tab', { name: 'Login tokens' }).click();
    const rows = page.locator('tbody tr');

    await page.getByRole('searchbox', { name: 'Search login tokens by username, email or token' }).fill('leaky@');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => rows.count()).toBe(2);
    expect(await page.content()).not.toContain(leaked);
    expect(await page.content()).not.toContain(kept);

    await page.getByRole('searchbox', { name: 'Search login tokens by username, email or token' }).fill(leaked);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('CI runner');
    expect(await rows.first().textContent()).toContain(leaked.slice(0, 15));
    await screenshot(page, '45-admin-login-tokens');

    await page.getByRole('button', { name: `Revoke the login token ${leaked.slice(0, 15)} of leaky` }).click();
    await page.getByText(`Revoked the login token ${leaked.slice(0, 15)}… of leaky.`).waitFor();
    await page.getByText(/^No login tokens match/).waitFor();
    expect((await suite.server.graphql('{ me { id } }', { token: leaked })).status).toBe(401);
    expect((await suite.server.graphql('{ me { username } }', { token: kept })).body.data).toEqual({ me: { username: 'leaky' } });
  }, 60_000);
});
