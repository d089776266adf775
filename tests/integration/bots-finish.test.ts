/**
 * Bots, the last pieces (README: Bots, Consent and opt-out): location and contact-card answers as
 * real messages on Meta and Gupshup, assign refusing a team and falling back to the queue when its
 * person is gone, per-number holidays for the hours triggers, custom consent keywords saved through
 * the settings, and our own number as a sender never answered (Meta and Gupshup).
 */
import type { RunningSimulator } from '../../simulator';
import { as, createStaff } from '../helpers/admin';
import { connectMetaNumber, startWithSimulator, settleWorkers, pollFor as pollWith } from '../helpers/simulated-app';
import { TEST_PUBLIC_URL, type TestApp } from '../helpers/strapi';
import { postMeta } from '../helpers/webhooks';

jest.setTimeout(240_000);

let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;
let base: string;
let meta: any;
let gupshup: any;
const PNID = '109876543210949';
const WABA = '102030405060949';
const OWN = '15550001949';
const SECRET = 'bots-finish-secret';
const GS_APP = 'BotsFinishApp';
const customer = (n: number) => `1555000${String(9400 + n)}`;

const settle = () => settleWorkers({ app, sim }, ['inbound', 'outbox', 'bots']);
const pollFor = <T>(read: () => Promise<T>, ok: (v: T) => boolean) => pollWith(settle, read, ok);
const open = async (phone: string, business = PNID) => {
  await sim.client.setCustomer({ phone, reachable: true });
  await sim.client.setWindow(business, phone, true);
};
const writes = async (from: string, text: string, to = PNID, provider?: 'gupshup') => {
  await sim.client.customerSends({ from, to, name: `C ${from}`, text, ...(provider ? { provider } : {}) });
  await settle();
};
const conversationOf = async (waId: string, numberId = meta.id) => (await admin.get('/whatsapp/conversations').query({ q: waId, numberId })).body.data.find((c: any) => c.numberId === numberId);
const thread = async (waId: string, numberId = meta.id) => ((await admin.get(`/whatsapp/conversations/${(await conversationOf(waId, numberId)).id}/messages`)).body.data as any[]).slice().reverse();
const arrived = (to: string) => sim.client.outbound({ to }) as Promise<any[]>;
const createBot = async (body: object, numberId = meta.id) => {
  const res = await admin.post('/whatsapp/bots').send({ numberId, limits: { debounceMs: 0 }, ...body });
  expect(res.status).toBe(201);
  return res.body.data;
};
const clearBots = async () => {
  for (const b of (await admin.get('/whatsapp/bots')).body.data) await admin.del(`/whatsapp/bots/${b.id}`);
};
const PLACE = { type: 'location', latitude: 40.4168, longitude: -3.7038, name: 'Our shop', address: 'Puerta del Sol 1, Madrid' };
const CARD = { type: 'contact', name: 'Ana Support', phone: '+34 600 000 000', email: 'ana@example.com' };

beforeAll(async () => {
  const started = await startWithSimulator((s) => ({ WHATSAPP_GUPSHUP_BASE_URL: s.url }));
  ({ sim, app, admin, base } = started);
  meta = await connectMetaNumber(started, { label: 'Finish', phone: `+${OWN}`, phoneNumberId: PNID, wabaId: WABA, accessToken: 'finish-token-0001', appSecret: SECRET });
  const res = await admin.post('/whatsapp/numbers').send({ label: 'Finish Gupshup', provider: 'gupshup', phone: '+919876500949', apiKey: 'gs-finish-key-0001', appName: GS_APP });
  expect(res.status).toBe(201);
  gupshup = res.body.data;
  await sim.client.addGupshupApp({ appName: GS_APP, apiKey: 'gs-finish-key-0001', sourcePhone: '919876500949', webhookUrl: gupshup.webhookUrl.replace(TEST_PUBLIC_URL, base) });
  for (const n of [meta, gupshup]) expect((await admin.put(`/whatsapp/bots/numbers/${n.id}`).send({ enabled: true })).status).toBe(200);
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});
afterEach(clearBots);

