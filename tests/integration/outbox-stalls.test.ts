/**
 * The outbox when the database fails under it: a number whose lane hits an error rests while the
 * others go on (one lane per number, the worker's idle meaning all its sends are done); a row left
 * `sending` is put up for review by the stalled check, never resent; the provider's answer never
 * moves a row back from a receipt's status; and firings an earlier version left claimed are sent.
 * The simulator's arrivals say what was really sent.
 */
import { createSentRecorder } from '../../server/outbox/record-sent';
import { settleNotifications } from '../helpers/notifications';
import { connectMetaNumber, startWithSimulator, type SimulatedApp } from '../helpers/simulated-app';

let env: SimulatedApp;
let slow: any;
let broken: any;
const SLOW = { label: 'Slow', phone: '+15550071100', phoneNumberId: '109876543710711', wabaId: '102030405760711', accessToken: 'slow-token-0001', appSecret: 'slow-secret' };
const BROKEN = { label: 'Broken', phone: '+15550071200', phoneNumberId: '109876543710712', wabaId: '102030405760712', accessToken: 'broken-token-0001', appSecret: 'broken-secret' };
const SOFIA = '15550071101'; // writes to the slow number
const BORIS = '15550071201'; // writes to the broken number
const q = (name: string) => env.app.strapi.db.query(`plugin::whatsapp.${name}` as any);
const outbox = () => env.app.strapi.plugin('whatsapp').service('outbox');
const arrivals = async (to: string, text?: string) => ((await env.sim.client.outbound({ to })) as any[]).filter((m) => m.type === 'text' && (text === undefined || m.text === text));
const conversationOf = (numberId: number, waId: string) => q('conversation').findOne({ where: { numberId, customerWaId: waId } });
const reply = (conversationId: number, text: string) => env.admin.post(`/whatsapp/conversations/${conversationId}/messages`).send({ type: 'text', text });

