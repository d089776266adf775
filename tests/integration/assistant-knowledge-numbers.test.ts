/**
 * Knowledge per number: a source answers on the numbers it names (none named: every number), so one
 * team's prices never reach another team's customers; the sources list, deletions and new sources
 * follow team scoping; a number's evaluation goes stale only when its own knowledge changes.
 */
import type { RunningSimulator } from '../../simulator';
import { as, createStaff } from '../helpers/admin';
import { connectMetaNumber, startWithSimulator, settleWorkers } from '../helpers/simulated-app';
import type { TestApp } from '../helpers/strapi';

let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;
const A = { pnid: '109876543210781', waba: '102030405060781', customer: '15550007811', id: 0, conversation: 0 };
const B = { pnid: '109876543210782', waba: '102030405060782', customer: '15550007821', id: 0, conversation: 0 };

const settle = () => settleWorkers({ app, sim }, ['inbound', 'outbox']);
const addText = (caller: ReturnType<typeof as>, title: string, text: string, numberIds?: number[]) => caller.post('/whatsapp/assistant/knowledge').send({ title, text, ...(numberIds ? { numberIds } : {}) });
const suggest = async (n: typeof A) => (await admin.post(`/whatsapp/conversations/${n.conversation}/suggest`).send({})).body.data;
const evaluationOf = async (numberId: number) => ((await admin.get('/whatsapp/assistant/evaluations')).body.data as any[]).find((e) => e.numberId === numberId);

beforeAll(async () => {
  const started = await startWithSimulator();
  ({ sim, app, admin } = started);
  for (const [n, label] of [[A, 'North shop'], [B, 'South shop']] as const) {
    n.id = (await connectMetaNumber(started, { label, phone: `+1555000${n.pnid.slice(-4)}`, phoneNumberId: n.pnid, wabaId: n.waba, accessToken: `token-${n.pnid}`, appSecret: `secret-${n.pnid}` })).id;
    await sim.client.customerSends({ from: n.customer, to: n.pnid, name: `Customer ${label}`, text: 'How much does delivery cost?' });
  }
  await settle();
  const conversations = (await admin.get('/whatsapp/conversations')).body.data as any[];
  A.conversation = conversations.find((c) => c.customerPhone === `+${A.customer}`).id;
  B.conversation = conversations.find((c) => c.customerPhone === `+${B.customer}`).id;
}, 300_000);
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

test('a source named for one number answers there only; a source for every number answers on both', async () => {
  const north = await addText(admin, 'North delivery', '# Delivery costs\nDelivery costs €4 in the north; free over €50.', [A.id]);
  expect(north.status).toBe(201);
  expect(north.body.data.numberIds).toEqual([A.id]);
  const south = await addText(admin, 'South delivery', '# Delivery costs\nDelivery costs €9 in the south.', [B.id]);
  expect(south.body.data.numberIds).toEqual([B.id]);
  expect((await addText(admin, 'Returns', '# Returns\nReturns are accepted within 30 days.')).body.data.numberIds).toEqual([]);

  expect((await suggest(A)).citations.map((c: any) => c.title)).toEqual(['North delivery — Delivery costs']);
  expect((await suggest(A)).text).toContain('€4');
  expect((await suggest(B)).citations.map((c: any) => c.title)).toEqual(['South delivery — Delivery costs']);

  // Another customer of the south shop asks about returns: the source for every number answers.
  await sim.client.customerSends({ from: '15550007822', to: B.pnid, name: 'Returning customer', text: 'Can I return an item?' });
  await settle();
  const other = ((await admin.get('/whatsapp/conversations')).body.data as any[]).find((c) => c.customerPhone === '+15550007822');
  expect((await admin.post(`/whatsapp/conversations/${other.id}/suggest`).send({})).body.data.citations.map((c: any) => c.title)).toEqual(['Returns — Returns']);
});

