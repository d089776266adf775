/**
 * Bots against the simulator, the gaps of the first pass: no answer to ourselves at volume, the timed
 * and closed triggers, the side-effect responses, menus per number, the global out-of-hours reply
 * next to an outside-hours bot, and closing handing a conversation back to the bots.
 */
import { JOBS } from '../../server/cron';
import type { RunningSimulator } from '../../simulator';
import { connectMetaNumber, startWithSimulator, settleWorkers } from '../helpers/simulated-app';
import type { TestApp } from '../helpers/strapi';
import { as } from '../helpers/admin';
import { postMeta } from '../helpers/webhooks';

let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;
const numbers: Record<'a' | 'b', { row: any; pnid: string; waba: string; phone: string }> = {
  a: { row: null, pnid: '109876543210929', waba: '102030405060929', phone: '15550001929' },
  b: { row: null, pnid: '109876543210939', waba: '102030405060939', phone: '15550001939' },
};
const SECRET = 'bots-more-secret';
const customer = (n: number) => `1555000${String(8000 + n)}`;

const settle = () => settleWorkers({ app, sim }, ['inbound', 'outbox', 'bots']);

let seq = 0;
type Msg = { text: string; replyId?: string };
/** A Meta webhook for number `on`: `value` is one change's value (messages, statuses or echoes). */
const post = async (on: 'a' | 'b', field: string, value: object) => {
  const n = numbers[on];
  const body = { object: 'whatsapp_business_account', entry: [{ id: n.waba, changes: [{ field, value: { messaging_product: 'whatsapp', metadata: { display_phone_number: n.phone, phone_number_id: n.pnid }, ...value } }] }] };
  const res = await postMeta(app.server, n.row.webhookUrl, JSON.stringify(body), SECRET);
  expect(res.status).toBe(200);
};
/** One burst: the customer's messages in one webhook, as Meta batches them. */
const customerWrites = async (waId: string, burst: Msg[] | string, on: 'a' | 'b' = 'a', wait = true) => {
  const list = typeof burst === 'string' ? [{ text: burst }] : burst;
  const messages = list.map(({ text, replyId }) => ({
    from: waId,
    id: `wamid.more-${process.pid}-${(seq += 1)}`,
    timestamp: String(Math.floor(Date.now() / 1000)),
    ...(replyId ? { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: replyId, title: text } } } : { type: 'text', text: { body: text } }),
  }));
  await post(on, 'messages', { contacts: [{ profile: { name: `C ${waId}` }, wa_id: waId }], messages });
  if (wait) await settle();
};

const conversationOf = async (waId: string, on: 'a' | 'b' = 'a') => (await admin.get('/whatsapp/conversations').query({ q: waId, numberId: numbers[on].row.id })).body.data.find((c: any) => c.numberId === numbers[on].row.id);
const thread = async (waId: string, on: 'a' | 'b' = 'a') => ((await admin.get(`/whatsapp/conversations/${(await conversationOf(waId, on)).id}/messages`)).body.data as any[]).slice().reverse();
const botReplies = async (waId: string, on: 'a' | 'b' = 'a') => (await thread(waId, on)).filter((m) => m.source === 'bot');
/** What reached the provider for this customer from number `on`: the simulator's arrival log. */
const arrived = async (waId: string, on: 'a' | 'b' = 'a') => sim.client.outbound({ to: waId, business: numbers[on].pnid });
const pollFor = async <T>(read: () => Promise<T>, ok: (v: T) => boolean, tick?: () => Promise<unknown>) => {
  for (let i = 0; i < 150; i += 1) {
    const v = await read();
    if (ok(v)) return v;
    await tick?.();
    await settle();
    await new Promise((r) => setTimeout(r, 100));
  }
  return read();
};
const createBot = async (body: object, on: 'a' | 'b' = 'a') => {
  const res = await admin.post('/whatsapp/bots').send({ numberId: numbers[on].row.id, limits: { debounceMs: 0 }, ...body });
  expect(res.status).toBe(201);
  return res.body.data;
};
const clearBots = async () => {
  for (const b of (await admin.get('/whatsapp/bots')).body.data) await admin.del(`/whatsapp/bots/${b.id}`);
};
/** The cron job itself, as the scheduler runs it. */
const cronTick = () => JOBS.find((job) => job.name === 'bots-timed')!.run(app.strapi);
const open = async (phones: string[], on: 'a' | 'b' = 'a') => {
  for (const phone of phones) {
    await sim.client.setCustomer({ phone, reachable: true });
    await sim.client.setWindow(numbers[on].pnid, phone, true);
  }
};

