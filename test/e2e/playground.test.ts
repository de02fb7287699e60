/**
 * The playground in a real browser: GraphiQL loads from this server alone, a browser opening /graphql lands
 * on it, the header editor carries the web app's token, and `me` runs with it as prefilled.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { makeUser, startTestServer, tokenOf, type TestServer } from '../utils';
import { chromiumAvailable, field, launchChromium, openSession, requireCurrentWebBuild, screenshot, warnIfNoChromium, type Session } from './browser';

warnIfNoChromium('playground');

/** The text Monaco shows in an editor (it renders spaces as non-breaking ones). */
async function editorText(page: Page, selector: string): Promise<string> {
  const text = await page.locator(`${selector} .view-lines`).first().innerText();
  return text.replace(/\u00a0/g, ' ');
}

describe.skipIf(!chromiumAvailable)('the playground in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  const sessions: Session[] = [];

  beforeAll(async () => {
    requireCurrentWebBuild();
    [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    for (const session of sessions) {
      expect(session.blocked).toEqual([]);
      expect(session.problems).toEqual([]);
    }
  });

  async function session(): Promise<Session> {
    const opened = await openSession(browser);
    sessions.push(opened);
    return opened;
  }

  test('a browser opening /graphql lands on the playground, which offers the example operations and the schema docs', async () => {
    const { page } = await session();
    await page.goto(`${server.baseUrl}/graphql`);
    expect(new URL(page.url()).pathname).toBe('/playground');
    await page.locator('.graphiql-container').waitFor();
    const tabs = page.locator('.graphiql-tab');
    await expect.poll(() => tabs.allInnerTexts()).toEqual(['Register', 'ObtainAuthToken', 'Me', 'Products']);
    await expect.poll(() => editorText(page, '.graphiql-query-editor')).toContain('mutation Register($input: RegisterInput!)');
    await expect.poll(() => editorText(page, '.graphiql-editor-tool .graphiql-editor:not(.hidden)')).toContain('"username": "alice"');
    // Docs come from introspection: the Query type's fields are listed.
    await page.getByRole('button', { name: /Show Documentation Explorer/i }).click();
    await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).click();
    await page.locator('.graphiql-doc-explorer').getByText('products', { exact: true }).first().waitFor();
    await screenshot(page, '20-playground-logged-out');
  }, 60_000);

  test('after logging in to the web app, the playground runs me with the prefilled Authorization header', async () => {
    const user = await makeUser(server.orm, { username: 'erin', password: 'correct horse battery' });
    const { page } = await session();
    await page.goto(`${server.baseUrl}/login`);
    await field(page, 'Username').fill('erin');
    await field(page, 'Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Products' }).waitFor();
    const key = await tokenOf(server.orm, user.id);

    await page.getByRole('link', { name: 'Playground' }).click();
    await page.locator('.graphiql-container').waitFor();
    await expect.poll(() => page.locator('.graphiql-tab.graphiql-tab-active').innerText()).toBe('Me');
    await expect.poll(() => editorText(page, '.graphiql-editor-tool .graphiql-editor:not(.hidden)')).toContain(`"Authorization": "Token ${key}"`);
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(() => editorText(page, '.result-window')).toContain('"username": "erin"');
    await screenshot(page, '21-playground-me');
  }, 60_000);
});
