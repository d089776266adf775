/**
 * In a real browser against the example CRM (`strapi start`) and the provider simulator, the plugin
 * pages beside the inbox: templates synced from the simulator's Meta account and listed; a webhook
 * with a forged signature shown as rejected in the logs with its raw body; the general settings
 * saved (with the server's field error shown first) and still there after a reload; quick replies
 * added, edited and deleted; a read-only staff member sees none of the actions. Each page is also
 * checked on a 390 px wide screen. The tests share one server and run in order (the last one reads
 * the templates and webhook calls the first two left).
 */
import path from 'node:path';
import type { Locator, Page, Response } from 'playwright-core';
import type { CreateNumber, WhatsAppNumber } from '../../contracts/numbers';
import type { ListQuickReplies } from '../../contracts/quick-replies';
import type { GetSettings } from '../../contracts/settings';
import type { SyncTemplates } from '../../contracts/templates';
import type { WebhookLogDetail } from '../../contracts/logs';
import { createSimulator, type RunningSimulator } from '../../simulator';
import { openAdminSession, until, type AdminSession } from './support/browser';
import { ARTIFACTS, adminToken, startExample, type ExampleServer } from './support/exampleServer';

const META = {
  label: 'Sales US',
  phone: '+15550001111',
  phoneNumberId: '109876543210987',
  wabaId: '102030405060708',
  accessToken: 'EAAG-e2e-pages-access-token-0123456789',
  appSecret: 'e2e-pages-app-secret-0123456789abcdef',
  verifyToken: 'e2e-pages-verify-token-2026',
};

jest.setTimeout(300_000);

let sim: RunningSimulator | undefined;
let server: ExampleServer | undefined;
let session: AdminSession | undefined;
let page: Page;
let number: WhatsAppNumber;
/** The number's webhook URL on the local server. */
let webhookUrl: string;
const step = (name: string, fn: () => Promise<void>) => session!.step(name, fn);

/** One token for the whole file: the admin login is rate limited. */
let token: string | undefined;
const api = async <T>(method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> => {
  token ??= await adminToken(server!.baseUrl);
  const res = await fetch(`${server!.baseUrl}${url}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as T };
};

const isCall = (method: string, pathname: string | RegExp) => (res: Response) =>
  res.request().method() === method &&
  (typeof pathname === 'string' ? new URL(res.url()).pathname === pathname : pathname.test(new URL(res.url()).pathname));

/** Clicks and returns the answer to the request the click makes. */
const clickFor = async (target: Locator, method: string, pathname: string | RegExp) => {
  const [response] = await Promise.all([page.waitForResponse(isCall(method, pathname)), target.click()]);
  return response;
};

/** Picks an option of a design-system select found by its label. */
const choose = async (scope: Page | Locator, label: string, option: string | RegExp) => {
  await scope.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option }).first().click();
};

const noOverflowAt390 = async (name: string, visible: Locator) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await visible.first().waitFor({ state: 'visible' });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}-390px.png`), fullPage: true });
  await page.setViewportSize({ width: 1440, height: 900 });
};

