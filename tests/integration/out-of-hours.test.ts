/** Settings that do something: the out-of-hours auto-reply and the default number. */
import type { RunningSimulator } from '../../simulator';
import { WEEKDAYS } from '../../contracts/settings';
import { as, createStaff } from '../helpers/admin';
import { fixture } from '../helpers/fixtures';
import { connectMetaNumber, startWithSimulator, settleWorkers } from '../helpers/simulated-app';
import type { TestApp } from '../helpers/strapi';
import { postMeta } from '../helpers/webhooks';

let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;
let number: any;

const PNID = '109876543210777';
const WABA = '102030405060777';
const SECRET = 'ooh-app-secret';
const REPLY = 'We are closed right now; we answer from 9:00.';

/** Lets every queued send reach the simulator and every receipt come back. */
const settle = () => settleWorkers({ app, sim }, ['inbound', 'outbox']);

let seq = 0;
/** A customer's text as Meta delivers it, signed, written at `at`. */
const customerWrites = async (waId: string, text: string, at: Date) => {
  const body = fixture('meta/inbound-text.json');
  const value = body.entry[0].changes[0].value;
  body.entry[0].id = WABA;
  value.metadata = { display_phone_number: '15550001414', phone_number_id: PNID };
  value.contacts = [{ profile: { name: `Customer ${waId}` }, wa_id: waId }];
  value.messages = [{ from: waId, id: `wamid.ooh-${process.pid}-${(seq += 1)}`, timestamp: String(Math.floor(at.getTime() / 1000)), type: 'text', text: { body: text } }];
  const res = await postMeta(app.server, number.webhookUrl, JSON.stringify(body), SECRET);
  expect(res.status).toBe(200);
  await settle();
};

const autoRepliesTo = async (waId: string) => ((await sim.client.outbound({ to: waId })) as any[]).filter((m) => m.text === REPLY || JSON.stringify(m).includes(REPLY));
const weekday = (at: Date) => WEEKDAYS[(at.getUTCDay() + 6) % 7];
/** Open one hour on a day three days from `at`: `at` and the minutes after it are surely closed. */
const closedAt = (at: Date) => ({ timezone: 'UTC', days: { [weekday(new Date(at.getTime() + 3 * 86_400_000))]: { open: '09:00', close: '10:00' } } });

