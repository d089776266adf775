/**
 * In a real browser against the example CRM (`strapi start`) and the provider simulator, on a
 * campaign's detail page: pause, resume and cancel a running campaign (each phone reached at most
 * once, the rest skipped as cancelled); retry failed sends only the retryable failure again; a test
 * send to one phone (and a bad one) shows what each got and stays out of the campaign's figures.
 */
import type { Page } from 'playwright-core';
import { createSimulator, type RunningSimulator } from '../../simulator';
import { openAdminSession, until, type AdminSession } from './support/browser';
import { adminApi, campaignBody, META, numberWithTemplate, templatesTo, type Api } from './support/campaigns';
import { startExample, type ExampleServer } from './support/exampleServer';

jest.setTimeout(300_000);

let sim: RunningSimulator | undefined;
let server: ExampleServer | undefined;
let session: AdminSession | undefined;
let page: Page;
let api: Api;
let numberId: number;
const step = (name: string, fn: () => Promise<void>) => session!.step(name, fn);

const isPost = (path: RegExp) => (res: { request: () => { method: () => string }; url: () => string }) => res.request().method() === 'POST' && path.test(new URL(res.url()).pathname);
const get = async (id: number) => (await api('GET', `/whatsapp/campaigns/${id}`)).body.data;
const recipients = async (id: number) => (await api('GET', `/whatsapp/campaigns/${id}/recipients?pageSize=100`)).body.data as any[];
const launched = async (name: string, phones: string[], extra?: Record<string, unknown>) => {
  const created = await api('POST', '/whatsapp/campaigns', campaignBody(numberId, name, phones, extra));
  expect([created.status, created.status === 201 ? null : created.body]).toEqual([201, null]);
  const launch = await api('POST', `/whatsapp/campaigns/${created.body.data.id}/launch`, {});
  expect([launch.status, launch.status === 200 ? null : launch.body]).toEqual([200, null]);
  return created.body.data.id as number;
};
const openDetail = async (id: number, name: string) => {
  await page.goto(`/admin/plugins/whatsapp/campaigns/${id}`);
  await page.getByRole('heading', { name, level: 1 }).waitFor();
};
const doneCount = async () => Number(/^(\d+) \//.exec((await page.getByTestId('progress-text').first().textContent()) ?? '')?.[1] ?? -1);
const click = async (button: string, path: RegExp) => {
  const [res] = await Promise.all([page.waitForResponse(isPost(path)), page.getByRole('button', { name: button, exact: true }).click()]);
  expect(res.status()).toBe(200);
  return res.json();
};
const badge = (label: string) => page.getByText(label, { exact: true }).first().waitFor();

beforeAll(async () => {
  sim = await createSimulator({ port: 0 });
  server = await startExample({ WHATSAPP_META_BASE_URL: sim.url });
  session = await openAdminSession(server, 'campaign-actions');
  page = session.page;
  // The machine is shared: a cold admin page can take longer than the default 20 s to load.
  page.setDefaultNavigationTimeout(90_000);
  api = await adminApi(server);
  // One send a second: a run lasts long enough to be paused in the middle.
  numberId = (await numberWithTemplate(server, sim, api, 1)).id;
  await session.logIn();
});

afterAll(async () => {
  await session?.close();
  await server?.stop();
  await sim?.close();
});

test('pause, resume and cancel a running campaign from its detail page', async () => {
  const NAME = 'Pausable run';
  // A minute of sends at 1/s: room to act on a shared, slow machine.
  const phones = Array.from({ length: 60 }, (_, i) => `+155500073${String(i).padStart(2, '0')}`);
  let id = 0;

  await step('launched, it runs on the detail page', async () => {
    id = await launched(NAME, phones);
    await openDetail(id, NAME);
    await badge('Running');
  });

  await step('pause: the page says paused and why, and offers resume', async () => {
    const answer = await click('Pause', /\/pause$/);
    expect(answer.data.state).toBe('paused');
    await badge('Paused');
    await page.getByText('paused by an admin', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Pause', exact: true }).count()).toBe(0);
    expect((await get(id)).state).toBe('paused');
  });

  let atResume = 0;
  await step('resume: it runs again from where it stopped', async () => {
    atResume = (await get(id)).counters.sent;
    const answer = await click('Resume', /\/resume$/);
    expect(answer.data.state).toBe('running');
    await badge('Running');
    await until('sends after the resume on screen', async () => (await doneCount()) > atResume, 30_000);
  });

  await step('cancel: the page says cancelled; each phone was reached at most once and the rest skipped', async () => {
    const answer = await click('Cancel campaign', /\/cancel$/);
    expect(answer.data.state).toBe('cancelled');
    await badge('Cancelled');
    expect(await page.getByRole('button', { name: 'Resume', exact: true }).count()).toBe(0);
    // Sends already out get their answer; then every recipient is settled.
    const rows = await (async () => {
      let last: any[] = [];
      await until('every recipient sent or skipped', async () => (last = await recipients(id)).every((r) => ['sent', 'delivered', 'read', 'skipped'].includes(r.status)), 30_000);
      return last;
    })();
    const reached = rows.filter((r) => r.status !== 'skipped');
    const skipped = rows.filter((r) => r.status === 'skipped');
    expect(reached.length).toBeGreaterThan(atResume);
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.every((r) => /cancelled/.test(r.reason))).toBe(true);
    for (const phone of phones) {
      const got = (await templatesTo(sim!, phone)).length;
      expect({ phone, got }).toEqual({ phone, got: reached.some((r) => r.phone === phone) ? 1 : 0 });
    }
    const table = page.getByRole('grid', { name: 'Recipients' });
    await until('the table to show the skipped ones', async () => ((await table.textContent()) ?? '').includes('Skipped'), 20_000);
  });
});

test('retry failed sends the retryable failure again, and a test send reaches one phone outside the figures', async () => {
  const NAME = 'Retry run';
  const [eco, gone] = ['+15550007401', '+15550007402'];
  let id = 0;

  await step('two sends, both failed by the provider: one retryable (131049), one final (131026)', async () => {
    await sim!.client.setFault(META.phoneNumberId, { autoDeliver: false });
    id = await launched(NAME, [eco, gone], { options: { ecosystemRetries: 0 } });
    await until('both at the simulator', async () => (await templatesTo(sim!, eco)).length === 1 && (await templatesTo(sim!, gone)).length === 1, 30_000);
    await sim!.client.fail((await templatesTo(sim!, eco))[0].id, 131049);
    await sim!.client.fail((await templatesTo(sim!, gone))[0].id, 131026);
    await openDetail(id, NAME);
    const table = page.getByRole('grid', { name: 'Recipients' });
    await until('both failed on screen with their reasons', async () => {
      const [a, b] = [await table.getByRole('row', { name: eco }).textContent().catch(() => ''), await table.getByRole('row', { name: gone }).textContent().catch(() => '')];
      return /Failed.*131049.*24 hours/.test(a ?? '') && /Failed.*131026.*Undeliverable/.test(b ?? '');
    }, 30_000);
  });

  await step('retry failed: only the retryable one is sent again', async () => {
    const answer = await click('Retry failed', /\/retry-failed$/);
    expect(answer.data).toEqual({ retried: 1 });
    await until('the retryable one sent a second time', async () => (await templatesTo(sim!, eco)).length === 2, 30_000);
    expect(await templatesTo(sim!, gone)).toHaveLength(1);
    const table = page.getByRole('grid', { name: 'Recipients' });
    await until('its row sent again on screen', async () => /Sent/.test((await table.getByRole('row', { name: eco }).textContent()) ?? ''), 20_000);
    await page.getByRole('list', { name: 'Audit trail' }).getByText('Retried', { exact: false }).waitFor();
  });

  await step('test send to one phone and a bad one: each result shown, the phone reached, the figures unchanged', async () => {
    const before = (await get(id)).counters;
    const testPhone = '+15550007499';
    await page.getByRole('button', { name: 'Test send', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Test send' });
    await dialog.getByRole('textbox', { name: 'Phones' }).fill(`${testPhone}, 12`);
    const [res] = await Promise.all([page.waitForResponse(isPost(/\/test-send$/)), dialog.getByRole('button', { name: 'Send test' }).click()]);
    expect(res.status()).toBe(200);
    const results = dialog.getByRole('list', { name: 'Test results' });
    await results.getByText(`${testPhone}: sent`, { exact: true }).waitFor();
    await results.getByText('12: not a valid phone number', { exact: false }).waitFor();
    await until('the test message at the simulator', async () => (await templatesTo(sim!, testPhone)).length === 1, 30_000);
    expect(JSON.stringify((await templatesTo(sim!, testPhone))[0])).toContain('Customer 1');
    expect((await get(id)).counters).toEqual(before);
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    await page.getByRole('list', { name: 'Audit trail' }).getByText('Test', { exact: false }).first().waitFor();
  });

  expect(session!.browserErrors).toEqual([]);
});
