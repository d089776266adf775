/** The campaign review findings (issue 18): each test failed before its fix. */
import type { RunningSimulator } from '../../simulator';
import type { TestApp } from '../helpers/strapi';
import type { as } from '../helpers/admin';
import { campaignBed, PNID, until } from '../helpers/campaigns';

let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;
let number: any;

const q = (name: string) => app.strapi.db.query(`plugin::whatsapp.${name}` as any);
const service = () => app.strapi.plugin('whatsapp').service('campaigns');
const get = async (id: number) => (await admin.get(`/whatsapp/campaigns/${id}`)).body.data;
const phones = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `+3362${prefix}${String(i).padStart(6, '0')}`);
const csvOf = (list: string[]) => ['phone', ...list].join('\n');
const body = (extra: Record<string, unknown>) => ({ numberId: number.id, template: { name: 'notice', language: 'en_US' }, parameters: [{ component: 'body', index: 0, from: 'constant', value: 'friend' }], schedule: { type: 'now' }, ...extra });
const create = async (extra: Record<string, unknown>) => {
  const res = await admin.post('/whatsapp/campaigns').send(body(extra));
  expect(res.status).toBe(201);
  return res.body.data.id as number;
};
const templatesTo = async (phone: string) => ((await sim.client.outbound({ business: PNID } as any)) as any[]).filter((m) => m.type === 'template' && m.to === phone.slice(1));

beforeAll(async () => {
  ({ sim, app, admin, number } = await campaignBed(20, [{ name: 'notice', category: 'UTILITY', body: 'Hello {{1}}.' }]));
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

test("recipients of another campaign's occurrence are not readable through mine", async () => {
  const other = await create({ name: 'Other team', audience: { csv: csvOf(phones('1', 2)) } });
  await admin.post(`/whatsapp/campaigns/${other}/launch`).send({});
  await until(app, sim, async () => (await get(other)).state === 'done');
  const otherOccurrence = (await get(other)).occurrences[0].id;
  const mine = await create({ name: 'Mine', audience: { csv: csvOf(phones('2', 1)) } });
  const res = await admin.get(`/whatsapp/campaigns/${mine}/recipients`).query({ occurrenceId: String(otherOccurrence) });
  expect(res.status).toBe(400);
  expect(res.body.error.details.errors[0].path).toEqual(['occurrenceId']);
  const own = await admin.get(`/whatsapp/campaigns/${other}/recipients`).query({ occurrenceId: String(otherOccurrence) });
  expect(own.body.meta.pagination.total).toBe(2);
  const csv = await admin.get(`/whatsapp/campaigns/${mine}/recipients.csv`);
  expect(csv.text.trim().split('\r\n')).toHaveLength(1);
});
