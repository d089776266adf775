/**
 * Campaigns on several instances: two example CRMs as real `strapi start` processes on one
 * PostgreSQL schema and one Redis (a key prefix of this run's own). A campaign launched on one
 * instance is sent by both, each recipient once, never over the number's limit at the provider;
 * and the campaign scheduler ticking on both (every 2 s) starts each due occurrence once.
 * Multi-instance needs PostgreSQL: jest.config.js keeps this file out of the SQLite run.
 */
import crypto from 'node:crypto';
import Redis from 'ioredis';
import { Client } from 'pg';
import { createSimulator, type RunningSimulator } from '../../simulator';
import { adminToken, createExampleDatabase, startExample, type ExampleDatabase, type ExampleServer } from '../e2e/support/exampleServer';
import { as } from '../helpers/admin';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `wa-test-${process.pid}-${crypto.randomBytes(3).toString('hex')}`;
const PNID = '109876543210989';
const WABA = '102030405060709';
const LIMIT = 10;
const COUNT = 60;

let sim: RunningSimulator;
let database: ExampleDatabase;
let a: ExampleServer;
let b: ExampleServer;
let adminA: ReturnType<typeof as>;
let adminB: ReturnType<typeof as>;
let number: any;
let pg: Client;

const table = (name: string) => `"${database.env.DATABASE_SCHEMA}"."${name}"`;

const until = async <T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
};

const csvOf = (phones: string[]) => ['phone,name', ...phones.map((p, i) => `+${p},Customer ${i}`)].join('\n');
const campaignBody = (name: string, phones: string[], schedule: Record<string, unknown> = { type: 'now' }) => ({
  name,
  numberId: number.id,
  template: { name: 'cluster_notice', language: 'en_US' },
  parameters: [{ component: 'body', index: 0, from: 'column', value: 'name' }],
  audience: { csv: csvOf(phones) },
  schedule,
});
/** Template messages the simulator accepted for these phones. */
const received = async (phones: string[]) => ((await sim.client.outbound({ business: PNID })) as any[]).filter((m) => m.type === 'template' && phones.includes(m.to));
/** The campaign's messages not yet answered by the provider: none left means nothing more can go out. */
const inFlight = async (id: number) => Number((await pg.query(`SELECT count(*) AS n FROM ${table('whatsapp_messages')} WHERE source_ref LIKE $1 AND status IN ('queued', 'sending')`, [`campaign:${id}:%`])).rows[0].n);

