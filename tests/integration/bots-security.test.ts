/**
 * Bots, from an attacker's review: a set-field cannot undo a STOP nor write what its author could not
 * write in the Content Manager, a saved pattern cannot backtrack for ever, a custom opt-out keyword
 * wins over every bot, and a malformed trigger is a 400.
 */
import { DEFAULT_CONSENT_REPLIES, DEFAULT_OPT_IN_KEYWORDS, DEFAULT_OPT_OUT_KEYWORDS } from '../../contracts/consent';
import type { RunningSimulator } from '../../simulator';
import { connectMetaNumber, startWithSimulator, settleWorkers, pollFor as pollWith } from '../helpers/simulated-app';
import type { TestApp } from '../helpers/strapi';
import { as, contentManagerRead, createStaff } from '../helpers/admin';
import { postMeta } from '../helpers/webhooks';

let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;
const number = { row: null as any, pnid: '109876543210949', waba: '102030405060949', phone: '15550001949' };
const SECRET = 'bots-security-secret';

const settle = () => settleWorkers({ app, sim }, ['inbound', 'outbox', 'bots']);

let seq = 0;
const customerWrites = async (waId: string, text: string) => {
  const message = { from: waId, id: `wamid.botsec-${process.pid}-${(seq += 1)}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } };
  const value = { messaging_product: 'whatsapp', metadata: { display_phone_number: number.phone, phone_number_id: number.pnid }, contacts: [{ profile: { name: `C ${waId}` }, wa_id: waId }], messages: [message] };
  const res = await postMeta(app.server, number.row.webhookUrl, JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: number.waba, changes: [{ field: 'messages', value }] }] }), SECRET);
  expect(res.status).toBe(200);
  await settle();
};
const arrived = async (waId: string) => (await sim.client.outbound({ to: waId, business: number.pnid })) as any[];
const pollFor = <T>(read: () => Promise<T>, ok: (v: T) => boolean) => pollWith(settle, read, ok, 150);
const bot = (body: object, who = admin) => who.post('/whatsapp/bots').send({ name: 'Sec', numberId: number.row.id, limits: { debounceMs: 0 }, ...body });
const paths = (res: any) => (res.body.error?.details?.errors ?? []).map((e: any) => e.path);

beforeAll(async () => {
  const started = await startWithSimulator();
  ({ sim, app, admin } = started);
  number.row = await connectMetaNumber(started, { label: 'Sec', phone: `+${number.phone}`, phoneNumberId: number.pnid, wabaId: number.waba, accessToken: 'sec-token-0001', appSecret: SECRET });
  expect((await admin.put(`/whatsapp/bots/numbers/${number.row.id}`).send({ enabled: true })).status).toBe(200);
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});
afterEach(async () => {
  for (const b of (await admin.get('/whatsapp/bots')).body.data) await admin.del(`/whatsapp/bots/${b.id}`);
});

describe('set-field', () => {
  test("the identity sources' opt-out and phone fields are refused, naming the field, on create and on update", async () => {
    for (const [field, value] of [['whatsappOptOut', false], ['phone', '+15550000000']] as const) {
      const res = await bot({ trigger: { type: 'fallback' }, response: { type: 'set-field', field, value } });
      expect(res.status).toBe(400);
      expect(paths(res)[0]).toEqual(['response', 'field']);
      expect(res.body.error.message).toContain(field);
    }
    const ok = await bot({ trigger: { type: 'fallback' }, response: { type: 'set-field', field: 'company', value: 'Acme' } });
    expect(ok.status).toBe(201);
    const res = await admin.put(`/whatsapp/bots/${ok.body.data.id}`).send({ response: { type: 'menu', text: 'Pick', items: [{ id: 'x', title: 'X', reply: { type: 'set-field', field: 'whatsappOptOut', value: false } }] } });
    expect(res.status).toBe(400);
    expect(paths(res)[0]).toEqual(['response', 'items', '0', 'reply', 'field']);
  });

  test('a bots.manage user needs Content Manager update of that field on the type', async () => {
    const reader = await createStaff(app.strapi, app.server, 'BotReader', ['plugin::whatsapp.bots.read', 'plugin::whatsapp.bots.manage', contentManagerRead('api::contact.contact', ['name', 'phone', 'company'])]);
    const editor = await createStaff(app.strapi, app.server, 'BotEditor', [
      'plugin::whatsapp.bots.read',
      'plugin::whatsapp.bots.manage',
      contentManagerRead('api::contact.contact', ['name', 'phone', 'company']),
      { action: 'plugin::content-manager.explorer.update', subject: 'api::contact.contact', properties: { fields: ['company'] } },
    ]);
    const body = { trigger: { type: 'fallback' }, response: { type: 'set-field', field: 'company', value: 'Acme' } };
    const refused = await bot(body, as(app.server, reader.token));
    expect(refused.status).toBe(400);
    expect(paths(refused)[0]).toEqual(['response', 'field']);
    expect(refused.body.error.message).toContain('api::contact.contact');
    const accepted = await bot(body, as(app.server, editor.token));
    expect(accepted.status).toBe(201);
    // The editor may update `company` only: another field of the same type is refused to them too.
    const other = await bot({ trigger: { type: 'fallback' }, response: { type: 'set-field', field: 'followUpOn', value: '2026-12-24' } }, as(app.server, editor.token));
    expect(other.status).toBe(400);
    expect(paths(other)[0]).toEqual(['response', 'field']);
  });
});

describe('regex triggers', () => {
  test('a pattern that can backtrack exponentially is refused at save; an ordinary one is kept', async () => {
    const bad = await bot({ trigger: { type: 'regex', pattern: '(a+)+$' }, response: { type: 'text', text: 'x' } });
    expect(bad.status).toBe(400);
    expect(paths(bad)[0]).toEqual(['trigger', 'pattern']);
    const good = await bot({ trigger: { type: 'regex', pattern: '^order\\s*#?\\d+$' }, response: { type: 'text', text: 'Looking up your order' } });
    expect(good.status).toBe(201);
    const hit = await admin.post('/whatsapp/bots/test').send({ numberId: number.row.id, text: 'Order #123' });
    expect(hit.body.data.fired?.botId).toBe(good.body.data.id);
  });

  test('patterns see only the first 500 characters of a message', async () => {
    const good = await bot({ trigger: { type: 'regex', pattern: 'refund' }, response: { type: 'text', text: 'Refunds' } });
    expect(good.status).toBe(201);
    const near = await admin.post('/whatsapp/bots/test').send({ numberId: number.row.id, text: `${'x'.repeat(480)} refund` });
    expect(near.body.data.fired?.botId).toBe(good.body.data.id);
    const far = await admin.post('/whatsapp/bots/test').send({ numberId: number.row.id, text: `${'x'.repeat(600)} refund` });
    expect(far.body.data.fired).toBeNull();
  });
});

describe('custom consent keywords', () => {
  afterAll(async () => {
    await admin.put('/whatsapp/settings').send({ consentKeywords: { optOut: [...DEFAULT_OPT_OUT_KEYWORDS], optIn: [...DEFAULT_OPT_IN_KEYWORDS] } });
  });

  test('a custom opt-out keyword gets the consent confirmation only, no bot reply (and the preview says so)', async () => {
    expect((await admin.put('/whatsapp/settings').send({ consentKeywords: { optOut: [...DEFAULT_OPT_OUT_KEYWORDS, 'para'], optIn: [...DEFAULT_OPT_IN_KEYWORDS] } })).status).toBe(200);
    const waId = '15550009491';
    await sim.client.setCustomer({ phone: waId, reachable: true });
    await sim.client.setWindow(number.pnid, waId, true);
    await bot({ trigger: { type: 'fallback' }, response: { type: 'text', text: 'bot here' } }).expect(201);
    await customerWrites(waId, 'hello');
    expect((await pollFor(() => arrived(waId), (r) => r.length >= 1)).map((m) => m.text)).toEqual(['bot here']);
    await customerWrites(waId, 'para');
    const out = await pollFor(() => arrived(waId), (r) => r.length >= 2);
    await settle();
    expect((await arrived(waId)).map((m) => m.text)).toEqual(['bot here', DEFAULT_CONSENT_REPLIES.optOut]);
    expect(out).toHaveLength(2);
    const preview = await admin.post('/whatsapp/bots/test').send({ numberId: number.row.id, text: 'Para' });
    expect(preview.body.data).toMatchObject({ fired: null, stopped: { stage: 'opt-out' } });
  });
});

describe('validation is type-safe', () => {
  test('keywords that are not a list, with synonyms, is a 400 naming the field', async () => {
    const res = await bot({ trigger: { type: 'keywords', keywords: 5, synonyms: { a: ['b'] } }, response: { type: 'text', text: 'x' } });
    expect(res.status).toBe(400);
    expect(paths(res)).toContainEqual(['trigger', 'keywords']);
    const alsoBad = await bot({ trigger: { type: 'keywords', keywords: 'a', synonyms: { a: 'b' } }, response: { type: 'text', text: 'x' } });
    expect(alsoBad.status).toBe(400);
    expect(paths(alsoBad)).toContainEqual(['trigger', 'keywords']);
  });
});
