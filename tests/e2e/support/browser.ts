import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ARTIFACTS, E2E_ADMIN, type ExampleServer } from './exampleServer';

/** The system Chromium (Debian's `chromium` package); playwright-core never downloads a browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const launchChromium = async (): Promise<Browser> => {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
};

export interface AdminSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Errors the page reported (uncaught exceptions and console errors, less favicon noise). */
  browserErrors: string[];
  /** Runs one step; on failure the error carries a screenshot, the browser's errors and Strapi's output. */
  step: (name: string, fn: () => Promise<void>) => Promise<void>;
  /** Logs in with the example's super admin and waits for the admin home. */
  logIn: () => Promise<void>;
  close: () => Promise<void>;
}

/** Chromium on the example app's admin, at desktop size, with the helpers every browser test needs. */
export const openAdminSession = async (server: ExampleServer, label: string): Promise<AdminSession> => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await launchChromium();
  // Reduced motion turns off the design system's modal and toast animations: steadier screenshots.
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, reducedMotion: 'reduce', baseURL: server.baseUrl });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  const browserErrors: string[] = [];
  page.on('pageerror', (error) => browserErrors.push(`pageerror: ${error.message}`));
  // Requests still without an answer when a step fails: tells a slow server from a request never made.
  const open = new Map<object, string>();
  page.on('request', (request) => open.set(request, `${request.method()} ${new URL(request.url()).pathname} (since ${new Date().toISOString().slice(11, 23)})`));
  page.on('requestfinished', (request) => open.delete(request));
  page.on('requestfailed', (request) => open.delete(request));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/favicon|Failed to load resource/.test(message.text())) browserErrors.push(`console: ${message.text()}`);
  });
  return {
    browser,
    context,
    page,
    browserErrors,
    async step(name, fn) {
      try {
        await fn();
      } catch (error) {
        const shot = path.join(ARTIFACTS, `failure-${label}-${name.replace(/\W+/g, '-')}.png`);
        await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
        const e = error instanceof Error ? error : new Error(String(error));
        const original = e.message;
        e.message = `[${name}] ${original}\n\nscreenshot: ${shot}\nbrowser errors:\n${browserErrors.join('\n') || '(none)'}\nrequests without an answer (at ${new Date().toISOString().slice(11, 23)}):\n${[...open.values()].filter((r) => !/\/stream/.test(r)).join('\n') || '(none)'}\n\n${server.logs()}`;
        // Jest prints the stack, which Playwright's errors computed with the original message.
        if (e.stack?.includes(original)) e.stack = e.stack.replace(original, e.message);
        throw e;
      }
    },
    async logIn() {
      await page.goto('/admin');
      await page.getByRole('textbox', { name: 'Email' }).fill(E2E_ADMIN.email);
      await page.getByRole('textbox', { name: 'Password' }).fill(E2E_ADMIN.password);
      await page.getByRole('button', { name: 'Login' }).click();
      await page.waitForURL((url) => url.pathname.startsWith('/admin') && !url.pathname.startsWith('/admin/auth'));
    },
    async close() {
      await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
    },
  };
};

/** Polls `check` until it holds or the time is up. */
export const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 10_000, everyMs = 100) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}`);
};
