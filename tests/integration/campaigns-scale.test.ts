/**
 * 5,000 recipients at a 50/s limit against the simulator: each sent once (counted in the
 * simulator's own request log), no over-limit answer, and the receipts counted in the funnel.
 */
import type { RunningSimulator } from '../../simulator';
import type { TestApp } from '../helpers/strapi';
import type { as } from '../helpers/admin';
import { campaignBed, PNID, until } from '../helpers/campaigns';

let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;
let number: any;

const RATE = 50;
const COUNT = 5000;

beforeAll(async () => {
  ({ sim, app, admin, number } = await campaignBed(RATE, [{ name: 'bulk_notice', category: 'UTILITY', body: 'Hello {{1}}.' }]));
}, 60_000);
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

test(`${COUNT} recipients at ${RATE}/s: each sent once, never over the limit, receipts counted`, async () => {
  const phones = Array.from({ length: COUNT }, (_, i) => `+336${String(20_000_000 + i)}`);
  const csv = ['phone,name', ...phones.map((p, i) => `${p},Customer ${i}`)].join('\n');
  const created = await admin.post('/whatsapp/campaigns').send({ name: 'Bulk', numberId: number.id, template: { name: 'bulk_notice', language: 'en_US' }, parameters: [{ component: 'body', index: 0, from: 'column', value: 'name' }], audience: { csv }, schedule: { type: 'now' } });
  expect(created.status).toBe(201);
  const id = created.body.data.id;
  await sim.client.setFault(PNID, { batch: 100 } as any);
  const preflight = (await admin.post(`/whatsapp/campaigns/${id}/preflight`).send({})).body.data;
  expect(preflight).toMatchObject({ audience: COUNT, sendable: COUNT, estimatedSeconds: COUNT / RATE });
  expect((await admin.post(`/whatsapp/campaigns/${id}/launch`).send({})).status).toBe(200);
  // The outbox never holds the whole campaign: a few seconds' worth at the number's rate.
  const waiting = await app.strapi.db.query('plugin::whatsapp.message' as any).count({ where: { sourceRef: { $startsWith: `campaign:${id}:` }, status: 'queued' } });
  expect(waiting).toBeLessThanOrEqual(RATE * 3 + 200);
  await until(app, sim, async () => (await admin.get(`/whatsapp/campaigns/${id}`)).body.data.state === 'done', 1_500_000);

  const calls = ((await sim.client.requests({ provider: 'meta', method: 'POST', path: `/${PNID}/messages` } as any)) as any[]).filter((r) => r.path.endsWith('/messages'));
  const accepted = calls.filter((r) => r.status === 200);
  expect(calls.filter((r) => JSON.stringify(r.response ?? '').includes('130429'))).toHaveLength(0);
  const perPhone = new Map<string, number>();
  for (const r of accepted) perPhone.set(`+${(r.body as any).to}`, (perPhone.get(`+${(r.body as any).to}`) ?? 0) + 1);
  expect([...perPhone.values()].filter((n) => n > 1)).toEqual([]);
  const rows = (await admin.get(`/whatsapp/campaigns/${id}/recipients`).query({ pageSize: 1000, status: 'failed' })).body.data as any[];
  // A send whose answer was lost (a reset connection) is put up for review, never sent again: it may or may not have arrived.
  expect(rows.every((r) => r.errorClass === 'maybe-sent')).toBe(true);
  expect(perPhone.size).toBeGreaterThanOrEqual(COUNT - rows.length);
  const times = accepted.map((r) => r.at as number);
  const seconds = (Math.max(...times) - Math.min(...times)) / 1000;
  console.log(`campaign of ${COUNT} at ${RATE}/s: ${accepted.length} accepted in ${seconds.toFixed(1)} s (${(accepted.length / seconds).toFixed(1)}/s, ${(accepted.length / seconds / RATE).toFixed(2)} of the limit), ${rows.length} put up for review, 0 over the limit`);

  // Receipts (batched by the simulator, as Meta does under load) reach the funnel.
  await until(app, sim, async () => (await admin.get(`/whatsapp/campaigns/${id}`)).body.data.funnel.read === COUNT - rows.length, 600_000);
  const detail = (await admin.get(`/whatsapp/campaigns/${id}`)).body.data;
  expect(detail.funnel).toMatchObject({ audience: COUNT, sent: COUNT - rows.length, delivered: COUNT - rows.length, read: COUNT - rows.length, failed: rows.length });
  expect(detail.timeline.buckets.reduce((n: number, b: any) => n + b.sent, 0)).toBe(COUNT - rows.length);
}, 2_400_000);

test('a 20,000-row CSV is stored once, apart: the list and the campaign answer only what it holds, and the pre-flight still reads it', async () => {
  const phones = Array.from({ length: 20_000 }, (_, i) => `+336${String(40_000_000 + i)}`);
  const csv = ['phone,name', ...phones.map((p, i) => `${p},Customer ${i}`)].join('\n');
  const created = await admin.post('/whatsapp/campaigns').send({ name: 'Big CSV', numberId: number.id, template: { name: 'bulk_notice', language: 'en_US' }, parameters: [{ component: 'body', index: 0, from: 'column', value: 'name' }], audience: { csv }, schedule: { type: 'now' } });
  expect(created.status).toBe(201);
  const id = created.body.data.id;
  const listed = await admin.get('/whatsapp/campaigns');
  expect(listed.body.data.find((c: any) => c.id === id).audience.csv).toEqual({ rows: 20_000, columns: ['phone', 'name'] });
  // The list stays small however big the CSV: no row's text is in it.
  expect(JSON.stringify(listed.body).length).toBeLessThan(50_000);
  expect((await admin.get(`/whatsapp/campaigns/${id}`)).body.data.audience.csv).toEqual({ rows: 20_000, columns: ['phone', 'name'] });
  // In the database the text is in its own column, not in the metadata every list reads.
  const stored = await app.strapi.db.query('plugin::whatsapp.campaign' as any).findOne({ where: { id }, select: ['csv', 'csvText'] });
  expect(stored.csv).toEqual({ rows: 20_000, columns: ['phone', 'name'] });
  expect(stored.csvText).toBe(csv);
  const preflight = (await admin.post(`/whatsapp/campaigns/${id}/preflight`).send({})).body.data;
  expect(preflight).toMatchObject({ audience: 20_000, sendable: 20_000 });
});
