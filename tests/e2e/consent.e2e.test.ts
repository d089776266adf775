/**
 * Consent in a real browser against the example CRM and the provider simulator: a customer's STOP
 * shows as a red "Opted out" badge in the inbox header, staff opt them back in from there, and the
 * Consent page lists, filters and exports the records.
 */
import type { Page } from 'playwright-core';
import type { RunningSimulator } from '../../simulator';
import { adminRequest, connectMetaNumber, startBrowserTest, stopBrowserTest } from './support/admin';
import { until, type AdminSession } from './support/browser';
import type { ExampleServer } from './support/exampleServer';

const META = {
  label: 'Consent desk',
  phone: '+15550004747',
  phoneNumberId: '109876543210747',
  wabaId: '102030405060747',
  accessToken: 'EAAG-e2e-consent-access-token-0123456789',
  appSecret: 'e2e-consent-app-secret-0123456789abcdef',
  verifyToken: 'e2e-consent-verify-token-2026',
};
const OLIVE = { phone: '15550007471', name: 'Olive Optout' };

jest.setTimeout(300_000);

let sim: RunningSimulator | undefined;
let server: ExampleServer | undefined;
let session: AdminSession | undefined;
let page: Page;
let token: string;
const step = (name: string, fn: () => Promise<void>) => session!.step(name, fn);

const api = <T = any>(method: string, path: string, body?: unknown) => adminRequest<T>(server!, token, method, path, body);

beforeAll(async () => {
  ({ sim, server, session, page, token } = await startBrowserTest('consent'));
});

afterAll(() => stopBrowserTest({ sim, server, session }));

test('a STOP shows in the inbox header, staff opt the customer back in, and the Consent page lists it', async () => {
  let numberId = 0;
  await step('a number, and a customer who says STOP', async () => {
    numberId = (await connectMetaNumber({ sim: sim!, server: server!, token }, META)).id;
    await sim!.client.customerSends({ from: OLIVE.phone, to: META.phoneNumberId, name: OLIVE.name, text: 'STOP' });
    await until('the opt-out to be recorded', async () => (await api('GET', `/whatsapp/consents/${numberId}/${OLIVE.phone}`)).body?.data?.consent?.status === 'opted-out', 60_000);
  });

  await step('the inbox header shows the red badge; staff opt her back in', async () => {
    await session!.logIn();
    await page.goto('/admin/plugins/whatsapp');
    await page.getByRole('list', { name: 'Conversations' }).getByRole('listitem', { name: OLIVE.name }).getByRole('button').click();
    const badge = page.getByTestId('consent-badge');
    await badge.filter({ hasText: 'Opted out' }).waitFor();
    expect(await badge.getAttribute('data-status')).toBe('opted-out');
    await page.getByRole('button', { name: 'Opt in', exact: true }).click();
    await badge.filter({ hasText: 'Opted in' }).waitFor();
    const { consent } = (await api('GET', `/whatsapp/consents/${numberId}/${OLIVE.phone}`)).body.data;
    expect(consent).toMatchObject({ status: 'opted-in', source: 'staff' });
  });

  await step('the Consent page lists, filters and exports', async () => {
    await page.goto('/admin/plugins/whatsapp/consents');
    const rows = page.getByTestId('consent-row');
    await rows.filter({ hasText: `+${OLIVE.phone}` }).waitFor();
    expect(await rows.filter({ hasText: `+${OLIVE.phone}` }).textContent()).toContain('staff');
    await page.getByRole('combobox', { name: 'Status', exact: true }).click();
    await page.getByRole('option', { name: 'Opted out', exact: true }).click();
    await page.getByText('No consent recorded yet', { exact: false }).waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    expect((await download).suggestedFilename()).toBe('whatsapp-consents.csv');
  });
});
