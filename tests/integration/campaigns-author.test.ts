/**
 * Who a campaign runs as: whoever launched, scheduled or resumed it, or last changed what it sends,
 * is its author, and each scheduled run is checked against that user's rights as they are then.
 */
import type { RunningSimulator } from '../../simulator';
import type { TestApp } from '../helpers/strapi';
import { as, contentManagerRead, createStaff } from '../helpers/admin';
import { campaignBed, campaignRound, PNID, until } from '../helpers/campaigns';

let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;
let number: any;

const LAUNCH = ['plugin::whatsapp.campaigns.read', 'plugin::whatsapp.campaigns.launch'];
const LEAD_READ = contentManagerRead('api::lead.lead', ['name', 'phone', 'source']);
const q = (name: string) => app.strapi.db.query(`plugin::whatsapp.${name}` as any);
const service = () => app.strapi.plugin('whatsapp').service('campaigns');
const get = async (id: number) => (await admin.get(`/whatsapp/campaigns/${id}`)).body.data;
const authorOf = async (id: number) => (await q('campaign').findOne({ where: { id } })).authorId;
const userId = async (name: string) => (await app.strapi.db.query('admin::user').findOne({ where: { email: `${name.toLowerCase()}@test.local` } })).id;
const templatesTo = async (phone: string) => ((await sim.client.outbound({ business: PNID } as any)) as any[]).filter((m) => m.type === 'template' && m.to === phone.slice(1));
const grant = (role: { id: number }, grants: (string | ReturnType<typeof contentManagerRead>)[]) =>
  app.strapi.service('admin::role').assignPermissions(role.id, grants.map((g) => ({ subject: null, properties: {}, conditions: [], ...(typeof g === 'string' ? { action: g } : g) })));

/** An admin's draft to the leads of one source, reading each lead's name. */
const draft = async (name: string, source: string, schedule: Record<string, unknown>) => {
  const res = await admin.post('/whatsapp/campaigns').send({
    name,
    numberId: number.id,
    template: { name: 'notice', language: 'en_US' },
    parameters: [{ component: 'body', index: 0, from: 'field', value: 'name' }],
    audience: { contentType: 'api::lead.lead', phoneField: 'phone', filters: { source: { $eq: source } } },
    schedule,
  });
  expect(res.status).toBe(201);
  return res.body.data.id as number;
};
const lead = (name: string, phone: string, source: string) => app.strapi.documents('api::lead.lead').create({ data: { name, phone, source } as any });
/** Nothing of the campaign reached the outbox or the provider. */
const nothingSent = async (id: number, phone: string) => {
  await campaignRound(app, sim);
  expect(await q('message').count({ where: { sourceRef: { $startsWith: `campaign:${id}:` } } })).toBe(0);
  expect(await templatesTo(phone)).toHaveLength(0);
};

