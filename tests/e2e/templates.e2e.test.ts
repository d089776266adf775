/**
 * In a real browser against the example CRM (`strapi start`): an AiSensy number has no API listing
 * its templates, so an admin adds one by hand on the Templates page (a bad name is refused beside its
 * field), sees it listed, finds it in the campaign builder for that number, and the campaign's
 * pre-flight lists what AiSensy cannot do as provider limits.
 */
import type { Page } from 'playwright-core';
import { openAdminSession, type AdminSession } from './support/browser';
import { adminApi, type Api } from './support/campaigns';
import { startExample, type ExampleServer } from './support/exampleServer';

jest.setTimeout(300_000);

let server: ExampleServer | undefined;
let session: AdminSession | undefined;
let page: Page;
let api: Api;
const step = (name: string, fn: () => Promise<void>) => session!.step(name, fn);
const isPost = (path: RegExp) => (res: { request: () => { method: () => string }; url: () => string }) => res.request().method() === 'POST' && path.test(new URL(res.url()).pathname);

beforeAll(async () => {
  server = await startExample();
  session = await openAdminSession(server, 'templates');
  page = session.page;
  page.setDefaultNavigationTimeout(90_000);
  api = await adminApi(server);
  const created = await api('POST', '/whatsapp/numbers', { label: 'AiSensy India', provider: 'aisensy', phone: '+919876543211', apiKey: 'aisensy-e2e-key-0123456789' });
  expect(created.status).toBe(201);
  await session.logIn();
});

afterAll(async () => {
  await session?.close();
  await server?.stop();
});

test('add a template by hand for an AiSensy number, see it listed and pick it in a campaign', async () => {
  const dialog = () => page.getByRole('dialog', { name: 'Add a template' });

  await step('open Templates and Add template: a name with capitals is refused beside the Name field', async () => {
    await page.goto('/admin/plugins/whatsapp/templates');
    await page.getByRole('button', { name: 'Add template' }).click();
    await dialog().waitFor();
    await dialog().getByRole('textbox', { name: 'Name' }).fill('Order Notice');
    await dialog().getByRole('textbox', { name: 'Language' }).fill('en');
    await dialog().getByRole('textbox', { name: 'Body' }).fill('Hello {{1}}, your order is on its way.');
    const [refused] = await Promise.all([page.waitForResponse(isPost(/^\/whatsapp\/templates$/)), dialog().getByRole('button', { name: 'Add template' }).click()]);
    expect(refused.status()).toBe(400);
    await dialog().getByText('Lower-case letters, digits and _ only', { exact: true }).waitFor();
  });

  await step('correct the name: added, the dialog closes and the template is listed as approved', async () => {
    await dialog().getByRole('textbox', { name: 'Name' }).fill('order_notice');
    const [added] = await Promise.all([page.waitForResponse(isPost(/^\/whatsapp\/templates$/)), dialog().getByRole('button', { name: 'Add template' }).click()]);
    expect(added.status()).toBe(201);
    await dialog().waitFor({ state: 'hidden' });
    await page.getByText('order_notice', { exact: true }).first().waitFor();
    const listed = (await api('GET', '/whatsapp/templates')).body.data;
    expect(listed).toEqual([expect.objectContaining({ name: 'order_notice', language: 'en', status: 'APPROVED', parameterSchema: expect.objectContaining({ body: ['1'] }) })]);
  });

  await step('the campaign builder offers it for the AiSensy number', async () => {
    await page.goto('/admin/plugins/whatsapp/campaigns/new');
    await page.getByRole('heading', { name: 'New campaign', level: 1 }).waitFor();
    await page.getByRole('combobox', { name: 'Number' }).click();
    await page.getByRole('option', { name: 'AiSensy India (+919876543211)' }).click();
    await page.getByRole('combobox', { name: 'Template' }).click();
    await page.getByRole('option', { name: 'order_notice · en' }).waitFor();
  });

  await step('the pre-flight lists what AiSensy cannot do under Provider limits', async () => {
    await page.getByRole('option', { name: 'order_notice · en' }).click();
    await page.getByRole('textbox', { name: 'Name' }).fill('AiSensy notice');
    // The audience: a CSV instead of the CRM records the builder starts with.
    await page.getByRole('checkbox', { name: 'CRM records' }).click();
    await page.getByRole('checkbox', { name: 'An uploaded CSV' }).click();
    await page.getByLabel('CSV file').setInputFiles({ name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from('phone,name\n+919876500001,Asha\n') });
    await page.getByText(/customers\.csv: 1 row/).first().waitFor();
    await page.getByRole('combobox', { name: /^Body \{\{1\}\}( from)?$/ }).click();
    await page.getByRole('option', { name: 'A fixed text' }).click();
    await page.getByRole('textbox', { name: 'Body {{1}} value' }).fill('friend');
    const [saved, checked] = await Promise.all([
      page.waitForResponse(isPost(/^\/whatsapp\/campaigns$/)),
      page.waitForResponse(isPost(/\/preflight$/)),
      page.getByRole('button', { name: 'Save and check' }).click(),
    ]);
    expect([saved.status(), checked.status()]).toEqual([201, 200]);
    const panel = page.getByRole('region', { name: 'Pre-flight' });
    await panel.waitFor();
    expect(await panel.getByTestId('preflight-audience').textContent()).toBe('1');
    const limits = panel.getByRole('list', { name: 'Provider limits' });
    const notes = await limits.getByRole('listitem').allTextContents();
    expect(notes).toEqual([expect.stringContaining('only through a live API campaign named order_notice'), expect.stringContaining('webhook set up in AiSensy')]);
    const warnings = (await checked.json()).data.warnings.map((w: { message: string }) => w.message);
    expect(notes).toEqual(warnings);
  });
});