beforeAll(async () => {
  sim = await createSimulator();
  database = await createExampleDatabase('postgres');
  const env = {
    WHATSAPP_REDIS_URL: REDIS_URL,
    WHATSAPP_REDIS_PREFIX: PREFIX,
    WHATSAPP_META_BASE_URL: sim.url,
    // Every 2 s on both instances, so the test sees many ticks; each due occurrence must start once.
    WHATSAPP_CRON_CAMPAIGNS: '*/2 * * * * *',
  };
  // One after the other: the first creates the tables, the second finds them.
  a = await startExample(env, { database, adminPanel: false });
  b = await startExample(env, { database, adminPanel: false });
  adminA = as(a.baseUrl, await adminToken(a.baseUrl));
  adminB = as(b.baseUrl, await adminToken(b.baseUrl));
  pg = new Client({ host: database.env.DATABASE_HOST, port: Number(database.env.DATABASE_PORT), database: database.env.DATABASE_NAME, user: database.env.DATABASE_USERNAME, password: database.env.DATABASE_PASSWORD });
  await pg.connect();

  const credentials = { accessToken: 'cluster-campaign-token', appSecret: 'cluster-campaign-secret' };
  const created = await adminA.post('/whatsapp/numbers').send({ label: 'Cluster campaigns', provider: 'meta', phone: '+15550001212', phoneNumberId: PNID, wabaId: WABA, ...credentials, verifyToken: 'v', throughputMps: LIMIT });
  expect(created.status).toBe(201);
  number = created.body.data;
  const webhookUrl = number.webhookUrl.replace(/^https?:\/\/[^/]+/, a.baseUrl);
  await sim.client.addMetaNumber({ phoneNumberId: PNID, wabaId: WABA, displayPhoneNumber: '15550001212', ...credentials, webhookUrl, throughputMps: LIMIT } as any);
  await sim.client.createTemplate({ wabaId: WABA, name: 'cluster_notice', language: 'en_US', category: 'UTILITY', status: 'APPROVED', body: 'Hello {{1}}' });
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

test(`a campaign of ${COUNT} launched on instance A is sent by both instances, each recipient once, never over ${LIMIT}/s`, async () => {
  const since = (await sim.client.requests({ provider: 'meta' })).reduce((max: number, r: any) => Math.max(max, r.seq), 0);
  const phones = Array.from({ length: COUNT }, (_, i) => `1555081${String(i).padStart(4, '0')}`);
  await Promise.all(phones.map((phone) => sim.client.setCustomer({ phone, reachable: true })));
  const created = await adminA.post('/whatsapp/campaigns').send(campaignBody('Both instances', phones));
  expect(created.status).toBe(201);
  const id = created.body.data.id;
  expect((await adminA.post(`/whatsapp/campaigns/${id}/launch`).send({})).status).toBe(200);

  // Done, and nothing of it left queued or sending: nothing more can reach the provider.
  await until('the campaign done with nothing in flight', async () => (await adminB.get(`/whatsapp/campaigns/${id}`)).body.data.state === 'done' && (await inFlight(id)) === 0, 120_000);
  const got = await received(phones);
  expect(got).toHaveLength(COUNT);
  expect(new Set(got.map((m) => m.to)).size).toBe(COUNT);

  const calls = (await sim.client.requests({ provider: 'meta', method: 'POST', since })).filter((r: any) => r.path.endsWith(`/${PNID}/messages`));
  expect(calls.filter((r: any) => JSON.stringify(r.response ?? '').includes('130429'))).toHaveLength(0);
  const times = got.map((m) => m.at as number).sort((x, y) => x - y);
  expect(times.flatMap((t, i) => (i >= LIMIT && t - times[i - LIMIT] < 1000 ? [i] : []))).toEqual([]);

  const { rows } = await pg.query(`SELECT status, attempts, dispatched_by FROM ${table('whatsapp_messages')} WHERE source_ref LIKE $1`, [`campaign:${id}:%`]);
  expect(rows).toHaveLength(COUNT);
  expect(rows.filter((r) => !['sent', 'delivered', 'read'].includes(r.status) || r.attempts !== 1)).toEqual([]);
  expect(new Set(rows.map((r) => r.dispatched_by)).size).toBe(2);
  const recipients = (await adminB.get(`/whatsapp/campaigns/${id}/recipients`).query({ pageSize: 100 })).body.data as any[];
  expect(recipients).toHaveLength(COUNT);
  expect(recipients.filter((r) => !['sent', 'delivered', 'read'].includes(r.status))).toEqual([]);
}, 180_000);

test('the scheduler ticking on both instances starts each due occurrence of a recurring campaign once', async () => {
  const phones = Array.from({ length: 5 }, (_, i) => `1555082${String(i).padStart(4, '0')}`);
  await Promise.all(phones.map((phone) => sim.client.setCustomer({ phone, reachable: true })));
  const created = await adminA.post('/whatsapp/campaigns').send(campaignBody('Hourly on both', phones, { type: 'recurring', cron: '0 * * * *', timeZone: 'UTC' }));
  expect(created.status).toBe(201);
  const id = created.body.data.id;
  expect((await adminA.post(`/whatsapp/campaigns/${id}/launch`).send({})).body.data.state).toBe('scheduled');
  const occurrences = async () => (await pg.query(`SELECT id, state FROM ${table('whatsapp_campaign_occurrences')} WHERE campaign_id = $1 ORDER BY id`, [id])).rows;

  for (const round of [1, 2]) {
    // Its hour has come (as if it were due), on the one database both instances tick against.
    await pg.query(`UPDATE ${table('whatsapp_campaigns')} SET next_run_at = now() - interval '1 minute' WHERE id = $1`, [id]);
    await until(`occurrence ${round} done and the campaign waiting for the next`, async () => {
      const c = (await adminB.get(`/whatsapp/campaigns/${id}`)).body.data;
      const occ = await occurrences();
      return c.state === 'scheduled' && occ.length >= round && occ.every((o) => o.state === 'done') && (await inFlight(id)) === 0;
    }, 90_000);
    expect(await occurrences()).toHaveLength(round);
    const got = await received(phones);
    for (const phone of phones) expect({ phone, sent: got.filter((m) => m.to === phone).length }).toEqual({ phone, sent: round });
  }
  const audit = (await adminA.get(`/whatsapp/campaigns/${id}`)).body.data.audit as any[];
  expect(audit.filter((e) => e.action === 'launched' && /scheduled run/.test(e.detail ?? ''))).toHaveLength(2);
}, 240_000);
