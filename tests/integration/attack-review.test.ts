/**
 * The security fixes reviewed as an attacker: a staff admin with few permissions, a forged or
 * cross-app webhook, a hostile customer. Each test is an attack over HTTP against a booted Strapi
 * that a defence must stop.
 */
import request from 'supertest';
import type { RunningSimulator } from '../../simulator';
import type { TestApp } from '../helpers/strapi';
import { as, contentManagerRead, createStaff } from '../helpers/admin';
import { connectMetaNumber, startWithSimulator } from '../helpers/simulated-app';
import { fixture } from '../helpers/fixtures';
import { settleNotifications } from '../helpers/notifications';
import { postMeta, settle } from '../helpers/webhooks';

let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;
let victim: any;

const PNID = '109876543218001';
const WABA = '102030405068001';
const VICTIM_SECRET = 'victim-app-secret';
const RULES = '/whatsapp/notification-rules';
const MANAGE = ['plugin::whatsapp.notifications.read', 'plugin::whatsapp.notifications.manage'];

const q = (name: string) => app.strapi.db.query(`plugin::whatsapp.${name}` as any);
const errorsOf = (res: any) => res.body?.error?.details?.errors?.map((e: any) => [e.path[0], e.message]);
const bodyParam = (value: string, index = 0) => ({ component: 'body', index, from: 'field', value });
const leadRule = (body: Record<string, unknown> = {}) => ({
  name: 'attack',
  contentType: 'api::lead.lead',
  event: 'created',
  numberId: victim.id,
  template: { name: 'welcome_lead', language: 'en_US' },
  parameters: [bodyParam('name')],
  recipient: { from: 'constant', value: '+15550008999' },
  ...body,
});

beforeAll(async () => {
  const started = await startWithSimulator();
  ({ sim, app, admin } = started);
  victim = await connectMetaNumber(started, { label: 'Victim', phone: '+15550008000', phoneNumberId: PNID, wabaId: WABA, accessToken: 'victim-token', appSecret: VICTIM_SECRET });
  await sim.client.createTemplate({ wabaId: WABA, name: 'welcome_lead', language: 'en_US', category: 'MARKETING', status: 'APPROVED', body: 'Welcome {{1}}!' });
  await sim.client.createTemplate({ wabaId: WABA, name: 'spring_promo', language: 'en_US', category: 'MARKETING', status: 'APPROVED', body: 'Spring is here' });
  expect((await admin.post('/whatsapp/templates/sync').send({ numberId: victim.id })).status).toBe(200);
  await sim.client.setCustomer({ phone: '15550008999', reachable: true });
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

describe('a Meta body signed with one app’s secret', () => {
  test('cannot change the templates or the health of a number of another app that shares its WABA id', async () => {
    // A numbers.manager of team A enters the victim's WABA id on a number of their own app, whose secret they know.
    const { role, token } = await createStaff(app.strapi, app.server, 'AppAManager', ['plugin::whatsapp.numbers.read', 'plugin::whatsapp.numbers.manage']);
    const manager = as(app.server, token);
    const created = await manager.post('/whatsapp/numbers').send({ label: 'Attacker app', provider: 'meta', phone: '+15550008100', phoneNumberId: '109876543218100', wabaId: WABA, accessToken: 'attacker-token', appSecret: 'attacker-secret', verifyToken: 'a', teamRoleIds: [role.id] });
    expect(created.status).toBe(201);

    const rejected = fixture('meta/template-status-update-rejected.json');
    rejected.entry[0].id = WABA;
    const quality = fixture('meta/phone-number-quality-update.json');
    quality.entry[0].id = WABA;
    for (const body of [rejected, quality]) expect((await postMeta(app.server, created.body.data.webhookUrl, JSON.stringify(body), 'attacker-secret')).status).toBe(200);
    await settle(app.strapi);

    expect(await q('template').findOne({ where: { numberId: victim.id, name: 'spring_promo' } })).toMatchObject({ status: 'APPROVED' });
    expect((await q('number').findOne({ where: { id: victim.id } })).health ?? null).toBeNull();
  });
});

describe('CRM-event rules and role conditions', () => {
  test('an author who may read only the leads they created cannot make a rule that sends every lead’s name', async () => {
    const author = as(app.server, (await createStaff(app.strapi, app.server, 'OwnLeadsAuthor', [...MANAGE, contentManagerRead('api::lead.lead', ['name', 'phone'], ['admin::is-creator'])])).token);
    const res = await author.post(RULES).send(leadRule());
    expect(res.status).toBe(400);
    expect(errorsOf(res)).toEqual([['parameters', expect.stringMatching(/^name: you may read only some records of api::lead\.lead/)]]);
    // Nor by editing a rule someone else wrote to send to their phone.
    const other = (await admin.post(RULES).send(leadRule({ name: 'admin rule', active: false, recipient: { from: 'field', value: 'phone' } }))).body.data;
    expect((await author.put(`${RULES}/${other.id}`).send({ recipient: { from: 'constant', value: '+15550008999' } })).status).toBe(400);
    expect((await q('notification-rule').findOne({ where: { id: other.id } })).recipient).toEqual({ from: 'field', value: 'phone' });
  });

  test('an author who may read invoices in one locale only cannot make a rule that reads every locale’s invoices', async () => {
    const frOnly = { action: 'plugin::content-manager.explorer.read', subject: 'api::invoice.invoice', properties: { fields: ['number'], locales: ['fr'] } };
    const author = as(app.server, (await createStaff(app.strapi, app.server, 'FrenchInvoices', [...MANAGE, frOnly])).token);
    const res = await author.post(RULES).send(leadRule({ contentType: 'api::invoice.invoice', parameters: [bodyParam('number')] }));
    expect(res.status).toBe(400);
    expect(errorsOf(res)).toEqual([['parameters', expect.stringMatching(/^number: you may read only some records of api::invoice\.invoice/)]]);
    // Every locale there is (English here) reads every record: allowed.
    const everyLocale = as(app.server, (await createStaff(app.strapi, app.server, 'AllInvoices', [...MANAGE, contentManagerRead('api::invoice.invoice', ['number'], [], ['en'])])).token);
    const allowed = await everyLocale.post(RULES).send(leadRule({ contentType: 'api::invoice.invoice', parameters: [bodyParam('number')], active: false }));
    expect(allowed.status).toBe(201);
    await admin.del(`${RULES}/${allowed.body.data.id}`);
  });

  test('a viewer who may read only the leads they created sees no value of another’s lead in a trace', async () => {
    const rule = (await admin.post(RULES).send(leadRule({ name: 'to a fixed phone' }))).body.data;
    await app.strapi.documents('api::lead.lead').create({ data: { name: 'Quentin Private', phone: '+15550008201' } as any });
    await settleNotifications(app, sim);
    await admin.put(`${RULES}/${rule.id}`).send({ active: false });
    expect((await admin.get(`${RULES}/${rule.id}/firings`)).body.data[0].trace.parameters.body[0].text).toBe('Quentin Private');

    const viewer = as(app.server, (await createStaff(app.strapi, app.server, 'OwnLeadsViewer', ['plugin::whatsapp.notifications.read', contentManagerRead('api::lead.lead', ['name', 'phone'], ['admin::is-creator'])])).token);
    const res = await viewer.get(`${RULES}/${rule.id}/firings`);
    expect(res.status).toBe(200);
    expect(res.body.data[0].trace).toMatchObject({ redacted: true, parameters: { body: [{ text: '•••', redacted: true }] } });
    expect(JSON.stringify(res.body)).not.toContain('Quentin');
  });
});

describe('the request log', () => {
  test('never shows a webhook URL key, whatever the case of the path', async () => {
    const key = new URL(victim.webhookUrl).pathname.split('/').pop()!;
    const http = jest.spyOn(app.strapi.log, 'http');
    try {
      const res = await request(app.server).get(`/API/WHATSAPP/WEBHOOKS/${key}`).query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'v', 'hub.challenge': '7' });
      expect(res.status).toBeLessThan(500);
      const posted = await request(app.server).post(`/Api/WhatsApp/Webhooks/${key}`).set('Content-Type', 'application/json').send('{}');
      expect(posted.status).toBeLessThan(500);
      const lines = http.mock.calls.map((call) => String(call[0]));
      expect(lines.length).toBeGreaterThanOrEqual(2);
      for (const line of lines) expect(line).not.toContain(key);
    } finally {
      http.mockRestore();
    }
  });
});

