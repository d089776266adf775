import type { RunningSimulator } from '../../simulator';
import { startCronJobs, stopCronJobs } from '../../server/cron';
import type { TestApp } from '../helpers/strapi';
import { connectMetaNumber, startWithSimulator } from '../helpers/simulated-app';
import { as, createStaff } from '../helpers/admin';

let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;
let meta: any;
let aisensy: any;

const WABA = '102030405060708';

beforeAll(async () => {
  const started = await startWithSimulator((simulator) => ({ WHATSAPP_AISENSY_BASE_URL: simulator.url }));
  ({ sim, app, admin } = started);
  meta = await connectMetaNumber(started, { label: 'Templates', phone: '+15550001111', phoneNumberId: '109876543210987', wabaId: WABA, accessToken: 'tpl-token-0001', appSecret: 'tpl-secret' });
  aisensy = (await admin.post('/whatsapp/numbers').send({ label: 'AiSensy', provider: 'aisensy', phone: '+919876543210', apiKey: 'ai-key-000001' })).body.data;

  await sim.client.createTemplate({
    wabaId: WABA, name: 'invoice_ready', language: 'en_US', category: 'UTILITY', status: 'APPROVED',
    components: [
      { type: 'HEADER', format: 'DOCUMENT' },
      { type: 'BODY', text: 'Hi {{1}}, invoice {{2}} is ready.' },
      { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Pay', url: 'https://pay.example.com/{{1}}' }] },
    ] as any,
  });
  await sim.client.createTemplate({
    wabaId: WABA, name: 'order_update', language: 'en_US', category: 'UTILITY', status: 'APPROVED', parameter_format: 'NAMED',
    components: [{ type: 'BODY', text: 'Hi {{first_name}}, order {{order_id}} shipped.', example: { body_text_named_params: [{ param_name: 'first_name', example: 'A' }, { param_name: 'order_id', example: '1' }] } }] as any,
  });
  await sim.client.createTemplate({ wabaId: WABA, name: 'spring_promo', language: 'en_US', category: 'MARKETING', status: 'REJECTED', rejectedReason: 'INVALID_FORMAT', body: 'Sale {{1}}' });
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

const list = async (query: Record<string, string> = {}) => (await admin.get('/whatsapp/templates').query(query)).body.data as any[];

test('an on-demand sync stores every template with its parameter schema', async () => {
  const res = await admin.post('/whatsapp/templates/sync').send({});
  expect(res.status).toBe(200);
  expect(res.body.data).toEqual(
    expect.arrayContaining([
      { numberId: meta.id, synced: 3, removed: 0, error: null },
      { numberId: aisensy.id, synced: 0, removed: 0, error: expect.stringMatching(/aisensy cannot list templates/) },
    ])
  );
  const templates = await list({ numberId: String(meta.id) });
  expect(templates.map((t) => t.name).sort()).toEqual(['invoice_ready', 'order_update', 'spring_promo']);
  expect(templates.find((t) => t.name === 'invoice_ready')).toMatchObject({
    status: 'APPROVED', category: 'UTILITY', parameterFormat: 'positional',
    parameterSchema: { header: { format: 'document', params: ['media'] }, body: ['1', '2'], buttons: [{ index: 0, subType: 'url', params: ['1'] }] },
  });
  expect(templates.find((t) => t.name === 'order_update')).toMatchObject({ parameterFormat: 'named', parameterSchema: { body: ['first_name', 'order_id'] } });
  expect(templates.find((t) => t.name === 'spring_promo')).toMatchObject({ status: 'REJECTED', rejectionReason: 'INVALID_FORMAT' });
});

test('a template gone from the provider is marked removed, not deleted', async () => {
  const gone = (await sim.client.templates({ owner: WABA })).find((t: any) => t.name === 'spring_promo')!;
  await sim.client.deleteTemplate((gone as any).id);
  const res = await admin.post('/whatsapp/templates/sync').send({ numberId: meta.id });
  expect(res.body.data).toEqual([{ numberId: meta.id, synced: 2, removed: 1, error: null }]);
  expect((await list()).map((t) => t.name)).not.toContain('spring_promo');
  expect((await list({ includeRemoved: 'true' })).find((t) => t.name === 'spring_promo').removedAt).toBeTruthy();
});

test('a template webhook updates a stored template, and an unknown one brings a sync', async () => {
  const created = await sim.client.createTemplate({ wabaId: WABA, name: 'welcome_lead', language: 'en_US', category: 'MARKETING', body: 'Welcome {{1}}!' });
  await sim.client.approveTemplate((created as any).id, { notify: true });
  await sim.client.settle();
  const inbound = app.strapi.plugin('whatsapp').service('inbound');
  inbound.kick();
  await inbound.idle();
  // The webhook named a template the plugin did not have: it synced the number's list.
  for (let i = 0; i < 50 && !(await list()).some((t) => t.name === 'welcome_lead'); i += 1) await new Promise((r) => setTimeout(r, 50));
  expect((await list()).find((t) => t.name === 'welcome_lead')).toMatchObject({ status: 'APPROVED' });

  const invoice = (await sim.client.templates({ owner: WABA })).find((t: any) => t.name === 'invoice_ready')!;
  await sim.client.setTemplateStatus((invoice as any).id, 'PAUSED', 'NONE');
  await sim.client.settle();
  inbound.kick();
  await inbound.idle();
  expect((await list()).find((t) => t.name === 'invoice_ready').status).toBe('PAUSED');
});

test('two syncs at once run one after the other and agree', async () => {
  const [a, b] = await Promise.all([admin.post('/whatsapp/templates/sync').send({ numberId: meta.id }), admin.post('/whatsapp/templates/sync').send({ numberId: meta.id })]);
  expect(a.body.data).toEqual(b.body.data);
  const calls = (await admin.get('/whatsapp/logs/api').query({ call: 'list-templates', pageSize: '200' })).body.data;
  expect(calls.length).toBeGreaterThanOrEqual(2);
  expect((await list({ numberId: String(meta.id) })).length).toBe(a.body.data[0].synced);
});

test('the hourly job syncs on its schedule when cron is on', async () => {
  const count = async () => (await admin.get('/whatsapp/logs/api').query({ call: 'list-templates', pageSize: '200' })).body.meta.pagination.total;
  const before = await count();
  app.strapi.config.set('plugin::whatsapp.cron', { enabled: true, templateSync: '* * * * * *' });
  startCronJobs(app.strapi);
  try {
    for (let i = 0; i < 60 && (await count()) === before; i += 1) await new Promise((r) => setTimeout(r, 100));
    expect(await count()).toBeGreaterThan(before);
  } finally {
    await stopCronJobs(app.strapi);
    app.strapi.config.set('plugin::whatsapp.cron', { enabled: false });
  }
});

test('templates need their permissions', async () => {
  const none = as(app.server, (await createStaff(app.strapi, app.server, 'NoTemplates', [])).token);
  expect((await none.get('/whatsapp/templates')).status).toBe(403);
  const reader = as(app.server, (await createStaff(app.strapi, app.server, 'TemplateReader', ['plugin::whatsapp.templates.read'])).token);
  expect((await reader.get('/whatsapp/templates')).status).toBe(200);
  expect((await reader.post('/whatsapp/templates/sync').send({})).status).toBe(403);
  expect((await admin.post('/whatsapp/templates/sync').send({ numberId: 999999 })).status).toBe(404);
  expect((await admin.post('/whatsapp/templates/sync').send({ numberId: 'x' })).status).toBe(400);
});