/** The texts of the elements an input's aria-describedby points at (hint, error). */
const descriptionOf = async (input: Locator) => {
  const ids = ((await input.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
  const texts = await Promise.all(ids.map((id) => input.page().locator(`[id="${id}"]`).textContent()));
  return texts.map((text) => (text ?? '').trim());
};

const closeBanner = async () => {
  const banner = page.getByRole('button', { name: 'Close the banner.' });
  if (await banner.count()) await banner.first().click();
};

beforeAll(async () => {
  sim = await createSimulator({ port: 0 });
  server = await startExample({ WHATSAPP_META_BASE_URL: sim.url });
  session = await openAdminSession(server, 'pages');
  page = session.page;

  const created = await api<CreateNumber.Response>('POST', '/whatsapp/numbers', { provider: 'meta', ...META });
  expect(created.status).toBe(201);
  number = created.body.data;
  const hook = new URL(created.body.data.webhookUrl);
  webhookUrl = `http://127.0.0.1:${server.port}${hook.pathname}${hook.search}`;
  await sim.client.addMetaNumber({
    phoneNumberId: META.phoneNumberId,
    wabaId: META.wabaId,
    displayPhoneNumber: '15550001111',
    accessToken: META.accessToken,
    appSecret: META.appSecret,
    webhookUrl,
  });
  await session.logIn();
  await closeBanner();
});

afterAll(async () => {
  await session?.close();
  await server?.stop();
  await sim?.close();
});

afterEach(() => {
  expect(session!.browserErrors).toEqual([]);
});

test('the templates page syncs from the provider and lists the templates', async () => {
  await step('the provider has three templates', async () => {
    await sim!.client.createTemplate({
      wabaId: META.wabaId,
      name: 'invoice_ready',
      language: 'en_US',
      category: 'UTILITY',
      status: 'APPROVED',
      qualityScore: { score: 'GREEN', date: 1_700_000_000 },
      components: [
        { type: 'HEADER', format: 'DOCUMENT' },
        { type: 'BODY', text: 'Hi {{1}}, invoice {{2}} is ready.' },
      ] as any,
    });
    await sim!.client.createTemplate({
      wabaId: META.wabaId,
      name: 'welcome_lead',
      language: 'es_MX',
      category: 'MARKETING',
      status: 'PENDING',
      body: 'Hola {{1}}',
    });
    await sim!.client.createTemplate({
      wabaId: META.wabaId,
      name: 'spring_promo',
      language: 'en_US',
      category: 'MARKETING',
      status: 'REJECTED',
      rejectedReason: 'INVALID_FORMAT',
      body: 'Sale {{1}}',
    });
  });

  const table = page.getByRole('grid', { name: 'Templates' });

  await step('open the templates page: nothing synced yet', async () => {
    await page.goto('/admin/plugins/whatsapp/templates');
    await page.getByRole('heading', { name: 'Templates', level: 1 }).waitFor();
    await page.getByRole('navigation', { name: 'WhatsApp pages' }).getByRole('link', { name: 'Templates' }).waitFor();
    await page.getByText('No templates yet. Create them at your provider, then sync.').waitFor({ state: 'visible' });
  });

  await step('sync now shows the per-number result and the list', async () => {
    const response = await clickFor(page.getByRole('button', { name: 'Sync now' }).first(), 'POST', '/whatsapp/templates/sync');
    expect(response.status()).toBe(200);
    const result = ((await response.json()) as SyncTemplates.Response).data;
    expect(result).toEqual([{ numberId: number.id, synced: 3, removed: 0, error: null }]);
    const status = page.getByRole('status', { name: 'Sync result' });
    await status.getByText('Sales US: 3 templates synced, 0 removed').waitFor({ state: 'visible' });

    await table.waitFor({ state: 'visible' });
    const invoice = table.getByRole('row').filter({ hasText: 'invoice_ready' });
    await invoice.waitFor();
    const invoiceText = (await invoice.textContent()) ?? '';
    for (const text of ['Sales US', 'Approved', 'Utility', 'en_US', 'Green', 'Header: document', 'Body: 1, 2'])
      expect(invoiceText).toContain(text);
    const promo = (await table.getByRole('row').filter({ hasText: 'spring_promo' }).textContent()) ?? '';
    for (const text of ['Rejected', 'Marketing', 'Invalid format']) expect(promo).toContain(text);
    const welcome = (await table.getByRole('row').filter({ hasText: 'welcome_lead' }).textContent()) ?? '';
    for (const text of ['Pending', 'es_MX']) expect(welcome).toContain(text);
    await page.getByText('3 templates', { exact: true }).waitFor();
  });

  await step('filter by status and search by name', async () => {
    await Promise.all([page.waitForResponse(isCall('GET', '/whatsapp/templates')), choose(page, 'Status', 'Rejected')]);
    await until('only the rejected template to be listed', async () => (await table.getByRole('row').count()) === 2);
    expect(await table.getByRole('row').nth(1).textContent()).toContain('spring_promo');
    await Promise.all([page.waitForResponse(isCall('GET', '/whatsapp/templates')), choose(page, 'Status', 'All statuses')]);
    await until('all three to be back', async () => (await table.getByRole('row').count()) === 4);

    await page.getByRole('searchbox', { name: 'Search by name' }).fill('invoice');
    await until('only invoice_ready to match', async () => (await table.getByRole('row').count()) === 2);
    expect(await table.getByRole('row').nth(1).textContent()).toContain('invoice_ready');
    await page.getByRole('searchbox', { name: 'Search by name' }).fill('');
  });

  await step('a template gone from the provider is marked removed', async () => {
    const gone = (await sim!.client.templates({ owner: META.wabaId })).find((t: any) => t.name === 'welcome_lead')!;
    await sim!.client.deleteTemplate((gone as any).id);
    const response = await clickFor(page.getByRole('button', { name: 'Sync now' }).first(), 'POST', '/whatsapp/templates/sync');
    expect(((await response.json()) as SyncTemplates.Response).data[0]).toMatchObject({ synced: 2, removed: 1 });
    await page.getByRole('status', { name: 'Sync result' }).getByText('Sales US: 2 templates synced, 1 removed').waitFor();
    await until(
      'welcome_lead to leave the list',
      async () => (await table.getByRole('row').filter({ hasText: 'welcome_lead' }).count()) === 0,
    );
    await Promise.all([
      page.waitForResponse(isCall('GET', '/whatsapp/templates')),
      page.getByRole('checkbox', { name: 'Show removed' }).click(),
    ]);
    const removed = table.getByRole('row').filter({ hasText: 'welcome_lead' });
    await removed.waitFor();
    expect(await removed.textContent()).toContain('Removed at provider');
    await page.screenshot({ path: path.join(ARTIFACTS, 'templates.png') });
  });

  await step('nothing overflows a 390 px screen', async () => {
    await noOverflowAt390('templates', page.getByRole('list', { name: 'Templates' }).getByRole('listitem', { name: 'invoice_ready' }));
  });
});

test('the logs page shows a webhook with a forged signature as rejected, with its raw body', async () => {
  const marker = `forged-${Date.now()}`;
  const forged = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: META.wabaId, changes: [{ field: 'messages', value: { marker } }] }],
  });
  let eventId = 0;

  await step('a provider call for the API log, and a webhook signed with the wrong secret', async () => {
    expect((await api('POST', '/whatsapp/templates/sync', {})).status).toBe(200);
    const res = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': `sha256=${'ab'.repeat(32)}` },
      body: forged,
    });
    expect(res.status).toBe(401);
    eventId = ((await res.json()) as { eventId: number }).eventId;
    expect(eventId).toBeGreaterThan(0);
  });

  const table = page.getByRole('grid', { name: 'Webhook calls' });
  const row = table.getByRole('row').filter({ has: page.getByRole('button', { name: `Raw body of call #${eventId}` }) });

  await step('open the logs page and see it rejected', async () => {
    await page.goto('/admin/plugins/whatsapp/logs');
    await page.getByRole('heading', { name: 'Logs', level: 1 }).waitFor();
    await row.waitFor({ state: 'visible' });
    await until('the number label to load', async () => ((await row.textContent()) ?? '').includes('Sales US'));
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('Rejected');
    expect(text).toContain('signature does not match the body');
    expect(text).toContain('Sales US');
    // A rejected call failed authentication: it cannot be replayed.
    expect(await row.getByRole('button', { name: `Replay call #${eventId}` }).count()).toBe(0);
  });

  await step('the state filter keeps only rejected calls', async () => {
    const [response] = await Promise.all([
      page.waitForResponse(isCall('GET', '/whatsapp/logs/webhooks')),
      choose(page, 'State', 'Rejected'),
    ]);
    expect(new URL(response.url()).searchParams.get('state')).toBe('rejected');
    await row.waitFor();
    const states = await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.textContent ?? ''));
    expect(states.length).toBeGreaterThan(0);
    for (const s of states) expect(s).toContain('Rejected');
  });

  await step('a time range in the future matches nothing', async () => {
    const [response] = await Promise.all([
      page.waitForResponse((res) => isCall('GET', '/whatsapp/logs/webhooks')(res) && new URL(res.url()).searchParams.has('from')),
      page.getByLabel('Received from').fill('2099-01-01T00:00'),
    ]);
    expect(new URL(response.url()).searchParams.get('from')).toBe(new Date('2099-01-01T00:00').toISOString());
    await page.getByText('No webhook call matches these filters.').waitFor();
    await page.getByLabel('Received from').fill('');
    await row.waitFor();
  });

  await step('the raw body viewer shows the stored bytes and headers', async () => {
    const response = await clickFor(
      row.getByRole('button', { name: `Raw body of call #${eventId}` }),
      'GET',
      `/whatsapp/logs/webhooks/${eventId}`,
    );
    const detail = ((await response.json()) as { data: WebhookLogDetail }).data;
    expect(detail.rawBody).toBe(forged);
    const dialog = page.getByRole('dialog', { name: `Webhook call #${eventId}` });
    await dialog.waitFor({ state: 'visible' });
    const body = (await dialog.getByLabel('Raw body').textContent()) ?? '';
    expect(JSON.parse(body)).toEqual(JSON.parse(forged));
    expect(body).toContain(marker);
    expect(await dialog.getByLabel('Headers').textContent()).toContain(`x-hub-signature-256: sha256=${'ab'.repeat(32)}`);
    await dialog.getByText('signature did not match', { exact: false }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'logs-raw-body.png') });
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    await dialog.waitFor({ state: 'hidden' });
  });

  await step('the API calls tab lists the template syncs with their provider and status', async () => {
    // Both logs load with the page: switching tabs shows the API log already fetched.
    await page.getByRole('tab', { name: 'API calls' }).click();
    const apiTable = page.getByRole('grid', { name: 'API calls' });
    const sync = apiTable.getByRole('row').filter({ hasText: 'list-templates' }).first();
    await sync.waitFor({ state: 'visible' });
    const text = (await sync.textContent()) ?? '';
    expect(text).toContain('Meta Cloud API');
    expect(text).toContain('GET');
    expect(text).toContain(`/${META.wabaId}/message_templates`);
    expect(text).toContain('200');
    expect(text).toMatch(/\d+ ms/);
    expect(text).not.toContain(META.accessToken);
    await page.screenshot({ path: path.join(ARTIFACTS, 'logs-api.png') });
    await page.getByRole('tab', { name: 'Webhook events' }).click();
  });

  await step('a genuine call is replayed from its row', async () => {
    await sim!.client.customerSends({ from: '15550002222', to: META.phoneNumberId, name: 'Alice Example', text: 'Replay me' });
    await choose(page, 'State', 'Done');
    const done = table.getByRole('row').filter({ hasText: 'Done' }).first();
    await until(
      'the customer message to be applied',
      async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        return (await done.count()) > 0;
      },
      15_000,
      500,
    );
    const replayButton = done.getByRole('button', { name: /^Replay call #\d+$/ });
    const id = Number(((await replayButton.getAttribute('aria-label')) ?? '').replace(/\D+/g, ''));
    const response = await clickFor(replayButton, 'POST', `/whatsapp/logs/webhooks/${id}/replay`);
    expect(response.status()).toBe(200);
    await page.getByText(`Call #${id} queued for replay.`).first().waitFor();
    await choose(page, 'State', 'All states');
  });

  await step('replay the last hour of calls; rejected ones are left alone', async () => {
    await page.getByRole('button', { name: 'Replay a range…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Replay a time range' });
    await dialog.waitFor();
    const response = await clickFor(dialog.getByRole('button', { name: 'Replay' }), 'POST', '/whatsapp/logs/webhooks/replay');
    expect(response.status()).toBe(200);
    const sent = response.request().postDataJSON() as { from: string; to: string };
    expect(Date.parse(sent.to) - Date.parse(sent.from)).toBeGreaterThanOrEqual(59 * 60_000);
    const { replayed } = ((await response.json()) as { data: { replayed: number } }).data;
    expect(replayed).toBeGreaterThan(0);
    await dialog.waitFor({ state: 'hidden' });
    await page
      .getByText(new RegExp(`^${replayed} calls? queued for replay\\.$`))
      .first()
      .waitFor();
    const rejected = (await api<{ data: WebhookLogDetail }>('GET', `/whatsapp/logs/webhooks/${eventId}`)).body.data;
    expect(rejected.state).toBe('rejected');
  });

  await step('nothing overflows a 390 px screen', async () => {
    await noOverflowAt390('logs', page.getByRole('list', { name: 'Webhook calls' }).getByRole('listitem', { name: `#${eventId}` }));
  });
});

