import type { RunningSimulator } from '../../simulator';
import type { TestApp } from '../helpers/strapi';
import { as, contentManagerRead, createStaff } from '../helpers/admin';
import { campaignBed, campaignRound, PNID, until, waitFor } from '../helpers/campaigns';

let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;
let number: any;

const RATE = 5;
const q = (name: string) => app.strapi.db.query(`plugin::whatsapp.${name}` as any);
const service = () => app.strapi.plugin('whatsapp').service('campaigns');
const templatesFromNumber = async () => ((await sim.client.outbound({ business: PNID } as any)) as any[]).filter((m) => m.type === 'template');
const get = async (id: number) => (await admin.get(`/whatsapp/campaigns/${id}`)).body.data;
const phones = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `+3361${prefix}${String(i).padStart(6, '0')}`);
const csvOf = (list: string[]) => ['phone', ...list].join('\n');
const create = async (body: Record<string, unknown>) => {
  const res = await admin.post('/whatsapp/campaigns').send({ numberId: number.id, template: { name: 'notice', language: 'en_US' }, parameters: [{ component: 'body', index: 0, from: 'constant', value: 'friend' }], schedule: { type: 'now' }, ...body });
  expect(res.status).toBe(201);
  return res.body.data.id as number;
};
/** Messages of a campaign per customer, from the simulator's own log. */
const perPhone = async (list: string[]) => {
  const all = await templatesFromNumber();
  return list.map((p) => all.filter((m) => m.to === p.slice(1)).length);
};

