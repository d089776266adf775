/** Who clears a conversation's `unread`: a staff reply does; an automated message (a CRM-event template) does not. */
import type { RunningSimulator } from '../../simulator';
import type { as } from '../helpers/admin';
import { fixture } from '../helpers/fixtures';
import { settleNotifications } from '../helpers/notifications';
import { connectMetaNumber, startWithSimulator } from '../helpers/simulated-app';
import type { TestApp } from '../helpers/strapi';
import { postMeta } from '../helpers/webhooks';

let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;
let number: any;

const PNID = '109876543210515';
const WABA = '102030405060515';
const SECRET = 'unread-app-secret';
const CUSTOMER = '15550005151';

const settle = () => settleNotifications(app, sim);

/** The customer's text as Meta delivers it, signed. */
const customerWrites = async (text: string) => {
  const body = fixture('meta/inbound-text.json');
  const value = body.entry[0].changes[0].value;
  body.entry[0].id = WABA;
  value.metadata = { display_phone_number: '15550001515', phone_number_id: PNID };
  value.contacts = [{ profile: { name: 'Waiting Customer' }, wa_id: CUSTOMER }];
  value.messages = [{ from: CUSTOMER, id: `wamid.unread-${process.pid}-${text.length}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } }];
  expect((await postMeta(app.server, number.webhookUrl, JSON.stringify(body), SECRET)).status).toBe(200);
  await settle();
};

const conversation = async () => (await admin.get('/whatsapp/conversations').query({ q: CUSTOMER })).body.data[0];

beforeAll(async () => {
  const started = await startWithSimulator();
  ({ sim, app, admin } = started);
  number = await connectMetaNumber(started, { label: 'Unread', phone: '+15550001515', phoneNumberId: PNID, wabaId: WABA, accessToken: 'unread-token-01', appSecret: SECRET });
  await sim.client.createTemplate({ wabaId: WABA, name: 'order_update', language: 'en_US', category: 'UTILITY', status: 'APPROVED', body: 'Hello {{1}}, your order is on its way.' });
  await admin.post('/whatsapp/templates/sync').send({ numberId: number.id });
  await sim.client.setCustomer({ phone: CUSTOMER, reachable: true });
  await sim.client.setWindow(PNID, CUSTOMER, true);
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

describe('unread', () => {
  test('a CRM-event template to a waiting customer leaves the conversation unread', async () => {
    await customerWrites('Where is my order?');
    expect(await conversation()).toMatchObject({ unread: 1 });
    const rule = await admin.post('/whatsapp/notification-rules').send({ name: 'Lead hello', numberId: number.id, contentType: 'api::lead.lead', event: 'created', recipient: { from: 'field', value: 'phone' }, template: { name: 'order_update', language: 'en_US' }, parameters: [{ component: 'body', index: 0, from: 'field', value: 'name' }] });
    expect(rule.status).toBe(201);
    await app.strapi.documents('api::lead.lead').create({ data: { name: 'Wendy', phone: `+${CUSTOMER}` } as any });
    await settle();
    const firings = (await admin.get(`/whatsapp/notification-rules/${rule.body.data.id}/firings`)).body.data;
    expect(firings).toMatchObject([{ state: 'queued' }]);
    const messages = (await admin.get(`/whatsapp/conversations/${(await conversation()).id}/messages`)).body.data;
    expect(messages.some((m: any) => m.direction === 'out' && m.source === 'notification')).toBe(true);
    expect(await conversation()).toMatchObject({ unread: 1 });
  });

  test('a staff reply from the inbox marks it read', async () => {
    const { id } = await conversation();
    const reply = await admin.post(`/whatsapp/conversations/${id}/messages`).send({ type: 'text', text: 'It ships today.' });
    expect(reply.status).toBe(201);
    expect(await conversation()).toMatchObject({ unread: 0 });
  });
});
