/** The campaign review findings (issue 18): each test failed before its fix. */
import type { RunningSimulator } from '../../simulator';
import type { TestApp } from '../helpers/strapi';
import { as, contentManagerRead, createStaff } from '../helpers/admin';
import { campaignBed, PNID, until } from '../helpers/campaigns';

let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;
let number: any;

const q = (name: string) => app.strapi.db.query(`plugin::whatsapp.${name}` as any);
const service = () => app.strapi.plugin('whatsapp').service('campaigns');
const get = async (id: number) => (await admin.get(`/whatsapp/campaigns/${id}`)).body.data;
const phones = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `+3362${prefix}${String(i).padStart(6, '0')}`);
const csvOf = (list: string[]) => ['phone', ...list].join('\n');
const body = (extra: Record<string, unknown>) => ({ numberId: number.id, template: { name: 'notice', language: 'en_US' }, parameters: [{ component: 'body', index: 0, from: 'constant', value: 'friend' }], schedule: { type: 'now' }, ...extra });
const create = async (extra: Record<string, unknown>) => {
  const res = await admin.post('/whatsapp/campaigns').send(body(extra));
  expect(res.status).toBe(201);
  return res.body.data.id as number;
};
const templatesTo = async (phone: string) => ((await sim.client.outbound({ business: PNID } as any)) as any[]).filter((m) => m.type === 'template' && m.to === phone.slice(1));

