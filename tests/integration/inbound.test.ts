import request from 'supertest';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { as, login } from '../helpers/admin';
import { fixture, fixtureText } from '../helpers/fixtures';
import { postMeta, settle, settleWithRetries, signMeta } from '../helpers/webhooks';

const SECRET = 'inbound-test-app-secret';
const NUMBER_1 = { label: 'Main', provider: 'meta', phone: '+15550001111', phoneNumberId: '109876543210987', wabaId: '102030405060708', accessToken: 'token-main-0000000000', appSecret: SECRET, verifyToken: 'verify-main' };
const NUMBER_2 = { label: 'Second WABA', provider: 'meta', phone: '+15550004444', phoneNumberId: '209876543210988', wabaId: '203040506070809', accessToken: 'token-second-000000000', appSecret: SECRET, verifyToken: 'verify-second' };

let app: TestApp;
let admin: ReturnType<typeof as>;
let n1: any;
let n2: any;

const q = (name: string) => app.strapi.db.query(`plugin::whatsapp.${name}` as any);
const lastWebhookRow = async () => (await q('webhook-event').findMany({ orderBy: { id: 'desc' }, limit: 1 }))[0];

beforeAll(async () => {
  app = await startStrapi();
  admin = as(app.server, await login(app.server));
  n1 = (await admin.post('/whatsapp/numbers').send(NUMBER_1)).body.data;
  n2 = (await admin.post('/whatsapp/numbers').send(NUMBER_2)).body.data;
});
afterAll(async () => {
  await app?.stop();
});

describe('handshake', () => {
  test('echoes the challenge for the number’s verify token, 403 otherwise, 404 for an unknown key', async () => {
    const path = new URL(n1.webhookUrl).pathname;
    const ok = await request(app.server).get(path).query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-main', 'hub.challenge': '424242' });
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('424242');
    const wrong = await request(app.server).get(path).query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-second', 'hub.challenge': '1' });
    expect(wrong.status).toBe(403);
    expect((await request(app.server).get('/api/whatsapp/webhooks/not-a-key').query({ 'hub.challenge': '1' })).status).toBe(404);
  });
});

