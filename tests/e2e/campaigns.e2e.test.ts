/**
 * In a real browser against the example CRM (`strapi start`) and the provider simulator: an admin
 * builds a campaign from a filter of leads (the server's validation beside the fields, the live
 * count), reads the pre-flight (who is left out and why, a rendered preview), launches it, watches
 * the progress bar and the funnel move without reloading until it is done, exports the recipients
 * as CSV, and at 390 px nothing overflows.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { RunningSimulator } from '../../simulator';
import { adminRequest, connectMetaNumber, startBrowserTest, stopBrowserTest } from './support/admin';
import { until, type AdminSession } from './support/browser';
import { ARTIFACTS, type ExampleServer } from './support/exampleServer';

const META = {
  label: 'Campaigns US',
  phone: '+15550001111',
  phoneNumberId: '109876543210777',
  wabaId: '102030405060777',
  accessToken: 'EAAG-e2e-campaigns-access-token-0123456789',
  appSecret: 'e2e-campaigns-app-secret-0123456789abcdef',
  verifyToken: 'e2e-campaigns-verify-token-2026',
  // One send a second: the run lasts long enough to be watched moving.
  throughputMps: 1,
};
const EXPO = Array.from({ length: 6 }, (_, i) => ({ name: `Quinn Expo ${i + 1}`, phone: `+1555000710${i}`, waId: `1555000710${i}`, source: 'expo' }));
const NO_PHONE = { name: 'Nora Nophone', source: 'expo' };
const OTHERS = [
  { name: 'Nick New', phone: '+15550007200', source: 'website' },
  { name: 'Lena Lost', phone: '+15550007201' },
];
const NAME = 'December offer';

jest.setTimeout(300_000);

let sim: RunningSimulator | undefined;
let server: ExampleServer | undefined;
let session: AdminSession | undefined;
let page: Page;
let token: string;
const step = (name: string, fn: () => Promise<void>) => session!.step(name, fn);

const api = (method: string, url: string, body?: unknown) => adminRequest(server!, token, method, url, body);

const isPost = (path: RegExp) => (res: { request: () => { method: () => string }; url: () => string }) => res.request().method() === 'POST' && path.test(new URL(res.url()).pathname);
const noOverflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

beforeAll(async () => {
  ({ sim, server, session, page, token } = await startBrowserTest('campaigns'));
});

afterAll(() => stopBrowserTest({ sim, server, session }));

test('a campaign built from a filter of leads shows its pre-flight, runs live to done and exports its recipients', async () => {
  let campaignId = 0;

  await step('a number on the simulator, an approved template, leads', async () => {
    await connectMetaNumber({ sim: sim!, server: server!, token }, META);
    // Receipts a little after each send, so the funnel has steps to climb.
    await sim!.client.setFault(META.phoneNumberId, { delaysMs: { enqueued: 2, sent: 200, delivered: 1200, read: 2500 } });
    await sim!.client.createTemplate({ wabaId: META.wabaId, name: 'december_offer', language: 'en_US', category: 'UTILITY', status: 'APPROVED', body: 'Hello {{1}}, your December offer is ready.' });
    const sync = await api('POST', '/whatsapp/templates/sync', {});
    expect(sync.body.data[0]).toMatchObject({ synced: 1, error: null });
    for (const lead of [...EXPO, NO_PHONE, ...OTHERS]) {
      const { waId: _waId, ...body } = lead as typeof lead & { waId?: string };
      const res = await api('POST', '/content-manager/collection-types/api::lead.lead', body);
      expect([res.status, res.status === 201 ? null : res.body]).toEqual([201, null]);
    }
    for (const lead of EXPO) await sim!.client.setCustomer({ phone: lead.waId, name: lead.name, reachable: true });
  });

  await step('open Campaigns: the empty state offers a new campaign', async () => {
    await session!.logIn();
    await page.goto('/admin/plugins/whatsapp/campaigns');
    await page.getByRole('heading', { name: 'Campaigns', level: 1 }).waitFor();
    await page.getByText('No campaign yet', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'New campaign' }).first().click();
    await page.getByRole('heading', { name: 'New campaign', level: 1 }).waitFor();
  });

  await step('the server’s validation shows beside the fields', async () => {
    const [response] = await Promise.all([page.waitForResponse(isPost(/^\/whatsapp\/campaigns$/)), page.getByRole('button', { name: 'Save and check' }).click()]);
    expect(response.status()).toBe(400);
    const errors: { path: string[]; message: string }[] = (await response.json()).error.details.errors;
    const name = page.getByRole('textbox', { name: 'Name' });
    await until('the name field to show its error', async () => (await name.getAttribute('aria-invalid')) === 'true');
    await page.getByText(errors.find((e) => e.path[0] === 'name')!.message, { exact: true }).first().waitFor();
  });

  await step('build it: name, template, leads from the expo (live count), the parameter from the lead’s name', async () => {
    await page.getByRole('textbox', { name: 'Name' }).fill(NAME);
    expect(await page.getByRole('combobox', { name: 'Number' }).textContent()).toContain(META.label);
    await page.getByRole('combobox', { name: 'Template' }).click();
    await page.getByRole('option', { name: 'december_offer · en_US' }).click();
    await page.getByRole('combobox', { name: 'Content type' }).click();
    await page.getByRole('option', { name: 'Lead', exact: true }).click();
    // The phone field is found by its name.
    expect(await page.getByRole('combobox', { name: 'Phone field' }).textContent()).toContain('phone');
    const count = page.getByTestId('audience-count');
    await until('every lead to be counted', async () => /9 records match/.test((await count.textContent()) ?? ''));
    await page.getByRole('button', { name: 'Add a filter' }).click();
    await page.getByRole('combobox', { name: 'Filter 1 field' }).click();
    await page.getByRole('option', { name: 'source', exact: true }).click();
    await page.getByRole('textbox', { name: 'Filter 1 value' }).fill('expo');
    await until('the leads from the expo to be counted', async () => /7 records match/.test((await count.textContent()) ?? ''));
    await page.getByRole('combobox', { name: 'Body {{1}} value' }).click();
    await page.getByRole('option', { name: 'name', exact: true }).click();
    await page.screenshot({ path: path.join(ARTIFACTS, 'campaigns-builder.png'), fullPage: true });
  });

  await step('save and check: the pre-flight counts, says who is left out and why, and previews the message', async () => {
    const [saved, checked] = await Promise.all([
      page.waitForResponse(isPost(/^\/whatsapp\/campaigns$/)),
      page.waitForResponse(isPost(/^\/whatsapp\/campaigns\/\d+\/preflight$/)),
      page.getByRole('button', { name: 'Save and check' }).click(),
    ]);
    expect(saved.status()).toBe(201);
    const campaign = (await saved.json()).data;
    campaignId = campaign.id;
    expect(campaign).toMatchObject({
      name: NAME,
      template: { name: 'december_offer', language: 'en_US' },
      parameters: [{ component: 'body', index: 0, from: 'field', value: 'name' }],
      audience: { contentType: 'api::lead.lead', phoneField: 'phone', filters: { $and: [{ source: { $eq: 'expo' } }] } },
      schedule: { type: 'now' },
      state: 'draft',
    });
    expect(checked.status()).toBe(200);
    const panel = page.getByRole('region', { name: 'Pre-flight' });
    await panel.waitFor();
    expect(await panel.getByTestId('preflight-audience').textContent()).toBe('7');
    expect(await panel.getByTestId('preflight-sendable').textContent()).toBe('6');
    expect(await panel.getByRole('row', { name: 'No phone' }).textContent()).toContain('1');
    expect(await panel.getByTestId('preflight-preview').textContent()).toMatch(/^Hello Quinn Expo \d, your December offer is ready\.$/);
    expect(await panel.getByRole('button', { name: 'Launch' }).isEnabled()).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'campaigns-preflight.png'), fullPage: true });
  });

  const progress = () => page.getByTestId('progress-text').first().textContent();
  const seen: string[] = [];

  await step('launch: the detail page shows the progress bar and funnel moving until done, without a reload', async () => {
    const [launched] = await Promise.all([page.waitForResponse(isPost(/^\/whatsapp\/campaigns\/\d+\/launch$/)), page.getByRole('button', { name: 'Launch' }).click()]);
    expect(launched.status()).toBe(200);
    await page.waitForURL((url) => url.pathname.endsWith(`/campaigns/${campaignId}`));
    await page.getByRole('heading', { name: NAME, level: 1 }).waitFor();
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => frame === page.mainFrame() && navigations.push(frame.url()));
    const funnelSent = page.getByTestId('funnel-sent');
    const funnelRead = page.getByTestId('funnel-read');
    await until(
      'the campaign to finish with every recipient read',
      async () => {
        const text = (await progress()) ?? '';
        if (seen[seen.length - 1] !== text) seen.push(text);
        return text === '7 / 7' && (await funnelRead.getAttribute('data-value')) === '6';
      },
      90_000,
      200
    );
    // It was watched moving: at least two values between none and all were on screen before the end.
    expect(seen.filter((s) => /^[1-6] \/ 7$/.test(s)).length).toBeGreaterThanOrEqual(2);
    expect(navigations).toEqual([]);
    expect(await funnelSent.getAttribute('data-value')).toBe('6');
    expect(await page.getByRole('progressbar', { name: `Progress of ${NAME}` }).getAttribute('aria-valuenow')).toBe('100');
    await until('the campaign to be done', async () => (await api('GET', `/whatsapp/campaigns/${campaignId}`)).body.data.state === 'done', 30_000);
    await until('the page to say so', async () => (await page.getByText('Done', { exact: true }).count()) > 0);
    await page.getByTestId('timeline-chart').waitFor();
    await page.getByRole('list', { name: 'Audit trail' }).getByText('Launched', { exact: false }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'campaigns-detail.png'), fullPage: true });
    for (const lead of EXPO) expect((await sim!.client.outbound({ to: lead.waId })).filter((m: any) => m.type === 'template')).toHaveLength(1);
  });

  await step('the recipients table filters by status', async () => {
    const table = page.getByRole('grid', { name: 'Recipients' });
    await until('six read rows and the skipped one', async () => (await table.getByRole('row').count()) === 8);
    await page.getByRole('combobox', { name: 'Recipient status' }).click();
    await page.getByRole('option', { name: 'Skipped' }).click();
    await until('only the skipped one', async () => (await table.getByRole('row').count()) === 2);
    expect(await table.textContent()).toContain('No phone');
  });

  await step('export CSV: the download holds every recipient', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const file = await download.path();
    const csv = fs.readFileSync(file!, 'utf8');
    const [header, ...rows] = csv.trim().split(/\r?\n/);
    expect(header.split(',').slice(0, 2)).toEqual(['phone', 'status']);
    expect(rows).toHaveLength(7);
    for (const lead of EXPO) expect(csv).toContain(lead.phone);
  });

  await step('the list shows it done with a full progress bar', async () => {
    await page.getByRole('link', { name: 'Campaigns' }).click();
    const row = page.getByRole('row', { name: NAME });
    await row.waitFor();
    expect(await row.textContent()).toContain('Done');
    expect(await row.getByTestId('progress-text').textContent()).toBe('7 / 7');
  });

  await step('nothing overflows a 390 px screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('listitem', { name: NAME }).waitFor();
    expect(await noOverflow()).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'campaigns-390px.png'), fullPage: true });
    await page.getByRole('link', { name: NAME }).click();
    await page.getByTestId('timeline-chart').waitFor();
    expect(await noOverflow()).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'campaigns-detail-390px.png'), fullPage: true });
    await page.goto('/admin/plugins/whatsapp/campaigns/new');
    await page.getByRole('heading', { name: 'New campaign', level: 1 }).waitFor();
    await page.getByRole('combobox', { name: 'Content type' }).click();
    await page.getByRole('option', { name: 'Lead', exact: true }).click();
    await page.getByRole('button', { name: 'Add a filter' }).click();
    expect(await noOverflow()).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'campaigns-builder-390px.png'), fullPage: true });
  });

  expect(session!.browserErrors).toEqual([]);
});
