/**
 * The security log in the web app, in a real browser against the real server: Account → Security lists the
 * user's own events (a failed login from elsewhere among them, with its address) and the that-wasn't-me hint
 * leads to Your devices and the password form; staff search the Security log by type, user, a pasted token
 * and address, and page through it.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { makeUser } from '../utils';
import { chromiumAvailable, field, screenshot, useServerAndBrowser, warnIfNoChromium } from './browser';

warnIfNoChromium('security log');

const LOGIN = 'mutation LogIn($u: String!, $p: String!, $n: String) { login(username: $u, password: $p, name: $n) { token } }';
const PASSWORD = 'correct horse battery';

describe.skipIf(!chromiumAvailable)('the security log in the web app, in Chromium', () => {
  const suite = useServerAndBrowser();

  async function logIn(username: string): Promise<Page> {
    const { page } = await suite.session();
    await page.goto(`${suite.server.baseUrl}/login`);
    await field(page, 'Username').fill(username);
    await field(page, 'Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Products' }).waitFor();
    return page;
  }

  /** A login from another address (through the loopback proxy), as an attacker or another device makes it. */
  function loginFrom(ip: string, username: string, password: string, name = 'Other device') {
    return suite.server.graphql(LOGIN, { variables: { u: username, p: password, n: name }, headers: { 'x-forwarded-for': ip, 'user-agent': 'curl/8.5.0' } });
  }

  test("Account → Security lists the user's own events, a failed login from elsewhere included, and says what to do about it", async () => {
    await makeUser(suite.server.orm, { username: 'sec-ivy', password: PASSWORD });
    await makeUser(suite.server.orm, { username: 'sec-other', password: PASSWORD });
    await loginFrom('203.0.113.66', 'sec-ivy', 'guessed wrong');
    await loginFrom('198.51.100.9', 'sec-other', PASSWORD);
    const page = await logIn('sec-ivy');
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { name: 'Security' }).waitFor();
    const rows = page.getByTestId('security-event');
    await expect.poll(() => rows.count()).toBe(3);
    // Newest first: this browser's login (its token made, then the login), then the failure from elsewhere.
    const texts = await rows.allTextContents();
    expect(texts[0]).toContain('Logged in');
    expect(texts[0]).toContain('127.0.0.1');
    expect(texts[0]).toMatch(/Device [0-9a-f]{15}…/);
    expect(texts[1]).toMatch(/Token created \(device [0-9a-f]{15}…\)/);
    expect(texts[2]).toContain('Failed login: wrong password');
    expect(texts[2]).toContain('203.0.113.66');
    expect(texts[2]).toContain('curl/8.5.0');
    expect(texts.join('\n')).not.toContain('198.51.100.9');
    expect(await rows.nth(2).getAttribute('class')).toBe('row-warning');

    const hint = page.getByTestId('not-me-hint');
    expect(await hint.textContent()).toContain('Something you did not do?');
    await hint.getByRole('link', { name: 'Your devices' }).click();
    expect(new URL(page.url()).hash).toBe('#devices-title');
    await hint.getByRole('link', { name: 'change your password' }).click();
    expect(new URL(page.url()).hash).toBe('#password-title');
    await page.getByRole('heading', { name: 'Security' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'security-account');
  });

  test('staff search the Security log by type, user, pasted token and address, and page through it', async () => {
    await makeUser(suite.server.orm, { username: 'sec-staff', password: PASSWORD, isStaff: true });
    await makeUser(suite.server.orm, { username: 'sec-leaky', password: PASSWORD });
    const leaked = (await loginFrom('192.0.2.44', 'sec-leaky', PASSWORD, 'Leaky laptop')).body.data.login.token as string;
    for (let i = 0; i < 3; i += 1) {
      await suite.server.graphql(`mutation Leak${i} { createProduct(input: { name: "leak ${i}", price: "1.00" }) { id } }`, { token: leaked });
    }
    for (let i = 0; i < 30; i += 1) await loginFrom('192.0.2.99', `sec-nobody-${i}`, 'nope');
    const page = await logIn('sec-staff');
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('tab', { name: 'Security log' }).click();
    const rows = page.getByTestId('admin-security-event');
    await expect.poll(() => rows.count()).toBe(25);

    // Paging: Older, then Newer, back to the same first row.
    const first = await rows.nth(0).textContent();
    await page.getByRole('button', { name: 'Older →' }).click();
    await expect.poll(async () => (await rows.nth(0).textContent()) !== first).toBe(true);
    expect(await page.getByText('Page 2').count()).toBe(1);
    await page.getByRole('button', { name: '← Newer' }).click();
    await expect.poll(() => rows.nth(0).textContent()).toBe(first);

    // "What did this token do?": the whole token pasted.
    await page.getByLabel('Token').fill(leaked);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => rows.count()).toBe(4);
    const trail = await rows.allTextContents();
    expect(trail.slice(0, 3).every((text) => /Change made: createProduct/.test(text))).toBe(true);
    expect(trail.map((text) => /Leak\d/.exec(text)?.[0])).toEqual(['Leak2', 'Leak1', 'Leak0', undefined]);
    expect(trail[3]).toContain('Logged in');
    expect(trail.join('\n')).not.toContain(leaked);
    await screenshot(page, 'security-admin-token-trail');

    // By type and address together.
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('Type').selectOption('LOGIN_FAILED_UNKNOWN_USER');
    await page.getByLabel('Address').fill('192.0.2.99');
    await page.getByRole('button', { name: 'Search' }).click();
    // A full page of matches (an empty table while the search loads matches every() too).
    const page1 = async () => {
      const texts = await rows.allTextContents();
      return texts.length === 25 && texts.every((text) => text.includes('Failed login: unknown user') && text.includes('192.0.2.99'));
    };
    await expect.poll(page1).toBe(true);
    await page.getByRole('button', { name: 'Older →' }).click();
    await expect.poll(() => rows.count()).toBe(5);
    expect(await page.getByRole('button', { name: 'Older →' }).isDisabled()).toBe(true);

    // By user.
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('User').fill('sec-leaky');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => rows.count()).toBe(5);
    await screenshot(page, 'security-admin-user');
    // Nothing matches: says so.
    await page.getByLabel('User').fill('nobody-at-all');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No security events match.').waitFor();
  });
});
