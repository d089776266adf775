/**
 * In a real browser against the example CRM (`strapi start`) talking to the provider simulator: a
 * Meta number is connected, a customer writes from their phone, the message shows up in the open
 * inbox without a reload, and the admin's reply reaches the customer and is marked delivered.
 * The inbox hears of new messages and receipts over the live event stream (server-sent events).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { RunningSimulator } from '../../simulator';
import { tinyPng } from '../helpers/png';
import { connectMetaNumber, startBrowserTest, stopBrowserTest } from './support/admin';
import { until, type AdminSession } from './support/browser';
import { ARTIFACTS, ROOT, adminToken, type ExampleServer } from './support/exampleServer';

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
const SECOND_CUSTOMER = { phone: '15550003333', name: 'Bob Builder', text: 'Can I change my delivery address?' };
const REPLY = 'Hi Alice, thanks for writing! How can we help?';

const SCREENSHOT = path.join(ARTIFACTS, 'inbox.png');
const SCREENSHOT_PHONE = path.join(ARTIFACTS, 'inbox-390px.png');
const DOCS_SCREENSHOT = path.join(ROOT, 'docs', 'screenshots', 'inbox.png');

jest.setTimeout(240_000);

let sim: RunningSimulator | undefined;
let server: ExampleServer | undefined;
let session: AdminSession | undefined;
let page: Page;
let token: string;
const step = (name: string, fn: () => Promise<void>) => session!.step(name, fn);

beforeAll(async () => {
  ({ sim, server, session, page, token } = await startBrowserTest('inbox'));
});

afterAll(() => stopBrowserTest({ sim, server, session }));

test('a customer writes, the inbox shows it live, and the reply reaches the phone', async () => {
  await step('connect a Meta number to the simulator', async () => {
    await connectMetaNumber({ sim: sim!, server: server!, token }, META);
  });

  await step('log in and open the inbox', async () => {
    await session!.logIn();
    await page.getByRole('navigation').getByRole('link', { name: 'WhatsApp', exact: true }).click();
    await page.waitForURL('**/admin/plugins/whatsapp');
    await page.getByRole('heading', { name: 'WhatsApp', level: 1 }).waitFor();
    await page.getByText('No conversations yet', { exact: false }).waitFor({ state: 'visible' });
    await page.getByTestId('inbox-live').filter({ hasText: 'Live' }).waitFor({ state: 'visible' });
  });

  const list = page.getByRole('list', { name: 'Conversations' });
  const item = list.getByRole('listitem', { name: CUSTOMER.name });
  const thread = page.getByRole('log', { name: 'Messages' });

  await step('the customer writes and the inbox shows it without a reload', async () => {
    let navigations = 0;
    // A document load, not a history update (the inbox keeps its view in the URL).
    page.on('load', () => {
      navigations++;
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
      page.getByRole('button', { name: 'Send', exact: true }).click(),
    ]);
    expect(response.status()).toBe(201);
    expect(response.request().postDataJSON()).toEqual({ type: 'text', text: REPLY, idempotencyKey: expect.any(String) });
    await until('the simulator to receive the reply', async () => {
      const out = await sim!.client.outbound({ to: CUSTOMER.phone });
      return out.some((m) => m.text === REPLY);
    });
    const bubble = thread.getByRole('listitem').filter({ hasText: REPLY });
    await bubble.waitFor({ state: 'visible' });
    await until('the reply to show delivered or read', async () => /Delivered|Read/.test((await bubble.textContent()) ?? ''), 15_000);
    expect(await box.inputValue()).toBe('');
  });

  await step('another customer, a Contact in the CRM, writes; the reply is assigned to me', async () => {
    const token = await adminToken(server!.baseUrl);
    const contact = await fetch(`${server!.baseUrl}/content-manager/collection-types/api::contact.contact`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: SECOND_CUSTOMER.name, phone: `+${SECOND_CUSTOMER.phone}` }),
    });
    expect(contact.status).toBe(201);
    await sim!.client.customerSends({ from: SECOND_CUSTOMER.phone, to: META.phoneNumberId, name: SECOND_CUSTOMER.name, text: SECOND_CUSTOMER.text });
    const second = list.getByRole('listitem', { name: SECOND_CUSTOMER.name });
    await second.waitFor({ state: 'visible' });
    expect(await second.textContent()).toContain('Contact');
    await page.getByRole('combobox', { name: 'Assignee', exact: true }).click();
    await page.getByRole('option').nth(1).click();
    await item.locator('[data-testid="conversation-assignee"]').waitFor({ state: 'visible' });
  });

  await step('screenshots, and nothing overflows a 390 px screen', async () => {
    const banner = page.getByRole('button', { name: 'Close the banner.' });
    if (await banner.count()) await banner.first().click();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: SCREENSHOT });
    // The README's copy changes only on request: every run's times would churn the committed file.
    if (process.env.UPDATE_DOCS_SCREENSHOT === 'true') {
      fs.mkdirSync(path.dirname(DOCS_SCREENSHOT), { recursive: true });
      fs.copyFileSync(SCREENSHOT, DOCS_SCREENSHOT);
    }

    await page.setViewportSize({ width: 390, height: 844 });
    await item.waitFor({ state: 'visible' });
    await page.getByRole('textbox', { name: 'Message' }).waitFor({ state: 'visible' });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: SCREENSHOT_PHONE, fullPage: true });
  });

  await step('a customer’s photo shows in the thread, fetched with the admin token from the team-checked route', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await sim!.client.customerSends({ from: CUSTOMER.phone, to: META.phoneNumberId, name: CUSTOMER.name, type: 'image', caption: 'the broken part', mimeType: 'image/png', mediaBase64: tinyPng(16).toString('base64') });
    await item.getByRole('button').click();
    const image = thread.getByRole('img', { name: /^whatsapp-\d+\.png$/ });
    await image.waitFor({ timeout: 20_000 });
    await until('the thumbnail to load', async () => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0));
    // Not the upload URL: an <img> cannot send the token, so the file comes as a blob.
    expect(await image.getAttribute('src')).toMatch(/^blob:/);
  });

  expect(session!.browserErrors).toEqual([]);
});
