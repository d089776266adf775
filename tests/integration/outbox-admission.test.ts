/**
 * Every way out passes the same admission (server/outbox/admission.ts): a notification, an inbox
 * reply or start, the auto-reply, a campaign. Refusals are recorded with their reason and never
 * reach the provider: the simulator's arrivals say what was really sent.
 */
import { createSimulator, type RunningSimulator } from '../../simulator';
import { as, login } from '../helpers/admin';
import { settleNotifications } from '../helpers/notifications';
import { startStrapi, type TestApp } from '../helpers/strapi';

let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;
let number: any;

const PNID = '109876543210616';
const WABA = '102030405060616';
const OLGA = '15550061601'; // opted out in the CRM, writes to us
const UNA = '15550061602'; // unreachable on WhatsApp
const CORA = '15550061603'; // her window closed
const q = (name: string) => app.strapi.db.query(`plugin::whatsapp.${name}` as any);
const outbox = () => app.strapi.plugin('whatsapp').service('outbox');
const settle = () => settleNotifications(app, sim);
const arrivals = async (to: string) => (await sim.client.outbound({ to })) as any[];
const conversationOf = (waId: string) => q('conversation').findOne({ where: { numberId: number.id, customerWaId: waId } });
const reply = (conversationId: number, body: object) => admin.post(`/whatsapp/conversations/${conversationId}/messages`).send(body);
const hello = (name: string) => ({ type: 'template', template: { name: 'hello_there', language: 'en_US', params: { body: [{ type: 'text', text: name }] } } });
/** What admission answered a source asking through the service (host code, a campaign, a bot). */
const refusalFor = async (target: unknown, input: object, source: string) => {
  try {
    await outbox().enqueue(target, input, { id: null, source });
    return null;
  } catch (error) {
    return (error as any).refusal?.reason ?? `not a refusal: ${(error as Error).message}`;
  }
};

