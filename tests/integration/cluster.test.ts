/**
 * Several instances: two example CRMs as real `strapi start` processes on one PostgreSQL schema and
 * one Redis (a key prefix of this run's own). Multi-instance needs PostgreSQL, so this file always
 * runs on it; jest.config.js keeps it out of the SQLite run and in the PostgreSQL one.
 */
import crypto from 'node:crypto';
import Redis from 'ioredis';
import { Client } from 'pg';
import { createSimulator, type RunningSimulator } from '../../simulator';
import { adminToken, createExampleDatabase, startExample, type ExampleDatabase, type ExampleServer } from '../e2e/support/exampleServer';
import { as } from '../helpers/admin';
import { openStream } from '../helpers/sse';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `wa-test-${process.pid}-${crypto.randomBytes(3).toString('hex')}`;
const PNID = '109876543210987';
const WABA = '102030405060708';
const LIMIT = 10;
const SENDS = 60;

let sim: RunningSimulator;
let database: ExampleDatabase;
let a: ExampleServer;
let b: ExampleServer;
let adminA: ReturnType<typeof as>;
let adminB: ReturnType<typeof as>;
let tokenA: string;
let tokenB: string;
let number: any;
let pg: Client;

const table = (name: string) => `"${database.env.DATABASE_SCHEMA}"."${name}"`;

const until = async <T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
};

beforeAll(async () => {
  sim = await createSimulator();
  database = await createExampleDatabase('postgres');
  const env = {
    WHATSAPP_REDIS_URL: REDIS_URL,
    WHATSAPP_REDIS_PREFIX: PREFIX,
    WHATSAPP_META_BASE_URL: sim.url,
    // Every 2 s, so the test sees several ticks; each must run on one instance only.
    WHATSAPP_CRON_TEMPLATE_SYNC: '*/2 * * * * *',
  };
  // One after the other: the first creates the tables, the second finds them.
  a = await startExample(env, { database, adminPanel: false });
  b = await startExample(env, { database, adminPanel: false });
  [tokenA, tokenB] = [await adminToken(a.baseUrl), await adminToken(b.baseUrl)];
  adminA = as(a.baseUrl, tokenA);
  adminB = as(b.baseUrl, tokenB);
  pg = new Client({ host: database.env.DATABASE_HOST, port: Number(database.env.DATABASE_PORT), database: database.env.DATABASE_NAME, user: database.env.DATABASE_USERNAME, password: database.env.DATABASE_PASSWORD });
  await pg.connect();

  const created = await adminA.post('/whatsapp/numbers').send({ label: 'Cluster', provider: 'meta', phone: '+15550001111', phoneNumberId: PNID, wabaId: WABA, accessToken: 'cluster-token-0001', appSecret: 'cluster-secret', verifyToken: 'v', throughputMps: LIMIT });
  expect(created.status).toBe(201);
  number = created.body.data;
  // The provider calls instance A only.
  const webhookUrl = number.webhookUrl.replace(/^https?:\/\/[^/]+/, a.baseUrl);
  await sim.client.addMetaNumber({ phoneNumberId: PNID, wabaId: WABA, displayPhoneNumber: '15550001111', accessToken: 'cluster-token-0001', appSecret: 'cluster-secret', webhookUrl, throughputMps: LIMIT });
  await sim.client.createTemplate({ wabaId: WABA, name: 'cluster_hello', language: 'en_US', category: 'UTILITY', status: 'APPROVED', body: 'Hello {{1}}' });
  expect((await adminA.post('/whatsapp/templates/sync').send({ numberId: number.id })).status).toBe(200);
}, 300_000);

afterAll(async () => {
  await pg?.end().catch(() => undefined);
  await Promise.all([a?.stop(), b?.stop()]);
  await database?.drop();
  await sim?.close();
  const redis = new Redis(REDIS_URL);
  const keys: string[] = [];
  for await (const batch of redis.scanStream({ match: `${PREFIX}:*`, count: 500 })) keys.push(...(batch as string[]));
  if (keys.length) await redis.del(...keys);
  await redis.quit();
}, 120_000);

