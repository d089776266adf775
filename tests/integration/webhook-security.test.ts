import crypto from 'node:crypto';
import request from 'supertest';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { as, login } from '../helpers/admin';
import { fixture, fixtureText } from '../helpers/fixtures';
import { postMeta, settle } from '../helpers/webhooks';

const SECRET = 'webhook-security-app-secret';
const META = { label: 'Meta', provider: 'meta', phone: '+15550007001', phoneNumberId: '309876543210001', wabaId: '303040506070001', accessToken: 'token-sec-000000000', appSecret: SECRET, verifyToken: 'verify-sec' };
// Two Gupshup apps under one account: one API key, possibly two teams.
const GS_KEY = 'gs-shared-key-0000000000';
const GUPSHUP_A = { label: 'Gupshup A', provider: 'gupshup', phone: '+919800000001', appName: 'SecAppA', apiKey: GS_KEY };
const GUPSHUP_B = { label: 'Gupshup B', provider: 'gupshup', phone: '+919800000002', appName: 'SecAppB', apiKey: GS_KEY };
const AISENSY = { label: 'AiSensy', provider: 'aisensy', phone: '+919800000003', apiKey: 'ai-key-sec-000001', webhookSecret: 'aisensy-hook-secret' };

let app: TestApp;
let admin: ReturnType<typeof as>;
let meta: any;
let gsA: any;
let gsB: any;

const q = (name: string) => app.strapi.db.query(`plugin::whatsapp.${name}` as any);
const row = (id: number) => q('webhook-event').findOne({ where: { id } });
const lastRow = async () => (await q('webhook-event').findMany({ orderBy: { id: 'desc' }, limit: 1 }))[0];
const pathOf = (n: any) => new URL(n.webhookUrl).pathname;
const keyOf = (n: any) => pathOf(n).split('/').pop()!;

const gupshupText = (app: string, id: string, from: string, text: string) => {
  const body = fixture('gupshup/inbound-text.json');
  body.app = app;
  body.payload = { ...body.payload, id, source: from, payload: { text }, sender: { ...body.payload.sender, phone: from } };
  return JSON.stringify(body);
};
// The bytes as given: superagent would serialise a Buffer as JSON.
const postJson = (n: any, raw: string | Buffer) => request(app.server).post(pathOf(n)).set('Content-Type', 'application/json').serialize((body: any) => body).send(raw);

beforeAll(async () => {
  app = await startStrapi();
  admin = as(app.server, await login(app.server));
  const create = async (input: object) => {
    const res = await admin.post('/whatsapp/numbers').send(input);
    if (res.status !== 201 && res.status !== 200) throw new Error(`number not created: ${JSON.stringify(res.body)}`);
    return res.body.data;
  };
  meta = await create(META);
  gsA = await create(GUPSHUP_A);
  gsB = await create(GUPSHUP_B);
});
afterAll(async () => {
  await app?.stop();
});

describe('an unsigned call speaks only for the number whose URL it came to', () => {
  test("a Gupshup call on A's URL naming B's app is refused and nothing reaches B, though both share one API key", async () => {
    const res = await postJson(gsA, gupshupText(GUPSHUP_B.appName, 'gs.cross-1', '15550007101', 'injected into B'));
    expect(res.status).toBe(403);
    expect(res.body.error).toMatch(/SecAppB.*not this number/);
    expect(await row(res.body.eventId)).toMatchObject({ state: 'rejected', numberId: gsA.id, lastError: expect.stringMatching(/SecAppB/) });
    await settle(app.strapi);
    expect(await q('message').count({ where: { providerMessageId: 'gs.cross-1' } })).toBe(0);
  });

  test("a call naming its own app is applied to its own number", async () => {
    const res = await postJson(gsA, gupshupText(GUPSHUP_A.appName, 'gs.own-1', '15550007102', 'hello A'));
    expect(res.status).toBe(200);
    await settle(app.strapi);
    expect(await q('message').findOne({ where: { providerMessageId: 'gs.own-1' } })).toMatchObject({ numberId: gsA.id, text: 'hello A' });
  });
});

