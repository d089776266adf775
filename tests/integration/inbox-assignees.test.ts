/**
 * What the inbox page needs beside the conversations themselves: who a conversation may be assigned
 * to (GET /whatsapp/assignees, by the number's team), and the names the list shows (the number's
 * label, the assignee's name, the ticket made from it).
 */
import { startStrapi, type TestApp } from '../helpers/strapi';
import { as, createStaff, login } from '../helpers/admin';
import { openStream } from '../helpers/sse';

let app: TestApp;
let admin: ReturnType<typeof as>;
let adminId: number;
let base: string;
const q = (name: string) => app.strapi.db.query(`plugin::whatsapp.${name}` as any);

const numberRow = (label: string, phoneNumberId: string) =>
  q('number').create({ data: { label, provider: 'meta', phone: `+1555${phoneNumberId.slice(-7)}`, phoneNumberId, providerPhoneId: phoneNumberId, wabaId: '1020304050', webhookKey: `key-${phoneNumberId}` } });

beforeAll(async () => {
  app = await startStrapi();
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${app.server.address().port}`;
  admin = as(app.server, await login(app.server));
  adminId = (await app.strapi.db.query('admin::user').findOne({ where: { email: 'admin@test.local' } })).id;
});
afterAll(async () => {
  await app?.stop();
});

describe('GET /whatsapp/assignees', () => {
  let teamNumber: any;
  let openNumber: any;
  let sales: Awaited<ReturnType<typeof createStaff>>;
  let support: Awaited<ReturnType<typeof createStaff>>;
  let outsider: Awaited<ReturnType<typeof createStaff>>;
  const ids = (res: any) => res.body.data.map((u: any) => u.id).sort();

  beforeAll(async () => {
    sales = await createStaff(app.strapi, app.server, 'Sales', ['plugin::whatsapp.inbox.read', 'plugin::whatsapp.inbox.assign']);
    support = await createStaff(app.strapi, app.server, 'Support', ['plugin::whatsapp.inbox.read']);
    outsider = await createStaff(app.strapi, app.server, 'Outsider', ['plugin::whatsapp.numbers.read']);
    teamNumber = await numberRow('Sales line', '200000000000001');
    openNumber = await numberRow('Everyone line', '200000000000002');
    await q('number').update({ where: { id: teamNumber.id }, data: { teamRoleIds: [sales.role.id] } });
  });

  const userId = async (email: string) => (await app.strapi.db.query('admin::user').findOne({ where: { email } })).id;

  test('a number with a team: its members who read the inbox, and super admins', async () => {
    const res = await admin.get('/whatsapp/assignees').query({ numberId: teamNumber.id });
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual([adminId, await userId('sales@test.local')].sort());
    expect(res.body.data.find((u: any) => u.id === adminId)).toEqual({ id: adminId, name: expect.any(String), email: 'admin@test.local' });
    expect(res.body.data.find((u: any) => u.email === 'sales@test.local').name).toBe('Sales Staff');
  });

  test('a number with no team: everyone holding inbox.read; without a number the same', async () => {
    const expected = [adminId, await userId('sales@test.local'), await userId('support@test.local')].sort();
    expect(ids(await admin.get('/whatsapp/assignees').query({ numberId: openNumber.id }))).toEqual(expected);
    expect(ids(await admin.get('/whatsapp/assignees'))).toEqual(expected);
  });

  test('without a number, a team member sees only who can read the numbers they see', async () => {
    await q('number').update({ where: { id: openNumber.id }, data: { teamRoleIds: [support.role.id] } });
    try {
      const salesId = await userId('sales@test.local');
      const supportId = await userId('support@test.local');
      expect(ids(await as(app.server, sales.token).get('/whatsapp/assignees'))).toEqual([adminId, salesId].sort());
      expect(ids(await as(app.server, support.token).get('/whatsapp/assignees'))).toEqual([adminId, supportId].sort());
      // A super admin sees every number, so everyone.
      expect(ids(await admin.get('/whatsapp/assignees'))).toEqual([adminId, salesId, supportId].sort());
    } finally {
      await q('number').update({ where: { id: openNumber.id }, data: { teamRoleIds: [] } });
    }
  });

  test('inactive users are left out', async () => {
    const id = await userId('support@test.local');
    await app.strapi.db.query('admin::user').update({ where: { id }, data: { isActive: false } });
    try {
      expect(ids(await admin.get('/whatsapp/assignees').query({ numberId: openNumber.id }))).not.toContain(id);
    } finally {
      await app.strapi.db.query('admin::user').update({ where: { id }, data: { isActive: true } });
    }
  });

  test('a number the caller cannot see is a 404; a bad number id a 400; no inbox.read a 403', async () => {
    const other = await createStaff(app.strapi, app.server, 'OtherTeam', ['plugin::whatsapp.inbox.read']);
    expect((await as(app.server, other.token).get('/whatsapp/assignees').query({ numberId: teamNumber.id })).status).toBe(404);
    expect((await admin.get('/whatsapp/assignees').query({ numberId: 'abc' })).status).toBe(400);
    expect((await admin.get('/whatsapp/assignees').query({ numberId: '999999' })).status).toBe(404);
    expect((await as(app.server, outsider.token).get('/whatsapp/assignees')).status).toBe(403);
    expect((await as(app.server, support.token).get('/whatsapp/assignees').query({ numberId: openNumber.id })).status).toBe(200);
  });

  test('a conversation is assigned only to someone who can open it: not outside its number’s team', async () => {
    const conversation = await q('conversation').create({ data: { numberId: teamNumber.id, customerWaId: '15550008888', customerPhone: '+15550008888', state: 'open', crmKind: 'unknown' } });
    const salesAs = as(app.server, sales.token);
    const refused = await salesAs.post(`/whatsapp/conversations/${conversation.id}/assign`).send({ assigneeId: await userId('support@test.local') });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.errors[0].path).toEqual(['assigneeId']);
    expect((await q('conversation').findOne({ where: { id: conversation.id } })).assigneeId).toBeNull();
    const salesId = await userId('sales@test.local');
    expect((await salesAs.post(`/whatsapp/conversations/${conversation.id}/assign`).send({ assigneeId: salesId })).body.data.assigneeId).toBe(salesId);
  });
});

describe('conversations carry the names the inbox shows', () => {
  test("the number's label, the assignee's name and the ticket's admin link", async () => {
    const number = await numberRow('Names line', '200000000000003');
    const conversation = await q('conversation').create({ data: { numberId: number.id, customerWaId: '15550007777', customerPhone: '+15550007777', state: 'open', crmKind: 'unknown', lastMessageAt: new Date() } });
    const before = (await admin.get(`/whatsapp/conversations/${conversation.id}`)).body.data;
    expect(before).toMatchObject({ numberLabel: 'Names line', assignee: null, ticket: null });

    const assigned = await admin.post(`/whatsapp/conversations/${conversation.id}/assign`).send({ assigneeId: adminId });
    expect(assigned.body.data.assignee).toEqual({ id: adminId, name: expect.stringMatching(/\S/) });
    const listed = (await admin.get('/whatsapp/conversations').query({ q: '15550007777' })).body.data;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ numberLabel: 'Names line', assignee: { id: adminId } });

    const created = await admin.post(`/whatsapp/conversations/${conversation.id}/ticket`).send({ subject: 'From the names test' });
    expect(created.status).toBe(201);
    const { documentId } = created.body.data.ticket;
    expect(created.body.data.ticket.adminPath).toBe(`/content-manager/collection-types/api::ticket.ticket/${documentId}`);
    expect((await admin.get(`/whatsapp/conversations/${conversation.id}`)).body.data.ticket).toEqual({ uid: 'api::ticket.ticket', documentId, adminPath: created.body.data.ticket.adminPath });
  });

  test('a stream ticket says where an EventSource opens it', async () => {
    const res = await admin.post('/whatsapp/stream/ticket');
    expect(res.body.data.url).toBe(`/api/whatsapp/stream?ticket=${encodeURIComponent(res.body.data.ticket)}`);
  });
});

describe('an EventSource that reconnects with a new ticket', () => {
  test('?lastEventId= replays what it missed, once, before ready', async () => {
    const realtime = app.strapi.plugin('whatsapp').service('realtime');
    const number = await numberRow('Stream line', '200000000000004');
    const ticketUrl = async () => (await admin.post('/whatsapp/stream/ticket')).body.data.url as string;

    const first = await openStream(`${base}${await ticketUrl()}`);
    await first.waitFor((e) => e.event === 'ready');
    realtime.publish({ type: 'conversation.updated', conversationId: 101, numberId: number.id });
    const seen = await first.waitFor((e) => e.event === 'conversation.updated' && e.data.conversationId === 101);
    first.close();

    realtime.publish({ type: 'conversation.updated', conversationId: 102, numberId: number.id });
    realtime.publish({ type: 'message.status', conversationId: 103, numberId: number.id, messageId: 7, status: 'read' });
    const again = await openStream(`${base}${await ticketUrl()}&lastEventId=${seen.id}`);
    expect(again.status).toBe(200);
    await again.waitFor((e) => e.event === 'ready');
    const before = again.events.slice(0, again.events.findIndex((e) => e.event === 'ready'));
    expect(before.map((e) => e.data.conversationId)).toEqual([102, 103]);
    expect(before.every((e) => Number(e.id) > Number(seen.id))).toBe(true);
    again.close();
  });
});