test('a message arriving by webhook at instance A reaches streams on A and B under one event id; a reconnect to the other instance replays what it missed', async () => {
  const onB = await openStream(`${b.baseUrl}/whatsapp/stream`, { Authorization: `Bearer ${tokenB}` });
  const onA = await openStream(`${a.baseUrl}/whatsapp/stream`, { Authorization: `Bearer ${tokenA}` });
  expect([onA.status, onB.status]).toEqual([200, 200]);
  await Promise.all([onA.waitFor((e) => e.event === 'ready'), onB.waitFor((e) => e.event === 'ready')]);

  const first = await sim.client.customerSends({ from: '15550002222', to: PNID, name: 'Alice', text: 'hello through A' });
  expect(first.webhook?.statusCode).toBe(200);
  const isFirst = (e: any) => e.event === 'message.created' && e.data.numberId === number.id;
  const [seenB, seenA] = await Promise.all([onB.waitFor(isFirst, 20_000), onA.waitFor(isFirst, 20_000)]);
  expect(seenB.id).toBe(seenA.id);
  onA.close();
  onB.close();

  await sim.client.customerSends({ from: '15550002222', to: PNID, text: 'while nobody listens' });
  const row = await until('the second message stored', async () => {
    const { rows } = await pg.query(`SELECT id FROM ${table('whatsapp_messages')} WHERE text = $1`, ['while nobody listens']);
    return rows[0];
  });
  const again = await openStream(`${a.baseUrl}/whatsapp/stream`, { Authorization: `Bearer ${tokenA}`, 'Last-Event-ID': String(seenB.id) });
  const missed = await again.waitFor((e) => e.event === 'message.created' && e.data.messageId === row.id, 20_000);
  expect(Number(missed.id)).toBeGreaterThan(Number(seenB.id));
  await again.waitFor((e) => e.event === 'ready');
  const ids = again.events.filter((e) => e.id).map((e) => e.id);
  expect(ids).not.toContain(seenB.id);
  expect(new Set(ids).size).toBe(ids.length);
  again.close();
}, 90_000);

test('a stream ticket from instance A is redeemed on instance B, once', async () => {
  const issued = await adminA.post('/whatsapp/stream/ticket');
  expect(issued.status).toBe(200);
  const ticket = issued.body.data.ticket;
  const onB = await openStream(`${b.baseUrl}/api/whatsapp/stream?ticket=${ticket}`);
  expect(onB.status).toBe(200);
  await onB.waitFor((e) => e.event === 'ready');
  onB.close();
  const reusedOnA = await openStream(`${a.baseUrl}/api/whatsapp/stream?ticket=${ticket}`);
  expect(reusedOnA.status).toBe(401);
  reusedOnA.close();
  const reusedOnB = await openStream(`${b.baseUrl}/api/whatsapp/stream?ticket=${ticket}`);
  expect(reusedOnB.status).toBe(401);
  reusedOnB.close();
}, 30_000);

test(`${SENDS} sends queued on both instances to a number limited to ${LIMIT}/s: both instances send, none over the limit at the provider, none twice`, async () => {
  const since = (await sim.client.requests({ provider: 'meta' })).reduce((max: number, r: any) => Math.max(max, r.seq), 0);
  const phones = Array.from({ length: SENDS }, (_, i) => `1555080${String(i).padStart(4, '0')}`);
  await Promise.all(phones.map((phone) => sim.client.setCustomer({ phone, reachable: true })));
  const template = { name: 'cluster_hello', language: 'en_US', params: { body: [{ type: 'text', text: 'there' }] } };
  const messageIds: number[] = [];
  // Queued faster than the limit, half through each instance.
  for (let i = 0; i < SENDS; i += 10) {
    const answers = await Promise.all(phones.slice(i, i + 10).map((phone, j) => ((i + j) % 2 ? adminB : adminA).post('/whatsapp/conversations').send({ numberId: number.id, to: `+${phone}`, template })));
    for (const res of answers) {
      expect(res.status).toBe(201);
      messageIds.push(res.body.data.message.id);
    }
  }

  const sent = await until('every message sent', async () => {
    const received = (await sim.client.outbound({ business: PNID })).filter((m: any) => phones.includes(m.to));
    return received.length >= SENDS ? received : null;
  }, 60_000);

  // Let anything that would come twice come.
  await new Promise((r) => setTimeout(r, 2_000));
  const received = (await sim.client.outbound({ business: PNID })).filter((m: any) => phones.includes(m.to));
  expect(received).toHaveLength(SENDS);
  expect(new Set(received.map((m: any) => m.to)).size).toBe(SENDS);
  expect(sent.length).toBe(SENDS);

  const calls = (await sim.client.requests({ provider: 'meta', method: 'POST', since })).filter((r: any) => /\/messages$/.test(r.path));
  expect(calls.filter((r: any) => JSON.stringify(r.response ?? '').includes('130429'))).toHaveLength(0);
  const times = received.map((m: any) => m.at as number).sort((x, y) => x - y);
  expect(times.flatMap((t, i) => (i >= LIMIT && t - times[i - LIMIT] < 1000 ? [i] : []))).toEqual([]);

  const { rows } = await pg.query(`SELECT status, attempts, dispatched_by FROM ${table('whatsapp_messages')} WHERE id = ANY($1::int[])`, [messageIds]);
  expect(rows).toHaveLength(SENDS);
  expect(rows.filter((r) => !['sent', 'delivered', 'read'].includes(r.status) || r.attempts !== 1)).toEqual([]);
  expect(new Set(rows.map((r) => r.dispatched_by)).size).toBe(2);
}, 120_000);