/** Polls until `check` answers something truthy (a positive), else fails naming what it waited for. */
const until = async <T>(what: string, check: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** A trigger that makes the database refuse some UPDATEs of the message table, whichever statement tries; answers how to drop it. */
const refuse = async (name: string, when: { pg: string; sqlite: string }) => {
  const knex = env.app.strapi.db.connection;
  const { tableName } = env.app.strapi.db.metadata.get('plugin::whatsapp.message' as any);
  const postgres = env.app.strapi.db.dialect.client === 'postgres';
  if (postgres) {
    await knex.raw(`CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'connection reset'; END; $$ LANGUAGE plpgsql`);
    await knex.raw(`CREATE TRIGGER ${name} BEFORE UPDATE ON ${tableName} FOR EACH ROW WHEN (${when.pg}) EXECUTE FUNCTION ${name}()`);
  } else {
    await knex.raw(`CREATE TRIGGER ${name} BEFORE UPDATE ON ${tableName} FOR EACH ROW WHEN ${when.sqlite} BEGIN SELECT RAISE(ABORT, 'connection reset'); END`);
  }
  return () => knex.raw(postgres ? `DROP TRIGGER IF EXISTS ${name} ON ${tableName}` : `DROP TRIGGER IF EXISTS ${name}`);
};

beforeAll(async () => {
  env = await startWithSimulator();
  slow = await connectMetaNumber(env, SLOW);
  broken = await connectMetaNumber(env, BROKEN);
  // Two sends a second: the slow number's lane is still working long after the broken one failed.
  await q('number').update({ where: { id: slow.id }, data: { throughputMps: 2 } });
  await env.sim.client.createTemplate({ wabaId: SLOW.wabaId, name: 'order_ready', language: 'en_US', category: 'UTILITY', status: 'APPROVED', body: 'Hello {{1}}, your order is ready.' });
  await env.admin.post('/whatsapp/templates/sync').send({ numberId: slow.id });
  for (const [phone, to] of [[SOFIA, SLOW.phoneNumberId], [BORIS, BROKEN.phoneNumberId]]) {
    await env.sim.client.setCustomer({ phone, reachable: true });
    await env.sim.client.customerSends({ from: phone, to, name: `Customer ${phone}`, text: 'Hello?' });
  }
  await until('both conversations', async () => {
    await settleNotifications(env.app, env.sim);
    return (await conversationOf(slow.id, SOFIA)) && (await conversationOf(broken.id, BORIS));
  });
});
afterAll(async () => {
  await env?.app.stop();
  await env?.sim.close();
});

test('a database error in one number’s lane: that number rests and retries later, the others’ lanes finish before the worker is idle, in order, each once', async () => {
  const sofia = await conversationOf(slow.id, SOFIA);
  const boris = await conversationOf(broken.id, BORIS);
  await outbox().stop();
  const texts = Array.from({ length: 6 }, (_, i) => `slow lane ${i}`);
  for (const text of texts) expect((await reply(sofia.id, text)).status).toBe(201);
  const refused = (await reply(boris.id, 'claim refused')).body.data;
  // The broken number's claim fails: the database refuses to move its row to `sending`.
  const drop = await refuse('wa_refuse_claim', { pg: `NEW.status = 'sending' AND NEW.text = 'claim refused'`, sqlite: `NEW.status = 'sending' AND NEW.text = 'claim refused'` });
  try {
    await outbox().start();
    await outbox().idle();
    // Idle means every lane is done: all of the slow number's rows went out, none left queued behind a failed pass.
    const rows = await q('message').findMany({ where: { conversationId: sofia.id, direction: 'out', text: { $in: texts } }, orderBy: { id: 'asc' } });
    expect(rows.map((r: any) => r.status).filter((s: string) => !['sent', 'delivered', 'read'].includes(s))).toEqual([]);
    // The broken number's row waits, queued, never failed or sent.
    expect(await q('message').findOne({ where: { id: refused.id } })).toMatchObject({ status: 'queued' });
    expect(await arrivals(BORIS, 'claim refused')).toEqual([]);
  } finally {
    await drop();
  }
  // The customer got them in the order they were written, each once.
  expect((await arrivals(SOFIA)).map((m) => m.text).filter((t) => texts.includes(t))).toEqual(texts);
  // Once the database takes the claim again, the rested number's row goes out, once.
  const sent = await until('the rested number’s row sent', async () => {
    outbox().kick();
    await outbox().idle();
    const row = await q('message').findOne({ where: { id: refused.id } });
    return ['sent', 'delivered', 'read'].includes(row.status) && row;
  });
  expect(sent.attempts).toBe(1);
  await env.sim.client.settle();
  expect(await arrivals(BORIS, 'claim refused')).toHaveLength(1);
}, 60_000);

test('a row left `sending` after the provider took it (the database refused both the sent and the review write) is put up for review once its lease ran out, never resent', async () => {
  const sofia = await conversationOf(slow.id, SOFIA);
  const drop = await refuse('wa_refuse_record', {
    pg: `OLD.status = 'sending' AND NEW.status <> 'sending' AND NEW.text = 'recorded nowhere'`,
    sqlite: `OLD.status = 'sending' AND NEW.status <> 'sending' AND NEW.text = 'recorded nowhere'`,
  });
  let id: number;
  try {
    id = (await reply(sofia.id, 'recorded nowhere')).body.data.id;
    await until('the provider took it', async () => (await arrivals(SOFIA, 'recorded nowhere')).length === 1);
    // The send gives up recording (three tries, then review, refused too): the row stays `sending`, owned by no send.
    await outbox().idle();
    expect(await q('message').findOne({ where: { id } })).toMatchObject({ status: 'sending' });
  } finally {
    await drop();
  }
  // As if its lease ran out (two minutes): the stalled check takes it up.
  await q('message').update({ where: { id: id! }, data: { lockedUntil: new Date(Date.now() - 1000) } });
  const row = await until('the stalled row put up for review', async () => {
    const r = await q('message').findOne({ where: { id: id! } });
    return r.status === 'review' && r;
  });
  expect(row).toMatchObject({ errorClass: 'maybe-sent', errorText: expect.stringMatching(/may have been sent; not resent automatically/) });
  outbox().kick();
  await outbox().idle();
  await env.sim.client.settle();
  expect(await arrivals(SOFIA, 'recorded nowhere')).toHaveLength(1);
}, 60_000);

test('the provider’s answer recorded after a receipt moved the row on keeps the receipt’s status and reason, and the provider’s id', async () => {
  const sofia = await conversationOf(slow.id, SOFIA);
  const base = { numberId: slow.id, conversationId: sofia.id, direction: 'out', type: 'text', source: 'inbox', attempts: 1 };
  const delivered = await q('message').create({ data: { ...base, text: 'delivered first', status: 'delivered' } });
  const failed = await q('message').create({ data: { ...base, text: 'failed first', status: 'failed', errorClass: 'window-closed', errorCode: '131047', errorText: 'More than 24 hours have passed' } });
  const sending = await q('message').create({ data: { ...base, text: 'answered in time', status: 'sending' } });
  const recorder = createSentRecorder(env.app.strapi, () => undefined);
  await Promise.all([recorder.add(delivered, 'wamid.delivered-first'), recorder.add(failed, 'wamid.failed-first'), recorder.add(sending, 'wamid.answered')]);
  expect(await q('message').findOne({ where: { id: delivered.id } })).toMatchObject({ status: 'delivered', providerMessageId: 'wamid.delivered-first' });
  expect(await q('message').findOne({ where: { id: failed.id } })).toMatchObject({ status: 'failed', providerMessageId: 'wamid.failed-first', errorClass: 'window-closed', errorCode: '131047', errorText: 'More than 24 hours have passed' });
  expect(await q('message').findOne({ where: { id: sending.id } })).toMatchObject({ status: 'sent', providerMessageId: 'wamid.answered', errorClass: null });
});

test('a firing an earlier version left claimed (`queued`, no message) is sent after the upgrade, once', async () => {
  const notifications = env.app.strapi.plugin('whatsapp').service('notifications');
  const phone = '15550071109';
  await env.sim.client.setCustomer({ phone, reachable: true });
  const lead = await env.app.strapi.documents('api::lead.lead').create({ data: { name: 'Upgraded Lead', phone: `+${phone}` } as any });
  const rule = (
    await env.admin.post('/whatsapp/notification-rules').send({
      numberId: slow.id, name: 'Order ready', contentType: 'api::lead.lead', event: 'updated', template: { name: 'order_ready', language: 'en_US' },
      parameters: [{ component: 'body', index: 0, from: 'field', value: 'name' }], recipient: { from: 'field', value: 'phone' },
    })
  ).body.data;
  expect(rule?.id).toBeDefined();
  // What the earlier version left: claimed (`queued`) when its process stopped, before its message existed.
  await notifications.stop();
  const firing = await q('notification-firing').create({ data: { ruleId: rule.id, contentType: 'api::lead.lead', recordDocumentId: lead.documentId, event: 'updated', key: `${rule.id}:${lead.documentId}:updated:upgrade`, state: 'queued', attempts: 0 } });
  notifications.start();
  const done = await until('the firing sent', async () => {
    await settleNotifications(env.app, env.sim);
    const f = await q('notification-firing').findOne({ where: { id: firing.id } });
    return f.messageId && f;
  });
  expect(done).toMatchObject({ state: 'queued', error: null });
  // Started again (another upgrade, a restart): nothing is sent twice.
  await notifications.stop();
  notifications.start();
  await settleNotifications(env.app, env.sim);
  const templates = ((await env.sim.client.outbound({ to: phone })) as any[]).filter((m) => m.type === 'template');
  expect(templates).toHaveLength(1);
  expect(await q('message').count({ where: { sourceRef: `rule:${rule.id}:firing:${firing.id}`, direction: 'out' } })).toBe(1);
}, 60_000);
