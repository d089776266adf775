/**
 * In a real browser against the example CRM (`strapi start`) and the provider simulator: edit a
 * draft campaign and save it; set quiet hours on a draft and see them again on Edit; upload a CSV audience, first a broken file (the server's reason beside
 * the field), then one with a bad phone row (the pre-flight names it); and a recurring campaign's
 * occurrences, each picked on the detail page with its own figures and recipients.
 */
import path from 'node:path';
import knex from 'knex';
import type { Page } from 'playwright-core';
import { createSimulator, type RunningSimulator } from '../../simulator';
import { openAdminSession, until, type AdminSession } from './support/browser';
import { adminApi, campaignBody, csvOf, numberWithTemplate, templatesTo, type Api } from './support/campaigns';
import { createExampleDatabase, EXAMPLE_DIR, startExample, type ExampleDatabase, type ExampleServer } from './support/exampleServer';

jest.setTimeout(300_000);

let sim: RunningSimulator | undefined;
let database: ExampleDatabase | undefined;
let server: ExampleServer | undefined;
let session: AdminSession | undefined;
let page: Page;
let api: Api;
let numberId: number;
const step = (name: string, fn: () => Promise<void>) => session!.step(name, fn);

const isWrite = (method: string, path: RegExp) => (res: { request: () => { method: () => string }; url: () => string }) => res.request().method() === method && path.test(new URL(res.url()).pathname);
const get = async (id: number) => (await api('GET', `/whatsapp/campaigns/${id}`)).body.data;

/** Makes a scheduled campaign due now, in the database the server runs on (as if its hour had come). */
const makeDue = async (id: number) => {
  const env = database!.env;
  const db =
    env.DATABASE_CLIENT === 'postgres'
      ? knex({ client: 'pg', connection: { host: env.DATABASE_HOST, port: Number(env.DATABASE_PORT), database: env.DATABASE_NAME, user: env.DATABASE_USERNAME, password: env.DATABASE_PASSWORD }, searchPath: [env.DATABASE_SCHEMA] })
      : knex({ client: 'better-sqlite3', connection: { filename: path.join(EXAMPLE_DIR, env.DATABASE_FILENAME) }, useNullAsDefault: true });
  try {
    const [row] = await db('whatsapp_campaigns').where({ id }).select('next_run_at');
    // Written as the server writes it (a number of ms on SQLite, a timestamp on PostgreSQL).
    const past = Date.now() - 60_000;
    await db('whatsapp_campaigns').where({ id }).update({ next_run_at: typeof row.next_run_at === 'number' ? past : new Date(past) });
  } finally {
    await db.destroy();
  }
};

beforeAll(async () => {
  sim = await createSimulator({ port: 0 });
  database = await createExampleDatabase(process.env.TEST_DB === 'postgres' ? 'postgres' : 'sqlite');
  // The campaign scheduler ticks every 2 s, so a due occurrence starts within the test.
  server = await startExample({ WHATSAPP_META_BASE_URL: sim.url, WHATSAPP_CRON_CAMPAIGNS: '*/2 * * * * *' }, { database });
  session = await openAdminSession(server, 'campaign-builder');
  page = session.page;
  // The machine is shared: a cold admin page can take longer than the default 20 s to load.
  page.setDefaultNavigationTimeout(90_000);
  api = await adminApi(server);
  numberId = (await numberWithTemplate(server, sim, api, 20)).id;
  await session.logIn();
});

afterAll(async () => {
  await session?.close();
  await server?.stop();
  await database?.drop();
  await sim?.close();
});

