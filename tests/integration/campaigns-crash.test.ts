/**
 * kill -9 in the middle of a campaign, then a restart on the same database: every recipient is
 * sent exactly once or put up for review (a send caught between leaving and its answer), never twice.
 * Real `strapi start` processes, on SQLite (or PostgreSQL under TEST_DB=postgres).
 */
import { createSimulator, type RunningSimulator } from '../../simulator';
import { adminToken, createExampleDatabase, startExample, type ExampleDatabase, type ExampleServer } from '../e2e/support/exampleServer';
import { as } from '../helpers/admin';
import { waitFor } from '../helpers/campaigns';

const PNID = '109876543210987';
const WABA = '102030405060708';
const RATE = 20;
const COUNT = 200;

let sim: RunningSimulator;
let database: ExampleDatabase;
let first: ExampleServer | undefined;
let second: ExampleServer | undefined;

beforeAll(async () => {
  sim = await createSimulator();
  database = await createExampleDatabase(process.env.TEST_DB === 'postgres' ? 'postgres' : 'sqlite');
}, 60_000);
afterAll(async () => {
  await first?.stop();
  await second?.stop();
  await database?.drop();
  await sim?.close();
}, 60_000);

test('killed mid-campaign and restarted: 0 duplicates, the rest sent, sends caught in flight put up for review', async () => {
  first = await startExample({ WHATSAPP_META_BASE_URL: sim.url }, { database, adminPanel: false });
  const adminA = as(first.baseUrl, await adminToken(first.baseUrl));
  const number = (await adminA.post('/whatsapp/numbers').send({ label: 'Crash', provider: 'meta', phone: '+15550001111', phoneNumberId: PNID, wabaId: WABA, accessToken: 'k-token', appSecret: 'k-secret', verifyToken: 'v', throughputMps: RATE })).body.data;
  const hook = (base: string) => number.webhookUrl.replace(/^https?:\/\/[^/]+/, base);
  await sim.client.addMetaNumber({ phoneNumberId: PNID, wabaId: WABA, displayPhoneNumber: '15550001111', accessToken: 'k-token', appSecret: 'k-secret', webhookUrl: hook(first.baseUrl), throughputMps: RATE } as any);
  await sim.client.createTemplate({ wabaId: WABA, name: 'crash_notice', language: 'en_US', category: 'UTILITY', status: 'APPROVED', body: 'Hello {{1}}.' });
  await adminA.post('/whatsapp/templates/sync').send({ numberId: number.id });
  const phones = Array.from({ length: COUNT }, (_, i) => `+336${String(30_000_000 + i)}`);
  const created = await adminA.post('/whatsapp/campaigns').send({ name: 'Crash', numberId: number.id, template: { name: 'crash_notice', language: 'en_US' }, parameters: [{ component: 'body', index: 0, from: 'constant', value: 'there' }], audience: { csv: ['phone', ...phones].join('\n') }, schedule: { type: 'now' } });
  expect(created.status).toBe(201);
  const id = created.body.data.id;
  // Answers take a while, so the kill catches sends between leaving and their answer.
  await sim.client.setFault(PNID, { latencyMs: 400 } as any);
  expect((await adminA.post(`/whatsapp/campaigns/${id}/launch`).send({})).status).toBe(200);
  const accepted = async () => ((await sim.client.requests({ provider: 'meta', method: 'POST', path: `/${PNID}/messages` } as any)) as any[]).filter((r) => r.status === 200);
  await waitFor(async () => (await accepted()).length >= 40, 60_000);
  await first.crash();
  await sim.client.setFault(PNID, { latencyMs: 0 } as any);

  second = await startExample({ WHATSAPP_META_BASE_URL: sim.url }, { database, adminPanel: false });
  await sim.client.addMetaNumber({ phoneNumberId: PNID, wabaId: WABA, displayPhoneNumber: '15550001111', accessToken: 'k-token', appSecret: 'k-secret', webhookUrl: hook(second.baseUrl), throughputMps: RATE } as any);
  const adminB = as(second.baseUrl, await adminToken(second.baseUrl));
  await waitFor(async () => (await adminB.get(`/whatsapp/campaigns/${id}`)).body.data.state === 'done', 120_000);

  const calls = await accepted();
  const perPhone = new Map<string, number>();
  for (const r of calls) perPhone.set(`+${(r.body as any).to}`, (perPhone.get(`+${(r.body as any).to}`) ?? 0) + 1);
  expect([...perPhone.values()].filter((n) => n > 1)).toEqual([]);
  const rows = (await adminB.get(`/whatsapp/campaigns/${id}/recipients`).query({ pageSize: 1000 })).body.data as any[];
  expect(rows).toHaveLength(COUNT);
  const review = rows.filter((r) => r.status === 'failed');
  expect(review.every((r) => r.errorClass === 'maybe-sent' && r.retryable === false)).toBe(true);
  for (const r of rows.filter((x) => x.status !== 'failed')) expect({ phone: r.phone, status: r.status, sent: perPhone.get(r.phone) }).toEqual({ phone: r.phone, status: expect.stringMatching(/sent|delivered|read/), sent: 1 });
  expect(perPhone.size).toBeGreaterThanOrEqual(COUNT - review.length);
  // Only review rows may have reached the provider without a recorded answer.
  expect(perPhone.size).toBeLessThanOrEqual(COUNT);
}, 400_000);