beforeAll(async () => {
  ({ sim, app, admin, number } = await campaignBed(100, [{ name: 'notice', category: 'UTILITY', body: 'Hello {{1}}.' }]));
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

test("an admin's draft scheduled by a launcher runs with the launcher's rights: a field they can no longer read refuses the run", async () => {
  const { role, token } = await createStaff(app.strapi, app.server, 'Launcher', [...LAUNCH, LEAD_READ]);
  await lead('Lena', '+33612000001', 'author-1');
  const id = await draft('Scheduled by a launcher', 'author-1', { type: 'once', at: new Date(Date.now() + 3600_000).toISOString() });
  const launched = await as(app.server, token).post(`/whatsapp/campaigns/${id}/launch`).send({});
  expect(launched.status).toBe(200);
  expect(launched.body.data.state).toBe('scheduled');
  expect(await authorOf(id)).toBe(await userId('Launcher'));

  // The launcher may no longer read the name the campaign sends; the admin who wrote it still could.
  await grant(role, [...LAUNCH, contentManagerRead('api::lead.lead', ['phone', 'source'])]);
  await service().tick(new Date(Date.now() + 3601_000));
  const campaign = await get(id);
  expect(campaign.state).toBe('paused');
  expect(campaign.pausedReason).toMatch(/Launcher Staff can no longer read what it sends/);
  expect(campaign.occurrences).toEqual([expect.objectContaining({ state: 'failed' })]);
  await nothingSent(id, '+33612000001');
});

test('a blocked launcher stops their recurring campaign at its next run; an admin who resumes it vouches for the runs after', async () => {
  const scheduling = as(app.server, (await createStaff(app.strapi, app.server, 'Scheduler', [...LAUNCH, LEAD_READ])).token);
  await lead('Rita', '+33612000002', 'author-2');
  const id = await draft('Recurring', 'author-2', { type: 'recurring', frequency: 'daily', at: '2031-03-10T09:00', timeZone: 'UTC', until: '2031-03-12T00:00' });
  expect((await scheduling.post(`/whatsapp/campaigns/${id}/launch`).send({})).body.data).toMatchObject({ state: 'scheduled', nextRunAt: '2031-03-10T09:00:00.000Z' });
  const scheduler = await userId('Scheduler');
  expect(await authorOf(id)).toBe(scheduler);

  await app.strapi.db.query('admin::user').update({ where: { id: scheduler }, data: { blocked: true } });
  await service().tick(new Date('2031-03-10T09:00:05Z'));
  const paused = await get(id);
  expect(paused).toMatchObject({ state: 'paused', nextRunAt: '2031-03-11T09:00:00.000Z' });
  expect(paused.pausedReason).toMatch(/Scheduler Staff is no longer active/);
  await nothingSent(id, '+33612000002');

  const resumed = await admin.post(`/whatsapp/campaigns/${id}/resume`).send({});
  expect(resumed.body.data.state).toBe('scheduled');
  expect(await authorOf(id)).not.toBe(scheduler);
  await service().tick(new Date('2031-03-11T09:00:05Z'));
  await until(app, sim, async () => (await get(id)).state === 'done');
  expect(await templatesTo('+33612000002')).toEqual([expect.objectContaining({ to: '33612000002' })]);
});

test("changing a scheduled campaign's audience makes the editor its author; renaming it does not", async () => {
  const { token } = await createStaff(app.strapi, app.server, 'Editor', ['plugin::whatsapp.campaigns.read', 'plugin::whatsapp.campaigns.manage', LEAD_READ]);
  const editor = as(app.server, token);
  await lead('Omar', '+33612000003', 'author-3');
  await lead('Olga', '+33612000004', 'author-3b');
  const id = await draft('Scheduled by the admin', 'author-3', { type: 'once', at: new Date(Date.now() + 3600_000).toISOString() });
  expect((await admin.post(`/whatsapp/campaigns/${id}/launch`).send({})).body.data.state).toBe('scheduled');
  const adminId = await authorOf(id);

  expect((await editor.put(`/whatsapp/campaigns/${id}`).send({ name: 'Renamed' })).status).toBe(200);
  expect(await authorOf(id)).toBe(adminId);
  const moved = await editor.put(`/whatsapp/campaigns/${id}`).send({ audience: { contentType: 'api::lead.lead', phoneField: 'phone', filters: { source: { $eq: 'author-3b' } } } });
  expect(moved.status).toBe(200);
  expect(await authorOf(id)).toBe(await userId('Editor'));

  // The editor may build campaigns but not launch them: the run they changed is refused, not sent with the admin's rights.
  await service().tick(new Date(Date.now() + 3601_000));
  const campaign = await get(id);
  expect(campaign.state).toBe('paused');
  expect(campaign.pausedReason).toMatch(/Editor Staff no longer has the permission to launch campaigns/);
  await nothingSent(id, '+33612000004');
  expect(await templatesTo('+33612000003')).toHaveLength(0);
});

test("a time-zone field the author may not read is refused under audience.timeZoneField, not under parameters", async () => {
  const { token } = await createStaff(app.strapi, app.server, 'Zoner', ['plugin::whatsapp.campaigns.read', 'plugin::whatsapp.campaigns.manage', contentManagerRead('api::lead.lead', ['name', 'phone'])]);
  const zoner = as(app.server, token);
  const body = (timeZoneField: string) => ({
    name: 'Zoned',
    numberId: number.id,
    template: { name: 'notice', language: 'en_US' },
    parameters: [{ component: 'body', index: 0, from: 'field', value: 'name' }],
    audience: { contentType: 'api::lead.lead', phoneField: 'phone', timeZoneField },
    schedule: { type: 'now' },
  });
  const refused = await zoner.post('/whatsapp/campaigns').send(body('source'));
  expect(refused.status).toBe(400);
  const paths = refused.body.error.details.errors.map((e: any) => e.path);
  expect(paths).toContainEqual(['audience', 'timeZoneField']);
  expect(paths).not.toContainEqual(['parameters']);
  // The same campaign by someone who may read the field is accepted.
  expect((await admin.post('/whatsapp/campaigns').send(body('source'))).status).toBe(201);
});
