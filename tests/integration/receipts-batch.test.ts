import { startStrapi, type TestApp } from '../helpers/strapi';
import { as, login } from '../helpers/admin';
import { fixture } from '../helpers/fixtures';
import { postMeta, settle, settleWithRetries } from '../helpers/webhooks';

const SECRET = 'receipts-batch-app-secret';
const NUMBER = { label: 'Receipts', provider: 'meta', phone: '+15550001111', phoneNumberId: '109876543210987', wabaId: '102030405060708', accessToken: 'token-receipts-000000', appSecret: SECRET, verifyToken: 'verify-receipts' };
const MESSAGES = 60;
const UNKNOWN = 10;
const T0 = Math.floor(Date.UTC(2026, 2, 1, 9) / 1000);
const TARGETS = ['sent', 'delivered', 'read', 'failed'] as const;
const RANK = ['sent', 'delivered', 'read', 'failed'];

let app: TestApp;
let number: any;
const q = (name: string) => app.strapi.db.query(`plugin::whatsapp.${name}` as any);

/** The statuses message `i` goes through, at T0 + 1, 2, 3 (failed at + 4 after sent). */
const pathOf = (i: number) => {
  const target = TARGETS[i % TARGETS.length];
  if (target === 'failed') return [['sent', 1], ['failed', 4]] as const;
  return [['sent', 1], ['delivered', 2], ['read', 3]].slice(0, TARGETS.indexOf(target) + 1) as [string, number][];
};

const status = (id: string, name: string, second: number) => ({
  id,
  status: name,
  timestamp: String(T0 + second),
  recipient_id: '15550002222',
  ...(name === 'failed' ? { errors: [{ code: 131047, title: 'Re-engagement message', message: 'Re-engagement message', error_data: { details: 'More than 24 hours have passed' } }] } : {}),
});

/** Meta bodies of 25 statuses each, from a fixed shuffle: every receipt twice, in no useful order, and some for messages never sent. */
const bodies = () => {
  const all = [];
  for (let i = 0; i < MESSAGES; i += 1) for (const [name, second] of pathOf(i)) all.push(status(`wamid.batch-${i}`, name, second), status(`wamid.batch-${i}`, name, second));
  for (let i = 0; i < UNKNOWN; i += 1) all.push(status(`wamid.never-sent-${i}`, 'delivered', 2));
  let seed = 7;
  for (let i = all.length - 1; i > 0; i -= 1) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [all[i], all[j]] = [all[j], all[i]];
  }
  const out = [];
  for (let i = 0; i < all.length; i += 25) {
    const body = fixture('meta/status-delivered.json');
    body.entry[0].changes[0].value.statuses = all.slice(i, i + 25);
    out.push(JSON.stringify(body));
  }
  return out;
};

beforeAll(async () => {
  app = await startStrapi();
  const admin = as(app.server, await login(app.server));
  number = (await admin.post('/whatsapp/numbers').send(NUMBER)).body.data;
  const conversation = await q('conversation').create({ data: { numberId: number.id, customerWaId: '15550002222', customerPhone: '+15550002222', state: 'open' } });
  await q('message').createMany({
    data: Array.from({ length: MESSAGES }, (_, i) => ({ numberId: number.id, conversationId: conversation.id, direction: 'out', type: 'text', text: `m${i}`, status: 'enqueued', source: 'inbox', providerMessageId: `wamid.batch-${i}` })),
  });
});
afterAll(async () => {
  await app?.stop();
});