beforeAll(async () => {
  ({ sim, app, admin, number } = await campaignBed(20, [{ name: 'notice', category: 'UTILITY', body: 'Hello {{1}}.' }]));
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

test("recipients of another campaign's occurrence are not readable through mine", async () => {
  const other = await create({ name: 'Other team', audience: { csv: csvOf(phones('1', 2)) } });
  await admin.post(`/whatsapp/campaigns/${other}/launch`).send({});
  await until(app, sim, async () => (await get(other)).state === 'done');
  const otherOccurrence = (await get(other)).occurrences[0].id;
  const mine = await create({ name: 'Mine', audience: { csv: csvOf(phones('2', 1)) } });
  const res = await admin.get(`/whatsapp/campaigns/${mine}/recipients`).query({ occurrenceId: String(otherOccurrence) });
  expect(res.status).toBe(400);
  expect(res.body.error.details.errors[0].path).toEqual(['occurrenceId']);
  const own = await admin.get(`/whatsapp/campaigns/${other}/recipients`).query({ occurrenceId: String(otherOccurrence) });
  expect(own.body.meta.pagination.total).toBe(2);
  const csv = await admin.get(`/whatsapp/campaigns/${mine}/recipients.csv`);
  expect(csv.text.trim().split('\r\n')).toHaveLength(1);
});

test('a campaign left running with no occurrence (killed between the two) is started by the sweep, each recipient once', async () => {
  const list = phones('3', 3);
  const id = await create({ name: 'Crashed launch', audience: { csv: csvOf(list) } });
  // What kill -9 right after the state change left behind: running, no occurrence.
  await q('campaign').update({ where: { id }, data: { state: 'running' } });
  await service().tick();
  await until(app, sim, async () => (await get(id)).state === 'done');
  for (const p of list) expect(await templatesTo(p)).toHaveLength(1);
  expect((await get(id)).occurrences).toHaveLength(1);
});

test('resume with no paused occurrence does not end the campaign done without sending', async () => {
  const list = phones('4', 2);
  const id = await create({ name: 'Paused before its run', audience: { csv: csvOf(list) } });
  await q('campaign').update({ where: { id }, data: { state: 'paused' } });
  expect((await admin.post(`/whatsapp/campaigns/${id}/resume`).send({})).body.data.state).toBe('running');
  await until(app, sim, async () => (await get(id)).state === 'done');
  for (const p of list) expect(await templatesTo(p)).toHaveLength(1);
});

test('a daily campaign a week overdue runs once, and its next run is after now', async () => {
  const id = await create({ name: 'Daily', audience: { csv: csvOf(phones('5', 1)) }, schedule: { type: 'recurring', frequency: 'daily' } });
  expect((await admin.post(`/whatsapp/campaigns/${id}/launch`).send({})).body.data.state).toBe('scheduled');
  const weekAgo = new Date(Date.now() - 7 * 86_400_000);
  await q('campaign').update({ where: { id }, data: { nextRunAt: weekAgo } });
  const now = new Date();
  await service().tick(now);
  const after = await q('campaign').findOne({ where: { id } });
  expect(new Date(after.nextRunAt).getTime()).toBeGreaterThan(now.getTime());
  await service().tick(now);
  expect(await q('campaign-occurrence').count({ where: { campaignId: id } })).toBe(1);
});

test.each([
  ['*/5 * * * *', 'every five minutes'],
  ['0,30 9 * * *', 'twice within an hour'],
  ['0 0 9 * * *', 'six fields'],
])('cron %s (%s) is refused, naming schedule.cron', async (cron) => {
  const res = await admin.post('/whatsapp/campaigns').send(body({ name: 'Too often', audience: { csv: csvOf(phones('6', 1)) }, schedule: { type: 'recurring', cron } }));
  expect(res.status).toBe(400);
  expect(res.body.error.details.errors[0].path).toEqual(['schedule', 'cron']);
});

test('two concurrent retry-failed clicks queue each failed recipient once', async () => {
  const [phone] = phones('7', 1);
  const id = await create({ name: 'Retry race', audience: { csv: csvOf([phone]) }, options: { ecosystemRetries: 0 } });
  await sim.client.setFault(PNID, { autoDeliver: false });
  try {
    await admin.post(`/whatsapp/campaigns/${id}/launch`).send({});
    await until(app, sim, async () => (await templatesTo(phone)).length === 1);
    await sim.client.fail((await templatesTo(phone))[0].id, 131049);
    await until(app, sim, async () => (await get(id)).state === 'done' && (await admin.get(`/whatsapp/campaigns/${id}/recipients`).query({ status: 'failed' })).body.data.length === 1);
    // Both clicks read the failed row before either resets it (the service, so HTTP does not serialise them).
    const answers = await Promise.all([service().retryFailed(id, null), service().retryFailed(id, null)]);
    expect(answers.map((a: any) => a.retried).sort()).toEqual([0, 1]);
    await until(app, sim, async () => (await templatesTo(phone)).length >= 2 && (await get(id)).state === 'done');
    expect(await templatesTo(phone)).toHaveLength(2);
  } finally {
    await sim.client.setFault(PNID, { autoDeliver: true });
  }
});

test("recipients and their export need read access to the audience's phone field", async () => {
  const id = await create({ name: 'Leads', audience: { contentType: 'api::lead.lead', phoneField: 'phone' } });
  const reader = as(app.server, (await createStaff(app.strapi, app.server, 'PhoneBlind', ['plugin::whatsapp.campaigns.read', contentManagerRead('api::lead.lead', ['name'])])).token);
  expect((await reader.get(`/whatsapp/campaigns/${id}`)).status).toBe(200);
  expect((await reader.get(`/whatsapp/campaigns/${id}/recipients`)).status).toBe(403);
  expect((await reader.get(`/whatsapp/campaigns/${id}/recipients.csv`)).status).toBe(403);
  const seer = as(app.server, (await createStaff(app.strapi, app.server, 'PhoneSeer', ['plugin::whatsapp.campaigns.read', contentManagerRead('api::lead.lead', ['name', 'phone'])])).token);
  expect((await seer.get(`/whatsapp/campaigns/${id}/recipients`)).status).toBe(200);
  expect((await seer.get(`/whatsapp/campaigns/${id}/recipients.csv`)).status).toBe(200);
});

test("a relation's phone field (invoice → lead.phone) is read through populate, not a 500", async () => {
  const lead = await app.strapi.documents('api::lead.lead').create({ data: { name: 'Related', phone: '+33699000001' } as any });
  await app.strapi.documents('api::invoice.invoice').create({ data: { title: 'INV-1', number: 'INV-1', amount: 10, currency: 'EUR', lead: lead.documentId } as any });
  const id = await create({ name: 'Invoices', audience: { contentType: 'api::invoice.invoice', phoneField: 'lead.phone' } });
  const preflight = await admin.post(`/whatsapp/campaigns/${id}/preflight`).send({});
  expect(preflight.status).toBe(200);
  expect(preflight.body.data.sendable).toBe(1);
  await admin.post(`/whatsapp/campaigns/${id}/launch`).send({});
  await until(app, sim, async () => (await get(id)).state === 'done');
  expect(await templatesTo('+33699000001')).toHaveLength(1);
});

test('an audience that cannot be read at run time pauses the campaign with the reason', async () => {
  const id = await create({ name: 'Broken later', audience: { contentType: 'api::lead.lead', phoneField: 'phone' } });
  // What a schema change after launch leaves: a field the query engine no longer knows.
  const row = await q('campaign').findOne({ where: { id } });
  await q('campaign').update({ where: { id }, data: { audience: { ...row.audience, phoneField: 'gone', filters: { gone: { $eq: 'x' } } } } });
  await q('campaign').update({ where: { id }, data: { state: 'running' } });
  await service().tick();
  await until(app, sim, async () => (await get(id)).state !== 'running', 15_000);
  expect((await get(id)).state).toBe('paused');
  expect((await get(id)).pausedReason).toMatch(/audience cannot be read/);
});

test.each([
  ['nested 40 levels', () => Array.from({ length: 40 }).reduce<Record<string, unknown>>((inner) => ({ $and: [inner] }), { name: { $eq: 'x' } })],
  ['300 conditions', () => ({ $or: Array.from({ length: 300 }, (_, i) => ({ name: { $eq: `n${i}` } })) })],
])('a filter %s is refused, naming audience.filters', async (_label, filters) => {
  const res = await admin.post('/whatsapp/campaigns').send(body({ name: 'Deep', audience: { contentType: 'api::lead.lead', phoneField: 'phone', filters: filters() } }));
  expect(res.status).toBe(400);
  expect(res.body.error.details.errors[0].path).toEqual(['audience', 'filters']);
});

test.each([
  ['phone,name\n"+33629000001,Ann\n', 'an unterminated quote'],
  ['phone,phone\n+33629000001,+33629000002\n', 'a repeated header'],
  ['phone,\n+33629000001,x\n', 'an empty header'],
])('a CSV with %#: %s is refused, naming audience.csv', async (csv) => {
  const res = await admin.post('/whatsapp/campaigns').send(body({ name: 'Bad CSV', audience: { csv } }));
  expect(res.status).toBe(400);
  expect(res.body.error.details.errors[0].path).toEqual(['audience', 'csv']);
});

test('past draft and scheduled only the name changes; a scheduled campaign switched to now runs', async () => {
  const list = phones('8', 2);
  const later = new Date(Date.now() + 86_400_000).toISOString();
  const id = await create({ name: 'Later', audience: { csv: csvOf(list) }, schedule: { type: 'once', at: later } });
  expect((await admin.post(`/whatsapp/campaigns/${id}/launch`).send({})).body.data.state).toBe('scheduled');
  const now = await admin.put(`/whatsapp/campaigns/${id}`).send({ schedule: { type: 'now' } });
  expect(now.status).toBe(200);
  await service().tick();
  await until(app, sim, async () => (await get(id)).state === 'done');
  for (const p of list) expect(await templatesTo(p)).toHaveLength(1);
  const edit = await admin.put(`/whatsapp/campaigns/${id}`).send({ template: { name: 'notice', language: 'en_US' } });
  expect(edit.status).toBe(400);
  expect(edit.body.error.details.errors[0].path).toEqual(['template']);
  expect((await admin.put(`/whatsapp/campaigns/${id}`).send({ name: 'Renamed' })).body.data.name).toBe('Renamed');
});