test('rows left sending go to review: an instance’s that stopped, and a live one’s that it is not sending', async () => {
  const { rows: owners } = await pg.query(`SELECT DISTINCT dispatched_by FROM ${table('whatsapp_messages')} WHERE dispatched_by IS NOT NULL`);
  const live = owners[0].dispatched_by as string;
  const { rows: conv } = await pg.query(`SELECT id FROM ${table('whatsapp_conversations')} LIMIT 1`);
  const insert = async (text: string, owner: string) => {
    const now = new Date();
    const { rows } = await pg.query(
      `INSERT INTO ${table('whatsapp_messages')} (document_id, number_id, conversation_id, direction, type, text, status, source, attempts, dispatched_by, created_at, updated_at, published_at)
       VALUES ($1, $2, $3, 'out', 'text', $4, 'sending', 'inbox', 1, $5, $6, $6, $6) RETURNING id`,
      [crypto.randomBytes(12).toString('hex'), number.id, conv[0].id, text, owner, now]
    );
    return rows[0].id as number;
  };
  const orphan = await insert('left by a crashed instance', 'instance-that-crashed');
  // A claim the live instance holds no send for (as if its send died past the provider call).
  const stray = await insert('claimed, not being sent', live);
  const status = async (id: number) => (await pg.query(`SELECT status FROM ${table('whatsapp_messages')} WHERE id = $1`, [id])).rows[0].status;
  await until('both put to review', async () => (await status(orphan)) === 'review' && (await status(stray)) === 'review', 40_000);
  const texts = (await sim.client.outbound({ business: PNID })).map((m: any) => m.text);
  expect(texts).not.toContain('left by a crashed instance');
  expect(texts).not.toContain('claimed, not being sent');
}, 60_000);

test('sends in flight on a live instance outlast the other instance’s sweeps untouched', async () => {
  // Answers take longer than a sweep period (10 s), so every instance sweeps while the sends are out.
  await sim.client.setFault(PNID, { latencyMs: 12_000 } as any);
  const phones = Array.from({ length: 4 }, (_, i) => `1555085${String(i).padStart(4, '0')}`);
  await Promise.all(phones.map((phone) => sim.client.setCustomer({ phone, reachable: true })));
  const template = { name: 'cluster_hello', language: 'en_US', params: { body: [{ type: 'text', text: 'slow' }] } };
  const ids: number[] = [];
  for (const [i, phone] of phones.entries()) {
    const res = await (i % 2 ? adminB : adminA).post('/whatsapp/conversations').send({ numberId: number.id, to: `+${phone}`, template });
    expect(res.status).toBe(201);
    ids.push(res.body.data.message.id);
  }
  const rowsOf = async () => (await pg.query(`SELECT id, status, dispatched_by FROM ${table('whatsapp_messages')} WHERE id = ANY($1::int[])`, [ids])).rows;
  await until('all four out at the provider', async () => (await rowsOf()).every((r) => r.status === 'sending'), 20_000);
  await sim.client.setFault(PNID, { latencyMs: 0 } as any);
  const done = await until('all four answered', async () => {
    const rows = await rowsOf();
    return rows.every((r) => r.status !== 'sending') ? rows : null;
  }, 30_000);
  expect(done.filter((r) => !['sent', 'delivered', 'read'].includes(r.status))).toEqual([]);
  const received = (await sim.client.outbound({ business: PNID })).filter((m: any) => phones.includes(m.to));
  expect(received.map((m: any) => m.to).sort()).toEqual([...phones].sort());
}, 90_000);

