import type { RunningSimulator } from '../../simulator';
import { JOBS } from '../../server/cron';
import type { TestApp } from '../helpers/strapi';
import { as, createStaff } from '../helpers/admin';
import { connectMetaNumber, startWithSimulator } from '../helpers/simulated-app';
import { openStream } from '../helpers/sse';

/**
 * Team scoping beyond conversations (logs, templates, numbers, CRM-event rules), log retention, and
 * live streams that end with the user's permission.
 */
let sim: RunningSimulator;
let app: TestApp;
let base: string;
let admin: ReturnType<typeof as>;
let numberA: any;
let numberB: any;
let orphan: any;
type Staff = Awaited<ReturnType<typeof createStaff>>;
let teamA: Staff;
let teamB: Staff;
let managerA: Staff;
let rulesA: Staff;

const WABA_A = '311111111111111';
const WABA_B = '322222222222222';
const READ = ['logs.read', 'logs.replay', 'templates.read', 'templates.sync', 'numbers.read', 'notifications.read', 'inbox.read'].map((a) => `plugin::whatsapp.${a}`);
const DAY_MS = 24 * 60 * 60_000;

const settle = async () => {
  const plugin = app.strapi.plugin('whatsapp');
  await sim.client.settle();
  for (const name of ['inbound', 'outbox', 'inbound']) {
    plugin.service(name).kick();
    await plugin.service(name).idle();
  }
};

const addNumber = async (label: string, pnid: string, waba: string, phone: string, teamRoleIds: number[]) => {
  const n = await connectMetaNumber({ admin, sim, base }, { label, phone, phoneNumberId: pnid, wabaId: waba, accessToken: `tok-${pnid}`, appSecret: `sec-${pnid}`, teamRoleIds });
  await sim.client.createTemplate({ wabaId: waba, name: `${label.toLowerCase().replace(/\W/g, '_')}_hello`, language: 'en_US', category: 'UTILITY', status: 'APPROVED', body: 'Hello {{1}}' });
  return n;
};

const rows = async (client: ReturnType<typeof as>, url: string, query: Record<string, string> = {}) => {
  const res = await client.get(url).query({ pageSize: '200', ...query });
  expect(res.status).toBe(200);
  return res.body.data as any[];
};

const listTemplateCalls = async (numberId: number) => (await admin.get('/whatsapp/logs/api').query({ call: 'list-templates', numberId: String(numberId) })).body.meta.pagination.total as number;