describe('a customer message', () => {
  test('is stored before the answer, then applied: a conversation and a message', async () => {
    const raw = fixtureText('meta/inbound-text.json');
    const res = await postMeta(app.server, n1.webhookUrl, raw, SECRET);
    expect(res.status).toBe(200);
    const stored = await q('webhook-event').findOne({ where: { id: res.body.eventId } });
    expect(stored.rawBody).toBe(raw);
    expect(stored.signatureOk).toBe(true);

    await settle(app.strapi);
    expect((await q('webhook-event').findOne({ where: { id: res.body.eventId } })).state).toBe('done');
    const conversation = await q('conversation').findOne({ where: { numberId: n1.id, customerWaId: '15550002222' } });
    expect(conversation).toMatchObject({ customerPhone: '+15550002222', customerName: 'Alice Example', state: 'open', unread: 1, crmKind: 'unknown' });
    expect(new Date(conversation.windowExpiresAt).toISOString()).toBe('2026-01-02T00:00:00.000Z');
    const messages = await q('message').findMany({ where: { conversationId: conversation.id } });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ direction: 'in', type: 'text', text: 'Hello, is the invoice ready?', status: 'received', source: 'customer' });
  });

  test('the same body delivered 20 times at once is stored 20 times and applied once', async () => {
    const raw = fixtureText('meta/inbound-reply-with-context.json');
    const answers = await Promise.all(Array.from({ length: 20 }, () => postMeta(app.server, n1.webhookUrl, raw, SECRET)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    await settle(app.strapi);
    const id = fixture('meta/inbound-reply-with-context.json').entry[0].changes[0].value.messages[0].id;
    expect(await q('message').count({ where: { providerMessageId: id } })).toBe(1);
    const rows = await q('webhook-event').findMany({ where: { id: { $in: answers.map((a) => a.body.eventId) } } });
    expect(rows.map((r: any) => r.state)).toEqual(Array(20).fill('done'));
  });

  test('forty messages of four new customers applied four rows at a time: one conversation each, nothing lost or doubled', async () => {
    const config = 'plugin::whatsapp.inboundConcurrency';
    const before = app.strapi.config.get(config);
    app.strapi.config.set(config, 4);
    try {
      const customers = ['15550003001', '15550003002', '15550003003', '15550003004'];
      const base = Math.floor(Date.UTC(2026, 2, 1) / 1000);
      const bodies = Array.from({ length: 40 }, (_, i) => {
        const body = fixture('meta/inbound-text.json');
        const value = body.entry[0].changes[0].value;
        // Ten in a row from each customer, so rows of one customer are in flight together.
        const from = customers[Math.floor(i / 10)];
        value.contacts = [{ profile: { name: `Parallel ${from}` }, wa_id: from }];
        value.messages[0] = { ...value.messages[0], from, id: `wamid.parallel-${i}`, timestamp: String(base + i), text: { body: `parallel ${i}` } };
        delete value.messages[0].from_user_id;
        return JSON.stringify(body);
      });
      const answers = await Promise.all(bodies.map((raw) => postMeta(app.server, n1.webhookUrl, raw, SECRET)));
      expect(answers.map((a) => a.status)).toEqual(Array(40).fill(200));
      await settle(app.strapi);

      const rows = await q('webhook-event').findMany({ where: { id: { $in: answers.map((a) => a.body.eventId) } } });
      expect(rows.map((r: any) => r.state)).toEqual(Array(40).fill('done'));
      for (const [k, from] of customers.entries()) {
        const conversations = await q('conversation').findMany({ where: { numberId: n1.id, customerWaId: from } });
        expect(conversations).toHaveLength(1);
        expect(conversations[0]).toMatchObject({ unread: 10, lastMessagePreview: `parallel ${10 * k + 9}` });
        expect(new Date(conversations[0].lastMessageAt).getTime()).toBe((base + 10 * k + 9) * 1000);
        expect(await q('message').count({ where: { conversationId: conversations[0].id } })).toBe(10);
      }
    } finally {
      app.strapi.config.set(config, before);
    }
  });

  test('a customer message in the same second as a reply becomes the list preview', async () => {
    const from = '15550003100';
    const at = Date.UTC(2026, 3, 1, 12, 0, 0);
    const message = (id: string, text: string) => {
      const body = fixture('meta/inbound-text.json');
      const value = body.entry[0].changes[0].value;
      value.contacts = [{ profile: { name: 'Same Second' }, wa_id: from }];
      value.messages[0] = { ...value.messages[0], from, id, timestamp: String(at / 1000), text: { body: text } };
      delete value.messages[0].from_user_id;
      return JSON.stringify(body);
    };
    await postMeta(app.server, n1.webhookUrl, message('wamid.same-second-1', 'first'), SECRET);
    await settle(app.strapi);
    const conversation = await q('conversation').findOne({ where: { numberId: n1.id, customerWaId: from } });
    // A reply sent half a second later, as the outbox records it (milliseconds).
    await q('conversation').update({ where: { id: conversation.id }, data: { lastMessageAt: new Date(at + 500), lastMessagePreview: 'our reply' } });
    await postMeta(app.server, n1.webhookUrl, message('wamid.same-second-2', 'and the answer'), SECRET);
    await settle(app.strapi);
    expect((await q('conversation').findOne({ where: { id: conversation.id } })).lastMessagePreview).toBe('and the answer');
  });

  test('every message type is stored with what the inbox needs', async () => {
    for (const name of ['inbound-image-with-caption', 'inbound-audio-voice', 'inbound-document', 'inbound-location', 'inbound-contacts', 'inbound-interactive-button-reply', 'inbound-interactive-list-reply', 'inbound-template-quick-reply-button', 'inbound-reaction', 'inbound-click-to-whatsapp-referral', 'inbound-unsupported-with-errors']) {
      const res = await postMeta(app.server, n1.webhookUrl, fixtureText(`meta/${name}.json`), SECRET);
      expect(res.status).toBe(200);
    }
    await settle(app.strapi);
    const types = (await q('message').findMany({ where: { numberId: n1.id, direction: 'in' } })).map((m: any) => m.type);
    for (const t of ['image', 'audio', 'document', 'location', 'contacts', 'interactive', 'button', 'reaction', 'unsupported']) expect(types).toContain(t);
    const image = await q('message').findOne({ where: { numberId: n1.id, type: 'image' } });
    expect(image).toMatchObject({ mediaState: 'pending', mediaMimeType: expect.stringMatching(/^image\//) });
    expect(image.mediaProviderId).toBeTruthy();
  });
});

describe('a batch', () => {
  test('stores every message and status of every entry, routed to each number', async () => {
    const body = fixture('meta/batch-two-entries-2-messages-3-statuses.json');
    const wamid = body.entry[1].changes[0].value.statuses[0].id;
    const conversation = await q('conversation').create({ data: { numberId: n2.id, customerWaId: '15550002222', customerPhone: '+15550002222' } });
    // Not due for the outbox (it would try to send it meanwhile): only the receipts move it.
    await q('message').create({ data: { numberId: n2.id, conversationId: conversation.id, direction: 'out', type: 'text', text: 'Your invoice', status: 'queued', source: 'inbox', providerMessageId: wamid, nextAttemptAt: new Date(Date.now() + 3600_000) } });

    const res = await postMeta(app.server, n1.webhookUrl, fixtureText('meta/batch-two-entries-2-messages-3-statuses.json'), SECRET);
    expect(res.status).toBe(200);
    await settle(app.strapi);

    const ids = body.entry[0].changes[0].value.messages.map((m: any) => m.id);
    expect(await q('message').count({ where: { numberId: n1.id, providerMessageId: { $in: ids } } })).toBe(2);
    expect(await q('conversation').count({ where: { numberId: n1.id, customerWaId: '15550003333' } })).toBe(1);

    // Statuses arrived read, sent, delivered: the message ends read with every timestamp.
    const sent = await q('message').findOne({ where: { providerMessageId: wamid } });
    expect(sent.status).toBe('read');
    expect(sent.sentAt && sent.deliveredAt && sent.readAt).toBeTruthy();
    expect(new Date(sent.sentAt) < new Date(sent.deliveredAt)).toBe(true);
    expect(new Date(sent.deliveredAt) < new Date(sent.readAt)).toBe(true);
  });

  test('a status that arrives while its send is still recording its id waits and is applied once the message is there', async () => {
    const raw = fixtureText('meta/status-delivered.json');
    const wamid = fixture('meta/status-delivered.json').entry[0].changes[0].value.statuses[0].id;
    // The send is in flight: the provider answered, its webhook came first, our row has no id yet.
    const conversation = await q('conversation').findOne({ where: { numberId: n1.id, customerWaId: '15550002222' } });
    const sending = await q('message').create({ data: { numberId: n1.id, conversationId: conversation.id, direction: 'out', type: 'text', text: 'x', status: 'sending', source: 'inbox' } });
    const res = await postMeta(app.server, n1.webhookUrl, raw, SECRET);
    await settle(app.strapi);
    expect((await q('webhook-event').findOne({ where: { id: res.body.eventId } })).state).toBe('pending');

    await q('message').update({ where: { id: sending.id }, data: { status: 'sent', providerMessageId: wamid } });
    await settleWithRetries(app.strapi);
    expect((await q('webhook-event').findOne({ where: { id: res.body.eventId } })).state).toBe('done');
    expect((await q('message').findOne({ where: { providerMessageId: wamid } })).status).toBe('delivered');

    // Failed is terminal and keeps its class, code and text.
    const failed = fixture('meta/status-failed-131047.json');
    failed.entry[0].changes[0].value.statuses[0].id = wamid;
    await postMeta(app.server, n1.webhookUrl, JSON.stringify(failed), SECRET);
    await postMeta(app.server, n1.webhookUrl, fixtureText('meta/status-read.json').replace(/"id": "wamid[^"]*"/, `"id": "${wamid}"`), SECRET);
    await settleWithRetries(app.strapi);
    expect(await q('message').findOne({ where: { providerMessageId: wamid } })).toMatchObject({ status: 'failed', errorClass: 'window-closed', errorCode: '131047', errorText: expect.stringMatching(/24 hours/) });
  });
});

describe('bad input gets a clear answer and a log row', () => {
  const raw = fixtureText('meta/inbound-text.json');
  const path = () => new URL(n1.webhookUrl).pathname;

  test.each([
    ['wrong signature', (r: string) => postMeta(app.server, n1.webhookUrl, r, 'not-the-secret'), 401],
    ['missing signature header', (r: string) => postMeta(app.server, n1.webhookUrl, r, SECRET, null), 401],
    ['body changed by one byte', (r: string) => postMeta(app.server, n1.webhookUrl, r.replace('Hello', 'Jello'), SECRET, signMeta(r, SECRET)), 401],
    ['garbage bytes', () => request(app.server).post(path()).set('Content-Type', 'application/octet-stream').send(Buffer.from([0, 159, 146, 150, 255])), 401],
    ['malformed JSON, correctly signed', () => postMeta(app.server, n1.webhookUrl, '{"object": "whatsapp_business_account", "entry": [', SECRET), 400],
    ['JSON that is not a webhook, correctly signed', () => postMeta(app.server, n1.webhookUrl, '{"hello":"world"}', SECRET), 400],
  ])('%s', async (_name, send, status) => {
    const before = await q('webhook-event').count({});
    const res = await send(raw);
    expect(res.status).toBe(status);
    expect(res.body.error).toBeTruthy();
    expect(await q('webhook-event').count({})).toBe(before + 1);
    const row = await lastWebhookRow();
    expect(row).toMatchObject({ state: 'rejected', numberId: n1.id });
    expect(row.lastError).toBeTruthy();
  });

  test('a signed body for a business number we do not have is acknowledged (Meta retries anything else) and kept as ignored', async () => {
    const other = raw.replace(/109876543210987/g, '999999999999999');
    const res = await postMeta(app.server, n1.webhookUrl, other, SECRET);
    expect(res.status).toBe(200);
    expect(await lastWebhookRow()).toMatchObject({ state: 'ignored', lastError: expect.stringMatching(/999999999999999/) });
  });

  test('a 5 MB body is refused as too large and logged', async () => {
    const big = JSON.stringify({ object: 'whatsapp_business_account', entry: [], pad: 'x'.repeat(5 * 1024 * 1024) });
    const res = await postMeta(app.server, n1.webhookUrl, big, SECRET);
    expect(res.status).toBe(413);
    expect((await lastWebhookRow()).lastError).toMatch(/too large/);
  });

  test('an unknown key is a 404', async () => {
    expect((await request(app.server).post('/api/whatsapp/webhooks/nope').send({})).status).toBe(404);
  });

  test('nothing a caller sends gives a 500', async () => {
    const sends = [
      request(app.server).post(path()).set('Content-Type', 'text/plain').send('hello'),
      request(app.server).post(path()).set('Content-Type', 'application/x-www-form-urlencoded').send('a=1&b=2'),
      request(app.server).post(path()).set('Content-Type', 'application/json').set('X-Hub-Signature-256', 'sha256=' + 'a'.repeat(64)).send('[]'),
      request(app.server).post(path()).send(),
    ];
    for (const res of await Promise.all(sends)) expect(res.status).toBeLessThan(500);
  });

  test('an inactive number stores the call as ignored and answers 200', async () => {
    await admin.put(`/whatsapp/numbers/${n2.id}`).send({ active: false });
    const body = fixtureText('meta/inbound-text.json').replace(/109876543210987/g, '209876543210988');
    const res = await postMeta(app.server, n2.webhookUrl, body, SECRET);
    expect(res.status).toBe(200);
    expect((await lastWebhookRow()).state).toBe('ignored');
    await admin.put(`/whatsapp/numbers/${n2.id}`).send({ active: true });
  });
});

describe('CRM records', () => {
  const message = (from: string, name: string, id: string) => {
    const body = fixture('meta/inbound-text.json');
    const value = body.entry[0].changes[0].value;
    value.contacts[0] = { profile: { name }, wa_id: from };
    value.messages[0] = { ...value.messages[0], from, id, from_user_id: undefined };
    return JSON.stringify(body);
  };

  test('a known sender is matched to the contact whatever the phone’s format', async () => {
    await app.strapi.documents('api::contact.contact').create({ data: { name: 'Erin Client', phone: '+1 (555) 010-7788' } as any, status: 'published' });
    await postMeta(app.server, n1.webhookUrl, message('15550107788', 'Erin', 'wamid.erin-1'), SECRET);
    await settle(app.strapi);
    expect(await q('conversation').findOne({ where: { customerWaId: '15550107788' } })).toMatchObject({ crmKind: 'contact', crmUid: 'api::contact.contact', crmDocumentId: expect.any(String) });
  });

  test('a known sender’s conversation carries the CRM’s name beside their WhatsApp profile name', async () => {
    await app.strapi.documents('api::contact.contact').create({ data: { name: 'Gina Whitfield', phone: '+1 555 010 4455' } as any, status: 'published' });
    await postMeta(app.server, n1.webhookUrl, message('15550104455', 'gigi 🌸', 'wamid.gina-1'), SECRET);
    await settle(app.strapi);
    const row = await q('conversation').findOne({ where: { customerWaId: '15550104455' } });
    expect(row).toMatchObject({ crmKind: 'contact', crmName: 'Gina Whitfield', customerName: 'gigi 🌸' });
    // The inbox (a super admin here) shows the CRM's name, and finds the conversation by it.
    expect((await admin.get(`/whatsapp/conversations/${row.id}`)).body.data).toMatchObject({ crmName: 'Gina Whitfield', customerName: 'gigi 🌸' });
    expect((await admin.get('/whatsapp/conversations').query({ q: 'whitfield' })).body.data.map((c: any) => c.id)).toEqual([row.id]);
    // A later message with another profile name follows the profile and leaves the CRM's name in place.
    await postMeta(app.server, n1.webhookUrl, message('15550104455', 'G.', 'wamid.gina-2'), SECRET);
    await settle(app.strapi);
    expect(await q('conversation').findOne({ where: { customerWaId: '15550104455' } })).toMatchObject({ crmName: 'Gina Whitfield', customerName: 'G.' });
    // An unknown sender has only the profile name they chose.
    await postMeta(app.server, n1.webhookUrl, message('15550104466', 'Hal Unknown', 'wamid.hal-1'), SECRET);
    await settle(app.strapi);
    expect(await q('conversation').findOne({ where: { customerWaId: '15550104466' } })).toMatchObject({ crmName: null, customerName: 'Hal Unknown' });
  });

  test('a reaction is not unread; the list says who reacted with what; a removed reaction changes nothing', async () => {
    await postMeta(app.server, n1.webhookUrl, message('15550104477', 'Ivy', 'wamid.ivy-1'), SECRET);
    await settle(app.strapi);
    const conversation = await q('conversation').findOne({ where: { customerWaId: '15550104477' } });
    await q('conversation').update({ where: { id: conversation.id }, data: { unread: 0 } });
    const react = (id: string, emoji: string) => {
      const body = fixture('meta/inbound-reaction.json');
      const value = body.entry[0].changes[0].value;
      value.contacts[0] = { profile: { name: 'Ivy' }, wa_id: '15550104477' };
      value.messages[0] = { ...value.messages[0], from: '15550104477', from_user_id: undefined, id, timestamp: String(Math.floor(Date.now() / 1000)), reaction: { message_id: 'wamid.ours-1', emoji } };
      return JSON.stringify(body);
    };
    await postMeta(app.server, n1.webhookUrl, react('wamid.ivy-react-1', '❤️'), SECRET);
    await settle(app.strapi);
    expect(await q('conversation').findOne({ where: { id: conversation.id } })).toMatchObject({ unread: 0, lastMessagePreview: 'Reacted ❤️' });
    await postMeta(app.server, n1.webhookUrl, react('wamid.ivy-react-2', ''), SECRET);
    await settle(app.strapi);
    expect(await q('conversation').findOne({ where: { id: conversation.id } })).toMatchObject({ unread: 0, lastMessagePreview: 'Reacted ❤️' });
  });

  test('a Brazilian contact saved without the ninth digit is matched to the WhatsApp id that has it', async () => {
    await app.strapi.documents('api::contact.contact').create({ data: { name: 'Bruna', phone: '+55 11 8765-4321' } as any, status: 'published' });
    await postMeta(app.server, n1.webhookUrl, message('5511987654321', 'Bruna', 'wamid.bruna-1'), SECRET);
    await settle(app.strapi);
    expect(await q('conversation').findOne({ where: { customerWaId: '5511987654321' } })).toMatchObject({ crmKind: 'contact', customerPhone: '+5511987654321' });
  });

  test('auto-lead off leaves an unknown sender unlinked', async () => {
    await postMeta(app.server, n1.webhookUrl, message('15550201111', 'Nobody', 'wamid.nobody-1'), SECRET);
    await settle(app.strapi);
    expect(await q('conversation').findOne({ where: { customerWaId: '15550201111' } })).toMatchObject({ crmKind: 'unknown', crmDocumentId: null });
    expect(await app.strapi.documents('api::lead.lead').count({ filters: { phone: '+15550201111' } as any })).toBe(0);
  });

  test('auto-lead on: two messages at once from a new sender make exactly one lead', async () => {
    const res = await admin.put('/whatsapp/settings').send({ autoLead: { enabled: true, status: 'new', source: 'whatsapp' } });
    expect(res.status).toBe(200);
    await Promise.all([
      postMeta(app.server, n1.webhookUrl, message('15550301234', 'Frank Newcomer', 'wamid.frank-1'), SECRET),
      postMeta(app.server, n1.webhookUrl, message('15550301234', 'Frank Newcomer', 'wamid.frank-2'), SECRET),
      postMeta(app.server, n2.webhookUrl, message('15550301234', 'Frank Newcomer', 'wamid.frank-3').replace(/109876543210987/g, '209876543210988'), SECRET),
    ]);
    await settle(app.strapi);
    const leads = await app.strapi.documents('api::lead.lead').findMany({ filters: { phone: '+15550301234' } as any });
    expect(leads).toHaveLength(1);
    expect(leads[0]).toMatchObject({ name: 'Frank Newcomer', status: 'new', source: 'whatsapp' });
    const conversations = await q('conversation').findMany({ where: { customerWaId: '15550301234' } });
    expect(conversations).toHaveLength(2);
    for (const c of conversations) expect(c).toMatchObject({ crmKind: 'lead', crmDocumentId: leads[0].documentId });
  });

  test('settings name only fields the host has', async () => {
    const res = await admin.put('/whatsapp/settings').send({ identitySources: [{ kind: 'contact', uid: 'api::contact.contact', phoneField: 'mobile' }] });
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('ValidationError');
  });
});

describe('template and quality updates', () => {
  test('change the stored template and the number’s health', async () => {
    await q('template').create({ data: { numberId: n1.id, name: 'spring_promo', language: 'en_US', status: 'PENDING' } });
    await postMeta(app.server, n1.webhookUrl, fixtureText('meta/template-status-update-rejected.json'), SECRET);
    await postMeta(app.server, n1.webhookUrl, fixtureText('meta/phone-number-quality-update.json'), SECRET);
    await settle(app.strapi);
    expect(await q('template').findOne({ where: { numberId: n1.id, name: 'spring_promo' } })).toMatchObject({ status: 'REJECTED', rejectionReason: expect.stringContaining('INVALID_FORMAT') });
    expect((await q('number').findOne({ where: { id: n1.id } })).health).toBe('THROUGHPUT_UPGRADE');
  });
});

describe('a crash between the answer and the apply', () => {
  test('loses nothing: a restarted Strapi applies what was stored', async () => {
    const inbound = app.strapi.plugin('whatsapp').service('inbound');
    await inbound.stop();
    const body = fixtureText('meta/inbound-text.json').replace(/wamid\.[A-Za-z0-9=]+/, 'wamid.after-crash-1').replace('Hello, is the invoice ready?', 'Sent just before the crash');
    const res = await postMeta(app.server, n1.webhookUrl, body, SECRET);
    expect(res.status).toBe(200);
    expect(await q('message').count({ where: { providerMessageId: 'wamid.after-crash-1' } })).toBe(0);

    await app.stop({ keepDatabase: true });
    app = await startStrapi({}, app.database);
    admin = as(app.server, await login(app.server));
    await app.strapi.plugin('whatsapp').service('inbound').idle();
    expect(await app.strapi.db.query('plugin::whatsapp.message').findOne({ where: { providerMessageId: 'wamid.after-crash-1' } })).toMatchObject({ text: 'Sent just before the crash' });
  });
});

describe('the webhook log', () => {
  test('lists calls with filters, shows a raw body, and never a secret', async () => {
    const rejected = await admin.get('/whatsapp/logs/webhooks').query({ state: 'rejected', numberId: String(n1.id), pageSize: '5' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.data.length).toBeGreaterThan(0);
    expect(rejected.body.data.length).toBeLessThanOrEqual(5);
    expect(rejected.body.data.every((e: any) => e.state === 'rejected' && e.numberId === n1.id)).toBe(true);
    expect(rejected.body.meta.pagination.total).toBeGreaterThanOrEqual(rejected.body.data.length);

    const future = await admin.get('/whatsapp/logs/webhooks').query({ from: '2999-01-01T00:00:00Z' });
    expect(future.body.data).toEqual([]);

    const one = await admin.get(`/whatsapp/logs/webhooks/${rejected.body.data[0].id}`);
    expect(one.status).toBe(200);
    expect(one.body.data).toHaveProperty('rawBody');
    const everything = JSON.stringify((await admin.get('/whatsapp/logs/webhooks').query({ pageSize: '200' })).body);
    for (const secret of [SECRET, NUMBER_1.accessToken, NUMBER_1.verifyToken]) expect(everything).not.toContain(secret);

    expect((await admin.get('/whatsapp/logs/webhooks').query({ state: 'exploded' })).status).toBe(400);
    expect((await admin.get('/whatsapp/logs/webhooks/999999')).status).toBe(404);
  });

  test('an event that keeps failing goes dead, stays visible, and is applied when replayed after the fix', async () => {
    // A lead type that refuses the lead: the name goes into an email field.
    await admin.put('/whatsapp/settings').send({ autoLead: { enabled: true, nameField: 'email' } });
    const body = fixtureText('meta/inbound-text.json').replace(/wamid\.[A-Za-z0-9=]+/, 'wamid.dead-letter-1').replace(/15550002222/g, '15550409999');
    const res = await postMeta(app.server, n1.webhookUrl, body, SECRET);
    for (let i = 0; i < 8; i += 1) await settleWithRetries(app.strapi);

    const dead = await admin.get(`/whatsapp/logs/webhooks/${res.body.eventId}`);
    expect(dead.body.data).toMatchObject({ state: 'dead', lastError: expect.stringMatching(/.+/) });
    expect(await q('message').count({ where: { providerMessageId: 'wamid.dead-letter-1' } })).toBe(0);
    expect((await admin.get('/whatsapp/logs/webhooks').query({ state: 'dead' })).body.data.map((e: any) => e.id)).toContain(res.body.eventId);

    await admin.put('/whatsapp/settings').send({ autoLead: { nameField: 'name' } });
    const replay = await admin.post(`/whatsapp/logs/webhooks/${res.body.eventId}/replay`);
    expect(replay.status).toBe(200);
    await settle(app.strapi);
    expect((await admin.get(`/whatsapp/logs/webhooks/${res.body.eventId}`)).body.data.state).toBe('done');
    expect(await q('message').count({ where: { providerMessageId: 'wamid.dead-letter-1' } })).toBe(1);
  });

  test('replaying a time range applies nothing twice; a rejected call cannot be replayed', async () => {
    const before = await q('message').count({});
    const res = await admin.post('/whatsapp/logs/webhooks/replay').send({ from: '2000-01-01T00:00:00Z', to: '2999-01-01T00:00:00Z', numberId: n1.id });
    expect(res.status).toBe(200);
    expect(res.body.data.replayed).toBeGreaterThan(5);
    await settle(app.strapi);
    expect(await q('message').count({})).toBe(before);

    const rejected = (await admin.get('/whatsapp/logs/webhooks').query({ state: 'rejected' })).body.data[0];
    const refused = await admin.post(`/whatsapp/logs/webhooks/${rejected.id}/replay`);
    expect(refused.status).toBe(400);
    expect((await admin.post('/whatsapp/logs/webhooks/replay').send({ from: 'yesterday' })).status).toBe(400);
  });

  test('staff without the logs permission get 403', async () => {
    const { createStaff } = await import('../helpers/admin');
    const { token } = await createStaff(app.strapi, app.server, 'NoLogs', ['plugin::whatsapp.numbers.read']);
    const staff = as(app.server, token);
    expect((await staff.get('/whatsapp/logs/webhooks')).status).toBe(403);
    expect((await staff.post('/whatsapp/logs/webhooks/1/replay')).status).toBe(403);
  });
});

describe('one customer’s messages apply in the order they came', () => {
  const messageFrom = (from: string, id: string, text: string, second: number) => {
    const body = fixture('meta/inbound-text.json');
    const value = body.entry[0].changes[0].value;
    value.contacts = [{ profile: { name: `In order ${from}` }, wa_id: from }];
    value.messages[0] = { ...value.messages[0], from, id, timestamp: String(Math.floor(Date.UTC(2026, 4, 1) / 1000) + second), text: { body: text } };
    delete value.messages[0].from_user_id;
    return JSON.stringify(body);
  };
  const inbound = () => app.strapi.plugin('whatsapp').service('inbound');
  const messagesOf = async (from: string) => {
    const conversation = await q('conversation').findOne({ where: { numberId: n1.id, customerWaId: from } });
    return conversation ? q('message').findMany({ where: { conversationId: conversation.id }, orderBy: { id: 'asc' } }) : [];
  };

  test('a later call waits while an earlier call of the same customer is leased by another worker', async () => {
    const from = '15550003201';
    await inbound().stop();
    let first: any;
    let second: any;
    let other: any;
    try {
      first = await postMeta(app.server, n1.webhookUrl, messageFrom(from, 'wamid.order-lease-1', 'first', 1), SECRET);
      // Another worker (another instance) holds the first call.
      await q('webhook-event').update({ where: { id: first.body.eventId }, data: { lockedUntil: new Date(Date.now() + 60_000), attempts: 1 } });
      second = await postMeta(app.server, n1.webhookUrl, messageFrom(from, 'wamid.order-lease-2', 'second', 2), SECRET);
      other = await postMeta(app.server, n1.webhookUrl, messageFrom('15550003202', 'wamid.order-lease-other', 'someone else', 3), SECRET);
    } finally {
      inbound().start();
    }
    await settle(app.strapi);
    // Someone else's message is not held up; this customer's second one waits for the first.
    expect((await q('webhook-event').findOne({ where: { id: other.body.eventId } })).state).toBe('done');
    expect((await q('webhook-event').findOne({ where: { id: second.body.eventId } })).state).toBe('pending');
    expect(await messagesOf(from)).toHaveLength(0);

    // The other worker lets go (its lease ran out): both apply, first before second.
    await q('webhook-event').update({ where: { id: first.body.eventId }, data: { lockedUntil: null } });
    await settle(app.strapi);
    expect((await messagesOf(from)).map((m: any) => m.providerMessageId)).toEqual(['wamid.order-lease-1', 'wamid.order-lease-2']);
    expect((await q('conversation').findOne({ where: { numberId: n1.id, customerWaId: from } })).lastMessagePreview).toBe('second');
  });

  test('a later call waits while an earlier call of the same customer waits to be tried again', async () => {
    const from = '15550003203';
    const before = (await admin.get('/whatsapp/settings')).body.data.autoLead;
    // A lead type that refuses the lead (the name goes into an email field): the first call fails once.
    await admin.put('/whatsapp/settings').send({ autoLead: { enabled: true, nameField: 'email' } });
    try {
      const first = await postMeta(app.server, n1.webhookUrl, messageFrom(from, 'wamid.order-retry-1', 'first', 1), SECRET);
      await settle(app.strapi);
      const failed = await q('webhook-event').findOne({ where: { id: first.body.eventId } });
      expect(failed).toMatchObject({ state: 'pending', attempts: 1 });
      expect(new Date(failed.lockedUntil).getTime()).toBeGreaterThan(Date.now());

      await admin.put('/whatsapp/settings').send({ autoLead: { nameField: 'name' } });
      const second = await postMeta(app.server, n1.webhookUrl, messageFrom(from, 'wamid.order-retry-2', 'second', 2), SECRET);
      await settle(app.strapi);
      expect((await q('webhook-event').findOne({ where: { id: second.body.eventId } })).state).toBe('pending');
      expect(await messagesOf(from)).toHaveLength(0);

      await settleWithRetries(app.strapi);
      expect((await messagesOf(from)).map((m: any) => m.providerMessageId)).toEqual(['wamid.order-retry-1', 'wamid.order-retry-2']);
      const rows = await q('webhook-event').findMany({ where: { id: { $in: [first.body.eventId, second.body.eventId] } } });
      expect(rows.map((r: any) => r.state)).toEqual(['done', 'done']);
    } finally {
      await admin.put('/whatsapp/settings').send({ autoLead: before });
    }
  });
});
