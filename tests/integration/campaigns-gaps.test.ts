/** Campaign gaps (issue 18): quiet hours, the author's rights at each scheduled run, record opt-outs at send time, list counters, enqueue errors, the daily budget. */
import type { RunningSimulator } from '../../simulator';
import type { TestApp } from '../helpers/strapi';
import { as, createStaff } from '../helpers/admin';
import { campaignBed, campaignRound, PNID, until } from '../helpers/campaigns';

let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;
let number: any;

const q = (name: string) => app.strapi.db.query(`plugin::whatsapp.${name}` as any);
const service = () => app.strapi.plugin('whatsapp').service('campaigns');
const get = async (id: number) => (await admin.get(`/whatsapp/campaigns/${id}`)).body.data;
const recipients = async (id: number) => (await admin.get(`/whatsapp/campaigns/${id}/recipients`).query({ pageSize: '500' })).body.data as any[];
const phones = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `+336${prefix}${String(i).padStart(6, '0')}`);
const csvOf = (list: string[]) => ['phone', ...list].join('\n');
const body = (extra: Record<string, unknown>) => ({ numberId: number.id, template: { name: 'notice', language: 'en_US' }, parameters: [{ component: 'body', index: 0, from: 'constant', value: 'friend' }], schedule: { type: 'now' }, ...extra });
const create = async (extra: Record<string, unknown>, by = admin) => {
  const res = await by.post('/whatsapp/campaigns').send(body(extra));
  expect(res.status).toBe(201);
  return res.body.data.id as number;
};
const launch = async (id: number, extra: Record<string, unknown> = {}, by = admin) => {
  const res = await by.post(`/whatsapp/campaigns/${id}/launch`).send(extra);
  if (res.status !== 200) throw new Error(`launch answered ${res.status}: ${JSON.stringify(res.body.error)}`);
  return res.body.data;
};
const templatesTo = async (phone: string) => ((await sim.client.outbound({ business: PNID } as any)) as any[]).filter((m) => m.type === 'template' && m.to === phone.slice(1));
const hhmm = (at: Date) => at.toISOString().slice(11, 16);
/** The feed held still (a deterministic barrier: no pass runs until `go`). */
const withFeedStopped = async (work: () => Promise<void>) => {
  await service().stop();
  try {
    await work();
  } finally {
    service().start();
  }
};