test('the cron job ticking on both instances runs once per tick', async () => {
  const since = (await sim.client.requests({ provider: 'meta' })).reduce((max: number, r: any) => Math.max(max, r.seq), 0);
  await new Promise((r) => setTimeout(r, 9_000));
  const syncs = (await sim.client.requests({ provider: 'meta', method: 'GET', since })).filter((r: any) => r.path.endsWith(`/${WABA}/message_templates`));
  // Ticks every 2 s on both instances: 4 or 5 in 9 s, each one listing call (one page).
  expect(syncs.length).toBeGreaterThanOrEqual(3);
  const gaps = syncs.slice(1).map((r: any, i: number) => r.at - syncs[i].at);
  expect(gaps.filter((gap: number) => gap < 1_000)).toEqual([]);
}, 30_000);

// Last: it ends instance B.
test('an instance killed mid-send: its rows in flight go to review on the other instance and are never sent again; the survivor sends the rest, each once', async () => {
  // Answers take 3 s, so sends are caught between leaving and their answer; the provider still takes them.
  await sim.client.setFault(PNID, { latencyMs: 3_000 } as any);
  const phones = Array.from({ length: 8 }, (_, i) => `1555090${String(i).padStart(4, '0')}`);
  await Promise.all(phones.map((phone) => sim.client.setCustomer({ phone, reachable: true })));
  const template = { name: 'cluster_hello', language: 'en_US', params: { body: [{ type: 'text', text: 'crash' }] } };
  const ids: number[] = [];
  for (const phone of phones) {
    const res = await adminA.post('/whatsapp/conversations').send({ numberId: number.id, to: `+${phone}`, template });
    expect(res.status).toBe(201);
    ids.push(res.body.data.message.id);
  }
  const ofB = `%-${b.pid}-%`;
  const caught = await until('instance B in the middle of a send', async () => {
    const { rows } = await pg.query(`SELECT id FROM ${table('whatsapp_messages')} WHERE id = ANY($1::int[]) AND status = 'sending' AND dispatched_by LIKE $2`, [ids, ofB]);
    return rows.length ? rows : null;
  }, 30_000);
  await b.crash();
  const { rows: leftByB } = await pg.query(`SELECT id FROM ${table('whatsapp_messages')} WHERE id = ANY($1::int[]) AND status = 'sending' AND dispatched_by LIKE $2`, [ids, ofB]);
  expect(caught.length).toBeGreaterThan(0);
  expect(leftByB.length).toBeGreaterThan(0);
  await sim.client.setFault(PNID, { latencyMs: 0 } as any);

  const final = await until('every row sent or put to review', async () => {
    const { rows } = await pg.query(`SELECT id, status FROM ${table('whatsapp_messages')} WHERE id = ANY($1::int[])`, [ids]);
    return rows.every((r) => ['sent', 'delivered', 'read', 'review'].includes(r.status)) ? rows : null;
  }, 150_000);
  const reviewed = final.filter((r) => r.status === 'review').map((r) => r.id).sort();
  expect(reviewed).toEqual(leftByB.map((r) => r.id).sort());
  expect(final.filter((r) => r.status !== 'review')).toHaveLength(ids.length - reviewed.length);

  // Nothing twice: a row B left in flight may or may not have reached the provider before the kill
  // (that is why it is put up for review), and it is never sent again; every other row arrived once.
  await new Promise((r) => setTimeout(r, 2_000));
  const received = (await sim.client.outbound({ business: PNID })).filter((m: any) => phones.includes(m.to)).map((m: any) => m.to);
  expect(new Set(received).size).toBe(received.length);
  const sentPhones = final.filter((r) => r.status !== 'review').map((r) => phones[ids.indexOf(r.id)]);
  expect(received).toEqual(expect.arrayContaining(sentPhones));
  expect(received.length).toBeGreaterThanOrEqual(ids.length - reviewed.length);
}, 240_000);