test('the general settings save each card on its own (auto-lead, the default number, hours, identity in the app\'s own word), and they stay after a reload', async () => {
  const main = page.getByRole('main');
  const autoLead = main.getByRole('checkbox', { name: 'Create leads automatically' });

  await step('open Settings → WhatsApp → General', async () => {
    await page.goto('/admin/settings/whatsapp/general');
    await page.getByRole('heading', { name: 'WhatsApp general settings', level: 1 }).waitFor();
    const link = page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'General', exact: true });
    await link.waitFor({ state: 'visible' });
    expect(await autoLead.isChecked()).toBe(false);
    // Three identity sources in the default order.
    const sources = main.getByRole('list', { name: 'Identity sources' }).getByRole('listitem');
    expect(await sources.count()).toBe(3);
    // One Save per card, each disabled until its card changes.
    expect(await main.getByRole('button', { name: 'Save Auto-lead' }).isDisabled()).toBe(true);
    expect(await main.getByRole('button', { name: 'Save Identity sources' }).isDisabled()).toBe(true);
  });

  await step('turn auto-lead on, pick the lead status and the default number', async () => {
    await autoLead.click({ force: true });
    expect(await autoLead.isChecked()).toBe(true);
    await choose(main, 'Lead status', 'contacted');
    await choose(main, 'Default number', /Sales US/);
  });

  await step('business hours that close before they open: the server’s error shows beside the field', async () => {
    await main.getByRole('checkbox', { name: 'Set business hours' }).click({ force: true });
    const close = main.getByLabel('Closes (Monday)');
    await close.fill('08:00');
    const response = await clickFor(main.getByRole('button', { name: 'Save Business hours' }), 'PUT', '/whatsapp/settings');
    expect(response.status()).toBe(400);
    const error = ((await response.json()) as { error: { details: { errors: Array<{ path: string[]; message: string }> } } }).error;
    const message = error.details.errors.find((e) => e.path.join('.') === 'businessHours.days.mon.close')?.message;
    expect(message).toMatch(/later than the opening time/);
    await until('the closing time to be marked invalid', async () => (await close.getAttribute('aria-invalid')) === 'true');
    // Beside the field, without the path the server's message starts with.
    expect(message).toBe('businessHours.days.mon.close must be later than the opening time');
    await main.getByText('Must be later than the opening time', { exact: true }).waitFor({ state: 'visible' });
    expect(await descriptionOf(close)).toContain('Must be later than the opening time');
    await page.screenshot({ path: path.join(ARTIFACTS, 'settings-general-error.png') });
    // Nothing was saved.
    expect((await api<GetSettings.Response>('GET', '/whatsapp/settings')).body.data.autoLead?.enabled).toBe(false);
  });

  await step('auto-lead saves on its own while the hours card is still wrong', async () => {
    const response = await clickFor(main.getByRole('button', { name: 'Save Auto-lead' }), 'PUT', '/whatsapp/settings');
    expect(response.status()).toBe(200);
    expect(Object.keys(response.request().postDataJSON())).toEqual(['autoLead']);
    expect(response.request().postDataJSON()).toMatchObject({ autoLead: { enabled: true, status: 'contacted' } });
    // The hours card keeps its unsaved edit and its error.
    expect(await main.getByLabel('Closes (Monday)').inputValue()).toBe('08:00');
  });

  await step('fix it and save', async () => {
    const zone = main.getByRole('combobox', { name: 'Time zone' });
    await zone.fill('');
    await zone.pressSequentially('Berl');
    await page.getByRole('option', { name: 'Europe/Berlin' }).click();
    expect(await zone.inputValue()).toBe('Europe/Berlin');
    const close = main.getByLabel('Closes (Monday)');
    await close.fill('17:30');
    await until('the error to clear', async () => (await close.getAttribute('aria-invalid')) !== 'true');
    const response = await clickFor(main.getByRole('button', { name: 'Save Business hours' }), 'PUT', '/whatsapp/settings');
    expect(response.status()).toBe(200);
    const sent = response.request().postDataJSON();
    // Only this card's settings are sent.
    expect(Object.keys(sent).sort()).toEqual(['businessHours']);
    const outgoing = await clickFor(main.getByRole('button', { name: 'Save Outgoing messages' }), 'PUT', '/whatsapp/settings');
    expect(outgoing.status()).toBe(200);
    expect(outgoing.request().postDataJSON()).toEqual({ defaultNumberId: number.id });
    await page.getByText('Settings saved.').first().waitFor();
  });

  await step('after a reload the page and the API agree', async () => {
    await page.reload();
    await page.getByRole('heading', { name: 'WhatsApp general settings', level: 1 }).waitFor();
    await until('auto-lead to show on', async () => autoLead.isChecked());
    expect(await main.getByRole('combobox', { name: 'Lead status', exact: true }).textContent()).toContain('contacted');
    expect(await main.getByRole('combobox', { name: 'Default number', exact: true }).textContent()).toContain('Sales US');
    expect(await main.getByLabel('Closes (Monday)').inputValue()).toBe('17:30');
    expect(await main.getByRole('combobox', { name: 'Time zone' }).inputValue()).toBe('Europe/Berlin');
    await page.screenshot({ path: path.join(ARTIFACTS, 'settings-general.png') });

    const saved = (await api<GetSettings.Response>('GET', '/whatsapp/settings')).body.data;
    expect(saved.autoLead).toMatchObject({ enabled: true, uid: 'api::lead.lead', status: 'contacted' });
    expect(saved.defaultNumberId).toBe(number.id);
    expect(saved.businessHours?.timezone).toBe('Europe/Berlin');
    expect(saved.businessHours?.days.mon).toEqual({ open: '09:00', close: '17:30' });
    expect(saved.businessHours?.days.sat).toBeUndefined();
  });

  await step('reorder the identity sources, call contacts by the app\'s own word, and save', async () => {
    await main.getByRole('button', { name: 'Move source 2 up' }).click();
    const first = main.getByRole('list', { name: 'Identity sources' }).getByRole('listitem').first();
    await first.getByRole('textbox', { name: 'Shown as' }).fill('Customer');
    // The key follows the label.
    expect(await first.getByRole('textbox', { name: 'Key' }).inputValue()).toBe('customer');
    await choose(first, 'Opt-out field', 'whatsappOptOut');
    const response = await clickFor(main.getByRole('button', { name: 'Save Identity sources' }), 'PUT', '/whatsapp/settings');
    expect(response.status()).toBe(200);
    const saved = (await api<GetSettings.Response>('GET', '/whatsapp/settings')).body.data;
    expect(saved.identitySources.map((s) => s.uid)).toEqual(['api::contact.contact', 'api::lead.lead', 'api::staff-member.staff-member']);
    expect(saved.identitySources[0]).toMatchObject({ kind: 'customer', label: 'Customer', optOutField: 'whatsappOptOut' });
  });

  await step('the inbox filter offers the app\'s own word', async () => {
    await page.goto('/admin/plugins/whatsapp');
    await page.getByRole('heading', { name: 'WhatsApp', level: 1 }).waitFor();
    await main.getByRole('combobox', { name: 'Filter by CRM record' }).click();
    await page.getByRole('option', { name: 'Customer', exact: true }).waitFor();
    await page.keyboard.press('Escape');
    await page.goto('/admin/settings/whatsapp/general');
    await page.getByRole('heading', { name: 'WhatsApp general settings', level: 1 }).waitFor();
  });

  await step('nothing overflows a 390 px screen', async () => {
    await noOverflowAt390('settings-general', main.getByRole('checkbox', { name: 'Create leads automatically' }));
  });
});