beforeAll(async () => {
  ({ sim, app, admin, number } = await campaignBed(100, [{ name: 'notice', category: 'UTILITY', body: 'Hello {{1}}.' }]));
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

describe('quiet hours', () => {
  const now = new Date();
  const quiet = { start: hhmm(new Date(now.getTime() - 3600_000)), end: hhmm(new Date(now.getTime() + 3600_000)) };

  test('inside them the recipients wait, queued, until their end; nothing is sent', async () => {
    const list = phones('11', 2);
    const id = await create({ name: 'Quiet now', audience: { csv: csvOf(list) }, schedule: { type: 'now', quietHours: { ...quiet, timeZone: 'UTC' } } });
    await launch(id);
    await until(app, sim, async () => (await recipients(id)).every((r) => r.nextAttemptAt));
    const end = new Date(Math.floor((now.getTime() + 3600_000) / 60_000) * 60_000).toISOString();
    for (const r of await recipients(id)) {
      expect(r.status).toBe('queued');
      expect(r.nextAttemptAt).toBe(end);
    }
    // A round is a barrier: the feed ran a whole pass and the outbox sent what it held.
    await campaignRound(app, sim);
    for (const p of list) expect(await templatesTo(p)).toHaveLength(0);
    const campaign = await get(id);
    expect(campaign.state).toBe('running');
    expect(campaign.counters).toMatchObject({ total: 2, queued: 2, failed: 0, skipped: 0 });
  });

  test('the same hours in a time zone where it is not quiet now send at once', async () => {
    const list = phones('12', 2);
    // India is 5h30 ahead of UTC: the UTC window around now is outside it there.
    const id = await create({ name: 'Not quiet there', audience: { csv: csvOf(list) }, schedule: { type: 'now', timeZone: 'Asia/Kolkata', quietHours: quiet } });
    expect((await get(id)).schedule.quietHours).toEqual(quiet);
    await launch(id);
    await until(app, sim, async () => (await get(id)).state === 'done');
    for (const p of list) expect(await templatesTo(p)).toHaveLength(1);
    for (const r of await recipients(id)) expect(r.nextAttemptAt).toBeNull();
  });

  test('a quiet-hours time zone that does not exist is refused, naming the field', async () => {
    const res = await admin.post('/whatsapp/campaigns').send(body({ name: 'Bad zone', audience: { csv: csvOf(phones('13', 1)) }, schedule: { type: 'now', quietHours: { ...quiet, timeZone: 'Mars/Olympus' } } }));
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors[0].path).toEqual(['schedule', 'quietHours', 'timeZone']);
  });

  test("per recipient, each is read in the recipient's own zone: one 12 h away is sent now, one inside them waits, and a page of waiting ones does not hold the rest back", async () => {
    // More waiting recipients than a feed page (200) come first: the two due ones come after them.
    const waiting = phones('14', 210);
    const [iceland, kamchatka, india] = ['+3546111234', '+33614999001', '+919876543210'];
    const csv = ['phone,timezone', ...waiting.map((p) => `${p},UTC`), `${iceland},`, `${kamchatka},Asia/Kamchatka`, `${india},`].join('\n');
    const id = await create({ name: 'Quiet per recipient', audience: { csv }, schedule: { type: 'now', quietHours: { ...quiet, timeZone: 'UTC', perRecipient: true } } });
    expect((await get(id)).schedule.quietHours.perRecipient).toBe(true);
    await launch(id);
    // Kamchatka (UTC+12, from the CSV) and India (UTC+5:30, from the phone's country) are outside the UTC window around now.
    await until(app, sim, async () => (await templatesTo(kamchatka)).length === 1 && (await templatesTo(india)).length === 1);
    const end = new Date(Math.floor((now.getTime() + 3600_000) / 60_000) * 60_000).toISOString();
    const rows = await recipients(id);
    const byPhone = new Map(rows.map((r) => [r.phone, r]));
    // The UTC rows (from the CSV) and the Icelandic phone (Atlantic/Reykjavik, from its country: UTC all year) wait until the end of their quiet hours.
    for (const p of [...waiting, iceland]) {
      expect(byPhone.get(p)).toMatchObject({ status: 'queued', nextAttemptAt: end });
      expect(await templatesTo(p)).toHaveLength(0);
    }
    for (const p of [kamchatka, india]) expect(byPhone.get(p)!.nextAttemptAt).toBeNull();
    expect((await get(id)).state).toBe('running');
  });

  test("per recipient, a record's time-zone field names the zone; a field that is not text is refused, naming it", async () => {
    const [utc, kamchatka] = ['+33615000001', '+33615000002'];
    for (const [phone, zone] of [[utc, 'UTC'], [kamchatka, 'Asia/Kamchatka']]) await app.strapi.documents('api::lead.lead').create({ data: { name: 'tz-lead', phone, source: zone } as any, status: 'published' } as any);
    const audience = { contentType: 'api::lead.lead', phoneField: 'phone', filters: { name: { $eq: 'tz-lead' } } };
    const bad = await admin.post('/whatsapp/campaigns').send(body({ name: 'Bad zone field', audience: { ...audience, timeZoneField: 'marketingConsent' }, schedule: { type: 'now', quietHours: { ...quiet, perRecipient: true } } }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.errors.map((e: any) => e.path)).toContainEqual(['audience', 'timeZoneField']);
    const id = await create({ name: 'Zone from the record', audience: { ...audience, timeZoneField: 'source' }, schedule: { type: 'now', quietHours: { ...quiet, timeZone: 'UTC', perRecipient: true } } });
    await launch(id);
    await until(app, sim, async () => (await templatesTo(kamchatka)).length === 1);
    const byPhone = new Map((await recipients(id)).map((r) => [r.phone, r]));
    expect(byPhone.get(utc)).toMatchObject({ status: 'queued', nextAttemptAt: expect.any(String) });
    expect(await templatesTo(utc)).toHaveLength(0);
  });
});

test("a scheduled run checks its author's rights as they are then: a removed permission refuses it, nothing sent", async () => {
  const grants = ['plugin::whatsapp.campaigns.read', 'plugin::whatsapp.campaigns.manage', 'plugin::whatsapp.campaigns.launch'];
  const { role, token } = await createStaff(app.strapi, app.server, 'Scheduler', grants);
  const staff = as(app.server, token);
  const at = new Date(Date.now() + 3600_000).toISOString();
  const [kept, lost] = [phones('14', 1), phones('15', 1)];
  const allowed = await create({ name: 'Author still allowed', audience: { csv: csvOf(kept) }, schedule: { type: 'once', at } }, staff);
  const refused = await create({ name: 'Author lost the right', audience: { csv: csvOf(lost) }, schedule: { type: 'once', at } }, staff);
  expect((await launch(allowed, {}, staff)).state).toBe('scheduled');
  expect((await launch(refused, {}, staff)).state).toBe('scheduled');

  // With the rights intact, the run goes out (so the staff's grants are enough).
  await q('campaign').update({ where: { id: refused }, data: { nextRunAt: new Date(Date.now() + 7200_000) } });
  await service().tick(new Date(Date.now() + 3601_000));
  await until(app, sim, async () => (await get(allowed)).state === 'done');
  expect(await templatesTo(kept[0])).toHaveLength(1);

  await app.strapi.service('admin::role').assignPermissions(role.id, grants.filter((g) => !g.endsWith('.launch')).map((action) => ({ action, subject: null, properties: {}, conditions: [] })));
  await service().tick(new Date(Date.now() + 7201_000));
  const campaign = await get(refused);
  expect(campaign.state).toBe('paused');
  expect(campaign.pausedReason).toMatch(/no longer has the permission to launch campaigns/);
  expect(campaign.occurrences).toHaveLength(1);
  expect(campaign.occurrences[0]).toMatchObject({ state: 'failed', counters: { total: 0 } });
  expect(campaign.occurrences[0].reason).toMatch(/Scheduler Staff no longer has the permission/);
  expect(campaign.audit.at(-1)).toMatchObject({ action: 'auto-paused' });
  await campaignRound(app, sim);
  expect(await q('message').count({ where: { sourceRef: { $startsWith: `campaign:${refused}:` } } })).toBe(0);
  expect(await templatesTo(lost[0])).toHaveLength(0);
});

test("a record that opted out after the snapshot is skipped at send time, by its own flag (the phone search would miss it)", async () => {
  // Spaces split the last digits, so a search of the CRM by phone does not find this record; its own flag is what counts.
  const lead = await app.strapi.documents('api::lead.lead' as any).create({ data: { name: 'Hint Lead', phone: '+33 6 20 00 00 01' } as any });
  const other = await app.strapi.documents('api::lead.lead' as any).create({ data: { name: 'Hint Lead', phone: '+33 6 20 00 00 02' } as any });
  const id = await create({ name: 'Record hint', audience: { contentType: 'api::lead.lead', phoneField: 'phone', filters: { name: { $eq: 'Hint Lead' } } } });
  await withFeedStopped(async () => {
    await launch(id);
    // Snapshotted while both could be sent; then one record's opt-out flag is set.
    expect((await recipients(id)).map((r) => r.status)).toEqual(['queued', 'queued']);
    await app.strapi.documents('api::lead.lead' as any).update({ documentId: lead.documentId, data: { whatsappOptOut: true } as any });
  });
  await until(app, sim, async () => (await get(id)).state === 'done');
  const [optedOut, sent] = await recipients(id);
  expect(optedOut).toMatchObject({ phone: '+33620000001', status: 'skipped' });
  expect(optedOut.reason).toMatch(new RegExp(`opted-out.*${lead.documentId}.*whatsappOptOut`));
  expect(await templatesTo('+33620000001')).toHaveLength(0);
  expect(sent.phone).toBe('+33620000002');
  expect(await templatesTo('+33620000002')).toHaveLength(1);
  expect(other.documentId).toBeTruthy();
});

test('a recipient whose send fails with an unexpected error is failed with the reason; the others are sent', async () => {
  const knex = app.strapi.db.connection;
  const { tableName } = app.strapi.db.metadata.get('plugin::whatsapp.message' as any);
  const postgres = app.strapi.db.dialect.client === 'postgres';
  // The database refuses to store this one recipient's message (a trigger), an error admission knows nothing of.
  if (postgres) {
    await knex.raw(`CREATE OR REPLACE FUNCTION wa_refuse_boom() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk full for Boom'; END; $$ LANGUAGE plpgsql`);
    await knex.raw(`CREATE TRIGGER wa_refuse_boom BEFORE INSERT ON ${tableName} FOR EACH ROW WHEN (NEW.text LIKE '%Boom%') EXECUTE FUNCTION wa_refuse_boom()`);
  } else {
    await knex.raw(`CREATE TRIGGER wa_refuse_boom BEFORE INSERT ON ${tableName} FOR EACH ROW WHEN NEW.text LIKE '%Boom%' BEGIN SELECT RAISE(ABORT, 'disk full for Boom'); END`);
  }
  const list = phones('16', 3);
  const csv = ['phone,name', `${list[0]},Ann`, `${list[1]},Boom`, `${list[2]},Cid`].join('\n');
  let id: number;
  try {
    id = await create({ name: 'Enqueue error', audience: { csv }, parameters: [{ component: 'body', index: 0, from: 'column', value: 'name' }] });
    await launch(id);
    await until(app, sim, async () => (await get(id)).state === 'done');
  } finally {
    await knex.raw(postgres ? `DROP TRIGGER IF EXISTS wa_refuse_boom ON ${tableName}` : 'DROP TRIGGER IF EXISTS wa_refuse_boom');
  }
  const rows = await recipients(id!);
  expect(rows[1].status).toBe('failed');
  for (const i of [0, 2]) expect(['sent', 'delivered', 'read']).toContain(rows[i].status);
  expect(rows[1].reason).toMatch(/disk full for Boom/);
  expect(rows[1].messageId).toBeNull();
  expect(await templatesTo(list[1])).toHaveLength(0);
  for (const p of [list[0], list[2]]) expect(await templatesTo(p)).toHaveLength(1);
  expect((await get(id!)).counters).toMatchObject({ total: 3, failed: 1 });
});

test("the list's counters (by aggregate) are each campaign's own, as its page counts them", async () => {
  const a = await create({ name: 'Counted A', audience: { csv: csvOf([...phones('17', 3), 'not a phone']) } });
  const b = await create({ name: 'Counted B', audience: { csv: csvOf([...phones('18', 1), ...phones('18', 1)]) } });
  const c = await create({ name: 'Counted C (draft)', audience: { csv: csvOf(phones('19', 2)) } });
  await launch(a);
  await launch(b);
  await until(app, sim, async () => (await get(a)).state === 'done' && (await get(b)).state === 'done');
  const list = (await admin.get('/whatsapp/campaigns').query({ pageSize: '100' })).body.data as any[];
  const byId = new Map(list.map((x) => [x.id, x]));
  expect(list.length).toBeGreaterThanOrEqual(6);
  for (const x of list) {
    const page = await get(x.id);
    expect(x.counters).toEqual(page.counters);
    expect(x.occurrence?.counters ?? null).toEqual(page.occurrence?.counters ?? null);
  }
  const delivered = (x: any) => x.counters.sent + x.counters.delivered + x.counters.read;
  expect(byId.get(a).counters).toMatchObject({ total: 4, skipped: 1, failed: 0, queued: 0 });
  expect(delivered(byId.get(a))).toBe(3);
  expect(byId.get(b).counters).toMatchObject({ total: 2, skipped: 1, failed: 0, queued: 0 });
  expect(byId.get(c).counters).toMatchObject({ total: 0 });
  expect(byId.get(c).occurrence).toBeNull();
});

describe("the number's daily budget, at the outbox's door", () => {
  const fill = phones('30', 249);
  let over: number;

  beforeAll(async () => {
    expect((await admin.put(`/whatsapp/numbers/${number.id}`).send({ messagingTier: 'TIER_250' })).status).toBe(200);
    // Every conversation opened so far leaves the window (a day passes), then 249 of 250 are used.
    await q('message').updateMany({ where: {}, data: { createdAt: new Date(Date.now() - 25 * 3600_000) } });
    const id = await create({ name: 'Fill the budget', audience: { csv: csvOf(fill) } });
    await launch(id);
    await until(app, sim, async () => (await get(id)).state === 'done', 240_000);
  }, 300_000);
  afterAll(async () => {
    await admin.put(`/whatsapp/numbers/${number.id}`).send({ messagingTier: null });
  });

  test('a campaign whose last slot was taken meanwhile fails its recipient with daily-limit (retryable); the door refuses new conversations', async () => {
    const [late, taker, newcomer] = phones('21', 3);
    await withFeedStopped(async () => {
      over = await create({ name: 'One too many', audience: { csv: csvOf([late]) } });
      expect((await launch(over)).state).toBe('running');
      // Before the feed hands it to the outbox, a test send takes the last slot.
      const taken = (await admin.post(`/whatsapp/campaigns/${over}/test-send`).send({ phones: [taker] })).body.data;
      expect(taken[0].error).toBeNull();
    });
    await until(app, sim, async () => (await get(over)).state === 'done');
    const [r] = await recipients(over);
    expect(r).toMatchObject({ status: 'failed', retryable: true, messageId: null });
    expect(r.reason).toMatch(/^daily-limit: the number has reached its 250 business-initiated sends for today/);
    expect(await templatesTo(late)).toHaveLength(0);
    const refused = (await admin.post(`/whatsapp/campaigns/${over}/test-send`).send({ phones: [newcomer] })).body.data;
    expect(refused[0].error).toMatch(/250 business-initiated sends/);
    // A conversation already opened today opens nothing new: admitted.
    const again = (await admin.post(`/whatsapp/campaigns/${over}/test-send`).send({ phones: [taker] })).body.data;
    expect(again[0].error).toBeNull();
    const preflight = (await admin.post(`/whatsapp/campaigns/${over}/preflight`).send({})).body.data;
    expect(preflight.number).toMatchObject({ dailyLimit: 250, usedToday: 250, remainingToday: 0 });
  });

  test('a campaign spread over days waits, queued, and goes on when the window frees', async () => {
    const list = phones('22', 2);
    const id = await create({ name: 'Spread', audience: { csv: csvOf(list) } });
    expect((await admin.post(`/whatsapp/campaigns/${id}/launch`).send({})).status).toBe(400);
    await launch(id, { spreadOverDays: true });
    // Two rounds are a barrier: the feed ran whole passes with the budget used up.
    await campaignRound(app, sim);
    await campaignRound(app, sim);
    expect((await recipients(id)).map((r) => r.status)).toEqual(['queued', 'queued']);
    for (const p of list) expect(await templatesTo(p)).toHaveLength(0);
    // A day later the budget's window has moved past every send so far.
    await q('message').updateMany({ where: {}, data: { createdAt: new Date(Date.now() - 25 * 3600_000) } });
    await until(app, sim, async () => (await get(id)).state === 'done');
    for (const p of list) expect(await templatesTo(p)).toHaveLength(1);
  });
});