beforeAll(async () => {
  ({ sim, app, admin, number } = await campaignBed(RATE, [
    { name: 'notice', category: 'UTILITY', body: 'Hello {{1}}.' },
    { name: 'fragile', category: 'UTILITY', body: 'Hey {{1}}.' },
  ]));
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

test('pause takes back what is not sending, sends nothing more; resume sends the rest once each', async () => {
  const list = phones('1', 40);
  const id = await create({ name: 'Pausable', audience: { csv: csvOf(list) } });
  expect((await admin.post(`/whatsapp/campaigns/${id}/launch`).send({})).status).toBe(200);
  await waitFor(async () => (await templatesFromNumber()).length >= 5);
  const paused = await admin.post(`/whatsapp/campaigns/${id}/pause`).send({ reason: 'checking the copy' });
  expect(paused.body.data).toMatchObject({ state: 'paused', pausedReason: 'checking the copy' });
  await campaignRound(app, sim);
  expect(await q('message').count({ where: { sourceRef: { $startsWith: `campaign:${id}:` }, status: { $in: ['queued', 'sending'] } } })).toBe(0);
  const atPause = (await templatesFromNumber()).length;
  expect(atPause).toBeLessThan(40);
  await campaignRound(app, sim);
  await campaignRound(app, sim);
  expect((await templatesFromNumber()).length).toBe(atPause);
  expect((await admin.post(`/whatsapp/campaigns/${id}/resume`).send({})).body.data.state).toBe('running');
  await until(app, sim, async () => (await get(id)).state === 'done');
  expect(await perPhone(list)).toEqual(list.map(() => 1));
  expect((await get(id)).audit.map((a: any) => a.action)).toEqual(['created', 'launched', 'paused', 'resumed', 'done']);
});

test('cancel ends the campaign: the rest is skipped as cancelled, nothing is sent twice', async () => {
  const list = phones('2', 30);
  const id = await create({ name: 'Cancelled', audience: { csv: csvOf(list) } });
  expect((await admin.post(`/whatsapp/campaigns/${id}/launch`).send({})).status).toBe(200);
  await waitFor(async () => (await perPhone(list)).some((n) => n === 1));
  expect((await admin.post(`/whatsapp/campaigns/${id}/cancel`).send({})).body.data.state).toBe('cancelled');
  await campaignRound(app, sim);
  const detail = await get(id);
  const counts = await perPhone(list);
  expect(counts.every((n) => n <= 1)).toBe(true);
  expect(detail.counters.skipped).toBe(30 - counts.filter((n) => n === 1).length);
  expect((await admin.get(`/whatsapp/campaigns/${id}/recipients`).query({ status: 'skipped' })).body.data[0].reason).toMatch(/^cancelled/);
  expect((await admin.post(`/whatsapp/campaigns/${id}/resume`).send({})).status).toBe(400);
});

test('a template paused by the provider pauses the campaign with the reason', async () => {
  const list = phones('3', 30);
  const id = await create({ name: 'Fragile', template: { name: 'fragile', language: 'en_US' }, audience: { csv: csvOf(list) } });
  expect((await admin.post(`/whatsapp/campaigns/${id}/launch`).send({})).status).toBe(200);
  await waitFor(async () => (await perPhone(list)).some((n) => n === 1));
  const template = ((await sim.client.templates()) as any[]).find((t) => t.name === 'fragile');
  await sim.client.setTemplateStatus(template.id, 'PAUSED', 'LOW_QUALITY');
  await until(app, sim, async () => (await get(id)).state === 'paused');
  expect((await get(id)).pausedReason).toMatch(/automatic pause: template fragile is PAUSED/);
  expect((await get(id)).audit.at(-1)).toMatchObject({ action: 'auto-paused', userId: null });
  expect((await perPhone(list)).filter((n) => n === 1).length).toBeLessThan(30);
});

test('failures over the threshold in the last sends pause the campaign', async () => {
  const list = phones('4', 30);
  for (const p of list) await sim.client.setCustomer({ phone: p.slice(1), reachable: false });
  const id = await create({ name: 'Bad list', audience: { csv: csvOf(list) }, options: { autoPause: { window: 5, failureRate: 0.5 } } });
  expect((await admin.post(`/whatsapp/campaigns/${id}/launch`).send({})).status).toBe(200);
  await until(app, sim, async () => (await get(id)).state === 'paused');
  expect((await get(id)).pausedReason).toMatch(/automatic pause: \d+ of the last 5 sends failed/);
});

test('scheduled once: starts when due, and two ticks make one occurrence', async () => {
  const at = new Date(Date.now() + 3600_000);
  const id = await create({ name: 'Later', audience: { csv: csvOf(phones('5', 3)) }, schedule: { type: 'once', at: at.toISOString() } });
  const launched = await admin.post(`/whatsapp/campaigns/${id}/launch`).send({});
  expect(launched.body.data).toMatchObject({ state: 'scheduled', nextRunAt: at.toISOString() });
  expect(await service().tick(new Date())).toBe(0);
  await Promise.all([service().tick(new Date(at.getTime() + 1000)), service().tick(new Date(at.getTime() + 1000))]);
  expect(await q('campaign-occurrence').count({ where: { campaignId: id } })).toBe(1);
  await until(app, sim, async () => (await get(id)).state === 'done');
  expect(await perPhone(phones('5', 3))).toEqual([1, 1, 1]);
});

test('recurring daily in a time zone: each occurrence once, with its own snapshot, until the end', async () => {
  await app.strapi.documents('api::lead.lead').create({ data: { name: 'R1', phone: '+33619000001', source: 'daily' } as any });
  const id = await create({
    name: 'Daily',
    audience: { contentType: 'api::lead.lead', phoneField: 'phone', filters: { source: { $eq: 'daily' } } },
    schedule: { type: 'recurring', frequency: 'daily', at: '2030-01-10T09:30', timeZone: 'Europe/Paris', until: '2030-01-11T12:00' },
  });
  const launched = (await admin.post(`/whatsapp/campaigns/${id}/launch`).send({})).body.data;
  expect(launched).toMatchObject({ state: 'scheduled', nextRunAt: '2030-01-10T08:30:00.000Z' });
  await service().tick(new Date('2030-01-10T08:30:05Z'));
  await until(app, sim, async () => (await get(id)).state === 'scheduled');
  expect((await get(id)).nextRunAt).toBe('2030-01-11T08:30:00.000Z');
  await app.strapi.documents('api::lead.lead').create({ data: { name: 'R2', phone: '+33619000002', source: 'daily' } as any });
  await service().tick(new Date('2030-01-11T08:30:05Z'));
  await until(app, sim, async () => (await get(id)).state === 'done');
  const detail = await get(id);
  expect(detail.occurrences.map((o: any) => o.counters.total)).toEqual([2, 1]);
  expect(await perPhone(['+33619000001', '+33619000002'])).toEqual([2, 1]);
});

describe('permissions and teams', () => {
  test('without campaigns.launch a user may build but not launch (403); without reading the phone field, not even build', async () => {
    const builder = as(app.server, (await createStaff(app.strapi, app.server, 'Builder', ['plugin::whatsapp.campaigns.read', 'plugin::whatsapp.campaigns.manage', contentManagerRead('api::lead.lead', ['name', 'phone', 'source'])])).token);
    const body = { name: 'By builder', numberId: number.id, template: { name: 'notice', language: 'en_US' }, parameters: [{ component: 'body', index: 0, from: 'field', value: 'name' }], audience: { contentType: 'api::lead.lead', phoneField: 'phone' }, schedule: { type: 'now' } };
    const created = await builder.post('/whatsapp/campaigns').send(body);
    expect(created.status).toBe(201);
    expect((await builder.post(`/whatsapp/campaigns/${created.body.data.id}/launch`).send({})).status).toBe(403);
    const blind = as(app.server, (await createStaff(app.strapi, app.server, 'Blind', ['plugin::whatsapp.campaigns.manage', contentManagerRead('api::lead.lead', ['name'])])).token);
    const refused = await blind.post('/whatsapp/campaigns').send(body);
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.errors[0].path).toEqual(['audience', 'phoneField']);
    const reader = as(app.server, (await createStaff(app.strapi, app.server, 'Reader', ['plugin::whatsapp.campaigns.read'])).token);
    expect((await reader.post('/whatsapp/campaigns').send(body)).status).toBe(403);
    expect((await reader.get(`/whatsapp/campaigns/${created.body.data.id}`)).status).toBe(200);
  });

  test('a team sees its numbers’ campaigns only', async () => {
    const a = await createStaff(app.strapi, app.server, 'TeamA', ['plugin::whatsapp.campaigns.read', 'plugin::whatsapp.campaigns.manage']);
    const b = await createStaff(app.strapi, app.server, 'TeamB', ['plugin::whatsapp.campaigns.read', 'plugin::whatsapp.campaigns.manage']);
    const other = (await admin.post('/whatsapp/numbers').send({ label: 'B only', provider: 'meta', phone: '+15550007000', phoneNumberId: '555000700', wabaId: '555000701', accessToken: 'b', appSecret: 'b', verifyToken: 'v', teamRoleIds: [b.role.id] })).body.data;
    const id = (await admin.post('/whatsapp/campaigns').send({ name: 'B campaign', numberId: other.id, template: { name: 'x', language: 'en_US' }, audience: { csv: 'phone\n+33600000000' }, schedule: { type: 'now' } })).body;
    // The other number has no templates: created by the admin straight in the database, as the route would refuse it.
    const row = await q('campaign').create({ data: { name: 'B campaign', numberId: other.id, template: { name: 'x', language: 'en_US' }, audience: {}, schedule: { type: 'now' }, state: 'draft' } });
    expect(id.error.details.errors[0].path).toEqual(['template']);
    const asA = as(app.server, a.token);
    const asB = as(app.server, b.token);
    expect((await asA.get(`/whatsapp/campaigns/${row.id}`)).status).toBe(404);
    expect((await asA.get('/whatsapp/campaigns').query({ pageSize: 100 })).body.data.map((c: any) => c.id)).not.toContain(row.id);
    expect((await asB.get(`/whatsapp/campaigns/${row.id}`)).status).toBe(200);
    expect((await asB.get('/whatsapp/campaigns').query({ numberId: other.id })).body.data.map((c: any) => c.id)).toEqual([row.id]);
    const refused = await asA.post('/whatsapp/campaigns').send({ name: 'Sneaky', numberId: other.id, template: { name: 'x', language: 'en_US' }, audience: { csv: 'phone\n+33600000000' }, schedule: { type: 'now' } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.errors[0].path).toEqual(['numberId']);
  });
});
