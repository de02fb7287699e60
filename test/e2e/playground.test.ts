/**
 * The playground in a real browser: GraphiQL loads from this server alone, a browser opening /graphql lands
 * on it, the header editor carries the web app's token, and `me` runs with it as prefilled.
 */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { makeUser, tokenOf } from '../utils';
import { chromiumAvailable, field, screenshot, storedToken, useServerAndBrowser, warnIfNoChromium } from './browser';

warnIfNoChromium('playground');

/** The text Monaco shows in an editor (it renders spaces as non-breaking ones). */
async function editorText(page: Page, selector: string): Promise<string> {
  const text = await page.locator(`${selector} .view-lines`).first().innerText();
  return text.replace(/\u00a0/g, ' ');
}

describe.skipIf(!chromiumAvailable)('the playground in Chromium', () => {
  const suite = useServerAndBrowser();

  test('a browser opening /graphql lands on the playground, which offers the example operations and the schema docs', async () => {
    const { page } = await suite.session();
    await page.goto(`${suite.server.baseUrl}/graphql`);
    expect(new URL(page.url()).pathname).toBe('/playground');
    await page.locator('.graphiql-container').waitFor();
    const tabs = page.locator('.graphiql-tab');
    await expect.poll(() => tabs.allInnerTexts()).toEqual(['Register', 'ObtainAuthToken', 'Me', 'Products', 'ProductChanged']);
    await expect.poll(() => editorText(page, '.graphiql-query-editor')).toContain('mutation Register($input: RegisterInput!)');
    await expect.poll(() => editorText(page, '.graphiql-editor-tool .graphiql-editor:not(.hidden)')).toContain('"username": "alice"');
    // Docs come from introspection: the Query type's fields are listed.
    await page.getByRole('button', { name: /Show Documentation Explorer/i }).click();
    await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).click();
    await page.locator('.graphiql-doc-explorer').getByText('products', { exact: true }).first().waitFor();
    await screenshot(page, '20-playground-logged-out');
  }, 60_000);

  test('after logging in to the web app, the playground runs me with the prefilled Authorization header', async () => {
    const user = await makeUser(suite.server.orm, { username: 'erin', password: 'correct horse battery' });
    const { page } = await suite.session();
    await page.goto(`${suite.server.baseUrl}/login`);
    await field(page, 'Username').fill('erin');
    await field(page, 'Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Products' }).waitFor();
    // The token the web app logged in with (a login token since issue 11), which the playground must carry.
    const key = await storedToken(page);
    expect(key).not.toBe(await tokenOf(suite.server.orm, user.id));

    await page.getByRole('link', { name: 'Playground' }).click();
    await page.locator('.graphiql-container').waitFor();
    await expect.poll(() => page.locator('.graphiql-tab.graphiql-tab-active').innerText()).toBe('Me');
    await expect.poll(() => editorText(page, '.graphiql-editor-tool .graphiql-editor:not(.hidden)')).toContain(`"Authorization": "Token ${key}"`);
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(() => editorText(page, '.result-window')).toContain('"username": "erin"');
    await screenshot(page, '21-playground-me');
  }, 60_000);

  test('runs the productChanged subscription over WebSocket with the header editor as connection_init', async () => {
    const user = await makeUser(suite.server.orm, { username: 'fern', password: 'correct horse battery' });
    const { page } = await suite.session();
    await page.goto(`${suite.server.baseUrl}/login`);
    await field(page, 'Username').fill('fern');
    await field(page, 'Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Products' }).waitFor();
    const key = (await tokenOf(suite.server.orm, user.id))!;

    await page.goto(`${suite.server.baseUrl}/playground`);
    // Switching tabs before the editors are up leaves the first tab's text in them.
    await expect.poll(() => editorText(page, '.graphiql-query-editor')).toContain('query Me');
    await page.locator('.graphiql-tab', { hasText: 'ProductChanged' }).locator('.graphiql-tab-button').click();
    await expect.poll(() => editorText(page, '.graphiql-query-editor')).toContain('subscription ProductChanged');
    await page.locator('.graphiql-execute-button').click();
    // Written until one shows: the subscription says nothing before its first event.
    for (let attempt = 0; attempt < 20; attempt += 1) {
      await suite.server.graphql('mutation ($n: String!) { createProduct(input: {name: $n, price: "2"}) { id } }', {
        token: key,
        variables: { n: `Playground lamp ${attempt}` },
      });
      const shown = await expect
        .poll(() => editorText(page, '.result-window'), { timeout: 500 })
        .toMatch(/"name": "Playground lamp \d+"/)
        .then(() => true, () => false);
      if (shown) break;
    }
    await expect.poll(() => editorText(page, '.result-window')).toMatch(/"kind": "CREATED"/);
    await screenshot(page, '22-playground-subscription');
  }, 60_000);
});

describe.skipIf(!chromiumAvailable)('the playground of a production server', () => {
  const suite = useServerAndBrowser({ NODE_ENV: 'production' });

  test('says introspection is off and why, asks for no schema, and still runs operations', async () => {
    const { page } = await suite.session();
    const asked: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql') && request.method() === 'POST') asked.push(request.postData() ?? '');
    });
    await page.goto(`${suite.server.baseUrl}/playground`);
    await page.locator('.graphiql-container').waitFor();
    await page
      .getByText('GraphQL introspection is off on this server (it is off by default with NODE_ENV=production); set INTROSPECTION=true to allow it.')
      .waitFor();
    expect(await editorText(page, '.result-window')).not.toContain('errors');
    expect(asked.filter((body) => body.includes('__schema'))).toEqual([]);
    // The first tab registers alice: operations still run without a schema.
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(() => editorText(page, '.result-window')).toContain('"username": "alice"');
    await screenshot(page, '23-playground-production');
  }, 60_000);
});