describe('location and contact-card answers are real messages', () => {
  test('Meta: a location message and a contacts message reach the customer; the thread shows the place and the card', async () => {
    const phone = customer(1);
    await open(phone);
    await createBot({ name: 'Where', trigger: { type: 'exact', keywords: ['where'] }, response: PLACE });
    await createBot({ name: 'Who', trigger: { type: 'exact', keywords: ['who'] }, response: CARD });
    const preview = await admin.post('/whatsapp/bots/test').send({ numberId: meta.id, text: 'where' });
    expect(preview.body.data.outgoing).toMatchObject({ kind: 'location', text: expect.stringContaining('https://maps.google.com/?q=40.4168,-3.7038') });
    await writes(phone, 'where');
    await writes(phone, 'who');
    const sent = await pollFor(() => arrived(phone), (r) => r.length >= 2);
    expect(sent.map((m) => m.type)).toEqual(['location', 'contacts']);
    expect(sent[0].location).toEqual({ latitude: 40.4168, longitude: -3.7038, name: 'Our shop', address: 'Puerta del Sol 1, Madrid' });
    expect(sent[1].contacts).toEqual([{ name: 'Ana Support', phone: '+34 600 000 000', email: 'ana@example.com' }]);
    const ours = (await thread(phone)).filter((m) => m.source === 'bot');
    expect(ours.map((m) => [m.type, m.status])).toEqual([
      ['location', expect.stringMatching(/sent|delivered|read/)],
      ['contacts', expect.stringMatching(/sent|delivered|read/)],
    ]);
    expect(ours[0].location).toEqual({ latitude: 40.4168, longitude: -3.7038, name: 'Our shop', address: 'Puerta del Sol 1, Madrid' });
    expect(ours[1].contact).toEqual({ name: 'Ana Support', phone: '+34 600 000 000', email: 'ana@example.com' });
    expect((await conversationOf(phone)).lastMessagePreview).toContain('Ana Support');
  });

  test("Gupshup: its own location and contact message types", async () => {
    const phone = customer(2);
    await open(phone, GS_APP);
    await createBot({ name: 'GS where', trigger: { type: 'exact', keywords: ['where'] }, response: PLACE }, gupshup.id);
    await createBot({ name: 'GS who', trigger: { type: 'exact', keywords: ['who'] }, response: CARD }, gupshup.id);
    await writes(phone, 'where', GS_APP, 'gupshup');
    await writes(phone, 'who', GS_APP, 'gupshup');
    const sent = await pollFor(() => arrived(phone), (r) => r.length >= 2);
    expect(sent.map((m) => [m.provider, m.type])).toEqual([
      ['gupshup', 'location'],
      ['gupshup', 'contacts'],
    ]);
    expect(sent[0].location).toMatchObject({ latitude: 40.4168, longitude: -3.7038, name: 'Our shop' });
    expect(sent[1].contacts).toEqual([{ name: 'Ana Support', phone: '+34 600 000 000', email: 'ana@example.com' }]);
  });
});

describe('a templates-only number (AiSensy)', () => {
  test('a location, contact or text answer is refused on save naming response.type; a template answer saves', async () => {
    const res = await admin.post('/whatsapp/numbers').send({ label: 'Finish AiSensy', provider: 'aisensy', phone: '+919876500950', apiKey: 'ai-finish-key-0001' });
    expect(res.status).toBe(201);
    const aisensy = res.body.data;
    for (const response of [PLACE, CARD, { type: 'text', text: 'hi' }]) {
      const refused = await admin.post('/whatsapp/bots').send({ name: 'Refused', numberId: aisensy.id, trigger: { type: 'fallback' }, response });
      expect(refused.status).toBe(400);
      expect(refused.body.error.details.errors[0].path).toEqual(['response', 'type']);
      expect(refused.body.error.message).toContain('aisensy numbers send templates only');
    }
    const menu = await admin.post('/whatsapp/bots').send({ name: 'Menu', numberId: aisensy.id, trigger: { type: 'fallback' }, response: { type: 'menu', text: 'Pick', items: [{ id: 'a', title: 'A', reply: PLACE }] } });
    expect(menu.body.error.details.errors[0].path).toEqual(['response', 'type']);
    await createBot({ name: 'Template', trigger: { type: 'fallback' }, response: { type: 'template', template: { name: 'hello', language: 'en' } } }, aisensy.id);
    // Moving a text bot onto it is refused the same way.
    const text = await createBot({ name: 'Text', trigger: { type: 'fallback' }, response: { type: 'text', text: 'hi' } });
    const moved = await admin.put(`/whatsapp/bots/${text.id}`).send({ numberId: aisensy.id });
    expect(moved.body.error.details.errors[0].path).toEqual(['response', 'type']);
  });
});