test('receipts for many messages, out of order, twice and some unknown, land each message on its highest state once', async () => {
  const inbound = app.strapi.plugin('whatsapp').service('inbound');
  const moves: { messageId: number; status: string }[] = [];
  const unsubscribe = app.strapi.plugin('whatsapp').service('realtime').subscribe((e: any) => {
    if (e.type === 'message.status') moves.push({ messageId: e.messageId, status: e.status });
  });
  await inbound.stop();
  const answers = [];
  for (const raw of bodies()) answers.push(await postMeta(app.server, number.webhookUrl, raw, SECRET));
  expect(answers.every((a) => a.status === 200)).toBe(true);
  inbound.start();
  await inbound.idle();

  const rows = await q('message').findMany({ where: { numberId: number.id, direction: 'out' }, orderBy: { id: 'asc' } });
  for (const message of rows) {
    const i = Number(message.providerMessageId.split('-').pop());
    const target = TARGETS[i % TARGETS.length];
    expect({ i, status: message.status }).toEqual({ i, status: target });
    expect(new Date(message.sentAt).getTime()).toBe((T0 + 1) * 1000);
    if (target === 'delivered' || target === 'read') expect(new Date(message.deliveredAt).getTime()).toBe((T0 + 2) * 1000);
    if (target === 'read') expect(new Date(message.readAt).getTime()).toBe((T0 + 3) * 1000);
    if (target === 'failed') expect(message).toMatchObject({ errorClass: 'window-closed', errorCode: '131047' });
    // Live status events only ever move forward, each state once, ending on the highest.
    const seen = moves.filter((m) => m.messageId === message.id).map((m) => m.status);
    expect(seen.at(-1)).toBe(target);
    expect(seen.map((s) => RANK.indexOf(s))).toEqual([...new Set(seen.map((s) => RANK.indexOf(s)))].sort((a, b) => a - b));
  }

  const ids = answers.map((a) => a.body.eventId);
  const applied = await q('applied-event').findMany({ where: { webhookEventId: { $in: ids } } });
  const distinct = Array.from({ length: MESSAGES }, (_, i) => pathOf(i).length).reduce((a, b) => a + b, 0);
  expect(applied.filter((a: any) => a.outcome === 'status')).toHaveLength(distinct);
  expect(applied.filter((a: any) => a.outcome === 'unmatched')).toHaveLength(UNKNOWN);
  expect(new Set(applied.map((a: any) => a.key)).size).toBe(applied.length);
  expect((await q('webhook-event').findMany({ where: { id: { $in: ids } } })).map((r: any) => r.state)).toEqual(ids.map(() => 'done'));

  // Delivered again: nothing moves, nothing is stored twice.
  const before = moves.length;
  for (const raw of bodies()) expect((await postMeta(app.server, number.webhookUrl, raw, SECRET)).status).toBe(200);
  await settle(app.strapi);
  unsubscribe();
  expect(moves).toHaveLength(before);
  expect(await q('applied-event').count({ where: { key: { $startsWith: `meta:${number.id}:status:` } } })).toBe(distinct + UNKNOWN);
  expect((await q('message').findMany({ where: { numberId: number.id, direction: 'out' }, orderBy: { id: 'asc' } })).map((m: any) => m.status)).toEqual(rows.map((m: any) => m.status));
});

test('a receipt that arrives while its send is still being recorded is counted when the send is recorded, four tries later', async () => {
  const conversation = await q('conversation').findOne({ where: { numberId: number.id } });
  // A send in flight: the provider accepted it and its receipt comes back before our record of the id.
  const sending = await q('message').create({ data: { numberId: number.id, conversationId: conversation.id, direction: 'out', type: 'text', text: 'late', status: 'sending', source: 'inbox' } });
  const body = fixture('meta/status-delivered.json');
  body.entry[0].changes[0].value.statuses = [status('wamid.recorded-late', 'delivered', 2)];
  const answer = await postMeta(app.server, number.webhookUrl, JSON.stringify(body), SECRET);
  expect(answer.status).toBe(200);
  const row = () => q('webhook-event').findOne({ where: { id: answer.body.eventId } });
  await settle(app.strapi);
  for (let attempt = 1; attempt <= 4; attempt += 1) {
    expect(await row()).toMatchObject({ state: 'pending', attempts: attempt, lastError: expect.stringContaining('no message wamid.recorded-late yet') });
    if (attempt < 4) await settleWithRetries(app.strapi);
  }
  // The send is recorded; the next try finds it.
  await q('message').update({ where: { id: sending.id }, data: { status: 'sent', providerMessageId: 'wamid.recorded-late', sentAt: new Date() } });
  await settleWithRetries(app.strapi);
  expect(await row()).toMatchObject({ state: 'done', attempts: 5 });
  expect(await q('message').findOne({ where: { id: sending.id } })).toMatchObject({ status: 'delivered' });
  expect(await q('applied-event').findMany({ where: { webhookEventId: answer.body.eventId } })).toEqual([expect.objectContaining({ outcome: 'status' })]);
});
