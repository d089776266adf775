import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSimulator, type RunningSimulator } from '../../simulator';
import { tinyPng } from '../helpers/png';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { as, createStaff, login } from '../helpers/admin';

let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;
let number: any;
let port: number;

const PNID = '109876543210987';
const WABA = '102030405060708';
const q = (name: string) => app.strapi.db.query(`plugin::whatsapp.${name}` as any);

/** Lets every webhook the simulator scheduled land and every worker finish. */
const settle = async () => {
  const plugin = app.strapi.plugin('whatsapp');
  for (let i = 0; i < 4; i += 1) {
    await sim.client.settle();
    await q('webhook-event').updateMany({ where: { state: 'pending' }, data: { lockedUntil: null } });
    for (const name of ['inbound', 'outbox']) {
      plugin.service(name).kick();
      await plugin.service(name).idle();
    }
  }
};

beforeAll(async () => {
  sim = await createSimulator();
  app = await startStrapi({ WHATSAPP_META_BASE_URL: sim.url });
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  port = app.server.address().port;
  admin = as(app.server, await login(app.server));
  number = (await admin.post('/whatsapp/numbers').send({ label: 'Inbox', provider: 'meta', phone: '+15550001111', phoneNumberId: PNID, wabaId: WABA, accessToken: 'inbox-token-0001', appSecret: 'inbox-secret', verifyToken: 'v' })).body.data;
  await sim.client.addMetaNumber({ phoneNumberId: PNID, wabaId: WABA, displayPhoneNumber: '15550001111', accessToken: 'inbox-token-0001', appSecret: 'inbox-secret', webhookUrl: number.webhookUrl.replace('https://crm.test.local', `http://127.0.0.1:${port}`) });
  await sim.client.createTemplate({ wabaId: WABA, name: 'follow_up', language: 'en_US', category: 'UTILITY', status: 'APPROVED', body: 'Hi {{1}}, following up on {{2}}.' });
  await admin.post('/whatsapp/templates/sync').send({ numberId: number.id });
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

describe('the core loop', () => {
  let conversationId: number;

  test('a customer writes: the conversation and the message appear in the inbox', async () => {
    await sim.client.customerSends({ from: '15550002222', to: PNID, name: 'Alice Example', text: 'Is my order on its way?' });
    await settle();
    const list = await admin.get('/whatsapp/conversations');
    expect(list.status).toBe(200);
    const conversation = list.body.data.find((c: any) => c.customerWaId === '15550002222');
    expect(conversation).toMatchObject({ customerName: 'Alice Example', unread: 1, canSendFreeText: true, crm: { kind: 'unknown' } });
    conversationId = conversation.id;
    const messages = await admin.get(`/whatsapp/conversations/${conversationId}/messages`);
    expect(messages.body.data[0]).toMatchObject({ direction: 'in', text: 'Is my order on its way?' });
  });

  test('staff reply: the customer receives it and the receipts move it to read', async () => {
    const res = await admin.post(`/whatsapp/conversations/${conversationId}/messages`).send({ type: 'text', text: 'Yes, it ships today.' });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ direction: 'out', status: 'queued', source: 'inbox' });
    await settle();
    const received = await sim.client.outbound({ to: '15550002222' });
    expect(received.map((m: any) => m.text)).toContain('Yes, it ships today.');
    const sent = await q('message').findOne({ where: { id: res.body.data.id } });
    expect(sent).toMatchObject({ status: 'read', providerMessageId: expect.stringMatching(/^wamid\./) });
    expect(sent.deliveredAt && sent.readAt).toBeTruthy();
  });

  test('a file from the Media Library is uploaded to Meta and sent by id', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-upload-'));
    const filepath = path.join(dir, 'part.png');
    fs.writeFileSync(filepath, tinyPng());
    const [file] = await app.strapi.plugin('upload').service('upload').upload({ data: { fileInfo: { name: 'part.png' } }, files: { filepath, originalFilename: 'part.png', mimetype: 'image/png', size: fs.statSync(filepath).size } });
    const res = await admin.post(`/whatsapp/conversations/${conversationId}/messages`).send({ type: 'media', fileId: file.id, caption: 'The replacement part' });
    expect(res.status).toBe(201);
    expect(res.body.data.type).toBe('image');
    await settle();
    const sent = await q('message').findOne({ where: { id: res.body.data.id } });
    expect(sent.status).toMatch(/sent|delivered|read/);
    expect(sent.payload.providerMediaId).toBeTruthy();
    const received = (await sim.client.outbound({ to: '15550002222' })) as any[];
    expect(received.some((m) => m.type === 'image' && JSON.stringify(m).includes('The replacement part'))).toBe(true);
    expect((await admin.post(`/whatsapp/conversations/${conversationId}/messages`).send({ type: 'media', fileId: 999999 })).status).toBe(400);

    // Staff who neither uploaded the file nor may browse the Media Library cannot send it.
    const { token } = await createStaff(app.strapi, app.server, 'Filer', ['plugin::whatsapp.inbox.read', 'plugin::whatsapp.inbox.send']);
    const other = await as(app.server, token).post(`/whatsapp/conversations/${conversationId}/messages`).send({ type: 'media', fileId: file.id });
    expect(other.status).toBe(400);
    expect(other.body.error.details.errors[0].path).toEqual(['fileId']);
    const { token: browser } = await createStaff(app.strapi, app.server, 'Browser', ['plugin::whatsapp.inbox.read', 'plugin::whatsapp.inbox.send', 'plugin::upload.read']);
    const allowed = await as(app.server, browser).post(`/whatsapp/conversations/${conversationId}/messages`).send({ type: 'media', fileId: file.id });
    expect(allowed.status).toBe(201);
    expect((await admin.post(`/whatsapp/conversations/${conversationId}/messages`).send({ type: 'media' })).status).toBe(400);
  });

  test('the same idempotency key twice sends once', async () => {
    const body = { type: 'text', text: 'Only once', idempotencyKey: 'click-42' };
    const [a, b] = [await admin.post(`/whatsapp/conversations/${conversationId}/messages`).send(body), await admin.post(`/whatsapp/conversations/${conversationId}/messages`).send(body)];
    expect(a.body.data.id).toBe(b.body.data.id);
    await settle();
    expect((await sim.client.outbound({ to: '15550002222' })).filter((m: any) => m.text === 'Only once')).toHaveLength(1);

    // At the same moment, as a double click or a retried request sends them.
    const twice = { type: 'text', text: 'Only once, at once', idempotencyKey: 'click-43' };
    const both = await Promise.all(Array.from({ length: 8 }, () => admin.post(`/whatsapp/conversations/${conversationId}/messages`).send(twice)));
    expect(both.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(new Set(both.map((r) => r.body.data.id)).size).toBe(1);
    await settle();
    expect((await sim.client.outbound({ to: '15550002222' })).filter((m: any) => m.text === 'Only once, at once')).toHaveLength(1);

    // Host code queueing through the outbox in one tick: every lookup runs before any insert.
    const outbox = app.strapi.plugin('whatsapp').service('outbox');
    const rows = await Promise.all(Array.from({ length: 4 }, () => outbox.enqueue(conversationId, { type: 'text', text: 'Once from code', idempotencyKey: 'code-1' }, { id: null })));
    expect(new Set(rows.map((r: any) => r.id)).size).toBe(1);
    await settle();
    expect((await sim.client.outbound({ to: '15550002222' })).filter((m: any) => m.text === 'Once from code')).toHaveLength(1);
  });

  test('after the 24-hour window free text is refused with a reason; a template goes through', async () => {
    await q('conversation').update({ where: { id: conversationId }, data: { windowExpiresAt: new Date(Date.now() - 60_000) } });
    const refused = await admin.post(`/whatsapp/conversations/${conversationId}/messages`).send({ type: 'text', text: 'Hello again' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/24-hour window/);
    await sim.client.setWindow(PNID, '15550002222', false);

    const template = await admin.post(`/whatsapp/conversations/${conversationId}/messages`).send({ type: 'template', template: { name: 'follow_up', language: 'en_US', params: { body: [{ type: 'text', text: 'Alice' }, { type: 'text', text: 'order 77' }] } } });
    expect(template.status).toBe(201);
    await settle();
    const received = await sim.client.outbound({ to: '15550002222' });
    expect(received.some((m: any) => m.type === 'template' && JSON.stringify(m).includes('order 77'))).toBe(true);
  });

  test('wrong template parameters are a 400 before any provider call', async () => {
    const before = (await sim.client.outbound({})).length;
    const res = await admin.post(`/whatsapp/conversations/${conversationId}/messages`).send({ type: 'template', template: { name: 'follow_up', language: 'en_US', params: { body: [{ type: 'text', text: 'just one' }] } } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors[0].path).toEqual(['template', 'params', 'body']);
    const unknown = await admin.post(`/whatsapp/conversations/${conversationId}/messages`).send({ type: 'template', template: { name: 'no_such', language: 'en_US' } });
    expect(unknown.status).toBe(400);
    await settle();
    expect((await sim.client.outbound({})).length).toBe(before);
  });
});

describe('failures and their consequences', () => {
  test('a revoked token fails the message with its reason and flags the number', async () => {
    const conversation = await q('conversation').create({ data: { numberId: number.id, customerWaId: '15550003333', customerPhone: '+15550003333', windowExpiresAt: new Date(Date.now() + 3600_000) } });
    await sim.client.setWindow(PNID, '15550003333', true);
    await sim.client.revokeToken('inbox-token-0001');
    const res = await admin.post(`/whatsapp/conversations/${conversation.id}/messages`).send({ type: 'text', text: 'x' });
    await settle();
    expect(await q('message').findOne({ where: { id: res.body.data.id } })).toMatchObject({ status: 'failed', errorClass: 'auth-problem', errorCode: '190' });
    expect((await admin.get(`/whatsapp/numbers/${number.id}`)).body.data.needsReauth).toBe(true);
    await sim.client.updateMetaNumber({ phoneNumberId: PNID, accessToken: 'inbox-token-0002' });
    await admin.put(`/whatsapp/numbers/${number.id}`).send({ accessToken: 'inbox-token-0002' });
  });

  test('a 5xx is retried and the message goes out once', async () => {
    const conversation = await q('conversation').findOne({ where: { customerWaId: '15550003333' } });
    await sim.client.setFault(undefined, { flap5xx: 1 } as any);
    const res = await admin.post(`/whatsapp/conversations/${conversation.id}/messages`).send({ type: 'text', text: 'retry me' });
    await settle();
    await q('message').update({ where: { id: res.body.data.id }, data: { nextAttemptAt: new Date(0) } });
    await settle();
    const row = await q('message').findOne({ where: { id: res.body.data.id } });
    expect({ status: row.status, attempts: row.attempts, error: row.errorText }).toMatchObject({ status: expect.stringMatching(/sent|delivered|read/), attempts: 2 });
    expect((await sim.client.outbound({ to: '15550003333' })).filter((m: any) => m.text === 'retry me')).toHaveLength(1);
  });

  test('a send whose answer is lost (connection dropped after the provider took it) goes to review and is never resent', async () => {
    const conversation = await q('conversation').findOne({ where: { customerWaId: '15550003333' } });
    await sim.client.setFault(PNID, { dropAnswer: 1 } as any);
    const res = await admin.post(`/whatsapp/conversations/${conversation.id}/messages`).send({ type: 'text', text: 'answer lost' });
    await settle();
    const row = await q('message').findOne({ where: { id: res.body.data.id } });
    expect({ status: row.status, errorClass: row.errorClass, attempts: row.attempts }).toEqual({ status: 'review', errorClass: 'maybe-sent', attempts: 1 });
    expect(row.errorText).toMatch(/no answer from the provider: it may have been sent/);
    await settle();
    expect((await sim.client.outbound({ to: '15550003333' })).filter((m: any) => m.text === 'answer lost')).toHaveLength(1);
  });

  test('a 502 without Meta’s error body goes to review, not retried', async () => {
    const conversation = await q('conversation').findOne({ where: { customerWaId: '15550003333' } });
    await sim.client.setFault(PNID, { bare502: 1 } as any);
    const res = await admin.post(`/whatsapp/conversations/${conversation.id}/messages`).send({ type: 'text', text: 'behind a proxy' });
    await settle();
    const row = await q('message').findOne({ where: { id: res.body.data.id } });
    expect({ status: row.status, errorClass: row.errorClass, attempts: row.attempts }).toEqual({ status: 'review', errorClass: 'maybe-sent', attempts: 1 });
    await q('message').updateMany({ where: { id: row.id }, data: { nextAttemptAt: new Date(0) } });
    await settle();
    expect((await q('message').findOne({ where: { id: row.id } })).status).toBe('review');
    expect((await sim.client.outbound({ to: '15550003333' })).filter((m: any) => m.text === 'behind a proxy')).toHaveLength(0);
  });

  test('a retried reply with the same idempotency key answers the queued message even after the window closed', async () => {
    const conversation = await q('conversation').findOne({ where: { customerWaId: '15550003333' } });
    const outbox = app.strapi.plugin('whatsapp').service('outbox');
    await outbox.stop();
    try {
      const first = await admin.post(`/whatsapp/conversations/${conversation.id}/messages`).send({ type: 'text', text: 'queued before the window closed', idempotencyKey: 'window-retry-1' });
      expect(first.status).toBe(201);
      await q('conversation').update({ where: { id: conversation.id }, data: { windowExpiresAt: new Date(Date.now() - 1000) } });
      const retry = await admin.post(`/whatsapp/conversations/${conversation.id}/messages`).send({ type: 'text', text: 'queued before the window closed', idempotencyKey: 'window-retry-1' });
      expect({ status: retry.status, id: retry.body.data?.id }).toEqual({ status: 201, id: first.body.data.id });
    } finally {
      await q('conversation').update({ where: { id: conversation.id }, data: { windowExpiresAt: new Date(Date.now() + 3600_000) } });
      await outbox.start();
    }
    await settle();
  });

  test('switching a number off keeps its queued replies waiting; switched on, they go out once', async () => {
    const conversation = await q('conversation').findOne({ where: { customerWaId: '15550003333' } });
    const outbox = app.strapi.plugin('whatsapp').service('outbox');
    await outbox.stop();
    let id: number;
    try {
      id = (await admin.post(`/whatsapp/conversations/${conversation.id}/messages`).send({ type: 'text', text: 'waits for the number' })).body.data.id;
      expect((await admin.put(`/whatsapp/numbers/${number.id}`).send({ active: false })).status).toBe(200);
    } finally {
      await outbox.start();
    }
    await settle();
    expect(await q('message').findOne({ where: { id: id! } })).toMatchObject({ status: 'queued', errorText: 'waiting: the number is switched off' });
    expect((await sim.client.outbound({ to: '15550003333' })).filter((m: any) => m.text === 'waits for the number')).toHaveLength(0);
    expect((await admin.put(`/whatsapp/numbers/${number.id}`).send({ active: true })).status).toBe(200);
    await settle();
    expect((await q('message').findOne({ where: { id: id! } })).status).toMatch(/sent|delivered|read/);
    expect((await sim.client.outbound({ to: '15550003333' })).filter((m: any) => m.text === 'waits for the number')).toHaveLength(1);
  });

  test('a database error after the provider took the message neither resends it nor marks it failed', async () => {
    const conversation = await q('conversation').findOne({ where: { customerWaId: '15550003333' } });
    const knex = app.strapi.db.connection;
    const { tableName } = app.strapi.db.metadata.get('plugin::whatsapp.message' as any);
    // The database itself refuses to record this message as sent (a trigger), whichever statement tries.
    const postgres = app.strapi.db.dialect.client === 'postgres';
    if (postgres) {
      await knex.raw(`CREATE OR REPLACE FUNCTION wa_refuse_sent() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'connection reset'; END; $$ LANGUAGE plpgsql`);
      await knex.raw(`CREATE TRIGGER wa_refuse_sent BEFORE UPDATE ON ${tableName} FOR EACH ROW WHEN (NEW.status = 'sent' AND NEW.text = 'accepted, not recorded') EXECUTE FUNCTION wa_refuse_sent()`);
    } else {
      await knex.raw(`CREATE TRIGGER wa_refuse_sent BEFORE UPDATE ON ${tableName} FOR EACH ROW WHEN NEW.status = 'sent' AND NEW.text = 'accepted, not recorded' BEGIN SELECT RAISE(ABORT, 'connection reset'); END`);
    }
    let id: number;
    try {
      const res = await admin.post(`/whatsapp/conversations/${conversation.id}/messages`).send({ type: 'text', text: 'accepted, not recorded' });
      id = res.body.data.id;
      await settle();
    } finally {
      await knex.raw(postgres ? `DROP TRIGGER IF EXISTS wa_refuse_sent ON ${tableName}` : 'DROP TRIGGER IF EXISTS wa_refuse_sent');
    }
    await settle();
    // Put up for review with the reason and the provider's id, never failed and never sent again;
    // with the id kept, the customer's receipts may still move it on (delivered, read).
    const row = await q('message').findOne({ where: { id: id! } });
    expect(row.errorText).toMatch(/accepted by the provider .* but not recorded: .*connection reset/);
    expect(row.providerMessageId).toMatch(/^wamid\./);
    expect(row.status).toMatch(/^(review|delivered|read)$/);
    expect((await sim.client.outbound({ to: '15550003333' })).filter((m: any) => m.text === 'accepted, not recorded')).toHaveLength(1);
  });

  test('a message caught mid-send by a crash is put up for review, never resent', async () => {
    const conversation = await q('conversation').findOne({ where: { customerWaId: '15550003333' } });
    const row = await q('message').create({ data: { numberId: number.id, conversationId: conversation.id, direction: 'out', type: 'text', text: 'was in flight', status: 'sending', source: 'inbox', attempts: 1 } });
    const outbox = app.strapi.plugin('whatsapp').service('outbox');
    await outbox.stop();
    await outbox.start();
    await settle();
    expect(await q('message').findOne({ where: { id: row.id } })).toMatchObject({ status: 'review', errorText: expect.stringMatching(/not resent/) });
    expect((await sim.client.outbound({ to: '15550003333' })).filter((m: any) => m.text === 'was in flight')).toHaveLength(0);
  });
});

describe('rate limits', () => {
  test('sends to a number limited to 20 per second never exceed it at the provider', async () => {
    await admin.put(`/whatsapp/numbers/${number.id}`).send({ throughputMps: 20 });
    await sim.client.updateMetaNumber({ phoneNumberId: PNID, throughputMps: 20 });
    const outbox = app.strapi.plugin('whatsapp').service('outbox');
    const ids: number[] = [];
    for (let i = 0; i < 60; i += 1) {
      const c = await q('conversation').create({ data: { numberId: number.id, customerWaId: `1555060${String(i).padStart(4, '0')}`, windowExpiresAt: new Date(Date.now() + 3600_000) } });
      await sim.client.setCustomer({ phone: c.customerWaId, reachable: true });
      await sim.client.setWindow(PNID, c.customerWaId, true);
      ids.push((await outbox.enqueue(c.id, { type: 'text', text: `bulk ${i}` }, { id: null, source: 'campaign' })).id);
    }
    await settle();
    const rows = await q('message').findMany({ where: { id: { $in: ids } } });
    expect(rows.filter((r: any) => r.status === 'failed')).toEqual([]);
    expect(rows.filter((r: any) => r.errorCode === '130429')).toEqual([]);
    const sent = await sim.client.outbound({});
    expect(sent.filter((m: any) => String(m.text).startsWith('bulk ')).length).toBe(60);
  });
});

describe('teams', () => {
  test('staff of team A neither list nor open team B’s conversations', async () => {
    const teamA = await createStaff(app.strapi, app.server, 'TeamA', ['plugin::whatsapp.inbox.read', 'plugin::whatsapp.inbox.send']);
    const teamB = await createStaff(app.strapi, app.server, 'TeamB', ['plugin::whatsapp.inbox.read']);
    await admin.put(`/whatsapp/numbers/${number.id}`).send({ teamRoleIds: [teamA.role.id] });
    const a = as(app.server, teamA.token);
    const b = as(app.server, teamB.token);
    const aList = (await a.get('/whatsapp/conversations')).body.data;
    expect(aList.length).toBeGreaterThan(0);
    expect((await b.get('/whatsapp/conversations')).body.data).toEqual([]);
    expect((await b.get(`/whatsapp/conversations/${aList[0].id}`)).status).toBe(404);
    expect((await b.post(`/whatsapp/conversations/${aList[0].id}/messages`).send({ type: 'text', text: 'x' })).status).toBe(403);
    expect((await admin.get('/whatsapp/conversations')).body.data.length).toBe(aList.length);
  });
});

describe('inbox actions', () => {
  let conversation: any;
  let adminId: number;
  beforeAll(async () => {
    conversation = await q('conversation').findOne({ where: { customerWaId: '15550002222' } });
    adminId = (await app.strapi.db.query('admin::user').findOne({ where: { email: 'admin@test.local' } })).id;
  });

  test('assign, filter by assignee, unassign; an unknown user is refused', async () => {
    const res = await admin.post(`/whatsapp/conversations/${conversation.id}/assign`).send({ assigneeId: adminId });
    expect(res.body.data.assigneeId).toBe(adminId);
    expect((await admin.get('/whatsapp/conversations').query({ assignee: 'me' })).body.data.map((c: any) => c.id)).toEqual([conversation.id]);
    expect((await admin.post(`/whatsapp/conversations/${conversation.id}/assign`).send({ assigneeId: 999999 })).status).toBe(400);
    await admin.post(`/whatsapp/conversations/${conversation.id}/assign`).send({ assigneeId: null });
    expect((await admin.get('/whatsapp/conversations').query({ assignee: 'unassigned', q: '15550002222' })).body.data.map((c: any) => c.id)).toEqual([conversation.id]);
  });

  test('search finds a phone however it is written', async () => {
    for (const q of ['+1 555 000 2222', '555-000-2222', '(555) 000-2222', '15550002222', '0002222']) {
      expect((await admin.get('/whatsapp/conversations').query({ q })).body.data.map((c: any) => c.id)).toEqual([conversation.id]);
    }
    expect((await admin.get('/whatsapp/conversations').query({ q: '555-999-0000' })).body.data).toEqual([]);
  });

  test('paging that is not a sane whole number is a 400, for the list and for a thread', async () => {
    for (const page of ['abc', '-1', '99999999999999999999']) {
      expect((await admin.get('/whatsapp/conversations').query({ page })).status).toBe(400);
      expect((await admin.get(`/whatsapp/conversations/${conversation.id}/messages`).query({ page })).status).toBe(400);
    }
    expect((await admin.get(`/whatsapp/conversations/${conversation.id}/messages`).query({ pageSize: 'ten' })).status).toBe(400);
    expect((await admin.get(`/whatsapp/conversations/${conversation.id}/messages`).query({ page: '1', pageSize: '100' })).status).toBe(200);
  });

  test('close and reopen', async () => {
    expect((await admin.post(`/whatsapp/conversations/${conversation.id}/close`)).body.data.state).toBe('closed');
    expect((await admin.get('/whatsapp/conversations').query({ state: 'closed' })).body.data.map((c: any) => c.id)).toEqual([conversation.id]);
    expect((await admin.post(`/whatsapp/conversations/${conversation.id}/reopen`)).body.data.state).toBe('open');
  });

  test('mark read clears the unread count and sends the read receipt to the provider', async () => {
    await sim.client.customerSends({ from: '15550002222', to: PNID, text: 'one more thing' });
    await settle();
    expect((await admin.get(`/whatsapp/conversations/${conversation.id}`)).body.data.unread).toBeGreaterThan(0);
    const res = await admin.post(`/whatsapp/conversations/${conversation.id}/read`);
    expect(res.body.data.unread).toBe(0);
    const receipts = (await admin.get('/whatsapp/logs/api').query({ call: 'mark-read' })).body.data;
    expect(receipts[0]).toMatchObject({ status: 200 });
  });

  test('a ticket is created in the host, linked to the customer and back to the conversation', async () => {
    const contact = await app.strapi.documents('api::contact.contact').create({ data: { name: 'Alice Example', phone: '+15550002222' } as any, status: 'published' });
    await q('conversation').update({ where: { id: conversation.id }, data: { crmKind: 'contact', crmUid: 'api::contact.contact', crmDocumentId: contact.documentId } });
    const res = await admin.post(`/whatsapp/conversations/${conversation.id}/ticket`).send({ subject: 'Order question' });
    expect(res.status).toBe(201);
    const ticket = await app.strapi.documents('api::ticket.ticket').findOne({ documentId: res.body.data.ticket.documentId, populate: ['contact'] });
    expect(ticket).toMatchObject({ subject: 'Order question', status: 'open', whatsappConversationId: conversation.id, contact: { documentId: contact.documentId } });
    expect((ticket as any).description).toMatch(/Is my order on its way\?/);
    expect((await q('conversation').findOne({ where: { id: conversation.id } })).ticketDocumentId).toBe(ticket!.documentId);
    const detail = (await admin.get(`/whatsapp/conversations/${conversation.id}`)).body.data;
    expect(detail.crmRecord).toMatchObject({ type: 'Contact', fields: { name: 'Alice Example', phone: '+15550002222' }, adminPath: `/content-manager/collection-types/api::contact.contact/${contact.documentId}` });

    // Staff see of the record what the Content Manager would show them (the number is open to all meanwhile).
    const team = (await q('number').findOne({ where: { id: number.id } })).teamRoleIds;
    await q('number').update({ where: { id: number.id }, data: { teamRoleIds: [] } });
    await q('conversation').update({ where: { id: conversation.id }, data: { crmName: 'Alice CRM' } });
    const readContacts = (fields: string[], conditions: string[] = []) => ({ action: 'plugin::content-manager.explorer.read', subject: 'api::contact.contact', properties: { fields }, conditions });
    const namesOnly = as(app.server, (await createStaff(app.strapi, app.server, 'ContactNames', ['plugin::whatsapp.inbox.read', readContacts(['name'])])).token);
    const asNamesOnly = (await namesOnly.get(`/whatsapp/conversations/${conversation.id}`)).body.data;
    expect(asNamesOnly.crmRecord).toEqual({ type: 'Contact', fields: { name: 'Alice Example', createdAt: expect.any(String), updatedAt: expect.any(String) }, adminPath: detail.crmRecord.adminPath });
    expect(asNamesOnly.crmName).toBe('Alice CRM');
    expect((await namesOnly.get('/whatsapp/conversations').query({ q: 'alice crm' })).body.data.map((c: any) => c.id)).toEqual([conversation.id]);
    const noContacts = as(app.server, (await createStaff(app.strapi, app.server, 'NoContacts', ['plugin::whatsapp.inbox.read'])).token);
    const hidden = (await noContacts.get(`/whatsapp/conversations/${conversation.id}`)).body.data;
    expect(hidden).toMatchObject({ id: conversation.id, crm: { kind: 'contact' }, crmRecord: null, crmName: null });
    // Neither the list shows the CRM's name nor does a search by it find the conversation.
    expect((await noContacts.get('/whatsapp/conversations')).body.data.find((c: any) => c.id === conversation.id).crmName).toBeNull();
    expect((await noContacts.get('/whatsapp/conversations').query({ q: 'alice crm' })).body.data).toEqual([]);
    const ownOnly = as(app.server, (await createStaff(app.strapi, app.server, 'OwnContacts', ['plugin::whatsapp.inbox.read', readContacts(['name', 'phone'], ['admin::is-creator'])])).token);
    expect((await ownOnly.get(`/whatsapp/conversations/${conversation.id}`)).body.data).toMatchObject({ crmRecord: null, crmName: null });
    await q('number').update({ where: { id: number.id }, data: { teamRoleIds: team } });
    expect((await admin.post(`/whatsapp/conversations/${conversation.id}/ticket`).send({})).status).toBe(400);
  });

  test('two staff creating a ticket at once make one ticket', async () => {
    const other = await q('conversation').create({ data: { numberId: number.id, customerWaId: '15550004242', customerPhone: '+15550004242', state: 'open', crmKind: 'unknown' } });
    const answers = await Promise.all([1, 2, 3].map((i) => admin.post(`/whatsapp/conversations/${other.id}/ticket`).send({ subject: `Race ${other.id}` }).then((r) => r.status)));
    expect(answers.sort()).toEqual([201, 400, 400]);
    const tickets = await app.strapi.documents('api::ticket.ticket').findMany({ filters: { subject: `Race ${other.id}` } as any });
    expect(tickets).toHaveLength(1);
    expect((await q('conversation').findOne({ where: { id: other.id } })).ticketDocumentId).toBe(tickets[0].documentId);
  });

  test('a conversation is started with a template, to a phone or to a CRM record', async () => {
    const template = { name: 'follow_up', language: 'en_US', params: { body: [{ type: 'text', text: 'Dan' }, { type: 'text', text: 'your quote' }] } };
    await sim.client.setCustomer({ phone: '15550006666', name: 'Dan Prospect', reachable: true });
    const byPhone = await admin.post('/whatsapp/conversations').send({ numberId: number.id, to: '+1 555 000 6666', template });
    expect(byPhone.status).toBe(201);
    expect(byPhone.body.data.conversation).toMatchObject({ customerWaId: '15550006666', customerPhone: '+15550006666' });

    const lead = await app.strapi.documents('api::lead.lead').create({ data: { name: 'Erin Lead', phone: '(555) 000-8888' } as any });
    await sim.client.setCustomer({ phone: '15550008888', name: 'Erin', reachable: true });
    const byRecord = await admin.post('/whatsapp/conversations').send({ numberId: number.id, record: { uid: 'api::lead.lead', documentId: lead.documentId }, template });
    expect(byRecord.status).toBe(201);
    expect(byRecord.body.data.conversation).toMatchObject({ customerWaId: '15550008888', crm: { kind: 'lead', documentId: lead.documentId } });
    await settle();
    const received = await sim.client.outbound({ to: '15550008888' });
    expect(received.some((m: any) => m.type === 'template')).toBe(true);

    expect((await admin.post('/whatsapp/conversations').send({ numberId: number.id, template })).status).toBe(400);
    expect((await admin.post('/whatsapp/conversations').send({ numberId: number.id, to: '12', template })).status).toBe(400);
  });

  test('starting a conversation with a refused template is a 400 and leaves no conversation behind', async () => {
    const start = (template: any) => admin.post('/whatsapp/conversations').send({ numberId: number.id, to: '+15550007711', template });
    const malformed = await start({ name: 'follow_up', language: 'en_US', params: { body: 'x' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.name).toBe('ValidationError');
    const wrongCount = await start({ name: 'follow_up', language: 'en_US', params: { body: [{ type: 'text', text: 'only one' }] } });
    expect(wrongCount.status).toBe(400);
    expect(wrongCount.body.error.details.errors[0].path).toEqual(['template', 'params', 'body']);
    expect((await start({ name: 'no_such', language: 'en_US' })).status).toBe(400);
    expect(await q('conversation').count({ where: { customerWaId: '15550007711' } })).toBe(0);
  });

  test('interactive replies Meta would refuse are 400s; replyTo reaches the provider for media and interactive replies', async () => {
    await sim.client.customerSends({ from: '15550002222', to: PNID, text: 'which colour?' });
    await settle();
    const before = (await sim.client.outbound({ to: '15550002222' })).length;
    const send = (interactive: object, extra: object = {}) => admin.post(`/whatsapp/conversations/${conversation.id}/messages`).send({ type: 'interactive', interactive, ...extra });
    const refused = [
      { type: 'button', body: 'Pick one' },
      { type: 'button', body: 'Pick one', buttons: [] },
      { type: 'button', body: 'Pick one', buttons: [{ id: 'a', title: 'Red' }, { id: 'a', title: 'Blue' }] },
      { type: 'button', body: 'Pick one', buttons: [{ id: 'a', title: 'A title longer than twenty' }] },
      { type: 'list', body: 'Pick one' },
      { type: 'list', body: 'Pick one', sections: [{ title: 'S', rows: [] }] },
      { type: 'list', body: 'Pick one', sections: [{ title: 'A', rows: Array.from({ length: 6 }, (_, i) => ({ id: `a${i}`, title: `A${i}` })) }, { title: 'B', rows: Array.from({ length: 5 }, (_, i) => ({ id: `b${i}`, title: `B${i}` })) }] },
      { type: 'cta_url', body: 'Track it' },
      { type: 'cta_url', body: 'Track it', displayText: 'Track' },
      { type: 'cta_url', body: 'Track it', url: 'https://example.com/t' },
    ];
    for (const interactive of refused) {
      const res = await send(interactive);
      expect({ interactive, status: res.status, name: res.body.error?.name }).toEqual({ interactive, status: 400, name: 'ValidationError' });
    }
    await settle();
    expect((await sim.client.outbound({ to: '15550002222' })).length).toBe(before);

    const [quoted] = (await q('message').findMany({ where: { conversationId: conversation.id, direction: 'in' }, orderBy: { id: 'desc' }, limit: 1 }));
    const buttons = await send({ type: 'button', body: 'Pick one', buttons: [{ id: 'red', title: 'Red' }, { id: 'blue', title: 'Blue' }] }, { replyTo: quoted.providerMessageId });
    expect(buttons.status).toBe(201);
    const media = await admin.post(`/whatsapp/conversations/${conversation.id}/messages`).send({ type: 'media', mediaType: 'image', link: 'https://example.com/colours.png', replyTo: quoted.providerMessageId });
    expect(media.status).toBe(201);
    await settle();
    const out = (await sim.client.outbound({ to: '15550002222' })).slice(before);
    expect(out.map((m: any) => ({ type: m.type, context: m.contextMessageId }))).toEqual([
      { type: 'interactive', context: quoted.providerMessageId },
      { type: 'image', context: quoted.providerMessageId },
    ]);
  });

  test('a copy-code button’s code goes to Meta as a coupon_code parameter; a code over 15 characters is a 400', async () => {
    await sim.client.createTemplate({
      wabaId: WABA, name: 'spring_coupon', language: 'en_US', category: 'MARKETING', status: 'APPROVED',
      components: [{ type: 'BODY', text: 'Your code, {{1}}:' }, { type: 'BUTTONS', buttons: [{ type: 'COPY_CODE', example: 'SPRING15' }] }] as any,
    });
    await admin.post('/whatsapp/templates/sync').send({ numberId: number.id });
    const stored = (await admin.get('/whatsapp/templates').query({ numberId: String(number.id) })).body.data.find((t: any) => t.name === 'spring_coupon');
    expect(stored.parameterSchema.buttons).toEqual([{ index: 0, subType: 'copy_code', params: ['coupon_code'] }]);
    // A customer of its own: the pair rate (10 a minute to one person) is for the tests around it.
    await sim.client.setCustomer({ phone: '15550007715', name: 'Hal', reachable: true });
    const coupons = await q('conversation').create({ data: { numberId: number.id, customerWaId: '15550007715', customerPhone: '+15550007715' } });
    const template = (code: object) => ({ name: 'spring_coupon', language: 'en_US', params: { body: [{ type: 'text', text: 'Alice' }], buttons: [{ index: 0, subType: 'copy_code', params: [code] }] } });
    const tooLong = await admin.post(`/whatsapp/conversations/${coupons.id}/messages`).send({ type: 'template', template: template({ type: 'coupon_code', couponCode: 'SPRING2026-EXTRA' }) });
    expect({ status: tooLong.status, name: tooLong.body.error?.name }).toEqual({ status: 400, name: 'ValidationError' });
    const since = (await sim.client.requests({ provider: 'meta' })).reduce((max: number, r: any) => Math.max(max, r.seq), 0);
    const res = await admin.post(`/whatsapp/conversations/${coupons.id}/messages`).send({ type: 'template', template: template({ type: 'coupon_code', couponCode: 'SPRING15' }) });
    expect(res.status).toBe(201);
    await settle();
    expect((await q('message').findOne({ where: { id: res.body.data.id } })).status).toMatch(/sent|delivered|read/);
    const [sent]: any[] = (await sim.client.requests({ provider: 'meta', method: 'POST', since })).filter((r: any) => /\/messages$/.test(r.path) && r.body?.template?.name === 'spring_coupon');
    expect(sent.body.template.components).toContainEqual({ type: 'button', sub_type: 'copy_code', index: '0', parameters: [{ type: 'coupon_code', coupon_code: 'SPRING15' }] });
  });

  test('a retried start with the same idempotency key answers the queued message even after the template was paused', async () => {
    const template = { name: 'follow_up', language: 'en_US', params: { body: [{ type: 'text', text: 'Ivy' }, { type: 'text', text: 'your order' }] } };
    await sim.client.setCustomer({ phone: '15550007716', name: 'Ivy', reachable: true });
    const body = { numberId: number.id, to: '+15550007716', template, idempotencyKey: 'start-retry-1' };
    const first = await admin.post('/whatsapp/conversations').send(body);
    expect(first.status).toBe(201);
    await q('template').updateMany({ where: { numberId: number.id, name: 'follow_up' }, data: { status: 'PAUSED' } });
    try {
      const retry = await admin.post('/whatsapp/conversations').send(body);
      expect({ status: retry.status, message: retry.body.data?.message?.id, conversation: retry.body.data?.conversation?.id }).toEqual({ status: 201, message: first.body.data.message.id, conversation: first.body.data.conversation.id });
    } finally {
      await q('template').updateMany({ where: { numberId: number.id, name: 'follow_up' }, data: { status: 'APPROVED' } });
    }
  });

  test('two starts to the same phone at once share one conversation', async () => {
    const template = { name: 'follow_up', language: 'en_US', params: { body: [{ type: 'text', text: 'Fay' }, { type: 'text', text: 'your visit' }] } };
    await sim.client.setCustomer({ phone: '15550007713', name: 'Fay', reachable: true });
    const starts = await Promise.all(
      Array.from({ length: 4 }, (_, i) => admin.post('/whatsapp/conversations').send({ numberId: number.id, to: '+15550007713', template, idempotencyKey: `same-phone-${i}` }))
    );
    expect(starts.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(starts.map((r) => r.body.data.conversation.id)).size).toBe(1);
    expect(await q('conversation').count({ where: { customerWaId: '15550007713' } })).toBe(1);
  });

  test('ids beyond PostgreSQL’s integer range are a 404 in a path and a 400 in a body or query, never a 500', async () => {
    const big = '3000000000';
    for (const [method, path] of [
      ['get', `/whatsapp/conversations/${big}`],
      ['get', `/whatsapp/conversations/${big}/messages`],
      ['post', `/whatsapp/conversations/${big}/close`],
      ['post', `/whatsapp/conversations/${big}/read`],
      ['put', `/whatsapp/quick-replies/${big}`],
      ['get', `/whatsapp/numbers/${big}`],
      ['get', `/whatsapp/logs/webhooks/${big}`],
      ['get', `/whatsapp/notification-rules/${big}`],
      ['get', `/whatsapp/notification-rules/${big}/firings`],
      ['put', `/whatsapp/notification-rules/${big}`],
    ] as const) {
      const res = await (admin as any)[method](path).send(method !== 'put' ? undefined : path.includes('notification-rules') ? { active: false } : { text: 'x' });
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    expect((await admin.post(`/whatsapp/conversations/${big}/messages`).send({ type: 'text', text: 'x' })).status).toBe(404);
    for (const path of [`/whatsapp/conversations?numberId=${big}`, `/whatsapp/conversations?assignee=${big}`, `/whatsapp/assignees?numberId=${big}`, `/whatsapp/templates?numberId=${big}`, `/whatsapp/logs/webhooks?numberId=${big}`]) {
      const res = await admin.get(path);
      expect({ path, status: res.status, name: res.body.error?.name }).toEqual({ path, status: 400, name: 'ValidationError' });
    }
    const template = { name: 'follow_up', language: 'en_US', params: { body: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] } };
    const bodies: [string, unknown][] = [
      ['/whatsapp/conversations', { numberId: Number(big), to: '+15550007712', template }],
      ['/whatsapp/templates/sync', { numberId: Number(big) }],
      [`/whatsapp/conversations/${conversation.id}/assign`, { assigneeId: Number(big) }],
      [`/whatsapp/conversations/${conversation.id}/messages`, { type: 'media', fileId: Number(big) }],
      ['/whatsapp/notification-rules', { name: 'Big', contentType: 'api::lead.lead', event: 'created', numberId: Number(big), template: { name: 'follow_up', language: 'en_US' }, parameters: [], recipient: { from: 'field', value: 'phone' } }],
    ];
    for (const [path, body] of bodies) {
      const res = await admin.post(path).send(body as object);
      expect({ path, status: res.status, name: res.body.error?.name }).toEqual({ path, status: 400, name: 'ValidationError' });
    }
  });

  test('quick replies: saved, used by name, names unique, managed only with the permission', async () => {
    const created = await admin.post('/whatsapp/quick-replies').send({ name: 'opening-hours', text: 'We are open 9–17, Monday to Friday.' });
    expect(created.status).toBe(201);
    expect((await admin.post('/whatsapp/quick-replies').send({ name: 'opening-hours', text: 'again' })).status).toBe(400);
    expect((await admin.get('/whatsapp/quick-replies')).body.data.map((r: any) => r.name)).toContain('opening-hours');

    await sim.client.customerSends({ from: '15550002222', to: PNID, text: 'when are you open?' });
    await settle();
    const res = await admin.post(`/whatsapp/conversations/${conversation.id}/messages`).send({ type: 'quick-reply', name: 'opening-hours' });
    expect(res.status).toBe(201);
    await settle();
    expect((await sim.client.outbound({ to: '15550002222' })).map((m: any) => m.text)).toContain('We are open 9–17, Monday to Friday.');
    expect((await admin.post(`/whatsapp/conversations/${conversation.id}/messages`).send({ type: 'quick-reply', name: 'nope' })).status).toBe(400);

    const reader = as(app.server, (await createStaff(app.strapi, app.server, 'QuickReader', ['plugin::whatsapp.inbox.read'])).token);
    expect((await reader.get('/whatsapp/quick-replies')).status).toBe(200);
    expect((await reader.post('/whatsapp/quick-replies').send({ name: 'x', text: 'y' })).status).toBe(403);
    expect((await admin.put(`/whatsapp/quick-replies/${created.body.data.id}`).send({ text: 'Open 9–18.' })).body.data.text).toBe('Open 9–18.');
    expect((await admin.del(`/whatsapp/quick-replies/${created.body.data.id}`)).status).toBe(200);
  });
});