describe('assign', () => {
  test('a team target is refused on save, naming response.teamId; a person is required', async () => {
    const team = await admin.post('/whatsapp/bots').send({ name: 'To team', numberId: meta.id, trigger: { type: 'fallback' }, response: { type: 'assign', teamId: 1 } });
    expect(team.status).toBe(400);
    expect(team.body.error.details.errors[0].path).toEqual(['response', 'teamId']);
    const nobody = await admin.post('/whatsapp/bots').send({ name: 'To nobody', numberId: meta.id, trigger: { type: 'fallback' }, response: { type: 'assign' } });
    expect(nobody.body.error.details.errors[0].path).toEqual(['response', 'userId']);
  });

  test('a person who lost inbox access by the time it fires: the conversation goes to the queue, the reason is logged, nothing fails', async () => {
    const phone = customer(3);
    await open(phone);
    const { role } = await createStaff(app.strapi, app.server, 'Leaver', ['plugin::whatsapp.inbox.read']);
    const leaver = await app.strapi.db.query('admin::user').findOne({ where: { email: 'leaver@test.local' } });
    await createBot({ name: 'To Leaver', trigger: { type: 'contains', keywords: ['human'] }, response: { type: 'assign', userId: leaver.id, text: 'A colleague will answer' } });
    // Their role loses the inbox after the bot was saved.
    await app.strapi.service('admin::role').assignPermissions(role.id, []);
    const warn = jest.spyOn(app.strapi.log, 'warn');
    try {
      await writes(phone, 'a human please');
      const sent = await pollFor(() => arrived(phone), (r) => r.length >= 1);
      expect(sent.map((m) => m.text)).toEqual(['A colleague will answer']);
      const c = await conversationOf(phone);
      expect(c.assigneeId).toBeNull();
      const state = await admin.post('/whatsapp/bots/test').send({ numberId: meta.id, text: 'hello', conversationId: c.id });
      expect(state.body.data.stopped.why).toBe('the conversation waits for a person (handed off)');
      expect(warn.mock.calls.map((call) => String(call[0])).some((m) => m.includes(`admin user ${leaver.id}`) && m.includes('handed to the queue'))).toBe(true);
    } finally {
      warn.mockRestore();
    }
  });
});

describe('per-number hours and holidays', () => {
  afterAll(async () => {
    await admin.put(`/whatsapp/bots/numbers/${meta.id}`).send({ businessHours: null, holidays: [] });
  });

  test('open every day, but today is a holiday: the outside-hours bot answers; another day the inside-hours one would', async () => {
    const phone = customer(4);
    await open(phone);
    const all = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, { open: '00:00', close: '23:59' }]));
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const bad = await admin.put(`/whatsapp/bots/numbers/${meta.id}`).send({ holidays: ['next friday'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.errors[0].path).toEqual(['holidays', '0']);
    // Today and tomorrow (UTC), so a run at midnight is still on a holiday.
    const saved = await admin.put(`/whatsapp/bots/numbers/${meta.id}`).send({ businessHours: { timezone: 'UTC', days: all }, holidays: [day(0), day(1)] });
    expect(saved.status).toBe(200);
    expect((await admin.get(`/whatsapp/bots/numbers/${meta.id}`)).body.data).toMatchObject({ businessHours: { timezone: 'UTC' }, holidays: [day(0), day(1)] });
    await createBot({ name: 'Open', trigger: { type: 'inside-hours' }, response: { type: 'text', text: 'We are open' } });
    await createBot({ name: 'Holiday', trigger: { type: 'outside-hours' }, response: { type: 'text', text: 'Closed for the holiday' } });
    await writes(phone, 'hello');
    const sent = await pollFor(() => arrived(phone), (r) => r.length >= 1);
    expect(sent.map((m) => m.text)).toEqual(['Closed for the holiday']);
    const later = await admin.post('/whatsapp/bots/test').send({ numberId: meta.id, text: 'hello', at: `${day(3)}T12:00:00Z` });
    expect(later.body.data.fired).toMatchObject({ name: 'Open', trigger: 'inside-hours' });
  });
});