test('quick replies are added, edited and deleted in Settings → WhatsApp → Quick replies', async () => {
  const table = page.getByRole('grid', { name: 'Quick replies' });
  const list = async () => (await api<ListQuickReplies.Response>('GET', '/whatsapp/quick-replies')).body.data;

  await step('open the page from the settings menu', async () => {
    await page.goto('/admin/settings/whatsapp/general');
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Quick replies', exact: true }).click();
    await page.waitForURL('**/admin/settings/whatsapp/quick-replies');
    await page.getByRole('heading', { name: 'Quick replies', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Add your first quick reply' }).waitFor();
  });

  const dialog = page.getByRole('dialog', { name: 'Add a quick reply' });
  await step('a bad name gets the server’s error beside it', async () => {
    await page.getByRole('button', { name: 'Add quick reply' }).click();
    await dialog.waitFor();
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Opening Hours');
    await dialog.getByRole('textbox', { name: 'Text' }).fill('We are open 9 to 5, Monday to Friday.');
    const response = await clickFor(dialog.getByRole('button', { name: 'Save' }), 'POST', '/whatsapp/quick-replies');
    expect(response.status()).toBe(400);
    await until(
      'the name to be marked invalid',
      async () => (await dialog.getByRole('textbox', { name: 'Name' }).getAttribute('aria-invalid')) === 'true',
    );
    await dialog.getByText('Lower-case letters, digits, - and _ (up to 50)', { exact: true }).waitFor();
  });

  await step('add one', async () => {
    await dialog.getByRole('textbox', { name: 'Name' }).fill('hours');
    const response = await clickFor(dialog.getByRole('button', { name: 'Save' }), 'POST', '/whatsapp/quick-replies');
    expect(response.status()).toBe(201);
    await dialog.waitFor({ state: 'hidden' });
    const row = table.getByRole('row').filter({ hasText: '/hours' });
    await row.waitFor();
    expect(await row.textContent()).toContain('We are open 9 to 5, Monday to Friday.');
    expect(await list()).toEqual([expect.objectContaining({ name: 'hours', text: 'We are open 9 to 5, Monday to Friday.' })]);
  });

  await step('edit it', async () => {
    await page.getByRole('button', { name: 'Edit /hours' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit /hours' });
    await edit.waitFor();
    expect(await edit.getByRole('textbox', { name: 'Text' }).inputValue()).toBe('We are open 9 to 5, Monday to Friday.');
    await edit.getByRole('textbox', { name: 'Text' }).fill('We are open 8 to 6 on weekdays.');
    const response = await clickFor(edit.getByRole('button', { name: 'Save' }), 'PUT', /^\/whatsapp\/quick-replies\/\d+$/);
    expect(response.status()).toBe(200);
    await edit.waitFor({ state: 'hidden' });
    await table.getByRole('row').filter({ hasText: 'We are open 8 to 6 on weekdays.' }).waitFor();
    expect((await list())[0].text).toBe('We are open 8 to 6 on weekdays.');
    await page.screenshot({ path: path.join(ARTIFACTS, 'quick-replies.png') });
  });

  await step('nothing overflows a 390 px screen', async () => {
    await noOverflowAt390('quick-replies', page.getByRole('list', { name: 'Quick replies' }).getByRole('listitem', { name: '/hours' }));
  });

  await step('delete it after confirming', async () => {
    await page.getByRole('button', { name: 'Delete /hours' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete this quick reply?' });
    await confirm.waitFor();
    const response = await clickFor(confirm.getByRole('button', { name: 'Delete' }), 'DELETE', /^\/whatsapp\/quick-replies\/\d+$/);
    expect(response.status()).toBe(200);
    await page.getByRole('button', { name: 'Add your first quick reply' }).waitFor();
    expect(await list()).toEqual([]);
  });
});

test('staff without the sync, replay, settings and quick-reply permissions see the pages without those actions', async () => {
  const email = 'viewer@e2e.local';
  const password = 'Viewer-Passw0rd-2026';
  let viewer: Page;

  await step('an admin role that may only read templates, logs and the inbox', async () => {
    const role = await api<{ data: { id: number } }>('POST', '/admin/roles', { name: 'Viewer', description: 'reads only' });
    expect(role.status).toBe(201);
    const actions = ['templates.read', 'logs.read', 'inbox.read'].map((a) => ({
      action: `plugin::whatsapp.${a}`,
      subject: null,
      conditions: [],
      properties: {},
    }));
    expect((await api('PUT', `/admin/roles/${role.body.data.id}/permissions`, { permissions: actions })).status).toBe(200);
    const user = await api<{ data: { registrationToken: string } }>('POST', '/admin/users', {
      firstname: 'Vera',
      lastname: 'Viewer',
      email,
      roles: [role.body.data.id],
    });
    expect(user.status).toBe(201);
    const registered = await fetch(`${server!.baseUrl}/admin/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        registrationToken: user.body.data.registrationToken,
        userInfo: { firstname: 'Vera', lastname: 'Viewer', password },
      }),
    });
    expect(registered.status).toBe(200);

    const context = await session!.browser.newContext({
      viewport: { width: 1440, height: 900 },
      reducedMotion: 'reduce',
      baseURL: server!.baseUrl,
    });
    viewer = await context.newPage();
    viewer.on('pageerror', (error) => session!.browserErrors.push(`viewer pageerror: ${error.message}`));
    await viewer.goto('/admin');
    await viewer.getByRole('textbox', { name: 'Email' }).fill(email);
    await viewer.getByRole('textbox', { name: 'Password' }).fill(password);
    await viewer.getByRole('button', { name: 'Login' }).click();
    await viewer.waitForURL((url) => url.pathname.startsWith('/admin') && !url.pathname.startsWith('/admin/auth'));
  });

  await step('templates: listed, but no sync', async () => {
    await viewer.goto('/admin/plugins/whatsapp/templates');
    await viewer.getByRole('grid', { name: 'Templates' }).getByRole('row').filter({ hasText: 'invoice_ready' }).waitFor();
    expect(await viewer.getByRole('button', { name: 'Sync now' }).count()).toBe(0);
  });

  await step('logs: listed with raw bodies, but no replay', async () => {
    await viewer.goto('/admin/plugins/whatsapp/logs');
    const table = viewer.getByRole('grid', { name: 'Webhook calls' });
    await table.getByRole('row').filter({ hasText: 'Done' }).first().waitFor();
    expect(await table.getByRole('button', { name: /^Raw body of call #/ }).count()).toBeGreaterThan(0);
    expect(await viewer.getByRole('button', { name: /^Replay/ }).count()).toBe(0);
  });

  await step('quick replies: read-only; the general settings are not offered', async () => {
    await viewer.goto('/admin/settings/whatsapp/quick-replies');
    await viewer.getByRole('heading', { name: 'Quick replies', level: 1 }).waitFor();
    await viewer.getByText('No quick reply yet.', { exact: true }).waitFor();
    expect(await viewer.getByRole('button', { name: /Add/ }).count()).toBe(0);
    const settingsNav = viewer.getByRole('navigation', { name: 'Settings' });
    await settingsNav.getByRole('link', { name: 'Quick replies', exact: true }).waitFor();
    expect(await settingsNav.getByRole('link', { name: 'General', exact: true }).count()).toBe(0);
    await viewer.goto('/admin/settings/whatsapp/general');
    await viewer
      .getByText(/don.t have the permissions/i)
      .first()
      .waitFor();
    await viewer.context().close();
  });
});