describe('input PostgreSQL refuses', () => {
  test('a NUL character in a search, a body text or a body key is a 400 naming where, never stored or a 500', async () => {
    const reader = as(app.server, (await createStaff(app.strapi, app.server, 'NulReader', ['plugin::whatsapp.inbox.read', 'plugin::whatsapp.inbox.send'])).token);
    const search = await reader.get('/whatsapp/conversations').query({ q: 'a\u0000b' });
    expect(search.status).toBe(400);
    expect(search.body.error).toMatchObject({ name: 'ValidationError', details: { errors: [{ path: ['q'] }] } });
    expect((await reader.get('/whatsapp/host/recipients').query({ q: '\u0000\u0000' })).body.error?.details?.errors?.[0]?.path).toEqual(['q']);

    const label = await admin.post('/whatsapp/numbers').send({ label: 'Nul\u0000label', provider: 'gupshup', phone: '+919800000077', appName: 'NulApp', apiKey: 'nul-key' });
    expect(label.status).toBe(400);
    expect(label.body.error.details.errors[0].path).toEqual(['label']);
    expect(await q('number').count({ where: { phone: '+919800000077' } })).toBe(0);
    const key = await admin.put(`${RULES}/999`).send({ condition: { 'name\u0000': 'x' } });
    expect(key.status).toBe(400);
    expect(key.body.error.details.errors[0].path).toEqual(['condition', 'name\\0']);
  });

  test('a team id past the integer range is a 400 naming teamRoleIds', async () => {
    const res = await admin.put(`/whatsapp/numbers/${victim.id}`).send({ teamRoleIds: [1e308] });
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors[0].path[0]).toMatch(/^teamRoleIds/);
  });
});