beforeAll(async () => {
  sim = await createSimulator();
  app = await startStrapi({ WHATSAPP_META_BASE_URL: sim.url });
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  admin = as(app.server, await login(app.server));
  number = (await admin.post('/whatsapp/numbers').send({ label: 'Door', provider: 'meta', phone: '+15550061600', phoneNumberId: PNID, wabaId: WABA, accessToken: 'door-token-0001', appSecret: 'door-secret', verifyToken: 'v' })).body.data;
  await sim.client.addMetaNumber({ phoneNumberId: PNID, wabaId: WABA, displayPhoneNumber: '15550061600', accessToken: 'door-token-0001', appSecret: 'door-secret', webhookUrl: number.webhookUrl.replace('https://crm.test.local', `http://127.0.0.1:${app.server.address().port}`) });
  await sim.client.createTemplate({ wabaId: WABA, name: 'hello_there', language: 'en_US', category: 'UTILITY', status: 'APPROVED', body: 'Hello {{1}}!' });
  await admin.post('/whatsapp/templates/sync').send({ numberId: number.id });
  for (const phone of [OLGA, UNA, CORA]) await sim.client.setCustomer({ phone, reachable: true });
  await app.strapi.documents('api::contact.contact').create({ data: { name: 'Olga', phone: `+${OLGA}`, whatsappOptOut: true } as any, status: 'published' });
  // Each customer writes first: their conversations exist, their windows open.
  for (const from of [OLGA, UNA, CORA]) await sim.client.customerSends({ from, to: PNID, name: `Customer ${from}`, text: 'Hello?' });
  for (let i = 0; i < 50 && (await q('conversation').count({ where: { numberId: number.id } })) < 3; i += 1) await settle();
  expect(await q('conversation').count({ where: { numberId: number.id } })).toBe(3);
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

describe('an opted-out customer', () => {
  test('is refused a notification: the firing records why, nothing reaches them', async () => {
    const rule = (
      await admin.post('/whatsapp/notification-rules').send({
        numberId: number.id, name: 'Hello Olga', contentType: 'api::lead.lead', event: 'created', template: { name: 'hello_there', language: 'en_US' },
        parameters: [{ component: 'body', index: 0, from: 'field', value: 'name' }], recipient: { from: 'constant', value: `+${OLGA}` },
      })
    ).body.data;
    await app.strapi.documents('api::lead.lead').create({ data: { name: 'Lead for Olga', phone: '+15550061699' } as any });
    await settle();
    await admin.put(`/whatsapp/notification-rules/${rule.id}`).send({ active: false });
    const [firing] = (await admin.get(`/whatsapp/notification-rules/${rule.id}/firings`)).body.data;
    expect(firing).toMatchObject({ state: 'skipped', error: expect.stringMatching(/^the customer opted out \(crm-import on \d{4}-\d\d-\d\d: api::contact\.contact \S+ whatsappOptOut = true\)$/), trace: { reason: 'opted out', recipient: `+${OLGA}` } });
    expect((await arrivals(OLGA)).filter((m) => m.type === 'template')).toEqual([]);
  });

  test('is refused what else the business starts (auto-reply, campaign), by the same check', async () => {
    const conversation = await conversationOf(OLGA);
    expect(await refusalFor(conversation.id, { type: 'text', text: 'We are closed' }, 'auto-reply')).toBe('opted-out');
    expect(await refusalFor(conversation.id, { type: 'text', text: 'Big sale' }, 'campaign')).toBe('opted-out');
    expect(await refusalFor({ numberId: number.id, phone: `+${OLGA}` }, hello('Olga'), 'notification')).toBe('opted-out');
    expect(await q('message').count({ where: { conversationId: conversation.id, direction: 'out' } })).toBe(0);
  });

  test('gets staff’s reply to their own message', async () => {
    const conversation = await conversationOf(OLGA);
    const res = await reply(conversation.id, { type: 'text', text: 'Answering your question, Olga' });
    expect(res.status).toBe(201);
    await settle();
    expect((await arrivals(OLGA)).map((m) => m.text)).toEqual(['Answering your question, Olga']);
  });
});

describe('the keys the plugin makes itself', () => {
  test('a staff member cannot claim one: a reply or a start keyed like the out-of-hours reply or a firing is refused, naming the field', async () => {
    const conversation = await conversationOf(OLGA);
    for (const idempotencyKey of ['out-of-hours:2026-12-02T09:00', 'firing:1']) {
      const res = await reply(conversation.id, { type: 'text', text: 'Sneaky', idempotencyKey });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ name: 'ValidationError', details: { errors: [expect.objectContaining({ path: ['idempotencyKey'] })] } });
    }
    const start = await admin.post('/whatsapp/conversations').send({ numberId: number.id, to: '+15550061691', template: hello('Ed').template, idempotencyKey: 'firing:2' });
    expect(start.status).toBe(400);
    expect(start.body.error.details.errors[0].path).toEqual(['idempotencyKey']);
    expect(await q('message').count({ where: { text: 'Sneaky' } })).toBe(0);
  });
});

