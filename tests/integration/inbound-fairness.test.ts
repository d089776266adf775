/**
 * One number's backlog takes its turn and lets another number's messages through, and a turn
 * spent does not stop the worker: the rest of the backlog is applied without waiting for a sweep.
 */
import { startStrapi, type TestApp } from '../helpers/strapi';
import { as, login } from '../helpers/admin';
import { fixture } from '../helpers/fixtures';
import { postMeta } from '../helpers/webhooks';
import { NUMBER_EVENTS_PER_PASS } from '../../server/inbound/plan';

const A = { label: 'Busy', provider: 'meta', phone: '+15550002001', phoneNumberId: '200000000000001', wabaId: '300000000000001', accessToken: 'token-busy-0000000000', appSecret: 'fair-secret-a', verifyToken: 'verify-a' };
const B = { label: 'Quiet', provider: 'meta', phone: '+15550002002', phoneNumberId: '200000000000002', wabaId: '300000000000002', accessToken: 'token-quiet-000000000', appSecret: 'fair-secret-b', verifyToken: 'verify-b' };
const BACKLOG = NUMBER_EVENTS_PER_PASS * 2 + 50;
const SENDERS = 30;

let app: TestApp;
const numbers: Record<'a' | 'b', any> = {} as any;

const textTo = (phoneNumberId: string, from: string, id: string, text: string) => {
  const body = fixture('meta/inbound-text.json');
  const value = body.entry[0].changes[0].value;
  value.metadata = { ...value.metadata, phone_number_id: phoneNumberId };
  value.contacts = [{ profile: { name: `Customer ${from}` }, wa_id: from }];
  value.messages[0] = { ...value.messages[0], from, id, text: { body: text } };
  delete value.messages[0].from_user_id;
  return JSON.stringify(body);
};

beforeAll(async () => {
  app = await startStrapi();
  const admin = as(app.server, await login(app.server));
  numbers.a = (await admin.post('/whatsapp/numbers').send(A)).body.data;
  numbers.b = (await admin.post('/whatsapp/numbers').send(B)).body.data;
});
afterAll(async () => {
  await app?.stop();
});

test("a number's backlog gives way to another number's message, keeps each customer's order and is applied whole", async () => {
  const inbound = app.strapi.plugin('whatsapp').service('inbound');
  await inbound.stop();
  for (let i = 0; i < BACKLOG; i += 1) {
    const from = `1555080${String(1000 + (i % SENDERS))}`;
    const res = await postMeta(app.server, numbers.a.webhookUrl, textTo(A.phoneNumberId, from, `wamid.fair-a-${i}`, `backlog ${i}`), A.appSecret);
    expect(res.status).toBe(200);
  }
  const late = await postMeta(app.server, numbers.b.webhookUrl, textTo(B.phoneNumberId, '15550809999', 'wamid.fair-b-0', 'after the backlog'), B.appSecret);
  expect(late.status).toBe(200);

  inbound.start();
  const messages = () => app.strapi.db.query('plugin::whatsapp.message').findMany({ where: { direction: 'in' }, select: ['id', 'numberId', 'providerMessageId', 'conversationId'], orderBy: { id: 'asc' } });
  // Waits until every stored call is applied; `idle` resolves once the worker has nothing due.
  await inbound.idle();
  const applied = await messages();
  expect(applied).toHaveLength(BACKLOG + 1);
  expect(await app.strapi.db.query('plugin::whatsapp.webhook-event').count({ where: { state: { $ne: 'done' } } })).toBe(0);

  // Number B's message, stored last, went in after at most one turn of number A's backlog.
  const quiet = applied.find((m: any) => m.numberId === numbers.b.id)!;
  const busyBefore = applied.filter((m: any) => m.numberId === numbers.a.id && m.id < quiet.id).length;
  expect(busyBefore).toBeLessThanOrEqual(NUMBER_EVENTS_PER_PASS);

  // Each customer's messages were applied in the order they came.
  const seq = (m: any) => Number(String(m.providerMessageId).replace('wamid.fair-a-', ''));
  const byConversation = new Map<number, number[]>();
  for (const m of applied.filter((x: any) => x.numberId === numbers.a.id)) byConversation.set(m.conversationId, [...(byConversation.get(m.conversationId) ?? []), seq(m)]);
  expect(byConversation.size).toBe(SENDERS);
  for (const order of byConversation.values()) expect(order).toEqual([...order].sort((x, y) => x - y));
});
