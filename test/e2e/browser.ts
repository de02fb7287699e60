/**
 * Helpers for the browser tests: Debian's Chromium driven by playwright-core, headless, with every request
 * that does not go to 127.0.0.1 aborted and recorded (so a test proves the pages need nothing from the
 * internet), uncaught page errors and CSP violations collected, and screenshots saved for people to look at.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { startTestServer, type TestServer } from '../utils';
import { isBuildCurrent } from '../../web/build-stamp.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = fs.existsSync(CHROMIUM);
export const SCREENSHOTS = path.resolve(__dirname, '../../test-results/screenshots');

/** Called by each browser suite: when Chromium is missing the suite is skipped, and says so loudly. */
export function warnIfNoChromium(suite: string): void {
  if (chromiumAvailable) return;
  console.warn(
    [
      '',
      '!'.repeat(78),
      `!! SKIPPED: the browser tests (${suite}) need Chromium at ${CHROMIUM}, which is missing.`,
      '!! Install it with:  sudo apt-get install chromium   (Debian/Ubuntu), or set CHROMIUM_PATH.',
      '!'.repeat(78),
      '',
    ].join('\n'),
  );
}

/** The pages under test must be built from the sources under test: say how when they are not. */
export function requireCurrentWebBuild(): void {
  if (!isBuildCurrent()) {
    throw new Error('dist/web is missing or older than web/: run `npm run build:web` first (`npm test` does it).');
  }
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface Session {
  context: BrowserContext;
  page: Page;
  /** URLs the page tried to load from anywhere but 127.0.0.1 (all were aborted). */
  blocked: string[];
  /** Uncaught exceptions and Content-Security-Policy violations seen in the page. */
  problems: string[];
}

export async function openSession(browser: Browser): Promise<Session> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', timezoneId: 'UTC' });
  const blocked: string[] = [];
  const problems: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1') return route.continue();
    blocked.push(url.href);
    return route.abort('internetdisconnected');
  });
  // Shorter than the test's own timeout, so a missing element fails with Playwright's message, not a bare timeout.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  return { context, page, blocked, problems };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The <input> (or <textarea>) of a form field, by its label. */
export function field(page: Page, label: string) {
  return page.getByLabel(label, { exact: true });
}

/** The validation message shown under a field, found from the field's own label (so "next to it" is tested). */
export function fieldError(page: Page, label: string) {
  return page.locator('.field', { has: page.getByText(label, { exact: true }) }).locator('.field-error');
}

// The root tsconfig has no DOM types (this is Node code): page functions go as strings.
const TOKEN_KEY = 'graphql-authtoken.token';

/** The keys the page holds in sessionStorage. */
export async function sessionStorageKeys(page: Page): Promise<string[]> {
  return page.evaluate('Object.keys(sessionStorage)');
}

/** The token the web app stored, or null. */
export async function storedToken(page: Page): Promise<string | null> {
  return page.evaluate(`sessionStorage.getItem(${JSON.stringify(TOKEN_KEY)})`);
}

export async function setStoredToken(page: Page, token: string): Promise<void> {
  await page.evaluate(`sessionStorage.setItem(${JSON.stringify(TOKEN_KEY)}, ${JSON.stringify(token)})`);
}

export interface BrowserSuite {
  readonly server: TestServer;
  readonly browser: Browser;
  /** A fresh browser context and page, checked when the suite ends. */
  session(): Promise<Session>;
}

/**
 * One server and one Chromium for a describe block. Every session it opens is checked once all tests ran:
 * no page may have reached beyond 127.0.0.1 or hit a script error or a CSP violation.
 */
/** A test server (with `env` as its settings) and Chromium for the suite; each session is checked at the end. */
export function useServerAndBrowser(env: Record<string, string> = {}): BrowserSuite {
  let server: TestServer;
  let browser: Browser;
  const sessions: Session[] = [];

  beforeAll(async () => {
    requireCurrentWebBuild();
    [server, browser] = await Promise.all([startTestServer(env), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    for (const session of sessions) {
      expect(session.blocked).toEqual([]);
      expect(session.problems).toEqual([]);
    }
  });

  return {
    get server() {
      return server;
    },
    get browser() {
      return browser;
    },
    async session() {
      const opened = await openSession(browser);
      sessions.push(opened);
      return opened;
    },
  };
}