beforeAll(async () => {
  const started = await startWithSimulator();
  ({ sim, app, admin } = started);
  number = await connectMetaNumber(started, { label: 'Hours', phone: '+15550001414', phoneNumberId: PNID, wabaId: WABA, accessToken: 'ooh-token-0001', appSecret: SECRET });
  for (const phone of ['15550002222', '15550003333', '15550004444', '15550006666', '15550007777', '15550008888']) {
    await sim.client.setCustomer({ phone, reachable: true });
    await sim.client.setWindow(PNID, phone, true);
  }
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

describe('the out-of-hours auto-reply', () => {
  test('is off by default: a message outside business hours gets no answer', async () => {
    const now = new Date();
    expect((await admin.put('/whatsapp/settings').send({ businessHours: closedAt(now) })).body.data.outOfHoursReply).toBeNull();
    await customerWrites('15550004444', 'Anyone there?', now);
    expect(await autoRepliesTo('15550004444')).toHaveLength(0);
  });

  test('outside business hours: exactly one reply per closed period, sent through the outbox, the customer’s message still unread', async () => {
    const now = new Date();
    const saved = await admin.put('/whatsapp/settings').send({ businessHours: closedAt(now), outOfHoursReply: `  ${REPLY}  ` });
    expect(saved.status).toBe(200);
    expect(saved.body.data.outOfHoursReply).toBe(REPLY);

    await customerWrites('15550002222', 'Is my order on its way?', now);
    expect(await autoRepliesTo('15550002222')).toHaveLength(1);
    await customerWrites('15550002222', 'Hello?', new Date(now.getTime() + 60_000));
    expect(await autoRepliesTo('15550002222')).toHaveLength(1);

    const [conversation] = (await admin.get('/whatsapp/conversations').query({ q: '15550002222' })).body.data;
    expect(conversation.unread).toBe(2);
    const messages = (await admin.get(`/whatsapp/conversations/${conversation.id}/messages`)).body.data;
    expect(messages.filter((m: any) => m.direction === 'out').map((m: any) => ({ source: m.source, text: m.text }))).toEqual([{ source: 'auto-reply', text: REPLY }]);
  });

  test('inside business hours: no reply', async () => {
    let now = new Date();
    // The day's last minute is the one closed minute of 00:00–23:59; write a little earlier then.
    if (now.getUTCHours() === 23 && now.getUTCMinutes() >= 58) now = new Date(now.getTime() - 5 * 60_000);
    await admin.put('/whatsapp/settings').send({ businessHours: { timezone: 'UTC', days: { [weekday(now)]: { open: '00:00', close: '23:59' } } } });
    await customerWrites('15550003333', 'Quick question', now);
    expect(await autoRepliesTo('15550003333')).toHaveLength(0);
  });

  test('is judged by the number’s own hours and holidays where it has them, as its bots are', async () => {
    let now = new Date();
    if (now.getUTCHours() === 23 && now.getUTCMinutes() >= 58) now = new Date(now.getTime() - 5 * 60_000);
    const openAllDay = { timezone: 'UTC', days: { [weekday(now)]: { open: '00:00', close: '23:59' } } };
    const today = now.toISOString().slice(0, 10);
    // The global hours say open; today is the number's holiday: closed, one reply.
    await admin.put('/whatsapp/settings').send({ businessHours: openAllDay, outOfHoursReply: REPLY });
    expect((await admin.put(`/whatsapp/bots/numbers/${number.id}`).send({ holidays: [today] })).status).toBe(200);
    await customerWrites('15550007777', 'Are you open today?', now);
    await customerWrites('15550007777', 'Hello?', new Date(now.getTime() + 60_000));
    expect(await autoRepliesTo('15550007777')).toHaveLength(1);

    // The number's own hours (open now, no holiday) win over global hours that say closed.
    expect((await admin.put(`/whatsapp/bots/numbers/${number.id}`).send({ businessHours: openAllDay, holidays: [] })).status).toBe(200);
    await admin.put('/whatsapp/settings').send({ businessHours: closedAt(now) });
    await customerWrites('15550008888', 'Quick one', now);
    expect(await autoRepliesTo('15550008888')).toHaveLength(0);
    await admin.put(`/whatsapp/bots/numbers/${number.id}`).send({ businessHours: null, holidays: [] });
  });

  test('a customer who opted out gets no reply', async () => {
    await app.strapi.documents('api::lead.lead').create({ data: { name: 'Quiet Lead', phone: '+1 555 000 6666', whatsappOptOut: true } as any });
    const now = new Date();
    await admin.put('/whatsapp/settings').send({ businessHours: closedAt(now) });
    await customerWrites('15550006666', 'Just looking', now);
    expect(await autoRepliesTo('15550006666')).toHaveLength(0);
  });
});

describe('the default number', () => {
  const start = (body: object) => admin.post('/whatsapp/conversations').send({ to: '+15550002222', template: { name: 'ooh_follow_up', language: 'en_US' }, ...body });

  beforeAll(async () => {
    await sim.client.createTemplate({ wabaId: WABA, name: 'ooh_follow_up', language: 'en_US', category: 'UTILITY', status: 'APPROVED', body: 'Following up.' });
    await admin.post('/whatsapp/templates/sync').send({ numberId: number.id });
  });

  test('starting a conversation without a number, and no default set, is a 400 naming numberId', async () => {
    const res = await start({});
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors.map((e: any) => e.path.join('.'))).toEqual(['numberId']);
    expect((await admin.get('/whatsapp/settings/default-number')).body.data).toEqual({ numberId: null });
  });

  test('once set, the API uses it and the pages can read it (staff who send or edit rules, without settings.manage)', async () => {
    expect((await admin.put('/whatsapp/settings').send({ defaultNumberId: number.id })).status).toBe(200);
    const res = await start({});
    expect(res.status).toBe(201);
    expect(res.body.data.conversation.numberId).toBe(number.id);

    const { token: sender } = await createStaff(app.strapi, app.server, 'Sender', ['plugin::whatsapp.inbox.read', 'plugin::whatsapp.inbox.send']);
    expect((await as(app.server, sender).get('/whatsapp/settings/default-number')).body.data).toEqual({ numberId: number.id });
    const { token: ruler } = await createStaff(app.strapi, app.server, 'Ruler', ['plugin::whatsapp.notifications.read']);
    expect((await as(app.server, ruler).get('/whatsapp/settings/default-number')).body.data).toEqual({ numberId: number.id });
    const { token: reader } = await createStaff(app.strapi, app.server, 'Reader', ['plugin::whatsapp.inbox.read']);
    expect((await as(app.server, reader).get('/whatsapp/settings/default-number')).status).toBe(403);
  });

  test('a default number switched off is no default', async () => {
    await admin.put(`/whatsapp/numbers/${number.id}`).send({ active: false });
    expect((await admin.get('/whatsapp/settings/default-number')).body.data).toEqual({ numberId: null });
    await admin.put(`/whatsapp/numbers/${number.id}`).send({ active: true });
  });
});
