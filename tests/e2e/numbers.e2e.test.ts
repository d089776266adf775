/**
 * In a real browser against the example CRM started with `strapi start`: an admin logs in, opens
 * Settings → WhatsApp → Numbers, is told off by the server for a bad phone number, then adds a
 * Meta number and sees it listed with its webhook URL; the API agrees and keeps the secrets secret.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page, Response } from 'playwright-core';
import type { CreateNumber, ListNumbers } from '../../contracts/numbers';
import { openAdminSession, until, type AdminSession } from './support/browser';
import { ARTIFACTS, ROOT, adminToken, startExample, type ExampleServer } from './support/exampleServer';

const META_NUMBER = {
  label: 'Sales US',
  phone: '+15550001111',
  phoneNumberId: '109876543210987',
  wabaId: '102030405060708',
  accessToken: 'EAAG-e2e-access-token-0123456789wxyz',
  appSecret: 'e2e-app-secret-0123456789abcdef',
  verifyToken: 'e2e-verify-token-2026',
};
const SECRETS = [META_NUMBER.accessToken, META_NUMBER.appSecret, META_NUMBER.verifyToken];

const SCREENSHOT = path.join(ARTIFACTS, 'numbers-settings.png');
const SCREENSHOT_PHONE = path.join(ARTIFACTS, 'numbers-settings-390px.png');
const DOCS_SCREENSHOT = path.join(ROOT, 'docs', 'screenshots', 'numbers-settings.png');

jest.setTimeout(240_000);

let server: ExampleServer | undefined;
let session: AdminSession | undefined;
let page: Page;
const step = (name: string, fn: () => Promise<void>) => session!.step(name, fn);

beforeAll(async () => {
  server = await startExample();
  session = await openAdminSession(server, 'numbers');
  page = session.page;
});

afterAll(async () => {
  await session?.close();
  await server?.stop();
});

/** The texts of the elements an input's aria-describedby points at (hint, error). */
const descriptionOf = async (input: Locator) => {
  const ids = ((await input.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
  const texts = await Promise.all(ids.map((id) => input.page().locator(`[id="${id}"]`).textContent()));
  return texts.map((text) => (text ?? '').trim());
};

const numbersResponse = (method: 'POST' | 'PUT') => (res: Response) =>
  res.request().method() === method && new URL(res.url()).pathname.startsWith('/whatsapp/numbers');

const dismissNotifications = async () => {
  const closeButtons = page.getByRole('region', { name: /Notifications/ }).getByRole('button', { name: 'Close' });
  for (let i = await closeButtons.count(); i > 0; i--) await closeButtons.first().click().catch(() => undefined);
  await until('notifications to go', async () => (await closeButtons.count()) === 0);
};

test('an admin logs in and adds a Meta number in Settings → WhatsApp → Numbers', async () => {
  const { baseUrl, port } = server!;

  await step('log in', async () => {
    await session!.logIn();
    // The plugin's entry in the main menu.
    const menuLink = page.getByRole('navigation').getByRole('link', { name: 'WhatsApp', exact: true });
    await menuLink.waitFor({ state: 'visible' });
    expect(await menuLink.getAttribute('href')).toBe('/admin/plugins/whatsapp');
  });

  await step('open the numbers settings from the plugin page', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'WhatsApp', exact: true }).click();
    await page.waitForURL('**/admin/plugins/whatsapp');
    await page.getByRole('heading', { name: 'WhatsApp', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Manage numbers' }).click();
    await page.waitForURL('**/admin/settings/whatsapp/numbers');
    await page.getByRole('heading', { name: 'WhatsApp numbers', level: 1 }).waitFor();
    const settingsLink = page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Numbers', exact: true });
    await settingsLink.waitFor({ state: 'visible' });
    expect(await settingsLink.getAttribute('href')).toBe('/admin/settings/whatsapp/numbers');
    await page.getByRole('button', { name: 'Add your first number' }).waitFor({ state: 'visible' });
  });

  const dialog = page.getByRole('dialog', { name: 'Add a WhatsApp number' });
  const phoneInput = dialog.getByRole('textbox', { name: 'Phone number', exact: true });

  await step('fill the Meta number form', async () => {
    await page.getByRole('button', { name: 'Add number', exact: true }).click();
    await dialog.waitFor({ state: 'visible' });
    expect(await dialog.getByRole('combobox', { name: 'Provider' }).textContent()).toContain('Meta');
    await dialog.getByRole('textbox', { name: 'Label', exact: true }).fill(META_NUMBER.label);
    await phoneInput.fill('12');
    await dialog.getByRole('textbox', { name: 'Phone number ID', exact: true }).fill(META_NUMBER.phoneNumberId);
    await dialog.getByRole('textbox', { name: 'WhatsApp Business Account ID', exact: true }).fill(META_NUMBER.wabaId);
    await dialog.getByRole('textbox', { name: 'Access token', exact: true }).fill(META_NUMBER.accessToken);
    await dialog.getByRole('textbox', { name: 'App secret', exact: true }).fill(META_NUMBER.appSecret);
    await dialog.getByRole('textbox', { name: 'Verify token', exact: true }).fill(META_NUMBER.verifyToken);
    // Secrets are typed into password inputs.
    expect(await dialog.getByRole('textbox', { name: 'Access token', exact: true }).getAttribute('type')).toBe('password');
  });

  await step('a bad phone shows the server’s error under the phone input', async () => {
    const [response] = await Promise.all([
      page.waitForResponse(numbersResponse('POST')),
      dialog.getByRole('button', { name: 'Save' }).click(),
    ]);
    expect(response.status()).toBe(400);
    const body = (await response.json()) as { error: { name: string; details: { errors: Array<{ path: string[]; message: string }> } } };
    expect(body.error.name).toBe('ValidationError');
    const serverMessage = body.error.details.errors.find((e) => e.path[0] === 'phone')?.message;
    expect(serverMessage).toBeTruthy();

    await until('the phone input to be marked invalid', async () => (await phoneInput.getAttribute('aria-invalid')) === 'true');
    expect(await descriptionOf(phoneInput)).toContain(serverMessage);
    await dialog.getByText(serverMessage!, { exact: true }).waitFor({ state: 'visible' });
    // …and in a notification.
    await page.getByRole('region', { name: /Notifications/ }).getByText(serverMessage!).first().waitFor({ state: 'visible' });
    // Only the phone is wrong: the other fields carry no error.
    expect(await dialog.getByRole('textbox', { name: 'Label', exact: true }).getAttribute('aria-invalid')).not.toBe('true');
    await page.screenshot({ path: path.join(ARTIFACTS, 'numbers-add-error.png') });
  });

  let created: CreateNumber.Response['data'];
  await step('save with a good phone', async () => {
    await phoneInput.fill(META_NUMBER.phone);
    await until('the phone error to clear', async () => (await phoneInput.getAttribute('aria-invalid')) !== 'true');
    const [response] = await Promise.all([
      page.waitForResponse(numbersResponse('POST')),
      dialog.getByRole('button', { name: 'Save' }).click(),
    ]);
    expect(response.status()).toBe(201);
    created = ((await response.json()) as CreateNumber.Response).data;
    await dialog.waitFor({ state: 'hidden' });
  });

  await step('the new row shows the number and its webhook URL', async () => {
    expect(created.webhookUrl).toMatch(new RegExp(`^http://localhost:${port}/api/whatsapp/webhooks/[A-Za-z0-9_-]{20,}$`));
    const table = page.getByRole('grid', { name: 'WhatsApp numbers' });
    const row = table.getByRole('row').filter({ hasText: META_NUMBER.label });
    await row.waitFor({ state: 'visible' });
    expect(await row.count()).toBe(1);
    const text = (await row.textContent()) ?? '';
    expect(text).toContain(META_NUMBER.phone);
    expect(text).toContain('Meta Cloud API');
    await row.getByText(created.webhookUrl, { exact: true }).waitFor({ state: 'visible' });
    await row.getByRole('button', { name: `Copy webhook URL of ${META_NUMBER.label}` }).waitFor({ state: 'visible' });
    expect(await row.getByRole('switch', { name: `Active: ${META_NUMBER.label}` }).getAttribute('aria-checked')).toBe('true');
    await row.getByRole('button', { name: `Edit ${META_NUMBER.label}` }).waitFor({ state: 'visible' });
    await row.getByRole('button', { name: `Delete ${META_NUMBER.label}` }).waitFor({ state: 'visible' });
    expect(await page.getByRole('button', { name: 'Add your first number' }).count()).toBe(0);
  });

  await step('the server agrees and keeps the secrets to itself', async () => {
    const token = await adminToken(baseUrl);
    const res = await fetch(`${baseUrl}/whatsapp/numbers`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const raw = await res.text();
    const body = JSON.parse(raw) as ListNumbers.Response;
    expect(body.meta.total).toBe(1);
    expect(body.data[0]).toMatchObject({
      id: created.id,
      label: META_NUMBER.label,
      provider: 'meta',
      phone: META_NUMBER.phone,
      phoneNumberId: META_NUMBER.phoneNumberId,
      wabaId: META_NUMBER.wabaId,
      active: true,
      webhookUrl: created.webhookUrl,
      credentials: {
        accessToken: { set: true, hint: `••••${META_NUMBER.accessToken.slice(-4)}` },
        appSecret: { set: true, hint: `••••${META_NUMBER.appSecret.slice(-4)}` },
        verifyToken: { set: true, hint: `••••${META_NUMBER.verifyToken.slice(-4)}` },
      },
    });
    for (const secret of SECRETS) expect(raw).not.toContain(secret);
  });

  await step('screenshots, and nothing overflows a 390 px screen', async () => {
    const banner = page.getByRole('button', { name: 'Close the banner.' });
    if (await banner.count()) await banner.first().click();
    await dismissNotifications();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: SCREENSHOT });
    if (process.env.UPDATE_DOCS_SCREENSHOT === 'true') {
      fs.mkdirSync(path.dirname(DOCS_SCREENSHOT), { recursive: true });
      fs.copyFileSync(SCREENSHOT, DOCS_SCREENSHOT);
    }

    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('list', { name: 'WhatsApp numbers' }).getByText(META_NUMBER.label, { exact: true }).waitFor({ state: 'visible' });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: SCREENSHOT_PHONE, fullPage: true });
  });

  await step('editing shows which secrets are set, on a phone too', async () => {
    await page.getByRole('button', { name: `Edit ${META_NUMBER.label}` }).click();
    const edit = page.getByRole('dialog', { name: `Edit ${META_NUMBER.label}` });
    await edit.waitFor({ state: 'visible' });
    expect(await edit.getByRole('combobox', { name: 'Provider' }).getAttribute('aria-disabled')).toBe('true');
    const token = edit.getByRole('textbox', { name: 'Access token', exact: true });
    expect(await token.inputValue()).toBe('');
    expect((await descriptionOf(token)).join(' ')).toContain(`Set (••••${META_NUMBER.accessToken.slice(-4)}). Leave empty to keep it.`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'numbers-edit-390px.png') });
    await edit.getByRole('button', { name: 'Cancel' }).click();
    await edit.waitFor({ state: 'hidden' });
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  await step('the active switch saves at once', async () => {
    const toggle = page.getByRole('switch', { name: `Active: ${META_NUMBER.label}` });
    const [response] = await Promise.all([page.waitForResponse(numbersResponse('PUT')), toggle.click()]);
    expect(response.status()).toBe(200);
    expect(response.request().postDataJSON()).toEqual({ active: false });
    await until('the switch to show inactive', async () => (await toggle.getAttribute('aria-checked')) === 'false');
  });

  await step('deleting asks first and says the history stays', async () => {
    await page.getByRole('button', { name: `Delete ${META_NUMBER.label}` }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete this number?' });
    await confirm.waitFor({ state: 'visible' });
    expect(await confirm.textContent()).toContain('conversations and messages are kept');
    const [response] = await Promise.all([
      page.waitForResponse((res) => res.request().method() === 'DELETE' && new URL(res.url()).pathname === `/whatsapp/numbers/${created.id}`),
      confirm.getByRole('button', { name: 'Delete' }).click(),
    ]);
    expect(response.status()).toBe(200);
    await confirm.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Add your first number' }).waitFor({ state: 'visible' });

    const token = await adminToken(baseUrl);
    const list = (await (await fetch(`${baseUrl}/whatsapp/numbers`, { headers: { Authorization: `Bearer ${token}` } })).json()) as ListNumbers.Response;
    expect(list.meta.total).toBe(0);
  });

  expect(session!.browserErrors).toEqual([]);
});