beforeAll(async () => {
  const started = await startWithSimulator();
  ({ sim, app, admin } = started);
  for (const [key, n] of Object.entries(numbers)) {
    n.row = await connectMetaNumber(started, { label: `More ${key}`, phone: `+${n.phone}`, phoneNumberId: n.pnid, wabaId: n.waba, accessToken: `more-token-${key}-0001`, appSecret: SECRET });
    expect((await admin.put(`/whatsapp/bots/numbers/${n.row.id}`).send({ enabled: true })).status).toBe(200);
  }
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});
afterEach(clearBots);

describe('a bot never answers itself', () => {
  test('1,000 customer messages in debounced bursts, with the receipts and echoes of its replies: one reply per burst, none to ourselves', async () => {
    // It answers everything, and its own text would match its keyword too.
    await createBot({ name: 'Everything', trigger: { type: 'fallback' }, response: { type: 'text', text: 'hello, we read you' }, limits: { debounceMs: 50, maxPerHour: 100 } });
    const phones = Array.from({ length: 25 }, (_, i) => customer(i));
    await open(phones);
    const BURST = 20;
    for (let round = 0; round < 2; round += 1) {
      // All customers at once, as a busy number sees them; each burst is one webhook.
      await Promise.all(phones.map((phone) => customerWrites(phone, Array.from({ length: BURST }, (_, i) => ({ text: `hello ${round}-${i}` })), 'a', false)));
      await settle();
      await pollFor(async () => (await sim.client.outbound({})).length, (n) => n >= phones.length * (round + 1));
      // Our replies come back as echoes (the business app's copy), and as a replay of the receipts: none is a customer's message.
      const ours = ((await sim.client.outbound({})) as any[]).filter((m) => phones.includes(m.to));
      await Promise.all(
        ours.map(async (m) => {
          await post('a', 'smb_message_echoes', { message_echoes: [{ from: numbers.a.phone, to: m.to, id: m.id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'hello, we read you' } }] });
          await post('a', 'messages', { statuses: [{ id: m.id, status: 'read', timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: m.to }] });
        })
      );
      await settle();
    }
    const out = ((await sim.client.outbound({})) as any[]).filter((m) => phones.includes(m.to));
    expect(out).toHaveLength(phones.length * 2);
    for (const phone of phones) expect(out.filter((m) => m.to === phone)).toHaveLength(2);
    // Every customer message is stored; the bot's replies are the only messages we sent.
    const sample = await thread(phones[0]);
    expect(sample.filter((m) => m.direction === 'in')).toHaveLength(BURST * 2);
    expect(sample.filter((m) => m.direction === 'out').map((m) => m.source)).toEqual(['bot', 'bot']);
  }, 240_000);
});

