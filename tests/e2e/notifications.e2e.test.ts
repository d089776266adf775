/**
 * In a real browser against the example CRM (`strapi start`) and the provider simulator: an admin
 * makes a rule from the "Lead created" preset (picking only the template), a lead created through
 * the admin API sends the template with the lead's name, the rule's trace shows it sent, the rule
 * is switched off, and a test send shows the rendered template.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { RunningSimulator } from '../../simulator';
import { adminRequest, connectMetaNumber, startBrowserTest, stopBrowserTest } from './support/admin';
import { until, type AdminSession } from './support/browser';
import { ARTIFACTS, adminToken, type ExampleServer } from './support/exampleServer';

const META = {
  label: 'Sales US',
  phone: '+15550001111',
  phoneNumberId: '109876543210987',
  wabaId: '102030405060708',
  accessToken: 'EAAG-e2e-rules-access-token-0123456789',
  appSecret: 'e2e-rules-app-secret-0123456789abcdef',
  verifyToken: 'e2e-rules-verify-token-2026',
};
const LEAD = { name: 'Dana Prospect', phone: '+1 555 000 4444', waId: '15550004444' };
const LATER = { name: 'Eli Later', phone: '+15550006666', waId: '15550006666' };

jest.setTimeout(240_000);

let sim: RunningSimulator | undefined;
let server: ExampleServer | undefined;
let session: AdminSession | undefined;
let page: Page;
let token: string;
const step = (name: string, fn: () => Promise<void>) => session!.step(name, fn);

const api = (method: string, url: string, body?: unknown) => adminRequest(server!, token, method, url, body);

const createLead = (lead: { name: string; phone: string }) => api('POST', '/content-manager/collection-types/api::lead.lead', lead);

beforeAll(async () => {
  ({ sim, server, session, page } = await startBrowserTest('notifications'));
});

afterAll(() => stopBrowserTest({ sim, server, session }));

test('a rule from the "lead created" preset sends the template, shows its trace, switches off and test-sends', async () => {
  let ruleId = 0;

  await step('connect a number to the simulator and sync an approved template', async () => {
    token = await adminToken(server!.baseUrl);
    await connectMetaNumber({ sim: sim!, server: server!, token }, META);
    await sim!.client.createTemplate({ wabaId: META.wabaId, name: 'welcome_lead', language: 'en_US', category: 'MARKETING', status: 'APPROVED', body: 'Welcome {{1}}! Thanks for your interest.' });
    const sync = await api('POST', '/whatsapp/templates/sync', {});
    expect(sync.body.data[0]).toMatchObject({ synced: 1, error: null });
    for (const c of [LEAD, LATER]) await sim!.client.setCustomer({ phone: c.waId, reachable: true });
  });

  await step('open CRM events: no rule yet', async () => {
    await session!.logIn();
    await page.goto('/admin/plugins/whatsapp/notifications');
    await page.getByRole('heading', { name: 'CRM events', level: 1 }).waitFor();
    await page.getByText('No rule yet', { exact: false }).waitFor();
  });

  const dialog = page.getByRole('dialog');

  await step('the server’s validation shows next to the fields', async () => {
    await page.getByRole('button', { name: 'Add rule' }).click();
    await dialog.getByRole('heading', { name: 'Add a rule' }).waitFor();
    const [response] = await Promise.all([
      page.waitForResponse((res) => res.request().method() === 'POST' && new URL(res.url()).pathname === '/whatsapp/notification-rules'),
      dialog.getByRole('button', { name: 'Save' }).click(),
    ]);
    expect(response.status()).toBe(400);
    const name = dialog.getByRole('textbox', { name: 'Name' });
    await until('the name field to show the error', async () => (await name.getAttribute('aria-invalid')) === 'true');
    const message = (await response.json()).error.details.errors.find((e: any) => e.path[0] === 'name').message;
    await dialog.getByText(message, { exact: true }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  await step('add from the "Lead created" preset: only the template is left to pick', async () => {
    await page.getByRole('button', { name: 'Add from preset' }).click();
    await page.getByRole('menuitem', { name: 'Lead created' }).click();
    await dialog.getByRole('heading', { name: 'Add a rule' }).waitFor();
    expect(await dialog.getByRole('textbox', { name: 'Name' }).inputValue()).toBe('Lead created');
    expect(await dialog.getByRole('combobox', { name: 'Content type' }).textContent()).toContain('Lead');
    expect(await dialog.getByRole('combobox', { name: 'Recipient' }).textContent()).toContain('phone');
    expect(await dialog.getByRole('combobox', { name: 'Number' }).textContent()).toContain(META.label);

    await dialog.getByRole('combobox', { name: 'Template' }).click();
    await page.getByRole('option', { name: 'welcome_lead · en_US' }).click();
    // The template's one body parameter, mapped by the preset to the lead's name.
    const param = dialog.getByRole('combobox', { name: 'Body {{1}} value' });
    await param.waitFor();
    expect(await param.textContent()).toContain('name');
    await page.screenshot({ path: path.join(ARTIFACTS, 'notifications-editor.png') });

    const [response] = await Promise.all([
      page.waitForResponse((res) => res.request().method() === 'POST' && new URL(res.url()).pathname === '/whatsapp/notification-rules'),
      dialog.getByRole('button', { name: 'Save' }).click(),
    ]);
    expect(response.status()).toBe(201);
    const rule = (await response.json()).data;
    expect(rule).toMatchObject({
      contentType: 'api::lead.lead',
      event: 'created',
      template: { name: 'welcome_lead', language: 'en_US' },
      parameters: [{ component: 'body', index: 0, from: 'field', value: 'name' }],
      recipient: { from: 'field', value: 'phone' },
      active: true,
    });
    ruleId = rule.id;
    await page.getByRole('row', { name: 'Lead created' }).waitFor();
  });

  await step('a fixed recipient that is no phone number and an unmapped parameter are shown on their fields', async () => {
    await page.getByRole('button', { name: 'Add rule' }).click();
    await dialog.getByRole('heading', { name: 'Add a rule' }).waitFor();
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Broken');
    await dialog.getByRole('combobox', { name: 'Content type' }).click();
    await page.getByRole('option', { name: 'Lead', exact: true }).click();
    await dialog.getByRole('combobox', { name: 'Template' }).click();
    await page.getByRole('option', { name: 'welcome_lead · en_US' }).click();
    await dialog.getByRole('combobox', { name: 'Send to' }).click();
    await page.getByRole('option', { name: 'A fixed phone number' }).click();
    await dialog.getByRole('textbox', { name: 'Recipient' }).fill('12345');
    // A condition value without its field is not silently dropped.
    await dialog.getByRole('button', { name: 'Add a condition' }).click();
    await dialog.getByRole('textbox', { name: 'Condition 1 value' }).fill('won');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Condition 1: choose the field it checks.' }).waitFor();
    await dialog.getByRole('button', { name: 'Remove condition 1' }).click();
    const [response] = await Promise.all([
      page.waitForResponse((res) => res.request().method() === 'POST' && new URL(res.url()).pathname === '/whatsapp/notification-rules'),
      dialog.getByRole('button', { name: 'Save' }).click(),
    ]);
    expect(response.status()).toBe(400);
    await until('the recipient field to show the error', async () => (await dialog.getByRole('textbox', { name: 'Recipient' }).getAttribute('aria-invalid')) === 'true');
    await dialog.getByText(/12345 is not a valid phone number/).waitFor();
    await dialog.getByRole('alert').filter({ hasText: 'body {{1}}: choose the field it is filled from' }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  await step('a lead created through the admin API reaches the customer with its name', async () => {
    expect((await createLead(LEAD)).status).toBe(201);
    await until(
      'the simulator to receive the template',
      async () => (await sim!.client.outbound({ to: LEAD.waId })).some((m: any) => m.type === 'template' && JSON.stringify(m).includes(LEAD.name)),
      20_000
    );
  });

  await step('the rule’s trace shows the firing sent, with the rendered template', async () => {
    await page.getByRole('button', { name: 'Firings of Lead created' }).click();
    const firing = dialog.getByRole('list', { name: 'Firings' }).getByRole('listitem').first();
    await until('the firing to show sent', async () => /Sent|Delivered|Read/.test((await firing.textContent()) ?? ''), 20_000);
    const text = (await firing.textContent()) ?? '';
    expect(text).toContain('+15550004444');
    expect(text).toContain(`Body {{1}}: ${LEAD.name}`);
    expect(await firing.getByTestId('rendered-template').textContent()).toBe(`Welcome ${LEAD.name}! Thanks for your interest.`);
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    await dialog.waitFor({ state: 'hidden' });
    await until('the list to show the last firing', async () => /Sent|Delivered|Read/.test((await page.getByRole('row', { name: 'Lead created' }).textContent()) ?? ''));
  });

  await step('switch the rule off: a new lead fires nothing', async () => {
    const [response] = await Promise.all([
      page.waitForResponse((res) => res.request().method() === 'PUT' && new URL(res.url()).pathname === `/whatsapp/notification-rules/${ruleId}`),
      page.getByRole('switch', { name: 'Active: Lead created' }).click(),
    ]);
    expect(response.status()).toBe(200);
    expect((await response.json()).data.active).toBe(false);
    expect((await createLead(LATER)).status).toBe(201);
    // Firings are written in the same transaction as the lead: none now means none ever.
    expect((await api('GET', `/whatsapp/notification-rules/${ruleId}/firings`)).body.data).toHaveLength(1);
  });

  await step('test-send against the newest lead shows the rendered template and the result', async () => {
    await page.getByRole('button', { name: 'Test Lead created' }).click();
    await dialog.getByRole('combobox', { name: 'Record' }).waitFor();
    await until('the newest lead to be chosen', async () => ((await dialog.getByRole('combobox', { name: 'Record' }).textContent()) ?? '').includes(LATER.name));
    await dialog.getByRole('button', { name: 'Send test' }).click();
    const result = dialog.getByRole('list', { name: 'Test result' });
    await result.getByTestId('rendered-template').waitFor();
    expect(await result.getByTestId('rendered-template').textContent()).toBe(`Welcome ${LATER.name}! Thanks for your interest.`);
    expect((await result.textContent()) ?? '').toContain('+15550006666');
    await until('the test message to reach the customer', async () => (await sim!.client.outbound({ to: LATER.waId })).some((m: any) => m.type === 'template'), 20_000);
    await until('the result to show sent', async () => /Sent|Delivered|Read/.test((await result.textContent()) ?? ''), 20_000);
    await page.screenshot({ path: path.join(ARTIFACTS, 'notifications-test-send.png') });
    await dialog.getByRole('button', { name: 'Close' }).first().click();
  });

  await step('the general settings limit what rules may send; the editor offers only those fields', async () => {
    await page.goto('/admin/settings/whatsapp/general');
    await page.getByRole('heading', { name: 'WhatsApp general settings', level: 1 }).waitFor();
    const section = page.getByRole('region', { name: 'Fields CRM events may send' });
    await section.getByRole('combobox', { name: 'Lead', exact: true }).click();
    await page.getByRole('option', { name: 'name', exact: true }).click();
    await page.getByRole('option', { name: 'phone', exact: true }).click();
    await page.keyboard.press('Escape');
    const [saved] = await Promise.all([
      page.waitForResponse((res) => res.request().method() === 'PUT' && new URL(res.url()).pathname === '/whatsapp/settings'),
      page.getByRole('button', { name: 'Save Fields CRM events may send' }).click(),
    ]);
    expect(saved.status()).toBe(200);
    expect((await saved.json()).data.notificationFields).toEqual({ 'api::lead.lead': ['name', 'phone'] });

    await page.goto('/admin/plugins/whatsapp/notifications');
    await page.getByRole('heading', { name: 'CRM events', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Add rule' }).click();
    await dialog.getByRole('heading', { name: 'Add a rule' }).waitFor();
    await dialog.getByRole('combobox', { name: 'Content type' }).click();
    await page.getByRole('option', { name: 'Lead', exact: true }).click();
    await dialog.getByRole('combobox', { name: 'Template' }).click();
    await page.getByRole('option', { name: 'welcome_lead · en_US' }).click();
    await dialog.getByRole('combobox', { name: 'Body {{1}} value' }).click();
    await page.getByRole('option', { name: 'phone', exact: true }).waitFor();
    expect(await page.getByRole('option').allTextContents()).toEqual(['name', 'phone']);
    await page.keyboard.press('Escape');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await api('PUT', '/whatsapp/settings', { notificationFields: {} })).status).toBe(200);
  });

  await step('nothing overflows a 390 px screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('listitem', { name: 'Lead created' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'notifications-390px.png'), fullPage: true });
    await page.getByRole('button', { name: 'Edit Lead created' }).click();
    await dialog.getByRole('combobox', { name: 'Template' }).waitFor();
    expect(await dialog.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'notifications-editor-390px.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  expect(session!.browserErrors).toEqual([]);
});

test('"Add from preset" shows every preset in full; one for a type the viewer has not got is disabled and says why', async () => {
  const PRESETS = ['Lead created', 'Contact created', 'Invoice added', 'Payment recorded', 'Ticket created'];
  /** Opens the menu on `on` and answers its items' names and whether each is disabled; nothing may be cut off. */
  const openPresets = async (on: Page) => {
    await on.goto('/admin/plugins/whatsapp/notifications');
    await on.getByRole('heading', { name: 'CRM events', level: 1 }).waitFor();
    await on.getByRole('button', { name: 'Add from preset' }).click();
    const menu = on.getByRole('menu');
    await menu.getByRole('menuitem').last().waitFor();
    // The menu hides its scrollbar, so anything taller than its box would be cut off without a hint.
    expect(await menu.evaluate((el) => el.scrollHeight - el.clientHeight)).toBeLessThanOrEqual(0);
    const box = (await menu.boundingBox())!;
    const items = [];
    for (const item of await menu.getByRole('menuitem').all()) {
      const itemBox = (await item.boundingBox())!;
      expect(itemBox.y + itemBox.height).toBeLessThanOrEqual(box.y + box.height + 0.5);
      items.push({ text: (await item.textContent()) ?? '', disabled: (await item.getAttribute('aria-disabled')) === 'true' });
    }
    return items;
  };

  await step('as the super admin: all five presets fit the example CRM, enabled, the last one fully in view', async () => {
    // Also runs alone (`-t`): then the first test has not logged in yet.
    if (!token) {
      token = await adminToken(server!.baseUrl);
      await session!.logIn();
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    const items = await openPresets(page);
    expect(items.map((i) => i.text)).toEqual(PRESETS);
    expect(items.every((i) => !i.disabled)).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'notifications-presets.png') });
    await page.keyboard.press('Escape');
  });

  await step('staff who cannot read invoices: "Invoice added" is disabled with the reason, the others are not', async () => {
    const role = await api('POST', '/admin/roles', { name: 'Rules without invoices', description: 'CRM events, no invoices' });
    expect(role.status).toBe(201);
    const permissions = [
      ...['notifications.read', 'notifications.manage'].map((a) => ({ action: `plugin::whatsapp.${a}`, subject: null, conditions: [], properties: {} })),
      ...['api::lead.lead', 'api::contact.contact', 'api::payment.payment', 'api::ticket.ticket'].map((subject) => ({ action: 'plugin::content-manager.explorer.read', subject, conditions: [], properties: {} })),
    ];
    expect((await api('PUT', `/admin/roles/${role.body.data.id}/permissions`, { permissions })).status).toBe(200);
    const email = 'no-invoices@e2e.local';
    const password = 'No-Invoices-2026';
    const user = await api('POST', '/admin/users', { firstname: 'Ivo', lastname: 'Noinvoice', email, roles: [role.body.data.id] });
    expect(user.status).toBe(201);
    const registered = await fetch(`${server!.baseUrl}/admin/register`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ registrationToken: user.body.data.registrationToken, userInfo: { firstname: 'Ivo', lastname: 'Noinvoice', password } }) });
    expect(registered.status).toBe(200);
    const context = await session!.browser.newContext({ viewport: { width: 1440, height: 900 }, reducedMotion: 'reduce', baseURL: server!.baseUrl });
    const staff = await context.newPage();
    staff.on('pageerror', (error) => session!.browserErrors.push(`staff pageerror: ${error.message}`));
    await staff.goto('/admin');
    await staff.getByRole('textbox', { name: 'Email' }).fill(email);
    await staff.getByRole('textbox', { name: 'Password' }).fill(password);
    await staff.getByRole('button', { name: 'Login' }).click();
    await staff.waitForURL((url) => url.pathname.startsWith('/admin') && !url.pathname.startsWith('/admin/auth'));
    const items = await openPresets(staff);
    expect(items).toEqual([
      { text: 'Lead created', disabled: false },
      { text: 'Contact created', disabled: false },
      { text: 'Invoice added' + 'This app has no api::invoice.invoice (nor a type named invoice or bill) that you can read', disabled: true },
      { text: 'Payment recorded', disabled: false },
      { text: 'Ticket created', disabled: false },
    ]);
    await staff.screenshot({ path: path.join(ARTIFACTS, 'notifications-presets-disabled.png') });
    await context.close();
  });

  expect(session!.browserErrors).toEqual([]);
});
