/**
 * The assistant in a real browser: staff ask for a suggestion in the inbox composer, see its source,
 * use it, edit it and send it; the customer gets the edited text and the suggestion is logged as edited;
 * a golden set is written and evaluated before auto mode can be chosen.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { RunningSimulator } from '../../simulator';
import { adminRequest, connectMetaNumber, startBrowserTest, stopBrowserTest } from './support/admin';
import { until, type AdminSession } from './support/browser';
import type { ExampleServer } from './support/exampleServer';

const META = {
  label: 'Shop',
  phone: '+15550007000',
  phoneNumberId: '109876543217000',
  wabaId: '102030405067000',
  accessToken: 'EAAG-e2e-assistant-access-token-0123456789',
  appSecret: 'e2e-assistant-app-secret-0123456789abcdef',
  verifyToken: 'e2e-assistant-verify-token-2026',
};
const DANA = { phone: '15550007001', name: 'Dana Example' };

jest.setTimeout(300_000);

let sim: RunningSimulator;
let server: ExampleServer;
let session: AdminSession;
let page: Page;
let token: string;
const step = (name: string, fn: () => Promise<void>) => session.step(name, fn);

const api = (method: string, path: string, body?: unknown) => adminRequest(server, token, method, path, body);

beforeAll(async () => {
  ({ sim, server, session, page, token } = await startBrowserTest('assistant'));
  await connectMetaNumber({ sim, server, token }, META);
  const faq = '# Opening hours\nWe are open Monday to Friday from 9:00 to 17:00.\n\n# Returns\nYou can return an item within 30 days with its receipt.';
  expect((await api('POST', '/whatsapp/assistant/knowledge', { title: 'Shop FAQ', text: faq })).status).toBe(201);
  await sim.client.customerSends({ from: DANA.phone, to: META.phoneNumberId, name: DANA.name, text: 'What are your opening hours?' });
  await session.logIn();
  await page.goto('/admin/plugins/whatsapp');
  await page.getByRole('heading', { name: 'WhatsApp', level: 1 }).waitFor();
});

afterAll(() => stopBrowserTest({ sim, server, session }));

test('a suggestion is asked for in the inbox, shown with its source, edited and sent', async () => {
  await step('open the conversation and ask for a suggestion', async () => {
    const item = page.getByRole('list', { name: 'Conversations' }).getByRole('listitem', { name: DANA.name });
    await item.waitFor({ state: 'visible', timeout: 30_000 });
    await item.getByRole('button').click();
    await page.getByRole('log', { name: 'Messages' }).getByText('What are your opening hours?').waitFor();
    await page.getByRole('button', { name: 'Suggest a reply' }).click();
    const panel = page.getByRole('region', { name: 'Suggested reply' });
    await panel.getByText('We are open Monday to Friday from 9:00 to 17:00.').waitFor();
    await panel.getByText('Source: Shop FAQ — Opening hours').waitFor();
  });

  await step('use it, edit it and send it', async () => {
    await page.getByRole('button', { name: 'Use this reply' }).click();
    const box = page.getByRole('textbox', { name: 'Message' });
    expect(await box.inputValue()).toBe('We are open Monday to Friday from 9:00 to 17:00.');
    await box.fill('We are open Monday to Friday from 9:00 to 17:00. See you soon!');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await until('Dana to receive the edited reply', async () => (await sim.client.outbound({ to: DANA.phone })).some((m: any) => m.text === 'We are open Monday to Friday from 9:00 to 17:00. See you soon!'));
  });
});

test('knowledge from a PDF file and from a collection is added in Settings → AI assistant', async () => {
  await step('upload a PDF: it is listed with its pages as sections', async () => {
    await page.goto('/admin/settings/whatsapp/assistant');
    await page.getByRole('heading', { name: 'AI assistant', level: 1 }).waitFor();
    const pdf = fs.readFileSync(path.join(__dirname, '../fixtures/knowledge/bike-guide.pdf'));
    await page.getByLabel('Knowledge files').setInputFiles({ name: 'bike-guide.pdf', mimeType: 'application/pdf', buffer: pdf });
    const row = page.getByRole('row').filter({ hasText: 'bike-guide.pdf' });
    await row.waitFor();
    expect(await row.getByRole('gridcell').nth(2).innerText()).toBe('2');
    expect(await row.getByRole('gridcell').nth(3).innerText()).toBe('Every number');
  });

  await step('add the tickets collection: subject as the title, description indexed', async () => {
    expect((await api('POST', '/content-manager/collection-types/api::ticket.ticket', { subject: 'Tyre pressure', description: 'Road tyres take 6 bar.' })).status).toBe(201);
    const form = page.getByRole('form', { name: 'Add a collection' });
    await form.getByRole('combobox', { name: 'Collection type' }).click();
    await page.getByRole('option', { name: 'Ticket' }).click();
    await form.getByRole('combobox', { name: /^Title field/ }).click();
    await page.getByRole('option', { name: 'subject' }).click();
    await form.getByRole('checkbox', { name: 'description' }).click();
    await form.getByRole('button', { name: 'Add collection' }).click();
    const row = page.getByRole('row').filter({ hasText: 'api::ticket.ticket' });
    await row.waitFor();
    expect(await row.getByRole('gridcell').nth(2).innerText()).toBe('1');
  });
});

test('a golden set is written and evaluated in Settings → AI assistant, and then auto mode can be chosen', async () => {
  const numberId = (await api('GET', '/whatsapp/numbers')).body.data[0].id;
  // A low threshold: the built-in engine's confidence depends on how the question's words spread over the knowledge.
  expect((await api('PUT', '/whatsapp/assistant/settings', { engine: 'builtin', numbers: [{ numberId, mode: 'suggest', threshold: 0.05 }] })).status).toBe(200);

  await step('auto mode is offered only with a passing evaluation, and says why', async () => {
    await page.goto('/admin/settings/whatsapp/assistant');
    await page.getByRole('heading', { name: 'AI assistant', level: 1 }).waitFor();
    await page.getByText('Auto mode needs a passing evaluation: run this number’s golden set below.').waitFor();
  });

  await step('write a question with its expected source, save it and run the evaluation', async () => {
    await page.getByRole('button', { name: 'Add a question' }).click();
    await page.getByRole('textbox', { name: 'Question 1' }).fill('What are your opening hours?');
    await page.getByRole('textbox', { name: 'Expected sources (comma-separated)' }).fill('Shop FAQ');
    await page.getByRole('button', { name: 'Save golden set' }).click();
    await until('the golden set to be saved', async () => (await api('GET', '/whatsapp/assistant/settings')).body.data.numbers[0].golden?.length === 1);
    await page.getByRole('button', { name: 'Run evaluation' }).click();
    await page.getByText(/^Passed: 1 of 1 questions/).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'What are your opening hours?' }).filter({ hasText: 'Shop FAQ / Shop FAQ' });
    await row.getByText('Pass', { exact: true }).waitFor();
  });

  await step('choose auto mode and save', async () => {
    await page.getByRole('combobox', { name: 'Mode for Shop' }).click();
    await page.getByRole('option', { name: 'Answer automatically (needs a passing evaluation)' }).click();
    await page.getByRole('form', { name: 'Assistant settings' }).getByRole('button', { name: 'Save' }).click();
    await until('auto mode to be saved', async () => (await api('GET', '/whatsapp/assistant/settings')).body.data.numbers[0].mode === 'auto');
  });
});