describe('timed and closed triggers', () => {
  const phone = customer(100);
  const phone2 = customer(101);
  const phone3 = customer(102);
  beforeAll(() => open([phone, phone2, phone3]));

  /** Polls until the conversation's last message is older than `minutes`: the next tick could fire again. */
  const eligibleAgain = async (waId: string, minutes: number) =>
    pollFor(
      async () => new Date((await conversationOf(waId)).lastMessageAt).getTime(),
      (at) => Date.now() - at > minutes * 60_000 + 200,
    );

  test('idle nudges once after our last word, and not again on the next tick', async () => {
    await createBot({ name: 'Greeter', trigger: { type: 'contains', keywords: ['hi'] }, response: { type: 'text', text: 'Hi! What do you need?' } });
    await createBot({ name: 'Nudge', trigger: { type: 'idle', minutes: 0.05 }, response: { type: 'text', text: 'Still there?' } });
    await customerWrites(phone, 'hi');
    const nudged = await pollFor(() => botReplies(phone), (r) => r.length >= 2, cronTick);
    expect(nudged.map((m) => m.text)).toEqual(['Hi! What do you need?', 'Still there?']);
    await eligibleAgain(phone, 0.05);
    await cronTick();
    await cronTick();
    await settle();
    expect((await botReplies(phone)).map((m) => m.text)).toEqual(['Hi! What do you need?', 'Still there?']);
    expect(await arrived(phone)).toHaveLength(2);
  }, 60_000);

  test('no-staff-reply answers a customer nobody answered, once, even when its answer sends nothing', async () => {
    await createBot({ name: 'Waiting', trigger: { type: 'no-staff-reply', minutes: 0.05 }, response: { type: 'ticket', subject: 'Nobody answered' } });
    await customerWrites(phone2, 'is anyone there');
    const ticketed = await pollFor(() => conversationOf(phone2), (c) => Boolean(c.ticket), cronTick);
    expect(ticketed.ticket.uid).toBe('api::ticket.ticket');
    // The customer's message stays the last word: the next ticks must not act on it again.
    await app.strapi.documents('api::ticket.ticket').delete({ documentId: ticketed.ticket.documentId });
    await app.strapi.db.query('plugin::whatsapp.conversation' as any).update({ where: { id: ticketed.id }, data: { ticketUid: null, ticketDocumentId: null } });
    await cronTick();
    await cronTick();
    expect((await conversationOf(phone2)).ticket).toBeNull();
    expect(await app.strapi.documents('api::ticket.ticket').count({ filters: { whatsappConversationId: ticketed.id } as any })).toBe(0);
  }, 60_000);

  test('closing asks the closed bot once (a rating request)', async () => {
    await createBot({ name: 'Rate us', trigger: { type: 'closed' }, response: { type: 'buttons', text: 'How did we do?', buttons: [{ id: 'good', title: 'Good' }, { id: 'bad', title: 'Bad' }] } });
    await customerWrites(phone3, 'thanks, bye');
    const c = await conversationOf(phone3);
    expect((await admin.post(`/whatsapp/conversations/${c.id}/close`).send({})).status).toBe(200);
    expect((await admin.post(`/whatsapp/conversations/${c.id}/close`).send({})).status).toBe(200);
    await settle();
    const asked = await pollFor(() => arrived(phone3), (r) => r.length > 0);
    expect(asked).toHaveLength(1);
    expect(JSON.stringify(asked[0])).toContain('How did we do?');
    expect((await botReplies(phone3)).map((m) => m.bot?.trigger)).toEqual(['closed']);
  });
});

