/**
 * A receipt that arrives before its send is recorded and outwaits the worker's race window is kept
 * as unmatched; when the outbox records the send with that provider id, the receipt is applied after
 * all. The send goes through the real outbox to the simulator, which answers with the id the early
 * receipt named (its `nextMessageIds` knob) and sends no receipts of its own beyond `sent`.
 */
import { createSimulator, type RunningSimulator } from '../../simulator';
import { as, login } from '../helpers/admin';
import { fixture } from '../helpers/fixtures';
import { settleNotifications } from '../helpers/notifications';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { postMeta } from '../helpers/webhooks';

const PNID = '109876543210717';
const WABA = '102030405060717';
const SECRET = 'late-receipts-secret';
const CUSTOMER = '15550071701';
const EARLY_AT = Math.floor(Date.now() / 1000) - 5;

let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;
let number: any;
const q = (name: string) => app.strapi.db.query(`plugin::whatsapp.${name}` as any);

/** Meta's status webhook (a real payload's shape) for one message id. */
const receipt = (id: string, status: string) => {
  const body = fixture('meta/status-delivered.json');
  body.entry[0].changes[0].value.metadata = { display_phone_number: '15550071700', phone_number_id: PNID };
  body.entry[0].changes[0].value.statuses = [{ id, status, timestamp: String(EARLY_AT), recipient_id: CUSTOMER }];
  return JSON.stringify(body);
};

beforeAll(async () => {
  sim = await createSimulator();
  app = await startStrapi({ WHATSAPP_META_BASE_URL: sim.url });
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  admin = as(app.server, await login(app.server));
  number = (await admin.post('/whatsapp/numbers').send({ label: 'Late', provider: 'meta', phone: '+15550071700', phoneNumberId: PNID, wabaId: WABA, accessToken: 'late-token-0001', appSecret: SECRET, verifyToken: 'v' })).body.data;
  await sim.client.addMetaNumber({ phoneNumberId: PNID, wabaId: WABA, displayPhoneNumber: '15550071700', accessToken: 'late-token-0001', appSecret: SECRET, webhookUrl: number.webhookUrl.replace('https://crm.test.local', `http://127.0.0.1:${app.server.address().port}`) });
  await sim.client.createTemplate({ wabaId: WABA, name: 'hello_there', language: 'en_US', category: 'UTILITY', status: 'APPROVED', body: 'Hello {{1}}!' });
  await admin.post('/whatsapp/templates/sync').send({ numberId: number.id });
  await sim.client.setCustomer({ phone: CUSTOMER, reachable: true });
  // The simulator's own receipts stop at `sent`: only the early receipt can say delivered.
  await sim.client.setFault(PNID, { autoDeliver: false, autoRead: false });
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

test('a delivered receipt kept as unmatched is applied once the send with its id is recorded', async () => {
  // Nothing is being sent, so the worker keeps the receipt as unmatched at once.
  const early = await postMeta(app.server, number.webhookUrl, receipt('wamid.LATE-RECORDED-1', 'delivered'), SECRET);
  expect(early.status).toBe(200);
  await settleNotifications(app, sim);
  const row = () => q('webhook-event').findOne({ where: { id: early.body.eventId } });
  expect(await row()).toMatchObject({ state: 'done', lastError: expect.stringMatching(/^unmatched: 1 /) });
  expect(await q('applied-event').findMany({ where: { webhookEventId: early.body.eventId } })).toEqual([expect.objectContaining({ outcome: 'unmatched' })]);

  await sim.client.setFault(PNID, { nextMessageIds: ['wamid.LATE-RECORDED-1'] });
  const start = await admin.post('/whatsapp/conversations').send({ numberId: number.id, to: `+${CUSTOMER}`, template: { name: 'hello_there', language: 'en_US', params: { body: [{ type: 'text', text: 'Lena' }] } } });
  expect(start.status).toBe(201);
  await settleNotifications(app, sim);

  const message = await q('message').findOne({ where: { providerMessageId: 'wamid.LATE-RECORDED-1' } });
  expect(message).toMatchObject({ direction: 'out', status: 'delivered' });
  expect(new Date(message.deliveredAt).getTime()).toBe(EARLY_AT * 1000);
  expect(await q('applied-event').findMany({ where: { webhookEventId: early.body.eventId } })).toEqual([expect.objectContaining({ outcome: 'status' })]);
  expect(await row()).toMatchObject({ state: 'done', lastError: null });
  // Applied again, nothing was sent again.
  expect(await sim.client.outbound({ to: CUSTOMER })).toHaveLength(1);
});

test('a receipt about a message this number never sends stays unmatched, and its row is not applied again', async () => {
  const stray = await postMeta(app.server, number.webhookUrl, receipt('wamid.NEVER-OURS-1', 'read'), SECRET);
  expect(stray.status).toBe(200);
  await settleNotifications(app, sim);
  const start = await admin.post('/whatsapp/conversations').send({ numberId: number.id, to: `+${CUSTOMER}`, template: { name: 'hello_there', language: 'en_US', params: { body: [{ type: 'text', text: 'Again' }] } } });
  expect(start.status).toBe(201);
  await settleNotifications(app, sim);
  expect(await q('webhook-event').findOne({ where: { id: stray.body.eventId } })).toMatchObject({ state: 'done', attempts: 1, lastError: expect.stringMatching(/^unmatched: 1 /) });
  expect(await q('applied-event').findMany({ where: { webhookEventId: stray.body.eventId } })).toEqual([expect.objectContaining({ outcome: 'unmatched' })]);
});