describe('what is kept of a refused body', () => {
  test('an unsigned 1 MB body keeps its first 2 KB, its size and its sha256, not the whole', async () => {
    const raw = JSON.stringify({ object: 'whatsapp_business_account', entry: [], pad: 'é'.repeat(512 * 1024) });
    const res = await postMeta(app.server, meta.webhookUrl, raw, 'not-the-secret');
    expect(res.status).toBe(401);
    const stored = await row(res.body.eventId);
    expect(stored.state).toBe('rejected');
    expect(Buffer.byteLength(stored.rawBody, 'utf8')).toBeLessThanOrEqual(2048);
    expect(raw.startsWith(stored.rawBody)).toBe(true);
    const size = Buffer.byteLength(raw);
    const sha = crypto.createHash('sha256').update(raw).digest('hex');
    expect(stored.lastError).toMatch(/signature does not match/);
    expect(stored.lastError).toContain(`of ${size} bytes kept, sha256 ${sha}`);
  });
});

describe('one call cannot stall every number', () => {
  const statuses = (count: number, prefix: string) =>
    JSON.stringify({
      object: 'whatsapp_business_account',
      gs_app_id: GUPSHUP_A.appName,
      entry: [{ changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', statuses: Array.from({ length: count }, (_, i) => ({ gs_id: `${prefix}-gs-${i}`, id: `wamid.${prefix}-${i}`, recipient_id: `1555${String(i).padStart(7, '0')}`, status: 'delivered', timestamp: 1767225700000 + i })) } }] }],
    });

  test('a call over the event cap is refused with 400 and a log row', async () => {
    const res = await postJson(gsA, statuses(2001, 'over-cap'));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/too many events.*2001/);
    expect(await row(res.body.eventId)).toMatchObject({ state: 'rejected', lastError: expect.stringMatching(/too many events/) });
  });

  test("B's message is applied while A's big call of unknown statuses is still being worked through, and A's call ends applied, its receipts unmatched and not retried", async () => {
    const inbound = app.strapi.plugin('whatsapp').service('inbound');
    await inbound.stop();
    const big = await postJson(gsA, statuses(900, 'unknown'));
    expect(big.status).toBe(200);
    const small = await postJson(gsB, gupshupText(GUPSHUP_B.appName, 'gs.b-while-a', '15550007201', 'for B'));
    expect(small.status).toBe(200);

    inbound.start();
    await inbound.idle();

    const applied = (await q('applied-event').findMany({ where: { webhookEventId: { $in: [big.body.eventId, small.body.eventId] } }, orderBy: { id: 'asc' } })) as any[];
    const unmatched = applied.filter((a) => a.webhookEventId === big.body.eventId);
    expect(unmatched).toHaveLength(900);
    expect(unmatched.every((a) => a.outcome === 'unmatched')).toBe(true);
    const bMessage = applied.find((a) => a.webhookEventId === small.body.eventId);
    // Applied order: B's message came before the last of A's receipts, so A's call did not hold it.
    expect(bMessage.id).toBeLessThan(unmatched[unmatched.length - 1].id);
    expect(await q('message').findOne({ where: { providerMessageId: 'gs.b-while-a' } })).toMatchObject({ numberId: gsB.id });

    expect(await row(big.body.eventId)).toMatchObject({ state: 'done', attempts: 1, lastError: expect.stringMatching(/^unmatched: 900 /) });
  });
});

describe('handshake', () => {
  test('a verify token of the right length with a non-ASCII character is a 403, not a 500', async () => {
    const token = 'vérify-sec'; // as many characters as the real one, one more byte
    expect(token.length).toBe(META.verifyToken.length);
    const res = await request(app.server).get(pathOf(meta)).query({ 'hub.mode': 'subscribe', 'hub.verify_token': token, 'hub.challenge': '77' });
    expect(res.status).toBe(403);
  });
});

describe('the request log', () => {
  test('never shows a webhook URL key or the verify token', async () => {
    const http = jest.spyOn(app.strapi.log, 'http');
    try {
      await request(app.server).get(pathOf(meta)).query({ 'hub.mode': 'subscribe', 'hub.verify_token': META.verifyToken, 'hub.challenge': '5' }).expect(200);
      await postMeta(app.server, meta.webhookUrl, fixtureText('meta/inbound-text.json'), SECRET);
      await postJson(gsA, '{"not":"gupshup"}');
      const lines = http.mock.calls.map((call) => String(call[0]));
      expect(lines.filter((line) => line.includes('/api/whatsapp/webhooks/'))).toHaveLength(3);
      for (const line of lines) {
        for (const secret of [keyOf(meta), keyOf(gsA), META.verifyToken]) expect(line).not.toContain(secret);
      }
    } finally {
      http.mockRestore();
    }
  });
});

describe('body limits', () => {
  test("the host's routes keep Strapi's JSON limit while a 3 MB signed Meta webhook is accepted", async () => {
    const lead = await request(app.server).post('/api/leads').set('Content-Type', 'application/json').send(JSON.stringify({ data: { name: 'x'.repeat(2 * 1024 * 1024) } }));
    expect(lead.status).toBe(413);

    const body = fixture('meta/inbound-text.json');
    body.entry[0].changes[0].value.metadata.phone_number_id = META.phoneNumberId;
    body.entry[0].changes[0].value.messages[0].id = 'wamid.three-megabytes';
    body.pad = 'y'.repeat(3 * 1024 * 1024);
    const raw = JSON.stringify(body);
    const res = await postMeta(app.server, meta.webhookUrl, raw, SECRET);
    expect(res.status).toBe(200);
    expect((await row(res.body.eventId)).rawBody).toBe(raw);
  });
});

describe('credentials that cannot be read', () => {
  test('an AiSensy number whose secret cannot be decrypted refuses webhooks instead of skipping the signature, and shows why', async () => {
    const number = (await admin.post('/whatsapp/numbers').send(AISENSY)).body.data;
    // Sealed with a key this server does not have (the encryption key was changed).
    await q('number').update({ where: { id: number.id }, data: { credentials: 'v1:0badc0de:AAAA:AAAA:AAAA' } });
    const body = JSON.stringify({ id: 'n1', topic: 'message.sender.user', project_id: 'p1', data: { message: { id: 'ai.unsigned-1', phone_number: '+15550007301', message_type: 'TEXT', message_content: { text: { body: 'unsigned' } } } } });
    const res = await postJson(number, body);
    expect(res.status).toBe(403);
    expect(res.body.error).toMatch(/credentials cannot be read/);
    expect(await lastRow()).toMatchObject({ state: 'rejected', numberId: number.id, lastError: expect.stringMatching(/credentials cannot be read/) });
    expect((await admin.get(`/whatsapp/numbers/${number.id}`)).body.data.health).toBe('credentials-unreadable');
  });
});

describe('a body the worker could never parse', () => {
  test('bytes that are not UTF-8 are refused at ingest with 400, not acknowledged and left dead', async () => {
    const text = gupshupText(GUPSHUP_A.appName, 'gs.latin1-1', '15550007401', 'caf__');
    const raw = Buffer.concat([Buffer.from(text.slice(0, text.indexOf('__'))), Buffer.from([0xe9, 0xff]), Buffer.from(text.slice(text.indexOf('__') + 2))]);
    const res = await postJson(gsA, raw);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/UTF-8/);
    expect(await row(res.body.eventId)).toMatchObject({ state: 'rejected' });
  });

  test('a NUL character escaped in the JSON (which PostgreSQL text refuses) is dropped, and the message applied', async () => {
    const raw = gupshupText(GUPSHUP_A.appName, 'gs.nul-1', '15550007402', 'before\u0000after');
    expect(raw).toContain('before\\u0000after');
    const res = await postJson(gsA, raw);
    expect(res.status).toBe(200);
    await settle(app.strapi);
    expect(await row(res.body.eventId)).toMatchObject({ state: 'done' });
    expect(await q('message').findOne({ where: { providerMessageId: 'gs.nul-1' } })).toMatchObject({ text: 'beforeafter' });
  });

  test('a raw NUL byte in a body that is not JSON is a 400 with a log row (the reason quotes it; PostgreSQL text refuses NUL)', async () => {
    const res = await postJson(gsA, Buffer.from('{"app":\u0000}', 'utf8'));
    expect(res.status).toBe(400);
    expect(await row(res.body.eventId)).toMatchObject({ state: 'rejected' });
  });

  test('a NUL character in a JSON key (PostgreSQL json refuses it too) is dropped, and the message applied', async () => {
    const body = JSON.parse(gupshupText(GUPSHUP_A.appName, 'gs.nul-key-1', '15550007403', 'hello'));
    body.payload.payload = { ...body.payload.payload, 'odd\u0000key': 'x' };
    const raw = JSON.stringify(body);
    expect(raw).toContain('odd\\u0000key');
    const res = await postJson(gsA, raw);
    expect(res.status).toBe(200);
    await settle(app.strapi);
    expect(await row(res.body.eventId)).toMatchObject({ state: 'done' });
    const message = await q('message').findOne({ where: { providerMessageId: 'gs.nul-key-1' } });
    expect(message).toMatchObject({ text: 'hello' });
    expect(JSON.stringify(message.payload)).not.toContain('\\u0000');
  });
});