describe('responses with side effects', () => {
  const [tPhone, aPhone, fPhone, mPhone] = [customer(200), customer(201), customer(202), customer(203)];
  beforeAll(() => open([tPhone, aPhone, fPhone, mPhone]));

  test('ticket: written through the Document Service by the plugin itself, no made-up user', async () => {
    await createBot({ name: 'Ticketer', trigger: { type: 'contains', keywords: ['broken'] }, response: { type: 'ticket', subject: 'Broken item', text: 'We opened a ticket for you' } });
    await customerWrites(tPhone, 'my order arrived broken');
    const c = await pollFor(() => conversationOf(tPhone), (x) => Boolean(x.ticket));
    const ticket = await app.strapi.db.query('api::ticket.ticket' as any).findOne({ where: { documentId: c.ticket.documentId }, populate: ['createdBy', 'updatedBy'] });
    expect(ticket).toMatchObject({ subject: 'Broken item', status: 'open', whatsappConversationId: c.id, createdBy: null, updatedBy: null });
    expect((await botReplies(tPhone)).map((m) => m.text)).toEqual(['We opened a ticket for you']);
  });

  test('assign: to the admin configured, the conversation waits for that person', async () => {
    const me = (await admin.get('/admin/users/me')).body.data;
    const nobody = await admin.post('/whatsapp/bots').send({ name: 'To nobody', numberId: numbers.a.row.id, trigger: { type: 'fallback' }, response: { type: 'assign', userId: 999_999 } });
    expect(nobody.status).toBe(400);
    expect(nobody.body.error.details.errors[0].path).toEqual(['response', 'userId']);
    await createBot({ name: 'To Ana', trigger: { type: 'contains', keywords: ['human'] }, response: { type: 'assign', userId: me.id, text: 'Passing you to a colleague' } });
    await createBot({ name: 'Catch', trigger: { type: 'fallback' }, response: { type: 'text', text: 'catch-all' } });
    await customerWrites(aPhone, 'a human please');
    const c = await pollFor(() => conversationOf(aPhone), (x) => x.assigneeId === me.id);
    expect(c.assigneeId).toBe(me.id);
    await customerWrites(aPhone, 'hello?');
    expect((await botReplies(aPhone)).map((m) => m.text)).toEqual(['Passing you to a colleague']);
  });

  test('set-field: only a public plain field of a matched CRM type, checked on save; the record changes through the Document Service', async () => {
    for (const [field, value] of [['password', 'x'], ['createdBy', 1], ['nope', 'x'], ['whatsappOptOut', 'yes'], ['status', 'not-a-status']] as const) {
      const res = await admin.post('/whatsapp/bots').send({ name: 'Bad field', numberId: numbers.a.row.id, trigger: { type: 'fallback' }, response: { type: 'set-field', field, value } });
      expect(res.status).toBe(400);
      expect(res.body.error.details.errors[0].path).toEqual(['response', 'field']);
    }
    const menuBad = await admin.post('/whatsapp/bots').send({ name: 'Bad menu', numberId: numbers.a.row.id, trigger: { type: 'exact', keywords: ['m'] }, response: { type: 'menu', text: 'Pick', items: [{ id: 'x', title: 'X', reply: { type: 'set-field', field: 'nope', value: 1 } }] } });
    expect(menuBad.body.error.details.errors[0].path).toEqual(['response', 'items', '0', 'reply', 'field']);

    const contact = await app.strapi.documents('api::contact.contact').create({ data: { name: 'Fiona Field', phone: `+${fPhone}` } as any, status: 'published' });
    await createBot({ name: 'Tagger', trigger: { type: 'contains', keywords: ['wholesale'] }, response: { type: 'set-field', field: 'company', value: 'Wholesale enquiry', text: 'Noted' } });
    await customerWrites(fPhone, 'do you do wholesale');
    const updated = await pollFor(() => app.strapi.documents('api::contact.contact').findOne({ documentId: contact.documentId }), (d: any) => d?.company === 'Wholesale enquiry');
    expect((updated as any).company).toBe('Wholesale enquiry');
  });

  test('template and media: sent as they are configured', async () => {
    await sim.client.createTemplate({ wabaId: numbers.a.waba, name: 'bot_welcome', language: 'en_US', category: 'UTILITY', status: 'APPROVED', components: [{ type: 'BODY', text: 'Welcome to our shop' }] as any });
    expect((await admin.post('/whatsapp/templates/sync').send({ numberId: numbers.a.row.id })).status).toBeLessThan(300);
    await createBot({ name: 'Welcome', trigger: { type: 'exact', keywords: ['welcome'] }, response: { type: 'template', template: { name: 'bot_welcome', language: 'en_US' } } });
    await createBot({ name: 'Menu card', trigger: { type: 'exact', keywords: ['card'] }, response: { type: 'media', mediaType: 'image', link: 'https://cdn.example.com/menu.png', caption: 'Our menu' } });
    await customerWrites(mPhone, 'welcome');
    await customerWrites(mPhone, 'card');
    const sent = await pollFor(() => arrived(mPhone), (r) => r.length >= 2);
    expect(sent).toHaveLength(2);
    expect(sent[0].template).toMatchObject({ name: 'bot_welcome', language: 'en_US' });
    expect(sent[1]).toMatchObject({ type: 'image', caption: 'Our menu', media: { url: 'https://cdn.example.com/menu.png' } });
    expect((await botReplies(mPhone)).map((m) => m.type)).toEqual(['template', 'image']);
  });
});