test('team scoping: staff list, add and delete only knowledge of the numbers they see', async () => {
  const staff = await createStaff(app.strapi, app.server, 'NorthKnowledge', ['plugin::whatsapp.assistant.manage']);
  const southTeam = await app.strapi.service('admin::role').create({ name: 'South team', description: 'the south shop' });
  expect((await admin.put(`/whatsapp/numbers/${A.id}`).send({ teamRoleIds: [staff.role.id] })).status).toBe(200);
  expect((await admin.put(`/whatsapp/numbers/${B.id}`).send({ teamRoleIds: [southTeam.id] })).status).toBe(200);
  const both = await addText(admin, 'Opening hours', 'We open at 9 in both shops.', [A.id, B.id]);
  const north = as(app.server, staff.token);

  const listed = (await north.get('/whatsapp/assistant/knowledge')).body.data as any[];
  expect(listed.map((s) => s.title).sort()).toEqual(['North delivery', 'Opening hours', 'Returns']);
  const southSource = ((await admin.get('/whatsapp/assistant/knowledge')).body.data as any[]).find((s) => s.title === 'South delivery');
  expect((await north.del(`/whatsapp/assistant/knowledge/${southSource.id}`)).status).toBe(404);
  // Shared with a number they do not see: listed, but not theirs to delete.
  expect((await north.del(`/whatsapp/assistant/knowledge/${both.body.data.id}`)).status).toBe(403);

  // A source for every number reaches other teams' customers: not theirs to add or delete.
  const everywhere = await addText(north, 'Our prices', 'Everything costs €1.');
  expect(everywhere.status).toBe(400);
  expect(everywhere.body.error.details.errors[0].path).toEqual(['numberIds']);
  const returns = listed.find((s) => s.title === 'Returns');
  expect((await north.del(`/whatsapp/assistant/knowledge/${returns.id}`)).status).toBe(403);
  expect((await north.post('/whatsapp/assistant/knowledge').send({ title: 'Huge', text: 'x', numberIds: [3e9] })).status).toBe(400);

  const refused = await addText(north, 'South prices', 'Everything costs €1.', [B.id]);
  expect(refused.status).toBe(400);
  expect(refused.body.error.details.errors[0].path).toEqual(['numberIds', '0']);
  const uploaded = await north.post('/whatsapp/assistant/knowledge/upload').field('numberIds', String(A.id)).attach('files', Buffer.from('# Parking\nParking is free behind the north shop.'), { filename: 'parking.md', contentType: 'text/markdown' });
  expect(uploaded.status).toBe(201);
  expect(uploaded.body.data).toEqual([expect.objectContaining({ title: 'parking', numberIds: [A.id] })]);
  const badUpload = await north.post('/whatsapp/assistant/knowledge/upload').field('numberIds', 'north').attach('files', Buffer.from('text'), { filename: 'x.md', contentType: 'text/markdown' });
  expect(badUpload.status).toBe(400);
  expect((await admin.get('/whatsapp/assistant/knowledge')).body.data.map((s: any) => s.title)).not.toContain('x');
});

test('team scoping of the settings: staff read and save only their numbers’ entries and evaluate only their numbers', async () => {
  const golden = (source: string) => [{ question: 'How much does delivery cost?', expectedSources: [source] }];
  expect((await admin.put('/whatsapp/assistant/settings').send({ engine: 'builtin', numbers: [{ numberId: A.id, mode: 'suggest', golden: golden('North delivery') }, { numberId: B.id, mode: 'suggest', golden: golden('South delivery') }] })).status).toBe(200);
  const staff = await createStaff(app.strapi, app.server, 'NorthSettings', ['plugin::whatsapp.assistant.manage']);
  expect((await admin.put(`/whatsapp/numbers/${A.id}`).send({ teamRoleIds: [staff.role.id] })).status).toBe(200);
  const north = as(app.server, staff.token);
  expect((await north.get('/whatsapp/assistant/settings')).body.data.numbers.map((n: any) => n.numberId)).toEqual([A.id]);
  const saved = await north.put('/whatsapp/assistant/settings').send({ engine: 'builtin', numbers: [{ numberId: A.id, mode: 'off' }] });
  expect(saved.status).toBe(200);
  expect(saved.body.data.numbers.map((n: any) => n.numberId)).toEqual([A.id]);
  // The other team's entry is kept as it was.
  const all = (await admin.get('/whatsapp/assistant/settings')).body.data.numbers;
  expect(all.find((n: any) => n.numberId === B.id)).toMatchObject({ mode: 'suggest', golden: golden('South delivery') });
  const foreign = await north.put('/whatsapp/assistant/settings').send({ engine: 'builtin', numbers: [{ numberId: B.id, mode: 'off' }] });
  expect(foreign.status).toBe(400);
  expect(foreign.body.error.details.errors[0].path).toEqual(['numbers', '0', 'numberId']);
  expect((await north.post('/whatsapp/assistant/evaluate').send({ numberId: B.id })).status).toBe(404);
});

test('a number’s evaluation goes stale when its own knowledge changes, not another number’s', async () => {
  const golden = [{ question: 'How much does delivery cost?', expectedSources: ['North delivery'] }];
  expect((await admin.put('/whatsapp/assistant/settings').send({ engine: 'builtin', numbers: [{ numberId: A.id, mode: 'suggest', golden }] })).status).toBe(200);
  expect((await admin.post('/whatsapp/assistant/evaluate').send({ numberId: A.id })).body.data).toMatchObject({ passed: true, stale: false });
  expect((await addText(admin, 'South parking', 'Parking costs €2 in the south.', [B.id])).status).toBe(201);
  expect(await evaluationOf(A.id)).toMatchObject({ passed: true, stale: false });
  expect((await addText(admin, 'Gift cards', 'Gift cards are sold in both shops.')).status).toBe(201);
  expect(await evaluationOf(A.id)).toMatchObject({ passed: true, stale: true });
});
