/**
 * The staff admin screen in a real browser: a staff user finds another user's token, regenerates it (the old
 * key stops working), adds and deletes tokens, and deactivates a user; a non-staff user never sees it.
 */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { makeUser, tokenOf } from '../utils';
import { chromiumAvailable, field, fieldError, screenshot, useServerAndBrowser, warnIfNoChromium } from './browser';

warnIfNoChromium('admin');

describe.skipIf(!chromiumAvailable)('the admin screen in Chromium', () => {
  const suite = useServerAndBrowser();

  async function logIn(username: string): Promise<Page> {
    const opened = await suite.session();
    const { page } = opened;
    await page.goto(`${suite.server.baseUrl}/login`);
    await field(page, 'Username').fill(username);
    await field(page, 'Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Products' }).waitFor();
    return page;
  }

  test('a staff user regenerates, deletes and adds another user’s token and deactivates that user', async () => {
    await makeUser(suite.server.orm, { username: 'staff', password: 'correct horse battery', isStaff: true });
    const frank = await makeUser(suite.server.orm, { username: 'frank', email: 'frank@example.com', password: 'correct horse battery' });
    await makeUser(suite.server.orm, { username: 'grace', password: 'correct horse battery' });
    const oldKey = (await tokenOf(suite.server.orm, frank.id))!;

    const page = await logIn('staff');
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    await screenshot(page, '30-admin-tokens');

    await page.getByRole('searchbox', { name: 'Search tokens by username or email' }).fill('FRANK@example');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(oldKey);

    await page.getByRole('button', { name: 'Regenerate the token of frank' }).click();
    await page.getByText('Regenerated the token of frank').waitFor();
    const newKey = (await tokenOf(suite.server.orm, frank.id))!;
    expect(newKey).not.toBe(oldKey);
    await expect.poll(() => rows.first().textContent()).toContain(newKey);
    expect((await suite.server.graphql('{ me { id } }', { token: oldKey })).status).toBe(401);
    expect((await suite.server.graphql('{ me { username } }', { token: newKey })).body.data).toEqual({ me: { username: 'frank' } });
    await screenshot(page, '31-admin-token-regenerated');

    await page.getByRole('button', { name: 'Delete the token of frank' }).click();
    await page.getByRole('button', { name: 'Confirm delete' }).click();
    await page.getByText('Deleted the token of frank.').waitFor();
    expect(await tokenOf(suite.server.orm, frank.id)).toBeUndefined();
    await page.getByText('No tokens match “FRANK@example”.').waitFor();

    // Add Token: an unknown username is refused next to the field, a known one gets a token.
    await field(page, 'Add a token for user').fill('nobody');
    await page.getByRole('button', { name: 'Add token' }).click();
    await page.getByText('Cannot create the Token: user nobody does not exist').waitFor();
    await screenshot(page, '32-admin-add-token-unknown-user');
    await field(page, 'Add a token for user').fill('frank');
    await page.getByRole('button', { name: 'Add token' }).click();
    await page.getByText('Token ready for frank.').waitFor();
    const addedKey = (await tokenOf(suite.server.orm, frank.id))!;
    await expect.poll(() => rows.first().textContent()).toContain(addedKey);

    await page.getByRole('tab', { name: 'Users' }).click();
    await page.getByRole('searchbox', { name: 'Search users by username or email' }).fill('frank');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByRole('button', { name: 'Deactivate frank' }).click();
    await page.getByText('Deactivated frank').waitFor();
    await expect.poll(() => rows.first().textContent()).toContain('Inactive');
    const refused = await suite.server.graphql('{ me { id } }', { token: addedKey });
    expect(refused.status).toBe(401);
    expect(refused.body.errors?.[0].message).toBe('User inactive or deleted.');
    await screenshot(page, '33-admin-users');
    await page.getByRole('button', { name: 'Activate frank' }).click();
    await page.getByText('Activated frank.').waitFor();
    expect((await suite.server.graphql('{ me { username } }', { token: addedKey })).status).toBe(200);
  }, 90_000);

  test('staff add a user (errors shown at the fields first) who can then log in; only a superuser may add staff', async () => {
    await makeUser(suite.server.orm, { username: 'ivan', password: 'correct horse battery', isStaff: true });
    const page = await logIn('ivan');
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('tab', { name: 'Users' }).click();
    await page.getByRole('button', { name: 'Add user' }).click();
    const form = page.getByRole('form', { name: 'Add user' });
    await form.waitFor();
    // Staff who are not superusers are not offered the boxes the server would refuse them.
    expect(await form.getByRole('checkbox', { name: 'Staff', exact: true }).count()).toBe(0);
    expect(await form.getByRole('checkbox', { name: 'Superuser (also staff)' }).count()).toBe(0);
    await form.getByText('Only a superuser may create staff or superusers.').waitFor();

    await field(page, 'Username').fill('judy');
    await field(page, 'Email').fill('not-an-email');
    await field(page, 'Password').fill('12345678');
    await form.getByRole('button', { name: 'Add user' }).click();
    await expect.poll(() => fieldError(page, 'Email').textContent()).toBeTruthy();
    await screenshot(page, '34-admin-add-user-errors');
    expect(await suite.server.orm.em.getConnection().execute("select id from auth_user where username = 'judy'")).toEqual([]);

    await field(page, 'Email').fill('judy@example.com');
    await field(page, 'Password').fill('judy correct horse');
    await form.getByRole('button', { name: 'Add user' }).click();
    await page.getByText('Added judy, with a token of their own.').waitFor();
    await page.locator('tbody tr[data-username="judy"]').waitFor();
    const [judy] = await suite.server.orm.em.getConnection().execute<{ id: number; is_staff: boolean }[]>("select id, is_staff from auth_user where username = 'judy'");
    expect(judy.is_staff).toBe(false);
    const key = await tokenOf(suite.server.orm, judy.id);
    const login = await suite.server.graphql('mutation { obtainAuthToken(username: "judy", password: "judy correct horse") { token } }');
    expect(login.body.data.obtainAuthToken.token).toBe(key);

    await makeUser(suite.server.orm, { username: 'root', password: 'correct horse battery', isStaff: true, isSuperuser: true });
    const rootPage = await logIn('root');
    await rootPage.getByRole('link', { name: 'Admin' }).click();
    await rootPage.getByRole('tab', { name: 'Users' }).click();
    await rootPage.getByRole('button', { name: 'Add user' }).click();
    const rootForm = rootPage.getByRole('form', { name: 'Add user' });
    await field(rootPage, 'Username').fill('kim');
    await field(rootPage, 'Email').fill('kim@example.com');
    await field(rootPage, 'Password').fill('kim correct horse');
    await rootForm.getByRole('checkbox', { name: 'Staff', exact: true }).check();
    await screenshot(rootPage, '35-admin-add-staff');
    await rootForm.getByRole('button', { name: 'Add user' }).click();
    await rootPage.getByText('Added kim, with a token of their own.').waitFor();
    const [kim] = await suite.server.orm.em.getConnection().execute<{ is_staff: boolean; is_superuser: boolean }[]>("select is_staff, is_superuser from auth_user where username = 'kim'");
    expect(kim).toEqual({ is_staff: true, is_superuser: false });
  }, 90_000);

  test('a user who is not staff has no Admin link, and /admin leads to the products', async () => {
    await makeUser(suite.server.orm, { username: 'heidi', password: 'correct horse battery' });
    const page = await logIn('heidi');
    expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    await page.goto(`${suite.server.baseUrl}/admin`);
    await page.getByRole('heading', { name: 'Products' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/products');
  }, 60_000);
});
