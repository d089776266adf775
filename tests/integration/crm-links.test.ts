/**
 * Conversations follow the CRM as staff edit it: a record created for an unknown number claims its
 * conversation, a rename shows in the inbox, a new phone or a deletion lets go of it (and whoever
 * else has the phone takes it), all live; a host write that rolls back changes nothing.
 */
import type { RunningSimulator } from '../../simulator';
import type { TestApp } from '../helpers/strapi';
import { connectMetaNumber, startWithSimulator } from '../helpers/simulated-app';
import type { as } from '../helpers/admin';
import { openStream } from '../helpers/sse';

let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;
let token: string;
let base: string;
let number: any;

const PNID = '400000000000001';
const PNID_B = '400000000000002';
const CUSTOMER = '15550007001';
const CONTACTS = '/content-manager/collection-types/api::contact.contact';
const LEADS = '/content-manager/collection-types/api::lead.lead';

const settle = async () => {
  const plugin = app.strapi.plugin('whatsapp');
  await sim.client.settle();
  plugin.service('inbound').kick();
  await plugin.service('inbound').idle();
};

const conversation = async () => (await admin.get(`/whatsapp/conversations?q=${CUSTOMER}&numberId=${number.id}`)).body.data.find((c: any) => c.customerWaId === CUSTOMER);

beforeAll(async () => {
  const started = await startWithSimulator();
  ({ sim, app, admin, base, token } = started);
  number = await connectMetaNumber(started, { label: 'Links', phone: '+15550001111', phoneNumberId: PNID, wabaId: '102030405060711', accessToken: 'links-token', appSecret: 'links-secret' });
  await sim.client.customerSends({ from: CUSTOMER, to: PNID, name: 'Profile Name', text: 'Hello, who am I talking to?' });
  await settle();
});

const addSecondNumber = () =>
  connectMetaNumber({ admin, sim, base }, { label: 'Links B', phone: '+15550001112', phoneNumberId: PNID_B, wabaId: '102030405060711', accessToken: 'links-token-b', appSecret: 'links-secret-b' });
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

test('staff add the unknown sender to the CRM: the conversation is theirs at once, live', async () => {
  expect(await conversation()).toMatchObject({ crm: { kind: 'unknown', documentId: null }, crmName: null, customerName: 'Profile Name' });
  const stream = await openStream(`${base}/whatsapp/stream`, { Authorization: `Bearer ${token}` });
  try {
    await stream.waitFor((e) => e.event === 'ready');
    const { id } = await conversation();
    // A national format, as staff type it: read under the number's region.
    const contact = await admin.post(CONTACTS).send({ name: 'Carol Customer', phone: '(555) 000-7001' });
    expect(contact.status).toBe(201);
    await stream.waitFor((e) => e.event === 'conversation.updated' && e.data.conversationId === id);
    expect(await conversation()).toMatchObject({ crm: { kind: 'contact', uid: 'api::contact.contact', documentId: contact.body.data.documentId }, crmName: 'Carol Customer' });
  } finally {
    stream.close();
  }
});

test('right after, the customer writes to another of our numbers: known there too', async () => {
  // Within the 15 s in which an unknown sender's lookups are spared.
  const second = await addSecondNumber();
  await sim.client.customerSends({ from: CUSTOMER, to: PNID_B, name: 'Profile Name', text: 'Also asking here' });
  await settle();
  const list = (await admin.get(`/whatsapp/conversations?q=${CUSTOMER}&numberId=${second.id}`)).body.data;
  expect(list).toHaveLength(1);
  expect(list[0]).toMatchObject({ numberId: second.id, crm: { kind: 'contact' }, crmName: 'Carol Customer' });
});

test('a renamed record shows its new name; a record of another phone changes nothing', async () => {
  const { crm } = await conversation();
  expect((await admin.put(`${CONTACTS}/${crm.documentId}`).send({ name: 'Carol Renamed' })).status).toBe(200);
  expect(await conversation()).toMatchObject({ crmName: 'Carol Renamed', crm: { documentId: crm.documentId } });
  // A lead for the same phone does not take a conversation that already belongs to a record.
  const lead = await admin.post(LEADS).send({ name: 'Carol as a lead', phone: `+${CUSTOMER}` });
  expect(lead.status).toBe(201);
  const other = await admin.post(CONTACTS).send({ name: 'Someone Else', phone: '+15550007999' });
  expect(other.status).toBe(201);
  expect(await conversation()).toMatchObject({ crmName: 'Carol Renamed', crm: { kind: 'contact', documentId: crm.documentId } });
});

test('the record gets another phone: the conversation goes to whoever else has this one', async () => {
  const { crm } = await conversation();
  expect((await admin.put(`${CONTACTS}/${crm.documentId}`).send({ phone: '+15550007002' })).status).toBe(200);
  expect(await conversation()).toMatchObject({ crm: { kind: 'lead', uid: 'api::lead.lead' }, crmName: 'Carol as a lead' });
});

test('the record is deleted: the conversation is an unknown number again, and its messages stay', async () => {
  const { crm } = await conversation();
  expect((await admin.del(`${LEADS}/${crm.documentId}`)).status).toBe(200);
  const after = await conversation();
  expect(after).toMatchObject({ crm: { kind: 'unknown', uid: null, documentId: null }, crmName: null, customerName: 'Profile Name' });
  const messages = await admin.get(`/whatsapp/conversations/${after.id}/messages`);
  expect(messages.body.data.map((m: any) => m.text)).toContain('Hello, who am I talking to?');
});

test('a host write that rolls back links nothing', async () => {
  await expect(
    app.strapi.db.transaction(async () => {
      await app.strapi.documents('api::contact.contact' as any).create({ data: { name: 'Never Saved', phone: `+${CUSTOMER}` } as any });
      throw new Error('the host changed its mind');
    })
  ).rejects.toThrow('the host changed its mind');
  expect(await conversation()).toMatchObject({ crm: { kind: 'unknown' }, crmName: null });
  // The same write committed links it once the transaction is done.
  const created = await app.strapi.db.transaction(async () => app.strapi.documents('api::contact.contact' as any).create({ data: { name: 'Saved In A Transaction', phone: `+${CUSTOMER}` } as any }));
  await new Promise((resolve) => setImmediate(resolve));
  const deadline = Date.now() + 5_000;
  while ((await conversation()).crm.documentId !== created.documentId && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(await conversation()).toMatchObject({ crm: { kind: 'contact', documentId: created.documentId }, crmName: 'Saved In A Transaction' });
});