describe('consent settings', () => {
  afterAll(async () => {
    const { data } = (await admin.get('/whatsapp/settings')).body;
    await admin.put('/whatsapp/settings').send({ consentKeywords: { optOut: ['stop'], optIn: ['start'] }, consentReplies: data.consentReplies });
  });

  test('a custom opt-out keyword saved in the settings opts a customer out (and a bad one is refused naming its field)', async () => {
    const phone = customer(5);
    await open(phone);
    const tooLong = await admin.put('/whatsapp/settings').send({ consentKeywords: { optOut: ['x'.repeat(61)], optIn: ['start'] } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.details.errors[0].path.slice(0, 2)).toEqual(['consentKeywords', 'optOut']);
    const saved = await admin.put('/whatsapp/settings').send({ consentKeywords: { optOut: ['basta ya'], optIn: ['volver'] }, consentReplies: { optOut: 'Hecho, no más mensajes.', optIn: null } });
    expect(saved.status).toBe(200);
    await createBot({ name: 'Echo all', trigger: { type: 'fallback' }, response: { type: 'text', text: 'bot answer' } });
    await writes(phone, 'Basta ya');
    await pollFor(async () => (await admin.get(`/whatsapp/consents/${meta.id}/${phone}`)).body.data.consent?.status, (s) => s === 'opted-out');
    expect((await admin.get(`/whatsapp/consents/${meta.id}/${phone}`)).body.data.consent).toMatchObject({ status: 'opted-out', source: 'keyword' });
    const sent = await pollFor(() => arrived(phone), (r) => r.length >= 1);
    expect(sent.map((m) => m.text)).toEqual(['Hecho, no más mensajes.']);
  });
});

describe('our own number as a sender', () => {
  test('a messages change from the business number itself opens no conversation and is never answered', async () => {
    const phone = customer(6);
    await open(phone);
    await createBot({ name: 'Everything', trigger: { type: 'fallback' }, response: { type: 'text', text: 'bot answer' } });
    const change = (from: string, id: string) => ({
      object: 'whatsapp_business_account',
      entry: [{ id: WABA, changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: OWN, phone_number_id: PNID }, contacts: [{ profile: { name: 'Us' }, wa_id: from }], messages: [{ from, id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'hello from us' } }] } }] }],
    });
    expect((await postMeta(app.server, meta.webhookUrl, JSON.stringify(change(OWN, `wamid.own-${process.pid}`)), SECRET)).status).toBe(200);
    // A customer's message in the same way is answered: once it is, the echo had its chance too.
    expect((await postMeta(app.server, meta.webhookUrl, JSON.stringify(change(phone, `wamid.cust-${process.pid}`)), SECRET)).status).toBe(200);
    await settle();
    await pollFor(() => arrived(phone), (r) => r.length >= 1);
    expect((await arrived(phone)).map((m) => m.text)).toEqual(['bot answer']);
    expect(await arrived(OWN)).toEqual([]);
    expect(await app.strapi.db.query('plugin::whatsapp.conversation' as any).count({ where: { customerWaId: OWN } })).toBe(0);
  });
});

describe('our own number as a sender, on Gupshup', () => {
  test("a Gupshup message from the number's own phone opens no conversation and is never answered; a customer's is", async () => {
    const phone = customer(7);
    const own = gupshup.phone.replace(/\D/g, '');
    await open(phone, GS_APP);
    await open(own, GS_APP);
    await createBot({ name: 'GS everything', trigger: { type: 'fallback' }, response: { type: 'text', text: 'gupshup bot answer' } }, gupshup.id);
    await writes(own, 'hello from us', GS_APP, 'gupshup');
    await writes(phone, 'hello', GS_APP, 'gupshup');
    await pollFor(() => arrived(phone), (r) => r.length >= 1);
    expect((await arrived(phone)).map((m) => m.text?.body ?? m.text)).toEqual(['gupshup bot answer']);
    expect(await arrived(own)).toEqual([]);
    expect(await app.strapi.db.query('plugin::whatsapp.conversation' as any).count({ where: { numberId: gupshup.id, customerWaId: own } })).toBe(0);
  });
});

describe('contact-card checks', () => {
  test('a contact card with a malformed email is refused on save, naming response.email', async () => {
    const refused = await admin.post('/whatsapp/bots').send({ name: 'Bad card', numberId: meta.id, trigger: { type: 'fallback' }, response: { ...CARD, email: 'ana at example' } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.errors[0]).toMatchObject({ path: ['response', 'email'], message: expect.stringContaining('must be an email address') });
    await createBot({ name: 'Good card', trigger: { type: 'fallback' }, response: CARD });
  });
});