describe('an unreachable customer', () => {
  test('is refused for every source, and nothing is sent', async () => {
    const conversation = await conversationOf(UNA);
    await q('conversation').update({ where: { id: conversation.id }, data: { unreachable: true } });
    const res = await reply(conversation.id, { type: 'text', text: 'Are you there?' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('the customer is unreachable on WhatsApp');
    for (const source of ['notification', 'campaign', 'auto-reply', 'bot', 'ai']) expect(await refusalFor(conversation.id, hello('Una'), source)).toBe('unreachable');
    expect(await refusalFor({ numberId: number.id, phone: `+${UNA}` }, hello('Una'), 'notification')).toBe('unreachable');
    await settle();
    expect(await arrivals(UNA)).toEqual([]);
    await q('conversation').update({ where: { id: conversation.id }, data: { unreachable: false } });
  });
});

describe('a closed window', () => {
  test('refuses free text from every source; an approved template still goes', async () => {
    const conversation = await conversationOf(CORA);
    await q('conversation').update({ where: { id: conversation.id }, data: { windowExpiresAt: new Date(Date.now() - 60_000) } });
    const res = await reply(conversation.id, { type: 'text', text: 'Free text after the window' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors[0].path).toEqual(['type']);
    for (const source of ['bot', 'ai', 'inbox']) expect(await refusalFor(conversation.id, { type: 'text', text: 'Free text after the window' }, source)).toBe('window-closed');
    expect((await reply(conversation.id, hello('Cora'))).status).toBe(201);
    await settle();
    const received = await arrivals(CORA);
    expect(received.filter((m) => m.type === 'template')).toHaveLength(1);
    expect(received.filter((m) => m.text === 'Free text after the window')).toEqual([]);
  });
});

describe('a number switched off', () => {
  test('refuses every source until it is switched on again', async () => {
    const conversation = await conversationOf(CORA);
    const before = (await arrivals(CORA)).length;
    expect((await admin.put(`/whatsapp/numbers/${number.id}`).send({ active: false })).status).toBe(200);
    try {
      const res = await reply(conversation.id, hello('Cora'));
      expect(res.status).toBe(400);
      expect(res.body.error.details.errors[0].path).toEqual(['conversation']);
      const start = await admin.post('/whatsapp/conversations').send({ numberId: number.id, to: '+15550061604', template: hello('Dora').template });
      expect(start.status).toBe(400);
      expect(start.body.error.details.errors[0].path).toEqual(['numberId']);
      for (const source of ['notification', 'campaign', 'auto-reply', 'bot', 'ai']) expect(await refusalFor(conversation.id, hello('Cora'), source)).toBe('number-off');
      // A refused start leaves no empty conversation behind.
      expect(await conversationOf('15550061604')).toBeNull();
    } finally {
      expect((await admin.put(`/whatsapp/numbers/${number.id}`).send({ active: true })).status).toBe(200);
    }
    await settle();
    expect(await arrivals(CORA)).toHaveLength(before);
  });
});

describe('a row that waited is admitted again right before the provider call', () => {
  /** A customer who wrote first (their window is open) and their conversation. */
  const writes = async (waId: string, name: string) => {
    await sim.client.setCustomer({ phone: waId, reachable: true });
    await sim.client.customerSends({ from: waId, to: PNID, name, text: 'Hi' });
    for (let i = 0; i < 50 && !(await conversationOf(waId)); i += 1) await settle();
    return conversationOf(waId);
  };
  const rowOf = (id: number) => q('message').findOne({ where: { id } });
  /** Queues with the outbox stopped, changes the world, then lets the row go. */
  const whileStopped = async (queue: () => Promise<number>, meanwhile: () => Promise<unknown>) => {
    await outbox().stop();
    let id: number;
    try {
      id = await queue();
      await meanwhile();
    } finally {
      await outbox().start();
    }
    await settle();
    return rowOf(id!);
  };

  test('a notification waiting on backoff whose customer opts out meanwhile is not sent', async () => {
    const NINA = '15550061605';
    await app.strapi.documents('api::contact.contact').create({ data: { name: 'Nina', phone: `+${NINA}`, whatsappOptOut: false } as any, status: 'published' });
    await sim.client.setCustomer({ phone: NINA, reachable: true });
    await sim.client.setFault(PNID, { flap5xx: 1 } as any);
    const row = await outbox().enqueue({ numberId: number.id, phone: `+${NINA}` }, hello('Nina'), { id: null, source: 'notification' });
    await settle();
    expect(await rowOf(row.id)).toMatchObject({ status: 'queued', attempts: 1, errorClass: 'retryable' });
    // While it waits for its next attempt (held back until the STOP is in, however slow the machine), the customer says STOP.
    await q('message').update({ where: { id: row.id }, data: { nextAttemptAt: new Date(Date.now() + 3600_000) } });
    await sim.client.customerSends({ from: NINA, to: PNID, name: 'Nina', text: 'STOP' });
    for (let i = 0; i < 50 && (await app.strapi.db.query('api::contact.contact').count({ where: { phone: `+${NINA}`, whatsappOptOut: true } })) === 0; i += 1) await settle();
    await q('message').update({ where: { id: row.id }, data: { nextAttemptAt: new Date(0) } });
    await settle();
    expect(await rowOf(row.id)).toMatchObject({ status: 'failed', errorClass: 'not-admitted', errorCode: 'opted-out', errorText: expect.stringMatching(/^not sent: the customer opted out \(keyword on .*STOP/) });
    expect((await arrivals(NINA)).filter((m) => m.type === 'template')).toEqual([]);
  });

  test('a reply whose window closed meanwhile is refused with the reason', async () => {
    const conversation = await writes('15550061606', 'Wendy');
    const row = await whileStopped(
      async () => (await reply(conversation.id, { type: 'text', text: 'Too late' })).body.data.id,
      () => q('conversation').update({ where: { id: conversation.id }, data: { windowExpiresAt: new Date(Date.now() - 1000) } })
    );
    expect(row).toMatchObject({ status: 'failed', errorClass: 'not-admitted', errorCode: 'window-closed', errorText: expect.stringMatching(/^not sent: the customer’s 24-hour window closed at /) });
    expect((await arrivals('15550061606')).filter((m) => m.text === 'Too late')).toEqual([]);
  });

  test('a customer who became unreachable, or a template paused meanwhile, is not sent either', async () => {
    const conversation = await writes('15550061607', 'Ursula');
    const unreachable = await whileStopped(
      async () => (await reply(conversation.id, { type: 'text', text: 'Still there?' })).body.data.id,
      () => q('conversation').update({ where: { id: conversation.id }, data: { unreachable: true } })
    );
    expect(unreachable).toMatchObject({ status: 'failed', errorCode: 'unreachable', errorText: 'not sent: the customer is unreachable on WhatsApp' });
    await q('conversation').update({ where: { id: conversation.id }, data: { unreachable: false } });

    const template = await q('template').findOne({ where: { numberId: number.id, name: 'hello_there', language: 'en_US' } });
    try {
      const paused = await whileStopped(
        async () => (await reply(conversation.id, hello('Ursula'))).body.data.id,
        () => q('template').update({ where: { id: template.id }, data: { status: 'PAUSED' } })
      );
      expect(paused).toMatchObject({ status: 'failed', errorCode: 'template-not-approved', errorText: 'not sent: template hello_there is PAUSED, only approved templates can be sent' });
    } finally {
      await q('template').update({ where: { id: template.id }, data: { status: 'APPROVED' } });
    }
    expect(await arrivals('15550061607')).toEqual([]);
  });

  test('a number that needs new credentials keeps its rows waiting; given them, the rows go out once', async () => {
    const conversation = await writes('15550061608', 'Rita');
    const row = await whileStopped(
      async () => (await reply(conversation.id, { type: 'text', text: 'After the new token' })).body.data.id,
      () => q('number').update({ where: { id: number.id }, data: { needsReauth: true } })
    );
    expect(row).toMatchObject({ status: 'queued', errorText: 'waiting: the number needs new credentials' });
    expect(await arrivals('15550061608')).toEqual([]);
    expect((await admin.put(`/whatsapp/numbers/${number.id}`).send({ accessToken: 'door-token-0001' })).status).toBe(200);
    await settle();
    expect((await rowOf(row.id)).status).toMatch(/sent|delivered|read/);
    expect((await arrivals('15550061608')).map((m) => m.text)).toEqual(['After the new token']);
  });
});

describe('a batch through the door (a campaign page, enqueueMany)', () => {
  const author = { id: null, source: 'campaign', sourceRef: 'test:batch' };
  const item = (phone: string, key: string, extra: object = {}) => ({ phone: `+${phone}`, template: hello(phone).template, idempotencyKey: key, ...extra });
  const reasonOf = (outcome: any) => ('row' in outcome ? 'stored' : outcome.error.refusal?.reason ?? `not a refusal: ${outcome.error.message}`);
  const templatesTo = async (phone: string) => (await arrivals(phone)).filter((m) => m.type === 'template').length;

  test('answers each message as the door does one at a time; the admitted ones are stored once and sent once', async () => {
    const una = await conversationOf(UNA);
    await q('conversation').update({ where: { id: una.id }, data: { unreachable: true } });
    try {
      const ownRecord = { recipientOf: { uid: 'api::contact.contact', record: { documentId: 'batch-own-record', whatsappOptOut: true }, path: 'phone' } };
      const items = [
        item(OLGA, 'b-olga'),
        item(UNA, 'b-una'),
        item('15550061681', 'b-81', ownRecord),
        { ...item('15550061682', 'b-82'), template: { ...hello('x').template, params: {} } },
        item('15550061683', 'b-83'),
        item(CORA, 'b-cora'),
      ];
      const coraBefore = await templatesTo(CORA);
      const first = await outbox().enqueueMany(number.id, items, author);
      expect(first.map(reasonOf)).toEqual(['opted-out', 'unreachable', 'opted-out', 'template-params', 'stored', 'stored']);
      // The same refusals from the door one message at a time (keys unused there, so nothing is answered from before).
      for (const [i, it] of items.entries()) {
        if (!('error' in first[i])) continue;
        const crmHint = (it as any).recipientOf ? { recipientOf: (it as any).recipientOf } : null;
        expect(await refusalFor({ numberId: number.id, phone: it.phone, crmHint }, { type: 'template', template: it.template }, 'campaign')).toBe(reasonOf(first[i]));
      }
      // Refused: nothing left behind, not even a conversation.
      for (const phone of ['15550061681', '15550061682']) expect(await conversationOf(phone)).toBeNull();
      // The same keys again answer the same messages, and store nothing new.
      const stored = first.flatMap((o: any) => ('row' in o ? [o.row.id] : []));
      const again = await outbox().enqueueMany(number.id, items, author);
      expect(again.flatMap((o: any) => ('row' in o ? [o.row.id] : []))).toEqual(stored);
      expect(await q('message').count({ where: { sourceRef: 'test:batch' } })).toBe(2);
      await settle();
      expect(await templatesTo('15550061683')).toBe(1);
      expect(await templatesTo(CORA)).toBe(coraBefore + 1);
      for (const phone of [OLGA, UNA, '15550061681', '15550061682']) expect(await templatesTo(phone)).toBe(0);
    } finally {
      await q('conversation').update({ where: { id: una.id }, data: { unreachable: false } });
    }
  });

  test('counts the daily budget message by message: past the last slot a new conversation is refused, one already counted today is not', async () => {
    expect((await admin.put(`/whatsapp/numbers/${number.id}`).send({ messagingTier: 'TIER_250' })).status).toBe(200);
    try {
      // The page's count says 248 of 250 are used.
      const tally = new Map([[number.id, 248]]);
      const items = [item('15550061685', 'd-85'), item('15550061686', 'd-86'), item('15550061687', 'd-87'), item('15550061683', 'd-83')];
      const outcomes = await outbox().enqueueMany(number.id, items, author, tally);
      expect(outcomes.map(reasonOf)).toEqual(['stored', 'stored', 'daily-limit', 'stored']);
      expect(tally.get(number.id)).toBe(250);
      expect(await conversationOf('15550061687')).toBeNull();
    } finally {
      await admin.put(`/whatsapp/numbers/${number.id}`).send({ messagingTier: null });
    }
  });
});