test('edit a draft from its detail page and save it', async () => {
  const created = await api('POST', '/whatsapp/campaigns', campaignBody(numberId, 'Spring draft', ['+15550007501', '+15550007502']));
  expect(created.status).toBe(201);
  const id = created.body.data.id;

  await step('from the list to the draft, then Edit', async () => {
    await page.goto('/admin/plugins/whatsapp/campaigns');
    await page.getByRole('link', { name: 'Spring draft' }).click();
    await page.getByRole('heading', { name: 'Spring draft', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.getByRole('heading', { name: 'Edit Spring draft', level: 1 }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Name' }).inputValue()).toBe('Spring draft');
  });

  await step('rename and change the parameter to a fixed text; save draft keeps the CSV', async () => {
    await page.getByRole('textbox', { name: 'Name' }).fill('Summer draft');
    await page.getByRole('combobox', { name: /^Body \{\{1\}\}( from)?$/ }).click();
    await page.getByRole('option', { name: 'A fixed text' }).click();
    await page.getByRole('textbox', { name: 'Body {{1}} value' }).fill('friend');
    const [saved] = await Promise.all([page.waitForResponse(isWrite('PUT', new RegExp(`/whatsapp/campaigns/${id}$`))), page.getByRole('button', { name: 'Save draft' }).click()]);
    expect(saved.status()).toBe(200);
    await page.getByText('Draft saved.', { exact: true }).waitFor();
    const after = await get(id);
    expect(after).toMatchObject({ name: 'Summer draft', state: 'draft', parameters: [{ component: 'body', index: 0, from: 'constant', value: 'friend' }], audience: { csv: { rows: 2, columns: ['phone', 'name'] } } });
    expect(after.audit.map((a: any) => a.action)).toContain('edited');
  });
});

test('quiet hours: set them and the per-recipient time zone on a draft, saved and shown again on Edit', async () => {
  const created = await api('POST', '/whatsapp/campaigns', campaignBody(numberId, 'Night-safe draft', ['+15550007511']));
  expect(created.status).toBe(201);
  const id = created.body.data.id;
  const perRecipient = () => page.getByRole('checkbox', { name: /In each recipient’s own time zone/ });

  await step('open the draft for editing and set quiet hours from 21:30 to 08:15, in each recipient’s zone', async () => {
    await page.goto(`/admin/plugins/whatsapp/campaigns/${id}`);
    await page.getByRole('heading', { name: 'Night-safe draft', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.getByRole('heading', { name: 'Edit Night-safe draft', level: 1 }).waitFor();
    await page.getByLabel('Quiet hours from').fill('21:30');
    await page.getByLabel('to', { exact: true }).fill('08:15');
    await perRecipient().click();
    const [saved] = await Promise.all([page.waitForResponse(isWrite('PUT', new RegExp(`/whatsapp/campaigns/${id}$`))), page.getByRole('button', { name: 'Save draft' }).click()]);
    expect(saved.status()).toBe(200);
    await page.getByText('Draft saved.', { exact: true }).waitFor();
    expect((await get(id)).schedule.quietHours).toMatchObject({ start: '21:30', end: '08:15', perRecipient: true });
  });

  await step('Edit again: the quiet hours and the box come back as saved', async () => {
    await page.goto(`/admin/plugins/whatsapp/campaigns/${id}`);
    await page.getByRole('heading', { name: 'Night-safe draft', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.getByRole('heading', { name: 'Edit Night-safe draft', level: 1 }).waitFor();
    expect(await page.getByLabel('Quiet hours from').inputValue()).toBe('21:30');
    expect(await page.getByLabel('to', { exact: true }).inputValue()).toBe('08:15');
    expect(await perRecipient().getAttribute('aria-checked')).toBe('true');
  });
});

test('a CSV audience: a broken file is refused beside the field, a bad phone row is named in the pre-flight', async () => {
  await step('a new campaign from a CSV that never closes a quote', async () => {
    await page.goto('/admin/plugins/whatsapp/campaigns/new');
    await page.getByRole('heading', { name: 'New campaign', level: 1 }).waitFor();
    await page.getByRole('textbox', { name: 'Name' }).fill('From a file');
    await page.getByRole('combobox', { name: 'Template' }).click();
    await page.getByRole('option', { name: 'shipping_note · en_US' }).click();
    await page.getByRole('checkbox', { name: 'CRM records' }).click();
    await page.getByRole('checkbox', { name: 'An uploaded CSV' }).click();
    await page.getByLabel('CSV file').setInputFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('phone,name\n+15550007601,"Open quote\n') });
    await page.getByText('broken.csv:', { exact: false }).waitFor();
    const [saved] = await Promise.all([page.waitForResponse(isWrite('POST', /\/whatsapp\/campaigns$/)), page.getByRole('button', { name: 'Save and check' }).click()]);
    expect(saved.status()).toBe(400);
    const errors: { path: string[]; message: string }[] = (await saved.json()).error.details.errors;
    const csvError = errors.find((e) => e.path.join('.') === 'audience.csv');
    expect(csvError?.message).toMatch(/quote/);
    await page.getByText(csvError!.message, { exact: true }).first().waitFor();
  });

  await step('a readable file with a bad phone row: the pre-flight counts it as invalid and shows it', async () => {
    const csv = `${csvOf(['+15550007601', '+15550007602'])}\nnot-a-phone,Customer 3\n`;
    await page.getByLabel('CSV file').setInputFiles({ name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByText('customers.csv: 3 rows', { exact: false }).waitFor();
    await page.getByRole('combobox', { name: /^Body \{\{1\}\}( from)?$/ }).click();
    await page.getByRole('option', { name: 'A CSV column' }).click();
    await page.getByRole('combobox', { name: 'Body {{1}} value' }).click();
    await page.getByRole('option', { name: 'name', exact: true }).click();
    const [saved, checked] = await Promise.all([
      page.waitForResponse(isWrite('POST', /\/whatsapp\/campaigns$/)),
      page.waitForResponse(isWrite('POST', /\/preflight$/)),
      page.getByRole('button', { name: 'Save and check' }).click(),
    ]);
    expect([saved.status(), checked.status()]).toEqual([201, 200]);
    const panel = page.getByRole('region', { name: 'Pre-flight' });
    await panel.waitFor();
    expect(await panel.getByTestId('preflight-audience').textContent()).toBe('3');
    expect(await panel.getByTestId('preflight-sendable').textContent()).toBe('2');
    const row = panel.getByRole('row', { name: 'Invalid phone' });
    expect(await row.textContent()).toMatch(/1.*not-a-phone/);
  });
});

test('a recurring campaign: pick an occurrence on the detail page to see its own figures and recipients', async () => {
  const first = ['+15550007701', '+15550007702'];
  const second = ['+15550007711', '+15550007712', '+15550007713'];
  const body = campaignBody(numberId, 'Hourly digest', first, { schedule: { type: 'recurring', cron: '0 * * * *', timeZone: 'UTC' } });
  const created = await api('POST', '/whatsapp/campaigns', body);
  expect(created.status).toBe(201);
  const id = created.body.data.id;

  await step('two occurrences run: the second after its audience changed', async () => {
    expect((await api('POST', `/whatsapp/campaigns/${id}/launch`, {})).body.data.state).toBe('scheduled');
    await makeDue(id);
    await until('the first occurrence done', async () => {
      const c = await get(id);
      return c.state === 'scheduled' && c.occurrences.length === 1 && c.occurrences[0].state === 'done';
    }, 60_000);
    expect((await api('PUT', `/whatsapp/campaigns/${id}`, { audience: { csv: csvOf(second) } })).status).toBe(200);
    await makeDue(id);
    await until('the second occurrence done', async () => {
      const c = await get(id);
      return c.occurrences.length === 2 && c.occurrences.every((o: any) => o.state === 'done');
    }, 60_000);
    for (const phone of [...first, ...second]) expect(await templatesTo(sim!, phone)).toHaveLength(1);
  });

  await step('the latest shows first; the earlier one is picked and shown with its own recipients', async () => {
    await page.goto(`/admin/plugins/whatsapp/campaigns/${id}`);
    await page.getByRole('heading', { name: 'Hourly digest', level: 1 }).waitFor();
    const figures = page.getByTestId('occurrence-figures');
    const table = page.getByRole('grid', { name: 'Recipients' });
    await until('the latest occurrence’s figures', async () => (await figures.getByTestId('progress-text').textContent()) === '3 / 3');
    await until('its three recipients', async () => (await table.getByRole('row').count()) === 4);
    await page.getByRole('combobox', { name: 'Occurrence' }).click();
    const options = page.getByRole('option');
    expect(await options.count()).toBe(2);
    await options.filter({ hasText: '2 / 2' }).click();
    await until('the earlier occurrence’s figures', async () => (await figures.getByTestId('progress-text').textContent()) === '2 / 2');
    await until('its two recipients', async () => (await table.getByRole('row').count()) === 3);
    const text = (await table.textContent()) ?? '';
    for (const phone of first) expect(text).toContain(phone);
    for (const phone of second) expect(text).not.toContain(phone);
  });

  expect(session!.browserErrors).toEqual([]);
});