describe('menus are per number', () => {
  test('the same phone on two numbers keeps two menu states', async () => {
    const phone = customer(300);
    await open([phone], 'a');
    await open([phone], 'b');
    const menu = (tag: string) => ({ type: 'menu', text: `Menu ${tag}`, items: [{ id: 'one', title: 'One', reply: { type: 'text', text: `${tag}: one` } }, { id: 'sub', title: 'More', text: `${tag} more`, items: [{ id: 'deep', title: 'Deep', reply: { type: 'text', text: `${tag}: deep` } }] }] });
    await createBot({ name: 'Menu A', trigger: { type: 'exact', keywords: ['menu'] }, response: menu('A') }, 'a');
    await createBot({ name: 'Menu B', trigger: { type: 'exact', keywords: ['menu'] }, response: menu('B') }, 'b');
    await customerWrites(phone, 'menu', 'a');
    await customerWrites(phone, 'menu', 'b');
    await customerWrites(phone, '2', 'a'); // A goes one level down...
    await customerWrites(phone, '1', 'b'); // ...while B is still at its root.
    await customerWrites(phone, '1', 'a');
    expect((await botReplies(phone, 'a')).map((m) => m.text)).toEqual(['Menu A', 'A more', 'A: deep']);
    expect((await botReplies(phone, 'b')).map((m) => m.text)).toEqual(['Menu B', 'B: one']);
  });
});

describe('the global out-of-hours reply and an outside-hours bot', () => {
  const GLOBAL = 'We are closed (global reply)';
  afterAll(async () => {
    await admin.put('/whatsapp/settings').send({ businessHours: null, outOfHoursReply: null });
  });

  test('a number with an active outside-hours bot answers once, with the bot; a number without one gets the global reply', async () => {
    const [pa, pb] = [customer(400), customer(401)];
    await open([pa], 'a');
    await open([pb], 'b');
    // Open one hour, three days from now: now is surely closed.
    const day = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'][(new Date(Date.now() + 3 * 86_400_000).getUTCDay() + 6) % 7];
    expect((await admin.put('/whatsapp/settings').send({ businessHours: { timezone: 'UTC', days: { [day]: { open: '09:00', close: '10:00' } } }, outOfHoursReply: GLOBAL })).status).toBe(200);
    await createBot({ name: 'Closed bot', trigger: { type: 'outside-hours' }, response: { type: 'text', text: 'The bot says: closed' } }, 'a');
    await customerWrites(pa, 'hello?', 'a');
    await customerWrites(pb, 'hello?', 'b');
    const b = await pollFor(() => arrived(pb, 'b'), (r) => r.length > 0);
    expect(b.map((m) => m.text)).toEqual([GLOBAL]);
    const a = await pollFor(() => arrived(pa, 'a'), (r) => r.length > 0);
    expect(a.map((m) => m.text)).toEqual(['The bot says: closed']);
    expect((await thread(pa, 'a')).filter((m) => m.direction === 'out').map((m) => m.source)).toEqual(['bot']);
  });
});

describe('closing hands the conversation back to the bots', () => {
  test('after the hourly cap hands off, bots keep quiet until the conversation is closed; then the next message is answered', async () => {
    const phone = customer(500);
    await open([phone]);
    await createBot({ name: 'Capped', trigger: { type: 'fallback' }, response: { type: 'text', text: 'bot here' }, limits: { debounceMs: 0, maxPerHour: 1 } });
    await customerWrites(phone, 'one');
    await customerWrites(phone, 'two'); // over the cap: handed off
    await customerWrites(phone, 'three');
    expect((await botReplies(phone)).map((m) => m.text)).toEqual(['bot here']);
    const c = await conversationOf(phone);
    expect((await admin.post('/whatsapp/bots/test').send({ numberId: numbers.a.row.id, text: 'x', conversationId: c.id })).body.data.stopped.why).toBe('the conversation waits for a person (handed off)');
    expect((await admin.post(`/whatsapp/conversations/${c.id}/close`).send({})).status).toBe(200);
    await customerWrites(phone, 'back again');
    const replies = await pollFor(() => botReplies(phone), (r) => r.length >= 2);
    expect(replies.map((m) => m.text)).toEqual(['bot here', 'bot here']);
  });
});