beforeAll(async () => {
  ({ sim, app, admin, base } = await startWithSimulator());
  teamA = await createStaff(app.strapi, app.server, 'ScopeA', READ);
  teamB = await createStaff(app.strapi, app.server, 'ScopeB', READ);
  managerA = await createStaff(app.strapi, app.server, 'ScopeManagerA', ['plugin::whatsapp.numbers.read', 'plugin::whatsapp.numbers.manage']);
  rulesA = await createStaff(app.strapi, app.server, 'ScopeRulesA', ['plugin::whatsapp.notifications.read', 'plugin::whatsapp.notifications.manage']);
  numberA = await addNumber('Team A', '310000000000001', WABA_A, '+15550001111', [teamA.role.id, managerA.role.id, rulesA.role.id]);
  numberB = await addNumber('Team B', '310000000000002', WABA_B, '+15550004444', [teamB.role.id]);
  expect((await admin.post('/whatsapp/templates/sync').send({})).status).toBe(200);
  await sim.client.customerSends({ from: '15550002222', to: numberA.phoneNumberId, name: 'Alice', text: 'secret of team A' });
  await sim.client.customerSends({ from: '15550003333', to: numberB.phoneNumberId, name: 'Bob', text: 'secret of team B' });
  await settle();
  // A call no number could be found for: nothing says whose team it belongs to.
  orphan = await app.strapi.db.query('plugin::whatsapp.webhook-event').create({ data: { numberId: null, provider: 'meta', receivedAt: new Date(), rawBody: '{"whose":"nobody knows"}', state: 'rejected', signatureOk: false } });
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

describe('webhook and API logs', () => {
  test('team A sees its own webhook calls only; another team’s or no number’s are not found', async () => {
    const a = as(app.server, teamA.token);
    const own = await rows(a, '/whatsapp/logs/webhooks');
    expect(own.length).toBeGreaterThan(0);
    expect([...new Set(own.map((e) => e.numberId))]).toEqual([numberA.id]);
    expect(await rows(a, '/whatsapp/logs/webhooks', { numberId: String(numberB.id) })).toEqual([]);

    const all = await rows(admin, '/whatsapp/logs/webhooks');
    const theirs = all.find((e) => e.numberId === numberB.id);
    expect(all.map((e) => e.id)).toContain(orphan.id);
    expect((await a.get(`/whatsapp/logs/webhooks/${theirs.id}`)).status).toBe(404);
    expect((await a.post(`/whatsapp/logs/webhooks/${theirs.id}/replay`)).status).toBe(404);
    expect((await a.get(`/whatsapp/logs/webhooks/${orphan.id}`)).status).toBe(404);
    expect((await admin.get(`/whatsapp/logs/webhooks/${orphan.id}`)).body.data.rawBody).toBe('{"whose":"nobody knows"}');
    expect((await as(app.server, teamB.token).get(`/whatsapp/logs/webhooks/${theirs.id}`)).body.data.rawBody).toContain('secret of team B');
  });

  test('a replay of a time range touches the caller’s numbers only', async () => {
    const own = (await rows(as(app.server, teamA.token), '/whatsapp/logs/webhooks')).filter((e) => e.state !== 'rejected');
    const theirsBefore = await rows(admin, '/whatsapp/logs/webhooks', { numberId: String(numberB.id) });
    const res = await as(app.server, teamA.token).post('/whatsapp/logs/webhooks/replay').send({ from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' });
    expect(res.status).toBe(200);
    expect(res.body.data.replayed).toBe(own.length);
    expect(await rows(admin, '/whatsapp/logs/webhooks', { numberId: String(numberB.id) })).toEqual(theirsBefore);
    await settle();
  });

  test('lists carry no body or headers; the single call does', async () => {
    const own = await rows(as(app.server, teamA.token), '/whatsapp/logs/webhooks');
    for (const entry of own) {
      expect(entry).not.toHaveProperty('rawBody');
      expect(entry).not.toHaveProperty('headers');
      expect(entry).not.toHaveProperty('excerpt');
    }
    const detail = (await as(app.server, teamA.token).get(`/whatsapp/logs/webhooks/${own[own.length - 1].id}`)).body.data;
    expect(detail.rawBody).toContain('secret of team A');
    expect(Object.keys(detail.headers).length).toBeGreaterThan(0);
    for (const call of await rows(admin, '/whatsapp/logs/api')) {
      expect(call).not.toHaveProperty('requestExcerpt');
      expect(call).not.toHaveProperty('responseExcerpt');
    }
  });

  test('team A sees its own API calls only', async () => {
    const a = as(app.server, teamA.token);
    const own = await rows(a, '/whatsapp/logs/api');
    expect(own.length).toBeGreaterThan(0);
    expect([...new Set(own.map((c) => c.numberId))]).toEqual([numberA.id]);
    expect(await rows(a, '/whatsapp/logs/api', { numberId: String(numberB.id) })).toEqual([]);
    expect((await rows(admin, '/whatsapp/logs/api')).some((c) => c.numberId === numberB.id)).toBe(true);
  });
});

describe('templates', () => {
  test('team A lists its numbers’ templates only', async () => {
    const a = as(app.server, teamA.token);
    expect((await rows(a, '/whatsapp/templates')).map((t) => [t.numberId, t.name])).toEqual([[numberA.id, 'team_a_hello']]);
    expect(await rows(a, '/whatsapp/templates', { numberId: String(numberB.id) })).toEqual([]);
    expect((await rows(admin, '/whatsapp/templates')).map((t) => t.name).sort()).toEqual(['team_a_hello', 'team_b_hello']);
  });

  test('a sync by team A asks the provider about team A’s numbers only', async () => {
    const a = as(app.server, teamA.token);
    const [beforeA, beforeB] = [await listTemplateCalls(numberA.id), await listTemplateCalls(numberB.id)];
    const res = await a.post('/whatsapp/templates/sync').send({});
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([{ numberId: numberA.id, synced: 1, removed: 0, error: null }]);
    expect((await a.post('/whatsapp/templates/sync').send({ numberId: numberB.id })).status).toBe(404);
    expect(await listTemplateCalls(numberA.id)).toBe(beforeA + 1);
    expect(await listTemplateCalls(numberB.id)).toBe(beforeB);
  });
});

describe('numbers', () => {
  test('team A does not see team B’s number, and sees no webhook URL without numbers.manage', async () => {
    const a = as(app.server, teamA.token);
    const listed = await rows(a, '/whatsapp/numbers');
    expect(listed.map((n) => n.id)).toEqual([numberA.id]);
    expect(listed[0].webhookUrl).toBeNull();
    expect((await a.get(`/whatsapp/numbers/${numberA.id}`)).body.data.webhookUrl).toBeNull();
    expect((await a.get(`/whatsapp/numbers/${numberB.id}`)).status).toBe(404);
    expect(JSON.stringify(await rows(a, '/whatsapp/numbers'))).not.toContain('/api/whatsapp/webhooks/');
  });

  test('a manager of team A sees its webhook URL and cannot touch team B’s number', async () => {
    const m = as(app.server, managerA.token);
    const listed = await rows(m, '/whatsapp/numbers');
    expect(listed.map((n) => [n.id, n.webhookUrl])).toEqual([[numberA.id, numberA.webhookUrl]]);
    expect((await m.get(`/whatsapp/numbers/${numberB.id}`)).status).toBe(404);
    expect((await m.put(`/whatsapp/numbers/${numberB.id}`).send({ label: 'Taken over' })).status).toBe(404);
    expect((await m.post(`/whatsapp/numbers/${numberB.id}/check`)).status).toBe(404);
    expect((await m.del(`/whatsapp/numbers/${numberB.id}`)).status).toBe(404);
    expect((await admin.get(`/whatsapp/numbers/${numberB.id}`)).body.data).toMatchObject({ label: 'Team B', webhookUrl: numberB.webhookUrl });
  });
});

describe('CRM-event rules', () => {
  let ruleA: any;
  let ruleB: any;
  beforeAll(async () => {
    const rule = (numberId: number, template: string) =>
      admin.post('/whatsapp/notification-rules').send({ name: `Welcome ${template}`, contentType: 'api::lead.lead', event: 'created', numberId, template: { name: template, language: 'en_US' }, parameters: [{ component: 'body', index: 0, from: 'field', value: 'name' }], recipient: { from: 'field', value: 'phone' }, active: false });
    ruleA = (await rule(numberA.id, 'team_a_hello')).body.data;
    ruleB = (await rule(numberB.id, 'team_b_hello')).body.data;
    expect([ruleA?.id, ruleB?.id]).toEqual([expect.any(Number), expect.any(Number)]);
  });

  test('team A sees the rules of its numbers only, and not another team’s firings', async () => {
    const a = as(app.server, teamA.token);
    expect((await rows(a, '/whatsapp/notification-rules')).map((r) => r.id)).toEqual([ruleA.id]);
    expect((await a.get(`/whatsapp/notification-rules/${ruleA.id}`)).status).toBe(200);
    expect((await a.get(`/whatsapp/notification-rules/${ruleB.id}`)).status).toBe(404);
    expect((await a.get(`/whatsapp/notification-rules/${ruleB.id}/firings`)).status).toBe(404);
  });

  test('a rule cannot be pointed at, changed or removed on another team’s number', async () => {
    const r = as(app.server, rulesA.token);
    const created = await r.post('/whatsapp/notification-rules').send({ name: 'Steal', contentType: 'api::lead.lead', event: 'created', numberId: numberB.id, template: { name: 'team_b_hello', language: 'en_US' }, parameters: [{ component: 'body', index: 0, from: 'field', value: 'name' }], recipient: { from: 'field', value: 'phone' } });
    expect(created.status).toBe(400);
    expect(created.body.error.details.errors.map((e: any) => e.path)).toEqual([['numberId']]);
    expect((await r.put(`/whatsapp/notification-rules/${ruleA.id}`).send({ numberId: numberB.id })).status).toBe(400);
    expect((await r.put(`/whatsapp/notification-rules/${ruleB.id}`).send({ active: true })).status).toBe(404);
    expect((await r.del(`/whatsapp/notification-rules/${ruleB.id}`)).status).toBe(404);
    expect((await r.post(`/whatsapp/notification-rules/${ruleB.id}/test`).send({ documentId: 'x' })).status).toBe(404);
    expect((await admin.get(`/whatsapp/notification-rules/${ruleB.id}`)).body.data).toMatchObject({ numberId: numberB.id, active: false });
  });
});

describe('log retention', () => {
  test('the daily job deletes webhook and API calls older than logRetentionDays, in batches, and keeps the rest', async () => {
    const strapi = app.strapi;
    const now = Date.now();
    const old = new Date(now - 8 * DAY_MS);
    const recent = new Date(now - 6 * DAY_MS);
    const events = strapi.db.query('plugin::whatsapp.webhook-event');
    const event = (receivedAt: Date, state: string, extra: Record<string, unknown> = {}) =>
      events.create({ data: { numberId: numberA.id, provider: 'meta', receivedAt, rawBody: '{"kept":"?"}', state, ...extra } });
    const oldDone = await event(old, 'done');
    const oldRejected = await event(old, 'rejected');
    // Not yet applied: work, not history (held by a lock so the worker leaves it alone here).
    const oldPending = await event(old, 'pending', { lockedUntil: new Date(now + DAY_MS) });
    const recentDone = await event(recent, 'done');
    // More old API calls than one batch deletes.
    for (let i = 0; i < 3; i += 1) {
      await strapi.db.query('plugin::whatsapp.api-log').createMany({ data: Array.from({ length: 250 }, () => ({ numberId: numberA.id, call: 'retention-old', requestExcerpt: 'x' })) });
    }
    const recentCall = await strapi.db.query('plugin::whatsapp.api-log').create({ data: { numberId: numberA.id, call: 'retention-recent' } });
    await strapi.db.connection('whatsapp_api_logs').where({ call: 'retention-old' }).update({ created_at: old });
    await strapi.db.connection('whatsapp_api_logs').where({ id: recentCall.id }).update({ created_at: recent });

    strapi.config.set('plugin::whatsapp.logRetentionDays', 7);
    try {
      const result = await JOBS.find((job) => job.name === 'log-retention')!.run(strapi);
      expect(result).toMatchObject({ webhookEvents: 2, apiLogs: 750 });
    } finally {
      strapi.config.set('plugin::whatsapp.logRetentionDays', 30);
    }
    const left = new Set((await events.findMany({ where: { id: { $in: [oldDone.id, oldRejected.id, oldPending.id, recentDone.id] } }, select: ['id'] })).map((r: any) => r.id));
    expect([...left].sort()).toEqual([oldPending.id, recentDone.id].sort());
    expect(await strapi.db.query('plugin::whatsapp.api-log').count({ where: { call: 'retention-old' } })).toBe(0);
    expect(await strapi.db.query('plugin::whatsapp.api-log').count({ where: { call: 'retention-recent' } })).toBe(1);
    // This file's own recent traffic is untouched.
    expect((await rows(admin, '/whatsapp/logs/webhooks', { numberId: String(numberB.id) })).length).toBeGreaterThan(0);
    await events.delete({ where: { id: oldPending.id } });
  });
});

describe('live streams', () => {
  const removeAll = (staff: Staff) => app.strapi.service('admin::role').assignPermissions(staff.role.id, []);

  test('an open stream ends once the user’s inbox.read is removed', async () => {
    const streamer = await createStaff(app.strapi, app.server, 'ScopeStreamer', ['plugin::whatsapp.inbox.read']);
    // Each heartbeat re-checks access: a short one here, so the end comes quickly.
    app.strapi.config.set('plugin::whatsapp.streamHeartbeatMs', 50);
    try {
      const stream = await openStream(`${base}/whatsapp/stream`, { Authorization: `Bearer ${streamer.token}` });
      expect(stream.status).toBe(200);
      await stream.waitFor((e) => e.event === 'ready');
      await removeAll(streamer);
      await stream.ended();
    } finally {
      app.strapi.config.set('plugin::whatsapp.streamHeartbeatMs', 20_000);
    }
  });

  test('a ticket issued before the permission was removed, or before the user was blocked, is refused', async () => {
    const holder = await createStaff(app.strapi, app.server, 'ScopeTicket', ['plugin::whatsapp.inbox.read']);
    const ticket = (await as(app.server, holder.token).post('/whatsapp/stream/ticket')).body.data.ticket;
    await removeAll(holder);
    const refused = await openStream(`${base}/api/whatsapp/stream?ticket=${ticket}`);
    expect(refused.status).toBe(403);
    refused.close();

    const blocked = await createStaff(app.strapi, app.server, 'ScopeBlocked', ['plugin::whatsapp.inbox.read']);
    const second = (await as(app.server, blocked.token).post('/whatsapp/stream/ticket')).body.data.ticket;
    await app.strapi.db.query('admin::user').update({ where: { email: 'scopeblocked@test.local' }, data: { blocked: true } });
    const gone = await openStream(`${base}/api/whatsapp/stream?ticket=${second}`);
    expect(gone.status).toBe(401);
    gone.close();
  });

  test('one user holds at most 5 open streams: the 6th is refused with 429 until one closes', async () => {
    const user = await createStaff(app.strapi, app.server, 'ScopeTabs', ['plugin::whatsapp.inbox.read']);
    const headers = { Authorization: `Bearer ${user.token}` };
    const open = [];
    for (let i = 0; i < 5; i += 1) {
      const stream = await openStream(`${base}/whatsapp/stream`, headers);
      expect(stream.status).toBe(200);
      await stream.waitFor((e) => e.event === 'ready');
      open.push(stream);
    }
    const sixth = await openStream(`${base}/whatsapp/stream`, headers);
    expect(sixth.status).toBe(429);
    sixth.close();
    const ticket = (await as(app.server, user.token).post('/whatsapp/stream/ticket')).body.data.ticket;
    const byTicket = await openStream(`${base}/api/whatsapp/stream?ticket=${ticket}`);
    expect(byTicket.status).toBe(429);
    byTicket.close();
    // Another user is not held back by this one's tabs.
    const other = await openStream(`${base}/whatsapp/stream`, { Authorization: `Bearer ${teamA.token}` });
    expect(other.status).toBe(200);
    other.close();

    open.shift()!.close();
    // The server frees the slot when it sees the client go: retried until it does.
    let again = await openStream(`${base}/whatsapp/stream`, headers);
    for (let i = 0; i < 100 && again.status === 429; i += 1) {
      again.close();
      await new Promise((r) => setTimeout(r, 20));
      again = await openStream(`${base}/whatsapp/stream`, headers);
    }
    expect(again.status).toBe(200);
    again.close();
    for (const stream of open) stream.close();
  });
});
