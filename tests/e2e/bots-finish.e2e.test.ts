/**
 * The last bot and consent pieces in a real browser against the example CRM and the simulator: the
 * Consent card of the general settings (a refused keyword shown beside its field, a custom keyword
 * that then opts a customer out), a number's holidays on the Bots page (an outside-hours bot answers
 * on a holiday), a bot's location answer shown in the thread with its map link, and a two-level menu
 * built in the editor's item tree (a nested field's error shown beside it) that a customer walks.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { RunningSimulator } from '../../simulator';
import { adminRequest, connectMetaNumber, startBrowserTest, stopBrowserTest } from './support/admin';
import { until, type AdminSession } from './support/browser';
import { ARTIFACTS, type ExampleServer } from './support/exampleServer';

const META = {
  label: 'Finish desk',
  phone: '+15550004848',
  phoneNumberId: '109876543210848',
  wabaId: '102030405060848',
  accessToken: 'EAAG-e2e-finish-access-token-0123456789',
  appSecret: 'e2e-finish-app-secret-0123456789abcdef',
  verifyToken: 'e2e-finish-verify-token-2026',
};
const BEA = { phone: '15550008481', name: 'Bea Basta' };
const HAL = { phone: '15550008482', name: 'Hal Holiday' };
const LIA = { phone: '15550008483', name: 'Lia Location' };
const MIA = { phone: '15550008484', name: 'Mia Menu' };

jest.setTimeout(300_000);

let sim: RunningSimulator | undefined;
let server: ExampleServer | undefined;
let session: AdminSession | undefined;
let page: Page;
let token: string;
const step = (name: string, fn: () => Promise<void>) => session!.step(name, fn);

const api = <T = any>(method: string, path: string, body?: unknown) => adminRequest<T>(server!, token, method, path, body);
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  ({ sim, server, session, page, token } = await startBrowserTest('bots-finish'));
  session.context.setDefaultNavigationTimeout(90_000);
});

afterAll(() => stopBrowserTest({ sim, server, session }));

test('consent keywords saved in the settings, a holiday on the Bots page, and a location answer in the thread', async () => {
  let numberId = 0;
  await step('a number with bots on, known to the simulator', async () => {
    numberId = (await connectMetaNumber({ sim: sim!, server: server!, token }, META)).id;
    expect((await api('PUT', `/whatsapp/bots/numbers/${numberId}`, { enabled: true })).status).toBe(200);
  });

  await step('the Consent card: a keyword over 60 characters is refused beside its field; a custom one saves', async () => {
    await session!.logIn();
    await page.goto('/admin/settings/whatsapp/general');
    const optOut = page.getByLabel('Opt-out keywords');
    await optOut.fill(`stop, ${'x'.repeat(61)}`);
    await page.getByRole('button', { name: 'Save Consent' }).click();
    await until('the keywords to be marked invalid', async () => (await optOut.getAttribute('aria-invalid')) === 'true');
    await page.getByText('Must be at most 60 characters', { exact: false }).first().waitFor();
    await optOut.fill('stop, basta ya');
    await page.getByLabel('Opt-out confirmation').fill('Hecho, no más mensajes.');
    await page.getByRole('button', { name: 'Save Consent' }).click();
    await until('the keywords to be saved', async () => (await api('GET', '/whatsapp/settings')).body.data.consentKeywords.optOut.join() === 'stop,basta ya');
  });

  await step('a customer writes the custom keyword: opted out, with the saved confirmation', async () => {
    await sim!.client.customerSends({ from: BEA.phone, to: META.phoneNumberId, name: BEA.name, text: 'Basta ya' });
    await until('Bea to be opted out', async () => (await api('GET', `/whatsapp/consents/${numberId}/${BEA.phone}`)).body?.data?.consent?.status === 'opted-out', 60_000);
    await until('the confirmation', async () => (await sim!.client.outbound({ to: BEA.phone })).some((m) => m.text === 'Hecho, no más mensajes.'), 30_000);
  });

  await step('the Bots page: a bad holiday is refused beside the field; today as a holiday saves', async () => {
    await page.goto('/admin/plugins/whatsapp/bots');
    await page.getByRole('checkbox', { name: 'Own hours for this number' }).click({ force: true });
    const holidays = page.getByLabel('Holidays');
    await holidays.fill('next friday');
    await page.getByRole('button', { name: 'Save hours and holidays' }).click();
    await until('the holidays to be marked invalid', async () => (await holidays.getAttribute('aria-invalid')) === 'true');
    await page.getByText('Must be a date such as 2026-12-25', { exact: true }).waitFor();
    // Yesterday to tomorrow: today in any time zone the browser picked for the hours.
    await holidays.fill(`${day(-1)}, ${day(0)}, ${day(1)}`);
    await page.getByRole('button', { name: 'Save hours and holidays' }).click();
    await until('the holidays to be saved', async () => (await api('GET', `/whatsapp/bots/numbers/${numberId}`)).body.data.holidays.length === 3);
    expect((await api('GET', `/whatsapp/bots/numbers/${numberId}`)).body.data.businessHours).not.toBeNull();
  });

  await step('on the holiday the outside-hours bot answers', async () => {
    expect((await api('POST', '/whatsapp/bots', { name: 'Holiday', numberId, trigger: { type: 'outside-hours' }, response: { type: 'text', text: 'Closed today for the holiday' }, limits: { debounceMs: 0 } })).status).toBe(201);
    await sim!.client.customerSends({ from: HAL.phone, to: META.phoneNumberId, name: HAL.name, text: 'are you open?' });
    await until('Hal to get the holiday answer', async () => (await sim!.client.outbound({ to: HAL.phone })).some((m) => m.text === 'Closed today for the holiday'), 30_000);
  });

  await step('a location answer: a real location message, shown in the thread with its map link', async () => {
    const place = { type: 'location', latitude: 40.4168, longitude: -3.7038, name: 'Our shop', address: 'Puerta del Sol 1, Madrid' };
    expect((await api('POST', '/whatsapp/bots', { name: 'Where', numberId, trigger: { type: 'exact', keywords: ['where'] }, response: place, limits: { debounceMs: 0 } })).status).toBe(201);
    await sim!.client.customerSends({ from: LIA.phone, to: META.phoneNumberId, name: LIA.name, text: 'where' });
    await until('Lia to get the location', async () => (await sim!.client.outbound({ to: LIA.phone })).some((m) => m.type === 'location'), 30_000);
    await page.goto('/admin/plugins/whatsapp');
    await page.getByRole('list', { name: 'Conversations' }).getByRole('listitem', { name: LIA.name }).getByRole('button').click();
    const card = page.getByRole('log', { name: 'Messages' }).getByTestId('shared-location');
    await card.waitFor();
    expect(await card.textContent()).toContain('Puerta del Sol 1, Madrid');
    expect(await card.getByRole('link').getAttribute('href')).toBe('https://maps.google.com/?q=40.4168,-3.7038');
  });
});

test('a two-level menu made in the editor’s item tree: saved as a tree, opened again as one, walked by a customer', async () => {
  const numberId = (await api<{ data: any[] }>('GET', '/whatsapp/numbers')).body.data.find((n) => n.label === META.label).id;
  const editor = page.getByRole('dialog');
  const item = (n: string) => editor.getByRole('group', { name: `Menu item ${n}`, exact: true });

  await step('the editor: a menu of an answer and a sub-menu, built item by item', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto('/admin/plugins/whatsapp/bots');
    await page.getByRole('button', { name: 'Add bot' }).first().click();
    await editor.getByRole('textbox', { name: 'Name' }).fill('Help menu');
    await editor.getByRole('textbox', { name: 'Keywords' }).fill('help');
    await editor.getByRole('combobox', { name: 'Answers with' }).click();
    await page.getByRole('option', { name: 'Multi-level menu', exact: true }).click();
    await editor.getByRole('textbox', { name: 'Message', exact: true }).fill('How can we help?');
    await editor.getByRole('button', { name: 'Add menu item' }).click();
    await item('1').getByRole('textbox', { name: 'Item 1 title' }).fill('Opening hours');
    await item('1').getByRole('textbox', { name: 'Item 1: Message', exact: true }).fill('Mon–Fri 9–17');
    await editor.getByRole('button', { name: 'Add menu item' }).click();
    await item('2').getByRole('textbox', { name: 'Item 2 title' }).fill('Orders');
    await item('2').getByRole('combobox', { name: 'Item 2 when picked' }).click();
    await page.getByRole('option', { name: 'Opens a sub-menu' }).click();
    await item('2').getByRole('textbox', { name: 'Item 2 sub-menu message' }).fill('About your order');
    // Switching to a sub-menu starts it with one item, drawn inside item 2.
    await item('2.1').getByRole('textbox', { name: 'Item 2.1 title' }).fill('Track the order I placed last week');
    await item('2.1').getByRole('textbox', { name: 'Item 2.1: Message', exact: true }).fill('Tracking: see your e-mail');
    await item('2').screenshot({ path: path.join(ARTIFACTS, 'bots-menu-editor.png') });
  });

  await step('a nested item’s title over the limit is refused beside that field', async () => {
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/whatsapp/bots'),
      editor.getByRole('button', { name: 'Save' }).click(),
    ]);
    expect(res.status()).toBe(400);
    const title = item('2.1').getByRole('textbox', { name: 'Item 2.1 title' });
    await until('the error beside the nested title', async () => (await title.getAttribute('aria-invalid')) === 'true');
    const described = (await title.getAttribute('aria-describedby'))?.split(' ') ?? [];
    const texts = await Promise.all(described.map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(texts.join(' ')).toContain('at most 20 characters');
    expect(await item('1').getByRole('textbox', { name: 'Item 1 title' }).getAttribute('aria-invalid')).not.toBe('true');
    await title.fill('Track it');
    await editor.getByRole('button', { name: 'Save' }).click();
    await editor.waitFor({ state: 'detached' });
    const saved = (await api<{ data: any[] }>('GET', '/whatsapp/bots')).body.data.find((b) => b.name === 'Help menu');
    expect(saved.response).toEqual({
      type: 'menu', text: 'How can we help?',
      items: [
        { id: 'Opening hours', title: 'Opening hours', reply: { type: 'text', text: 'Mon–Fri 9–17' } },
        { id: 'Orders', title: 'Orders', text: 'About your order', items: [{ id: 'Track it', title: 'Track it', reply: { type: 'text', text: 'Tracking: see your e-mail' } }] },
      ],
    });
  });

  await step('opened again, the editor shows the same tree', async () => {
    await page.getByRole('button', { name: 'Edit Help menu' }).click();
    expect(await item('2').getByRole('textbox', { name: 'Item 2 sub-menu message' }).inputValue()).toBe('About your order');
    expect(await item('2.1').getByRole('textbox', { name: 'Item 2.1 title' }).inputValue()).toBe('Track it');
    expect(await item('1').getByRole('textbox', { name: 'Item 1: Message', exact: true }).inputValue()).toBe('Mon–Fri 9–17');
    await editor.getByRole('button', { name: 'Cancel' }).click();
    await editor.waitFor({ state: 'detached' });
  });

  await step('a customer walks it: the menu, the sub-menu, then the answer', async () => {
    const got = (check: (m: any) => boolean) => async () => (await sim!.client.outbound({ to: MIA.phone })).some(check);
    await sim!.client.customerSends({ from: MIA.phone, to: META.phoneNumberId, name: MIA.name, text: 'help' });
    await until('Mia to get the menu', got((m) => m.buttons?.map((b: any) => b.title).join() === 'Opening hours,Orders'), 30_000);
    await sim!.client.customerSends({ from: MIA.phone, to: META.phoneNumberId, name: MIA.name, text: 'Orders' });
    await until('Mia to get the sub-menu', got((m) => m.text === 'About your order' && m.buttons?.map((b: any) => b.title).join() === 'Track it'), 30_000);
    await sim!.client.customerSends({ from: MIA.phone, to: META.phoneNumberId, name: MIA.name, text: 'Track it' });
    await until('Mia to get the answer', got((m) => m.text === 'Tracking: see your e-mail'), 30_000);
  });
});
