/**
 * In a real browser against the example CRM (`strapi start`) talking to the provider simulator: a
 * Meta number is connected, a customer writes from their phone, the message shows up in the open
 * inbox without a reload, and the admin's reply reaches the customer and is marked delivered.
 * The inbox polls the API every 2 seconds for live updates.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { CreateNumber } from '../../contracts/numbers';
import { createSimulator, type RunningSimulator } from '../../simulator';
import { launchChromium } from './support/browser';
import { ARTIFACTS, E2E_ADMIN, ROOT, adminToken, startExample, type ExampleServer } from './support/exampleServer';

const META = {
  label: 'Sales US',
  phone: '+15550001111',
  phoneNumberId: '109876543210987',
  wabaId: '102030405060708',
  accessToken: 'EAAG-e2e-inbox-access-token-0123456789',
  appSecret: 'e2e-inbox-app-secret-0123456789abcdef',
  verifyToken: 'e2e-inbox-verify-token-2026',
};
const CUSTOMER = { phone: '15550002222', name: 'Alice Example', text: 'Hello from the phone' };
const REPLY = 'Hi Alice, thanks for writing! How can we help?';

const SCREENSHOT = path.join(ARTIFACTS, 'inbox.png');
const SCREENSHOT_PHONE = path.join(ARTIFACTS, 'inbox-390px.png');
const DOCS_SCREENSHOT = path.join(ROOT, 'docs', 'screenshots', 'inbox.png');

jest.setTimeout(240_000);

let sim: RunningSimulator | undefined;
let server: ExampleServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
const browserErrors: string[] = [];

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  sim = await createSimulator({ port: 0 });
  server = await startExample({ WHATSAPP_META_BASE_URL: sim.url });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, reducedMotion: 'reduce', baseURL: server.baseUrl });
  context.setDefaultTimeout(20_000);
  page = await context.newPage();
  page.on('pageerror', (error) => browserErrors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/favicon|Failed to load resource/.test(message.text())) browserErrors.push(`console: ${message.text()}`);
  });
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await server?.stop();
  await sim?.close();
});

const step = async (name: string, fn: () => Promise<void>) => {
  try {
    await fn();
  } catch (error) {
    const shot = path.join(ARTIFACTS, `failure-inbox-${name.replace(/\W+/g, '-')}.png`);
    await page?.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
    const e = error instanceof Error ? error : new Error(String(error));
    e.message = `[${name}] ${e.message}\n\nscreenshot: ${shot}\nbrowser errors:\n${browserErrors.join('\n') || '(none)'}\n\n${server?.logs() ?? ''}`;
    throw e;
  }
};

const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
};

test('a customer writes, the inbox shows it live, and the reply reaches the phone', async () => {
  const { baseUrl, port } = server!;

  await step('connect a Meta number to the simulator', async () => {
    const token = await adminToken(baseUrl);
    const res = await fetch(`${baseUrl}/whatsapp/numbers`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ provider: 'meta', ...META }),
    });
    expect(res.status).toBe(201);
    const created = ((await res.json()) as CreateNumber.Response).data;
    const hook = new URL(created.webhookUrl);
    const webhookUrl = `http://127.0.0.1:${port}${hook.pathname}${hook.search}`;
    await sim!.client.addMetaNumber({
      phoneNumberId: META.phoneNumberId,
      wabaId: META.wabaId,
      displayPhoneNumber: '15550001111',
      accessToken: META.accessToken,
      appSecret: META.appSecret,
      webhookUrl,
    });
  });

  await step('log in and open the inbox', async () => {
    await page.goto('/admin');
    await page.getByRole('textbox', { name: 'Email' }).fill(E2E_ADMIN.email);
    await page.getByRole('textbox', { name: 'Password' }).fill(E2E_ADMIN.password);
    await page.getByRole('button', { name: 'Login' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/admin') && !url.pathname.startsWith('/admin/auth'));
    await page.getByRole('navigation').getByRole('link', { name: 'WhatsApp', exact: true }).click();
    await page.waitForURL('**/admin/plugins/whatsapp');
    await page.getByRole('heading', { name: 'WhatsApp', level: 1 }).waitFor();
    await page.getByText('No conversations yet', { exact: false }).waitFor({ state: 'visible' });
  });

  const list = page.getByRole('list', { name: 'Conversations' });
  const item = list.getByRole('listitem', { name: CUSTOMER.name });
  const thread = page.getByRole('log', { name: 'Messages' });

  await step('the customer writes and the inbox shows it without a reload', async () => {
    let navigations = 0;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations++;
    });
    await sim!.client.customerSends({ from: CUSTOMER.phone, to: META.phoneNumberId, name: CUSTOMER.name, text: CUSTOMER.text });
    await item.waitFor({ state: 'visible', timeout: 15_000 });
    const text = (await item.textContent()) ?? '';
    expect(text).toContain(CUSTOMER.text);
    expect(text).toMatch(/Lead|Contact|Staff|Unknown/);
    await item.getByRole('button').click();
    await thread.getByText(CUSTOMER.text, { exact: true }).waitFor({ state: 'visible' });
    expect(navigations).toBe(0);
  });

  await step('reply and see it reach the phone, delivered', async () => {
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill(REPLY);
    const [response] = await Promise.all([
      page.waitForResponse((res) => res.request().method() === 'POST' && /\/whatsapp\/conversations\/\d+\/messages$/.test(new URL(res.url()).pathname)),
      page.getByRole('button', { name: 'Send' }).click(),
    ]);
    expect(response.status()).toBe(201);
    expect(response.request().postDataJSON()).toEqual({ type: 'text', text: REPLY });
    await until('the simulator to receive the reply', async () => {
      const out = await sim!.client.outbound({ to: CUSTOMER.phone });
      return out.some((m) => m.text === REPLY);
    });
    const bubble = thread.getByRole('listitem').filter({ hasText: REPLY });
    await bubble.waitFor({ state: 'visible' });
    await until('the reply to show delivered or read', async () => /Delivered|Read/.test((await bubble.textContent()) ?? ''), 15_000);
    expect(await box.inputValue()).toBe('');
  });

  await step('screenshots, and nothing overflows a 390 px screen', async () => {
    const banner = page.getByRole('button', { name: 'Close the banner.' });
    if (await banner.count()) await banner.first().click();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: SCREENSHOT });
    fs.mkdirSync(path.dirname(DOCS_SCREENSHOT), { recursive: true });
    fs.copyFileSync(SCREENSHOT, DOCS_SCREENSHOT);

    await page.setViewportSize({ width: 390, height: 844 });
    await item.waitFor({ state: 'visible' });
    await page.getByRole('textbox', { name: 'Message' }).waitFor({ state: 'visible' });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: SCREENSHOT_PHONE, fullPage: true });
  });

  expect(browserErrors).toEqual([]);
});
