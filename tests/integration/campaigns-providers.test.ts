/** Campaigns on AiSensy and Gupshup numbers (issue 18): AiSensy's template entered by hand, sent through its API campaign, receipts by its webhook, its limits said in the pre-flight; Gupshup's synced and sent like Meta's. */
import type { RunningSimulator } from '../../simulator';
import type { TestApp } from '../helpers/strapi';
import { TEST_PUBLIC_URL } from '../helpers/strapi';
import { as } from '../helpers/admin';
import { until } from '../helpers/campaigns';
import { startWithSimulator } from '../helpers/simulated-app';

let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;
let aisensy: any;
let base: string;

const API_KEY = 'ai-key-campaigns-01';
const phones = ['+33612000001', '+33612000002', '+33612000003'];

beforeAll(async () => {
  const started = await startWithSimulator((simulator) => ({ WHATSAPP_AISENSY_BASE_URL: simulator.url, WHATSAPP_GUPSHUP_BASE_URL: simulator.url }));
  ({ sim, app, admin, base } = started);
  aisensy = (await admin.post('/whatsapp/numbers').send({ label: 'AiSensy', provider: 'aisensy', phone: '+919876543299', apiKey: API_KEY })).body.data;
  await sim.client.addAisensyAccount({ apiKey: API_KEY, phone: '919876543299', webhookUrl: aisensy.webhookUrl.replace(TEST_PUBLIC_URL, started.base) });
  await sim.client.addAisensyCampaign({ apiKey: API_KEY, campaignName: 'order_notice', text: 'Hello {{1}}, your order is on its way.', live: true });
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

test('a template is entered by hand only for a number whose provider lists none', async () => {
  const res = await admin.post('/whatsapp/templates').send({ numberId: aisensy.id, name: 'order_notice', language: 'en', category: 'UTILITY', body: 'Hello {{1}}, your order is on its way.' });
  expect(res.status).toBe(201);
  expect(res.body.data).toMatchObject({ numberId: aisensy.id, name: 'order_notice', status: 'APPROVED', parameterSchema: { body: ['1'] } });
  const bad = await admin.post('/whatsapp/templates').send({ numberId: aisensy.id, name: 'Order Notice', language: 'en', category: 'UTILITY', body: 'x' });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details.errors[0].path).toEqual(['name']);
});

test('a campaign on an AiSensy number is sent through its API campaign, counts the receipts its webhook reports, and warns of what AiSensy cannot do', async () => {
  const created = await admin.post('/whatsapp/campaigns').send({
    name: 'AiSensy orders',
    numberId: aisensy.id,
    template: { name: 'order_notice', language: 'en' },
    parameters: [{ component: 'body', index: 0, from: 'column', value: 'name' }],
    audience: { csv: ['phone,name', ...phones.map((p, i) => `${p},Customer ${i}`)].join('\n') },
    schedule: { type: 'now' },
  });
  expect(created.status).toBe(201);
  const id = created.body.data.id;
  const preflight = (await admin.post(`/whatsapp/campaigns/${id}/preflight`).send({})).body.data;
  expect(preflight).toMatchObject({ canLaunch: true, sendable: 3, problems: [] });
  expect(preflight.warnings.map((w: any) => w.message).join(' ')).toMatch(/API campaign named order_notice.*cannot be synced.*webhook/s);
  const launched = await admin.post(`/whatsapp/campaigns/${id}/launch`).send({});
  expect(launched.status).toBe(200);
  await until(app, sim, async () => {
    const c = (await admin.get(`/whatsapp/campaigns/${id}`)).body.data;
    return c.state === 'done' && c.counters.read === 3;
  });
  const campaign = (await admin.get(`/whatsapp/campaigns/${id}`)).body.data;
  expect(campaign.state).toBe('done');
  // Each recipient counts once, at its furthest receipt: all three were read.
  expect(campaign.counters).toMatchObject({ total: 3, queued: 0, sent: 0, delivered: 0, read: 3, failed: 0 });
  const sent = (await sim.client.outbound({ provider: 'aisensy' } as any)) as any[];
  for (const [i, p] of phones.entries()) {
    const mine = sent.filter((m) => m.to === p.slice(1));
    expect(mine).toHaveLength(1);
    expect(mine[0].text).toBe(`Hello Customer ${i}, your order is on its way.`);
  }
});

test('a campaign on a Gupshup number sends its synced template, with no provider warning', async () => {
  const connected = await admin.post('/whatsapp/numbers').send({ label: 'Gupshup', provider: 'gupshup', phone: '+919876500788', apiKey: 'gs-campaign-key-0001', appName: 'CampaignApp', appId: 'gs-app-campaigns-01' });
  expect(connected.body.error ?? null).toBeNull();
  const gupshup = connected.body.data;
  await sim.client.addGupshupApp({ appId: 'gs-app-campaigns-01', appName: 'CampaignApp', apiKey: 'gs-campaign-key-0001', sourcePhone: '919876500788', webhookUrl: gupshup.webhookUrl.replace(TEST_PUBLIC_URL, base) });
  await sim.client.createTemplate({ provider: 'gupshup', appName: 'CampaignApp', name: 'gs_notice', language: 'en', category: 'UTILITY', body: 'Hi {{1}}.', status: 'APPROVED' });
  expect((await admin.post('/whatsapp/templates/sync').send({ numberId: gupshup.id })).body.data[0]).toMatchObject({ synced: 1, error: null });
  // Its templates come from Gupshup: none is entered by hand.
  const byHand = await admin.post('/whatsapp/templates').send({ numberId: gupshup.id, name: 'gs_other', language: 'en', category: 'UTILITY', body: 'x' });
  expect(byHand.status).toBe(400);
  expect(byHand.body.error.details.errors[0].path).toEqual(['numberId']);
  const list = ['+33613000001', '+33613000002'];
  const created = await admin.post('/whatsapp/campaigns').send({ name: 'Gupshup notice', numberId: gupshup.id, template: { name: 'gs_notice', language: 'en' }, parameters: [{ component: 'body', index: 0, from: 'constant', value: 'friend' }], audience: { csv: ['phone', ...list].join('\n') }, schedule: { type: 'now' } });
  expect(created.status).toBe(201);
  const id = created.body.data.id;
  const preflight = (await admin.post(`/whatsapp/campaigns/${id}/preflight`).send({})).body.data;
  expect(preflight).toMatchObject({ canLaunch: true, sendable: 2, warnings: [] });
  expect((await admin.post(`/whatsapp/campaigns/${id}/launch`).send({})).status).toBe(200);
  await until(app, sim, async () => (await admin.get(`/whatsapp/campaigns/${id}`)).body.data.state === 'done');
  const campaign = (await admin.get(`/whatsapp/campaigns/${id}`)).body.data;
  expect(campaign.counters).toMatchObject({ total: 2, queued: 0, failed: 0 });
  const sent = (await sim.client.outbound({ provider: 'gupshup' } as any)) as any[];
  for (const p of list) expect(sent.filter((m) => m.to === p.slice(1))).toHaveLength(1);
});
