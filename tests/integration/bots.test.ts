/** Bots against the simulator: the API and its limits, the preview, and the runtime through the outbox. */
import type { RunningSimulator } from '../../simulator';
import { connectMetaNumber, startWithSimulator, settleWorkers, pollFor as pollWith } from '../helpers/simulated-app';
import type { TestApp } from '../helpers/strapi';
import { as } from '../helpers/admin';
import { postMeta } from '../helpers/webhooks';

let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;
let number: any;

const PNID = '109876543210919';
const WABA = '102030405060919';
const SECRET = 'bots-app-secret';
const CUSTOMERS = ['15550007001', '15550007002', '15550007003', '15550007004', '15550007005', '15550007006'];

const settle = () => settleWorkers({ app, sim }, ['inbound', 'outbox', 'bots']);

let seq = 0;
/** A customer's text (or a tap on a reply button) as Meta delivers it, signed. */
const customerWrites = async (waId: string, text: string, replyId?: string) => {
  const message = replyId
    ? { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: replyId, title: text } } }
    : { type: 'text', text: { body: text } };
  const body = {
    object: 'whatsapp_business_account',
    entry: [{ id: WABA, changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550001919', phone_number_id: PNID }, contacts: [{ profile: { name: `C ${waId}` }, wa_id: waId }], messages: [{ from: waId, id: `wamid.bots-${process.pid}-${(seq += 1)}`, timestamp: String(Math.floor(Date.now() / 1000)), ...message }] } }] }],
  };
  const res = await postMeta(app.server, number.webhookUrl, JSON.stringify(body), SECRET);
  expect(res.status).toBe(200);
  await settle();
};

const conversationOf = async (waId: string) => (await admin.get('/whatsapp/conversations').query({ q: waId })).body.data[0];
const thread = async (waId: string) => ((await admin.get(`/whatsapp/conversations/${(await conversationOf(waId)).id}/messages`)).body.data as any[]).slice().reverse();
const botReplies = async (waId: string) => (await thread(waId)).filter((m) => m.source === 'bot');
const pollFor = <T>(read: () => Promise<T>, ok: (v: T) => boolean) => pollWith(settle, read, ok);
const createBot = async (body: object) => {
  const res = await admin.post('/whatsapp/bots').send({ numberId: number.id, limits: { debounceMs: 0 }, ...body });
  expect(res.status).toBe(201);
  return res.body.data;
};
const clearBots = async () => {
  for (const b of (await admin.get('/whatsapp/bots')).body.data) await admin.del(`/whatsapp/bots/${b.id}`);
};

beforeAll(async () => {
  const started = await startWithSimulator();
  ({ sim, app, admin } = started);
  number = await connectMetaNumber(started, { label: 'Bots', phone: '+15550001919', phoneNumberId: PNID, wabaId: WABA, accessToken: 'bots-token-0001', appSecret: SECRET });
  for (const phone of CUSTOMERS) {
    await sim.client.setCustomer({ phone, reachable: true });
    await sim.client.setWindow(PNID, phone, true);
  }
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});
afterEach(clearBots);

describe('the bots API', () => {
  test('saving checks the limits and names the field; order by drag; the per-number switch', async () => {
    const tooMany = await admin.post('/whatsapp/bots').send({ name: 'B', numberId: number.id, trigger: { type: 'exact', keywords: ['x'] }, response: { type: 'buttons', text: 'Pick', buttons: [1, 2, 3, 4].map((i) => ({ id: `b${i}`, title: `T${i}` })) } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details.errors[0].path).toEqual(['response', 'buttons']);
    const longList = await admin.post('/whatsapp/bots').send({ name: 'L', numberId: number.id, trigger: { type: 'contains', keywords: ['x'] }, response: { type: 'list', text: 'Pick', buttonText: 'Open', sections: [{ rows: Array.from({ length: 11 }, (_, i) => ({ id: `r${i}`, title: `Row ${i}` })) }] } });
    expect(longList.status).toBe(400);
    const noNumber = await admin.post('/whatsapp/bots').send({ name: 'N', numberId: 999999, trigger: { type: 'fallback' }, response: { type: 'text', text: 'x' } });
    expect(noNumber.body.error.details.errors[0].path).toEqual(['numberId']);

    const a = await createBot({ name: 'A', trigger: { type: 'contains', keywords: ['a'] }, response: { type: 'text', text: 'A' } });
    const b = await createBot({ name: 'B', trigger: { type: 'contains', keywords: ['a'] }, response: { type: 'text', text: 'B' } });
    const ordered = await admin.put('/whatsapp/bots/order').send({ numberId: number.id, ids: [b.id, a.id] });
    expect(ordered.body.data.map((x: any) => [x.name, x.priority])).toEqual([['B', 0], ['A', 1]]);
    const list = await admin.get('/whatsapp/bots').query({ numberId: number.id });
    expect(list.body.meta.precedence[0]).toBe('opt-out');

    expect((await admin.get(`/whatsapp/bots/numbers/${number.id}`)).body.data).toEqual({ numberId: number.id, enabled: false, businessHours: null, holidays: [] });
    const bad = await admin.put(`/whatsapp/bots/numbers/${number.id}`).send({ holidays: ['Christmas'] });
    expect(bad.body.error.details.errors[0].path).toEqual(['holidays', '0']);
    expect((await admin.put(`/whatsapp/bots/numbers/${number.id}`).send({ enabled: true })).body.data.enabled).toBe(true);
  });

  test('POST /whatsapp/bots/test says which bot fired and why, and that an opt-out keyword fires none', async () => {
    await createBot({ name: 'Prices', trigger: { type: 'keywords', keywords: ['price'], synonyms: { price: ['how much'] } }, response: { type: 'text', text: 'From 10 EUR' } });
    await createBot({ name: 'Catch-all', trigger: { type: 'fallback' }, response: { type: 'text', text: 'Sorry?' } });
    const res = await admin.post('/whatsapp/bots/test').send({ numberId: number.id, text: 'How MUCH is it?' });
    expect(res.status).toBe(200);
    expect(res.body.data.fired).toMatchObject({ name: 'Prices', trigger: 'keywords', stage: 'synonyms', why: "'how much' is a synonym of keyword 'price'" });
    expect(res.body.data.outgoing).toEqual({ kind: 'text', text: 'From 10 EUR' });
    expect((await admin.post('/whatsapp/bots/test').send({ numberId: number.id, text: 'hello' })).body.data.fired.name).toBe('Catch-all');
    const stop = (await admin.post('/whatsapp/bots/test').send({ numberId: number.id, text: 'STOP' })).body.data;
    expect(stop).toMatchObject({ fired: null, stopped: { stage: 'opt-out', why: 'opt-out keyword' } });
    expect((await admin.post('/whatsapp/bots/test').send({ numberId: number.id })).body.error.details.errors[0].path).toEqual(['text']);
  });
});

describe('bots at runtime', () => {
  beforeAll(async () => {
    await admin.put(`/whatsapp/bots/numbers/${number.id}`).send({ enabled: true });
  });

  test('a keyword bot answers with buttons, marked as the bot in the thread, and never answers itself', async () => {
    await createBot({ name: 'Hello bot', trigger: { type: 'contains', keywords: ['hello'] }, response: { type: 'buttons', text: 'hello! how can we help', buttons: [{ id: 'sales', title: 'Sales' }, { id: 'support', title: 'Support' }] } });
    await customerWrites(CUSTOMERS[0], 'Hello there');
    const replies = await pollFor(() => botReplies(CUSTOMERS[0]), (r) => r.length > 0 && r[0].status !== 'queued');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ type: 'interactive', bot: { name: 'Hello bot', trigger: 'contains' }, interactive: { type: 'button' } });
    // Its own message says "hello" too; receipts came back: still one answer for one customer message.
    await settle();
    expect(await botReplies(CUSTOMERS[0])).toHaveLength(1);
    expect(((await sim.client.outbound({ to: CUSTOMERS[0] })) as any[]).length).toBe(1);
  });

  test('a multi-level menu keeps its state across messages (a number, then a button id)', async () => {
    await createBot({ name: 'Menu', trigger: { type: 'exact', keywords: ['menu'] }, response: { type: 'menu', text: 'Main menu', items: [{ id: 'hours', title: 'Hours', reply: { type: 'text', text: 'We open at 9' } }, { id: 'help', title: 'Help', text: 'Help with?', items: [{ id: 'bill', title: 'Billing', reply: { type: 'text', text: 'Billing: pay online' } }, { id: 'ship', title: 'Shipping', reply: { type: 'text', text: 'Shipping: 2 days' } }] }] } });
    const c = CUSTOMERS[1];
    await customerWrites(c, 'Menu');
    await customerWrites(c, '2');
    await customerWrites(c, 'Billing', 'bill');
    const texts = (await pollFor(() => botReplies(c), (r) => r.length >= 3)).map((m) => m.text);
    expect(texts).toEqual(['Main menu', 'Help with?', 'Billing: pay online']);
  });

  test('the hourly cap hands off: no more bot answers after N', async () => {
    await createBot({ name: 'Echo', trigger: { type: 'fallback' }, response: { type: 'text', text: 'noted' }, limits: { debounceMs: 0, maxPerHour: 2 } });
    const c = CUSTOMERS[2];
    for (const t of ['one', 'two', 'three', 'four']) await customerWrites(c, t);
    expect(await botReplies(c)).toHaveLength(2);
    const test = await admin.post('/whatsapp/bots/test').send({ numberId: number.id, text: 'five', conversationId: (await conversationOf(c)).id });
    expect(test.body.data.stopped).toMatchObject({ stage: 'stopped', why: 'the conversation waits for a person (handed off)' });
  });

  test('a staff message pauses bots, and a bot reply already queued is dropped as human-took-over', async () => {
    await createBot({ name: 'Slow', trigger: { type: 'fallback' }, response: { type: 'text', text: 'bot speaking' } });
    const c = CUSTOMERS[3];
    // The provider fails the bot's first call: its reply waits in the outbox for a retry.
    await sim.client.setFault(PNID, { flap5xx: 1 });
    await customerWrites(c, 'anyone?');
    const conversation = await conversationOf(c);
    expect((await admin.post(`/whatsapp/conversations/${conversation.id}/messages`).send({ type: 'text', text: 'Hi, Ana here' })).status).toBeLessThan(300);
    const dropped = await pollFor(() => botReplies(c), (r) => r.length === 1 && r[0].status === 'failed');
    expect(dropped[0]).toMatchObject({ status: 'failed', errorCode: 'human-took-over' });
    await customerWrites(c, 'thanks');
    expect(await botReplies(c)).toHaveLength(1);
    expect((await admin.post('/whatsapp/bots/test').send({ numberId: number.id, text: 'x', conversationId: conversation.id })).body.data.stopped.stage).toBe('stopped');
  });

  test('outside business hours: one answer per closed period', async () => {
    await admin.put(`/whatsapp/bots/numbers/${number.id}`).send({ businessHours: { timezone: 'UTC', days: { mon: { open: '00:00', close: '00:01' } } }, holidays: [new Date().toISOString().slice(0, 10)] });
    await createBot({ name: 'Closed', trigger: { type: 'outside-hours' }, response: { type: 'text', text: 'We are closed' } });
    const c = CUSTOMERS[4];
    await customerWrites(c, 'hi');
    await customerWrites(c, 'hello?');
    await customerWrites(c, 'anyone?');
    expect((await botReplies(c)).map((m) => m.text)).toEqual(['We are closed']);
    await admin.put(`/whatsapp/bots/numbers/${number.id}`).send({ businessHours: null, holidays: [] });
  });
});
