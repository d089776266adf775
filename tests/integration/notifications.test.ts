import request from 'supertest';
import type { RunningSimulator } from '../../simulator';
import type { TestApp } from '../helpers/strapi';
import type { as } from '../helpers/admin';
import { connectMetaNumber, startWithSimulator } from '../helpers/simulated-app';
import { settleNotifications } from '../helpers/notifications';

let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;
let number: any;

const PNID = '109876543210987';
const WABA = '102030405060708';
const q = (name: string) => app.strapi.db.query(`plugin::whatsapp.${name}` as any);

const settle = () => settleNotifications(app, sim);

const templatesTo = async (to: string) => ((await sim.client.outbound({ to })) as any[]).filter((m) => m.type === 'template');

beforeAll(async () => {
  const started = await startWithSimulator();
  ({ sim, app, admin } = started);
  number = await connectMetaNumber(started, { label: 'Notify', phone: '+15550001111', phoneNumberId: PNID, wabaId: WABA, accessToken: 'notify-token', appSecret: 'notify-secret' });
  await sim.client.createTemplate({ wabaId: WABA, name: 'welcome_lead', language: 'en_US', category: 'MARKETING', status: 'APPROVED', body: 'Welcome {{1}}!' });
  await sim.client.createTemplate({ wabaId: WABA, name: 'invoice_added', language: 'en_US', category: 'UTILITY', status: 'APPROVED', body: 'Invoice {{1}}: {{2}} {{3}} due {{4}}.' });
  await sim.client.createTemplate({ wabaId: WABA, name: 'payment_received', language: 'en_US', category: 'UTILITY', status: 'APPROVED', body: 'We received {{1}}. Thank you!' });
  await admin.post('/whatsapp/templates/sync').send({ numberId: number.id });
  for (const phone of ['15550005555', '15550006666', '15550007777', '15550002222', '15550008888']) await sim.client.setCustomer({ phone, reachable: true });
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

const rule = (body: Record<string, unknown>) => admin.post('/whatsapp/notification-rules').send({ numberId: number.id, recipient: { from: 'field', value: 'phone' }, ...body });

describe('lead created', () => {
  let ruleId: number;
  beforeAll(async () => {
    const res = await rule({ name: 'Welcome new leads', contentType: 'api::lead.lead', event: 'created', template: { name: 'welcome_lead', language: 'en_US' }, parameters: [{ component: 'body', index: 0, from: 'field', value: 'name' }] });
    expect(res.status).toBe(201);
    ruleId = res.body.data.id;
  });

  test('through the Document Service: fires once and the customer gets the template with the name', async () => {
    await app.strapi.documents('api::lead.lead').create({ data: { name: 'Carol', phone: '+1 555 000 5555' } as any });
    await settle();
    const received = await templatesTo('15550005555');
    expect(received).toHaveLength(1);
    expect(JSON.stringify(received[0])).toContain('Carol');
    const firings = (await admin.get(`/whatsapp/notification-rules/${ruleId}/firings`)).body.data;
    expect(firings[0]).toMatchObject({ state: 'queued', trace: { matched: true, recipient: '+15550005555', message: { status: expect.stringMatching(/sent|delivered|read/) } } });
    // The conversation the template opened is the lead's in the inbox, not an unknown number.
    const lead = await app.strapi.documents('api::lead.lead').findFirst({ filters: { name: 'Carol' } as any });
    const [conversation] = (await admin.get('/whatsapp/conversations').query({ q: '15550005555' })).body.data;
    expect(conversation).toMatchObject({ crmName: 'Carol', crm: { kind: 'lead', uid: 'api::lead.lead', documentId: lead!.documentId } });
  });

  test('through the host’s REST API with an API token: fires once', async () => {
    const { accessKey } = await app.strapi.service('admin::api-token').create({ name: 'crm-script', type: 'full-access', lifespan: null, description: '' });
    const res = await request(app.server).post('/api/leads').set('Authorization', `Bearer ${accessKey}`).send({ data: { name: 'Dan', phone: '+15550006666' } });
    expect(res.status).toBe(201);
    await settle();
    expect(await templatesTo('15550006666')).toHaveLength(1);
  });

  test('a write that rolls back sends nothing', async () => {
    await expect(
      app.strapi.db.transaction(async () => {
        await app.strapi.documents('api::lead.lead').create({ data: { name: 'Ghost', phone: '+15550007777' } as any });
        throw new Error('the host changed its mind');
      })
    ).rejects.toThrow('the host changed its mind');
    await settle();
    expect(await templatesTo('15550007777')).toHaveLength(0);
    expect(await q('notification-firing').count({ where: { recordDocumentId: { $notNull: true }, ruleId, contentType: 'api::lead.lead', event: 'created' } })).toBe(2);
  });

  test('a condition that does not hold records “not matched” and sends nothing', async () => {
    const won = (await rule({ name: 'Won leads', contentType: 'api::lead.lead', event: 'created', condition: { status: 'won' }, template: { name: 'welcome_lead', language: 'en_US' }, parameters: [{ component: 'body', from: 'field', value: 'name' }] })).body.data;
    await app.strapi.documents('api::lead.lead').create({ data: { name: 'Nora', phone: '+15550008888', status: 'new' } as any });
    await settle();
    const firings = (await admin.get(`/whatsapp/notification-rules/${won.id}/firings`)).body.data;
    expect(firings).toHaveLength(1);
    expect(firings[0]).toMatchObject({ state: 'not-matched', trace: { matched: false, reason: expect.stringMatching(/condition/) } });
    await admin.put(`/whatsapp/notification-rules/${won.id}`).send({ active: false });
  });
});

describe('contact created published (Content Manager path)', () => {
  test('fires once, not once per draft and published row', async () => {
    const r = (await rule({ name: 'Contact hello', contentType: 'api::contact.contact', event: 'created', template: { name: 'welcome_lead', language: 'en_US' }, parameters: [{ component: 'body', from: 'field', value: 'name' }] })).body.data;
    await app.strapi.documents('api::contact.contact').create({ data: { name: 'Alice Example', phone: '+15550002222' } as any, status: 'published' });
    await settle();
    expect((await admin.get(`/whatsapp/notification-rules/${r.id}/firings`)).body.data).toHaveLength(1);
    expect(await templatesTo('15550002222')).toHaveLength(1);
  });
});

describe('published, updated and deleted', () => {
  // Only this block's template: the lead and contact welcome rules above are still on.
  const texts = async (to: string) => (await templatesTo(to)).map((m: any) => m.text).filter((t: string) => t.startsWith('We received'));
  const firings = async (id: number) => (await admin.get(`/whatsapp/notification-rules/${id}/firings`)).body.data;

  test('published: a draft sends nothing; publishing sends once; publishing an edit sends again', async () => {
    await sim.client.setCustomer({ phone: '15550031001', reachable: true });
    const r = (await rule({ name: 'Contact published', contentType: 'api::contact.contact', event: 'published', template: { name: 'payment_received', language: 'en_US' }, parameters: [{ component: 'body', from: 'field', value: 'name' }] })).body.data;
    const draft = await app.strapi.documents('api::contact.contact').create({ data: { name: 'Pia Draft', phone: '+15550031001' } as any });
    await settle();
    expect(await firings(r.id)).toHaveLength(0);
    await app.strapi.documents('api::contact.contact').publish({ documentId: draft.documentId });
    await settle();
    expect(await texts('15550031001')).toEqual(['We received Pia Draft. Thank you!']);
    await app.strapi.documents('api::contact.contact').update({ documentId: draft.documentId, data: { name: 'Pia Published' } as any });
    await settle();
    expect(await firings(r.id)).toHaveLength(1);
    await app.strapi.documents('api::contact.contact').publish({ documentId: draft.documentId });
    await settle();
    expect(await texts('15550031001')).toEqual(['We received Pia Draft. Thank you!', 'We received Pia Published. Thank you!']);
    await admin.del(`/whatsapp/notification-rules/${r.id}`);
  });

  test('published: a create or an update that publishes in the same call sends once', async () => {
    for (const phone of ['15550031004', '15550031005']) await sim.client.setCustomer({ phone, reachable: true });
    const r = (await rule({ name: 'Contact published at once', contentType: 'api::contact.contact', event: 'published', template: { name: 'payment_received', language: 'en_US' }, parameters: [{ component: 'body', from: 'field', value: 'name' }] })).body.data;
    const { accessKey } = await app.strapi.service('admin::api-token').create({ name: 'crm-publisher', type: 'full-access', lifespan: null, description: '' });
    // The REST API publishes a draft & publish type's new record unless asked for a draft.
    expect((await request(app.server).post('/api/contacts').set('Authorization', `Bearer ${accessKey}`).send({ data: { name: 'Quinn Rest', phone: '+15550031004' } })).status).toBe(201);
    const ravi = await app.strapi.documents('api::contact.contact').create({ data: { name: 'Ravi Service', phone: '+15550031005' } as any, status: 'published' });
    await settle();
    expect(await texts('15550031004')).toEqual(['We received Quinn Rest. Thank you!']);
    expect(await texts('15550031005')).toEqual(['We received Ravi Service. Thank you!']);
    await app.strapi.documents('api::contact.contact').update({ documentId: ravi.documentId, data: { name: 'Ravi Edited' } as any, status: 'published' });
    await settle();
    expect(await texts('15550031005')).toEqual(['We received Ravi Service. Thank you!', 'We received Ravi Edited. Thank you!']);
    expect(await firings(r.id)).toHaveLength(3);
    await admin.del(`/whatsapp/notification-rules/${r.id}`);
  });

  test('updated: each update sends once, with the values after it', async () => {
    await sim.client.setCustomer({ phone: '15550031002', reachable: true });
    const lead = await app.strapi.documents('api::lead.lead').create({ data: { name: 'Uma', phone: '+15550031002' } as any });
    const r = (await rule({ name: 'Lead updated', contentType: 'api::lead.lead', event: 'updated', template: { name: 'payment_received', language: 'en_US' }, parameters: [{ component: 'body', from: 'field', value: 'name' }] })).body.data;
    await app.strapi.documents('api::lead.lead').update({ documentId: lead.documentId, data: { name: 'Uma Updated' } as any });
    await settle();
    expect(await texts('15550031002')).toContain('We received Uma Updated. Thank you!');
    expect((await firings(r.id)).filter((f: any) => f.state !== 'not-matched')).toHaveLength(1);
    await admin.del(`/whatsapp/notification-rules/${r.id}`);
  });

  test('updated: a Content Manager Save then Publish sends once, and a PUT of the same data sends nothing', async () => {
    for (const phone of ['15550031006', '15550031007']) await sim.client.setCustomer({ phone, reachable: true });
    const contacts = '/content-manager/collection-types/api::contact.contact';
    const contact = (await admin.post(contacts).send({ name: 'Wes', phone: '+15550031006' })).body.data;
    const lead = await app.strapi.documents('api::lead.lead').create({ data: { name: 'Xena', phone: '+15550031007' } as any });
    const onContact = (await rule({ name: 'Contact updated', contentType: 'api::contact.contact', event: 'updated', template: { name: 'payment_received', language: 'en_US' }, parameters: [{ component: 'body', from: 'field', value: 'name' }] })).body.data;
    const onLead = (await rule({ name: 'Lead updated again', contentType: 'api::lead.lead', event: 'updated', template: { name: 'payment_received', language: 'en_US' }, parameters: [{ component: 'body', from: 'field', value: 'name' }] })).body.data;
    // The editor's Save, then Publish: the publish route saves the form again before publishing.
    expect((await admin.put(`${contacts}/${contact.documentId}`).send({ name: 'Wes Edited', phone: '+15550031006' })).status).toBe(200);
    expect((await admin.post(`${contacts}/${contact.documentId}/actions/publish`).send({ name: 'Wes Edited', phone: '+15550031006' })).status).toBe(200);
    const { accessKey } = await app.strapi.service('admin::api-token').create({ name: 'crm-sync', type: 'full-access', lifespan: null, description: '' });
    for (let i = 0; i < 2; i += 1) {
      expect((await request(app.server).put(`/api/leads/${lead.documentId}`).set('Authorization', `Bearer ${accessKey}`).send({ data: { name: 'Xena Synced' } })).status).toBe(200);
    }
    await settle();
    expect(await texts('15550031006')).toEqual(['We received Wes Edited. Thank you!']);
    expect(await texts('15550031007')).toEqual(['We received Xena Synced. Thank you!']);
    expect(await firings(onContact.id)).toHaveLength(1);
    expect(await firings(onLead.id)).toHaveLength(1);
    for (const r of [onContact, onLead]) await admin.del(`/whatsapp/notification-rules/${r.id}`);
  });

  test('created: a duplicated record (Content Manager “Duplicate”, documents().clone) sends for the copy', async () => {
    for (const phone of ['15550031008', '15550031009']) await sim.client.setCustomer({ phone, reachable: true });
    const lead = await app.strapi.documents('api::lead.lead').create({ data: { name: 'Yuri', phone: '+15550031008' } as any });
    const r = (await rule({ name: 'Lead copied', contentType: 'api::lead.lead', event: 'created', template: { name: 'payment_received', language: 'en_US' }, parameters: [{ component: 'body', from: 'field', value: 'name' }] })).body.data;
    const duplicated = await admin.post(`/content-manager/collection-types/api::lead.lead/clone/${lead.documentId}`).send({ name: 'Yuri Copy', phone: '+15550031008' });
    expect(duplicated.status).toBe(200);
    const cloned = await app.strapi.documents('api::lead.lead').clone({ documentId: lead.documentId, data: { name: 'Zoe Clone', phone: '+15550031009' } as any });
    await settle();
    expect(await texts('15550031008')).toEqual(['We received Yuri Copy. Thank you!']);
    expect(await texts('15550031009')).toEqual(['We received Zoe Clone. Thank you!']);
    expect((await firings(r.id)).map((f: any) => f.recordDocumentId).sort()).toEqual([duplicated.body.data.documentId, cloned!.documentId].sort());
    await admin.del(`/whatsapp/notification-rules/${r.id}`);
  });

  test('deleted: the template is rendered from the record as it was, and goes to its phone', async () => {
    await sim.client.setCustomer({ phone: '15550031003', reachable: true });
    const lead = await app.strapi.documents('api::lead.lead').create({ data: { name: 'Dora Gone', phone: '+15550031003' } as any });
    const r = (await rule({ name: 'Lead deleted', contentType: 'api::lead.lead', event: 'deleted', template: { name: 'payment_received', language: 'en_US' }, parameters: [{ component: 'body', from: 'field', value: 'name' }] })).body.data;
    await app.strapi.documents('api::lead.lead').delete({ documentId: lead.documentId });
    await settle();
    expect(await app.strapi.documents('api::lead.lead').findOne({ documentId: lead.documentId })).toBeNull();
    expect(await texts('15550031003')).toEqual(['We received Dora Gone. Thank you!']);
    expect(await firings(r.id)).toEqual([expect.objectContaining({ event: 'deleted', trace: expect.objectContaining({ matched: true, recipient: '+15550031003' }) })]);
    await admin.del(`/whatsapp/notification-rules/${r.id}`);
  });
});

describe('invoice added and payment recorded', () => {
  let contact: any;
  let invoice: any;
  beforeAll(async () => {
    contact = await app.strapi.documents('api::contact.contact').findFirst({ filters: { phone: '+15550002222' } as any });
  });

  test('the invoice template gets number, amount, currency and due date from the invoice and goes to its contact', async () => {
    const res = await rule({
      name: 'Invoice added', contentType: 'api::invoice.invoice', event: 'created', template: { name: 'invoice_added', language: 'en_US' },
      parameters: [
        { component: 'body', index: 0, from: 'field', value: 'number' },
        { component: 'body', index: 1, from: 'field', value: 'amount' },
        { component: 'body', index: 2, from: 'field', value: 'currency' },
        { component: 'body', index: 3, from: 'field', value: 'dueDate' },
      ],
      recipient: { from: 'field', value: 'contact.phone' },
    });
    expect(res.status).toBe(201);
    invoice = await app.strapi.documents('api::invoice.invoice').create({ data: { number: 'INV-2026-001', amount: 120.5, currency: 'USD', dueDate: '2026-12-31', contact: contact.documentId } as any });
    await settle();
    const received = await templatesTo('15550002222');
    const sent = JSON.stringify(received[received.length - 1]);
    for (const value of ['INV-2026-001', '120.5', 'USD', '2026-12-31']) expect(sent).toContain(value);
  });

  test('a payment update fires once per update', async () => {
    await rule({ name: 'Payment recorded', contentType: 'api::payment.payment', event: 'fieldChanged', field: 'paidAt', template: { name: 'payment_received', language: 'en_US' }, parameters: [{ component: 'body', from: 'field', value: 'amount' }], recipient: { from: 'field', value: 'invoice.contact.phone' } });
    const before = (await templatesTo('15550002222')).length;
    const payment = await app.strapi.documents('api::payment.payment').create({ data: { amount: 120.5, invoice: invoice.documentId } as any });
    await settle();
    expect((await templatesTo('15550002222')).length).toBe(before);
    await app.strapi.documents('api::payment.payment').update({ documentId: payment.documentId, data: { paidAt: new Date().toISOString() } as any });
    await settle();
    expect((await templatesTo('15550002222')).length).toBe(before + 1);
    // A payment recorded with its date already set is a change of paidAt too: one message.
    await app.strapi.documents('api::payment.payment').create({ data: { amount: 80, paidAt: new Date().toISOString(), invoice: invoice.documentId } as any });
    await settle();
    expect((await templatesTo('15550002222')).length).toBe(before + 2);
  });
});

describe('rules', () => {
  test('a template deleted at the provider gives the firing a clear error', async () => {
    const retired = await sim.client.createTemplate({ wabaId: WABA, name: 'retired_template', language: 'en_US', category: 'UTILITY', status: 'APPROVED', body: 'Hello!' });
    await admin.post('/whatsapp/templates/sync').send({ numberId: number.id });
    const r = (await rule({ name: 'Old template', contentType: 'api::lead.lead', event: 'created', template: { name: 'retired_template', language: 'en_US' } })).body.data;
    await sim.client.deleteTemplate(retired.id);
    await admin.post('/whatsapp/templates/sync').send({ numberId: number.id });
    await app.strapi.documents('api::lead.lead').create({ data: { name: 'Pat', phone: '+15550005555' } as any });
    await settle();
    const [firing] = (await admin.get(`/whatsapp/notification-rules/${r.id}/firings`)).body.data;
    expect(firing).toMatchObject({ state: 'failed', error: expect.stringMatching(/retired_template/) });
    await admin.del(`/whatsapp/notification-rules/${r.id}`);
  });

  test('a parameter whose field is empty skips the firing, naming the parameter and the field; nothing is sent', async () => {
    await sim.client.setCustomer({ phone: '15550033001', reachable: true });
    const lou = await app.strapi.documents('api::contact.contact').create({ data: { name: 'Lou', phone: '+15550033001' } as any, status: 'published' });
    const r = (await rule({
      name: 'Invoice without due date', contentType: 'api::invoice.invoice', event: 'created', template: { name: 'invoice_added', language: 'en_US' },
      parameters: ['number', 'amount', 'currency', 'dueDate'].map((value, index) => ({ component: 'body', index, from: 'field', value })),
      recipient: { from: 'field', value: 'contact.phone' },
    })).body.data;
    await app.strapi.documents('api::invoice.invoice').create({ data: { number: 'INV-EMPTY-1', amount: 9, currency: 'USD', contact: lou.documentId } as any });
    await settle();
    const [firing] = (await admin.get(`/whatsapp/notification-rules/${r.id}/firings`)).body.data;
    expect(firing).toMatchObject({ state: 'skipped', error: 'body {{4}}: dueDate is empty', trace: { matched: true, reason: 'body {{4}}: dueDate is empty' } });
    expect(firing.trace.messageId).toBeUndefined();
    expect((await templatesTo('15550033001')).filter((m) => m.template?.name === 'invoice_added')).toHaveLength(0);
    await admin.put(`/whatsapp/notification-rules/${r.id}`).send({ active: false });
  });

  test('test-send renders the template for a chosen record and shows the result', async () => {
    const r = (await admin.get('/whatsapp/notification-rules')).body.data.find((x: any) => x.name === 'Welcome new leads');
    const lead = await app.strapi.documents('api::lead.lead').findFirst({ filters: { name: 'Carol' } as any });
    const res = await admin.post(`/whatsapp/notification-rules/${r.id}/test`).send({ documentId: lead!.documentId });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ state: 'queued', trace: { matched: true, parameters: { body: [{ type: 'text', text: 'Carol' }] }, recipient: '+15550005555' } });
  });

  test('a link parameter is the record’s page in the admin, below the public URL', async () => {
    const r = (await rule({ name: 'Lead link', contentType: 'api::lead.lead', event: 'created', active: false, template: { name: 'welcome_lead', language: 'en_US' }, parameters: [{ component: 'body', index: 0, from: 'link', value: '' }] })).body.data;
    const lead = await app.strapi.documents('api::lead.lead').findFirst({ filters: { name: 'Carol' } as any });
    const linkOf = async () => (await admin.post(`/whatsapp/notification-rules/${r.id}/test`).send({ documentId: lead!.documentId })).body.data.trace.parameters.body[0].text;
    const page = `/content-manager/collection-types/api::lead.lead/${lead!.documentId}`;
    expect(await linkOf()).toBe(`https://crm.test.local/admin${page}`);
    // The admin panel where the host serves it: under another path, or on a host of its own.
    const config = app.strapi.config as any;
    const saved = { url: config.get('admin.url'), path: config.get('admin.path') };
    try {
      config.set('admin.url', '/dashboard');
      config.set('admin.path', '/dashboard');
      expect(await linkOf()).toBe(`https://crm.test.local/dashboard${page}`);
      config.set('admin.url', 'https://admin.crm.test/panel/');
      expect(await linkOf()).toBe(`https://admin.crm.test/panel${page}`);
    } finally {
      config.set('admin.url', saved.url);
      config.set('admin.path', saved.path);
    }
    await admin.del(`/whatsapp/notification-rules/${r.id}`);
  });

  test('rules are validated against the host’s types', async () => {
    expect((await rule({ name: 'x', contentType: 'api::nope.nope', event: 'created', template: { name: 'a', language: 'en' } })).status).toBe(400);
    expect((await rule({ name: 'x', contentType: 'api::lead.lead', event: 'created', template: { name: 'a', language: 'en' }, recipient: { from: 'field', value: 'mobile' } })).status).toBe(400);
    expect((await rule({ name: 'x', contentType: 'api::lead.lead', event: 'fieldChanged', template: { name: 'a', language: 'en' } })).status).toBe(400);
    expect((await rule({ name: 'x', contentType: 'api::lead.lead', event: 'exploded', template: { name: 'a', language: 'en' } })).status).toBe(400);
    // A private field never goes out, even through a relation.
    const secret = await rule({ name: 'x', contentType: 'api::lead.lead', event: 'created', template: { name: 'welcome_lead', language: 'en_US' }, parameters: [{ component: 'body', from: 'field', value: 'owner.password' }] });
    expect(secret.status).toBe(400);
    expect(secret.body.error.message).toMatch(/private/);
    // With a list of allowed fields in settings, only those may be bound.
    await admin.put('/whatsapp/settings').send({ notificationFields: { 'api::lead.lead': ['name', 'phone'] } });
    const email = await rule({ name: 'x', contentType: 'api::lead.lead', event: 'created', template: { name: 'welcome_lead', language: 'en_US' }, parameters: [{ component: 'body', from: 'field', value: 'email' }] });
    expect(email.status).toBe(400);
    expect(email.body.error.message).toMatch(/allowed/);
    expect((await rule({ name: 'ok', contentType: 'api::lead.lead', event: 'created', active: false, template: { name: 'welcome_lead', language: 'en_US' }, parameters: [{ component: 'body', from: 'field', value: 'name' }] })).status).toBe(201);
    // The rule editor learns the limit from the host schema; other types stay unlimited.
    const types = (await admin.get('/whatsapp/host/content-types')).body.data;
    expect(types.find((ct: any) => ct.uid === 'api::lead.lead').notificationFields).toEqual(['name', 'phone']);
    expect(types.find((ct: any) => ct.uid === 'api::contact.contact').notificationFields).toBeNull();
    // An empty list is no limit; a field or type the host lacks is refused under its setting.
    await admin.put('/whatsapp/settings').send({ notificationFields: { 'api::lead.lead': [] } });
    expect((await admin.get('/whatsapp/settings')).body.data.notificationFields).toEqual({});
    const unknownField = await admin.put('/whatsapp/settings').send({ notificationFields: { 'api::lead.lead': ['name', 'shoeSize'] } });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.details.errors[0]).toMatchObject({ path: ['notificationFields', 'api::lead.lead'], message: expect.stringMatching(/shoeSize/) });
    expect((await admin.put('/whatsapp/settings').send({ notificationFields: { 'api::nothing.nothing': ['name'] } })).status).toBe(400);
    await admin.put('/whatsapp/settings').send({ notificationFields: {} });
  });

  test('what would never send is refused up front, every problem under its field', async () => {
    const errorsOf = (res: any) => res.body.error.details.errors.map((e: any) => [e.path[0], e.message]);
    // The editor's empty form: each field says what it wants.
    const empty = await admin.post('/whatsapp/notification-rules').send({ name: '', contentType: '', event: 'created', condition: null, numberId: 0, template: { name: '', language: '' }, parameters: [], recipient: { from: 'field', value: '' }, active: true });
    expect(Object.fromEntries(errorsOf(empty).reverse())).toEqual({
      name: 'give the rule a name', contentType: expect.stringMatching(/^choose a content type/), numberId: 'choose a number', template: 'choose a template', recipient: 'choose the phone field, or enter a phone number',
    });
    // A fixed recipient that is no phone number; a template parameter left unmapped, another empty.
    const res = await rule({
      name: 'x', contentType: 'api::invoice.invoice', event: 'created', template: { name: 'invoice_added', language: 'en_US' },
      parameters: [
        { component: 'body', index: 0, from: 'field', value: 'number' },
        { component: 'body', index: 1, from: 'field', value: '' },
        { component: 'body', index: 2, from: 'constant', value: ' ' },
        { component: 'body', index: 3, from: 'field', value: 'dueDate' },
      ],
      recipient: { from: 'constant', value: '12345' },
    });
    expect(res.status).toBe(400);
    expect(errorsOf(res)).toEqual([
      ['parameters', 'body {{2}}: choose the field it is filled from'],
      ['parameters', 'body {{3}}: enter the text to send'],
      ['recipient', expect.stringMatching(/12345 is not a valid phone number/)],
    ]);
    // Fewer parameters than the template has placeholders.
    const short = await rule({ name: 'x', contentType: 'api::invoice.invoice', event: 'created', template: { name: 'invoice_added', language: 'en_US' }, parameters: [{ component: 'body', index: 0, from: 'field', value: 'number' }], recipient: { from: 'field', value: 'contact.phone' } });
    expect(errorsOf(short)).toEqual([['parameters', expect.stringMatching(/invoice_added: body takes 4 parameter/)]]);
    // A template this number does not have.
    expect(errorsOf(await rule({ name: 'x', contentType: 'api::lead.lead', event: 'created', template: { name: 'no_such_template', language: 'en_US' } }))).toEqual([['template', expect.stringMatching(/no template no_such_template/)]]);
    // Conditions and "changed to" values are compared as text: no operators or nested objects.
    expect(errorsOf(await rule({ name: 'x', contentType: 'api::lead.lead', event: 'created', condition: { status: { $ne: 'won' } }, template: { name: 'welcome_lead', language: 'en_US' }, parameters: [{ component: 'body', index: 0, from: 'field', value: 'name' }] }))).toEqual([['condition', expect.any(String)]]);
    expect(errorsOf(await rule({ name: 'x', contentType: 'api::lead.lead', event: 'fieldChanged', field: 'status', value: { a: 1 }, template: { name: 'welcome_lead', language: 'en_US' }, parameters: [{ component: 'body', index: 0, from: 'field', value: 'name' }] }))).toEqual([['value', expect.any(String)]]);
    // A dateOffset rule without its offset says so on that field.
    expect(errorsOf(await rule({ name: 'x', contentType: 'api::invoice.invoice', event: 'dateOffset', field: 'dueDate', template: { name: 'invoice_added', language: 'en_US' }, parameters: ['number', 'amount', 'currency', 'dueDate'].map((value, index) => ({ component: 'body', index, from: 'field', value })), recipient: { from: 'field', value: 'contact.phone' } }))).toEqual([['offsetDays', expect.any(String)]]);
    expect((await admin.get('/whatsapp/notification-rules')).body.data.filter((r: any) => r.name === 'x')).toEqual([]);
  });

  test('what an event could never serve is refused; the settings’ allowed fields limit what is sent, not what triggers', async () => {
    const errorsOf = (res: any) => res.body.error.details.errors.map((e: any) => [e.path[0], e.message]);
    const welcome = { template: { name: 'welcome_lead', language: 'en_US' }, parameters: [{ component: 'body', index: 0, from: 'field', value: 'name' }] };
    // Leads have no draft & publish: a published rule would never fire.
    expect(errorsOf(await rule({ name: 'x', contentType: 'api::lead.lead', event: 'published', ...welcome }))).toEqual([['event', expect.stringMatching(/draft & publish/)]]);
    // A relation's value is not compared: its change could never be seen.
    expect(errorsOf(await rule({ name: 'x', contentType: 'api::lead.lead', event: 'fieldChanged', field: 'owner', ...welcome }))).toEqual([['field', expect.stringMatching(/owner is a relation/)]]);
    // A list of records has no single value to send (the example's only to-many relation is the admin user's roles).
    const toMany = await rule({ name: 'x', contentType: 'api::lead.lead', event: 'created', ...welcome, parameters: [{ component: 'body', index: 0, from: 'field', value: 'owner.roles.name' }] });
    expect(errorsOf(toMany)).toEqual([['parameters', expect.stringMatching(/owner\.roles\.name goes through roles, a list of records/)]]);
    expect(errorsOf(await rule({ name: 'x', contentType: 'api::lead.lead', event: 'created', ...welcome, recipient: { from: 'field', value: 'owner.roles.code' } }))).toEqual([['recipient', expect.stringMatching(/a list of records/)]]);

    await admin.put('/whatsapp/settings').send({ notificationFields: { 'api::lead.lead': ['name', 'phone'] } });
    try {
      const watched = await rule({ name: 'Status watched', contentType: 'api::lead.lead', event: 'fieldChanged', field: 'status', condition: { source: 'web' }, active: false, ...welcome });
      expect(watched.status).toBe(201);
      await admin.del(`/whatsapp/notification-rules/${watched.body.data.id}`);
    } finally {
      await admin.put('/whatsapp/settings').send({ notificationFields: {} });
    }
  });

  test('a rule whose number or field has gone can still be switched off', async () => {
    const r = (await rule({ name: 'Orphan', contentType: 'api::lead.lead', event: 'fieldChanged', field: 'status', template: { name: 'welcome_lead', language: 'en_US' }, parameters: [{ component: 'body', index: 0, from: 'field', value: 'name' }] })).body.data;
    // The number was removed, and the host renamed the field.
    await q('notification-rule').update({ where: { id: r.id }, data: { numberId: 999_999, field: 'stage' } });
    const off = await admin.put(`/whatsapp/notification-rules/${r.id}`).send({ active: false });
    expect(off.status).toBe(200);
    expect(off.body.data.active).toBe(false);
    // Switching it back on is checked.
    expect((await admin.put(`/whatsapp/notification-rules/${r.id}`).send({ active: true })).status).toBe(400);
    await admin.del(`/whatsapp/notification-rules/${r.id}`);
  });

  test('a "changed to" rule fires only when the field takes that value', async () => {
    await sim.client.setCustomer({ phone: '15550004141', reachable: true });
    const r = (await rule({ name: 'Lead won', contentType: 'api::lead.lead', event: 'fieldChanged', field: 'status', value: 'won', template: { name: 'welcome_lead', language: 'en_US' }, parameters: [{ component: 'body', index: 0, from: 'field', value: 'name' }] })).body.data;
    const lead = await app.strapi.documents('api::lead.lead').create({ data: { name: 'Vic', phone: '+15550004141', status: 'new' } as any });
    await app.strapi.documents('api::lead.lead').update({ documentId: lead.documentId, data: { status: 'contacted' } as any });
    await settle();
    // (The "Welcome new leads" rule greets the new lead: count this rule's firings.)
    const firings = async () => (await admin.get(`/whatsapp/notification-rules/${r.id}/firings`)).body.data;
    expect(await firings()).toEqual([]);
    await app.strapi.documents('api::lead.lead').update({ documentId: lead.documentId, data: { status: 'won' } as any });
    await settle();
    expect(await firings()).toMatchObject([{ state: 'queued', trace: { recipient: '+15550004141' } }]);
    await admin.del(`/whatsapp/notification-rules/${r.id}`);
  });

  test('an edit can clear "changed to" and what another event used', async () => {
    const base = { name: 'Won', contentType: 'api::lead.lead', template: { name: 'welcome_lead', language: 'en_US' }, parameters: [{ component: 'body', index: 0, from: 'field', value: 'name' }], active: false };
    const created0 = await rule({ ...base, event: 'fieldChanged', field: 'status', value: 'won' });
    expect(created0.status).toBe(201);
    const r = created0.body.data;
    expect(r.value).toBe('won');
    expect((await admin.get(`/whatsapp/notification-rules/${r.id}`)).body.data.value).toBe('won');
    const any = await admin.put(`/whatsapp/notification-rules/${r.id}`).send({ ...base, event: 'fieldChanged', field: 'status', value: null, offsetDays: null });
    expect(any.status).toBe(200);
    expect(any.body.data).toMatchObject({ field: 'status', value: null });
    const created = await admin.put(`/whatsapp/notification-rules/${r.id}`).send({ ...base, event: 'created', field: null, value: null, offsetDays: null });
    expect(created.body.data).toMatchObject({ event: 'created', field: null, value: null, offsetDays: null });
    await admin.del(`/whatsapp/notification-rules/${r.id}`);
  });

  test('switching off a rule whose template was removed still works; changing its template is checked', async () => {
    const gone = await sim.client.createTemplate({ wabaId: WABA, name: 'short_lived', language: 'en_US', category: 'UTILITY', status: 'APPROVED', body: 'Hi!' });
    await admin.post('/whatsapp/templates/sync').send({ numberId: number.id });
    const r = (await rule({ name: 'Short lived', contentType: 'api::lead.lead', event: 'created', active: false, template: { name: 'short_lived', language: 'en_US' } })).body.data;
    await sim.client.deleteTemplate(gone.id);
    await admin.post('/whatsapp/templates/sync').send({ numberId: number.id });
    expect((await admin.put(`/whatsapp/notification-rules/${r.id}`).send({ active: false, name: 'Short lived (off)' })).status).toBe(200);
    expect((await admin.put(`/whatsapp/notification-rules/${r.id}`).send({ template: { name: 'short_lived', language: 'en_US' } })).status).toBe(400);
    await admin.del(`/whatsapp/notification-rules/${r.id}`);
  });
});

describe('date-relative reminders', () => {
  test('3 days before the due date fires once, even when the job runs twice', async () => {
    await sim.client.createTemplate({ wabaId: WABA, name: 'invoice_due', language: 'en_US', category: 'UTILITY', status: 'APPROVED', body: 'Invoice {{1}} is due on {{2}}.' });
    await admin.post('/whatsapp/templates/sync').send({ numberId: number.id });
    const res = await rule({ name: 'Due in 3 days', contentType: 'api::invoice.invoice', event: 'dateOffset', field: 'dueDate', offsetDays: -3, template: { name: 'invoice_due', language: 'en_US' }, parameters: [{ component: 'body', index: 0, from: 'field', value: 'number' }, { component: 'body', index: 1, from: 'field', value: 'dueDate' }], recipient: { from: 'field', value: 'contact.phone' } });
    expect(res.status).toBe(201);
    const contact = await app.strapi.documents('api::contact.contact').create({ data: { name: 'Rita', phone: '+15550008888' } as any, status: 'published' });
    const today = new Date('2026-06-10T09:00:00Z');
    await app.strapi.documents('api::invoice.invoice').create({ data: { number: 'INV-DUE-1', amount: 50, currency: 'USD', dueDate: '2026-06-13', contact: contact.documentId } as any });
    await app.strapi.documents('api::invoice.invoice').create({ data: { number: 'INV-LATER', amount: 50, currency: 'USD', dueDate: '2026-06-20', contact: contact.documentId } as any });
    const notifications = app.strapi.plugin('whatsapp').service('notifications');
    expect(await notifications.remind(today)).toBe(1);
    await notifications.remind(today);
    await settle();
    // (The "Invoice added" rule above also fired when these invoices were created.)
    const reminders = (await templatesTo('15550008888')).filter((m) => m.template?.name === 'invoice_due');
    const sent = reminders.filter((m) => JSON.stringify(m).includes('INV-DUE-1'));
    expect(sent).toHaveLength(1);
    expect(JSON.stringify(sent[0])).toContain('2026-06-13');
    expect(reminders.some((m) => JSON.stringify(m).includes('INV-LATER'))).toBe(false);
    expect((await rule({ name: 'x', contentType: 'api::invoice.invoice', event: 'dateOffset', field: 'number', offsetDays: 1, template: { name: 'a', language: 'en' } })).status).toBe(400);
  });
});

describe('reminders that must not be lost', () => {
  const notifications = () => app.strapi.plugin('whatsapp').service('notifications');
  const firingsOf = async (id: number) => (await admin.get(`/whatsapp/notification-rules/${id}/firings`)).body.data as any[];
  const dueRule = (name: string, offsetDays: number) =>
    rule({ name, contentType: 'api::invoice.invoice', event: 'dateOffset', field: 'dueDate', offsetDays, template: { name: 'reminder_due', language: 'en_US' }, parameters: [{ component: 'body', index: 0, from: 'field', value: 'number' }, { component: 'body', index: 1, from: 'field', value: 'dueDate' }], recipient: { from: 'field', value: 'contact.phone' } });
  let contact: any;
  beforeAll(async () => {
    await sim.client.createTemplate({ wabaId: WABA, name: 'reminder_due', language: 'en_US', category: 'UTILITY', status: 'APPROVED', body: 'Invoice {{1}} is due on {{2}}.' });
    await admin.post('/whatsapp/templates/sync').send({ numberId: number.id });
    await sim.client.setCustomer({ phone: '15550032001', reachable: true });
    contact = await app.strapi.documents('api::contact.contact').create({ data: { name: 'Ines', phone: '+15550032001' } as any, status: 'published' });
  });

  test('a rule whose date field the host renamed is skipped with a log; the rules after it still fire', async () => {
    const broken = (await dueRule('Due (field renamed)', -1)).body.data;
    // The host renamed dueDate after the rule was saved.
    await q('notification-rule').update({ where: { id: broken.id }, data: { field: 'dueOn' } });
    const good = (await dueRule('Due tomorrow', -1)).body.data;
    const invoice = await app.strapi.documents('api::invoice.invoice').create({ data: { number: 'INV-REM-1', amount: 5, currency: 'USD', dueDate: '2026-08-06', contact: contact.documentId } as any });
    const warn = jest.spyOn(app.strapi.log, 'warn');
    try {
      await notifications().remind(new Date('2026-08-05T12:00:00Z'));
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/Due \(field renamed\).*dueOn/));
    } finally {
      warn.mockRestore();
    }
    expect((await firingsOf(good.id)).map((f) => f.recordDocumentId)).toEqual([invoice.documentId]);
    expect(await firingsOf(broken.id)).toEqual([]);
    for (const r of [broken, good]) await admin.put(`/whatsapp/notification-rules/${r.id}`).send({ active: false });
  });

  test('on a draft & publish type only published records are reminded', async () => {
    await sim.client.setCustomer({ phone: '15550032002', reachable: true });
    const r = (await rule({ name: 'Follow up', contentType: 'api::contact.contact', event: 'dateOffset', field: 'followUpOn', offsetDays: 0, template: { name: 'welcome_lead', language: 'en_US' }, parameters: [{ component: 'body', index: 0, from: 'field', value: 'name' }] })).body.data;
    const draft = await app.strapi.documents('api::contact.contact').create({ data: { name: 'Jon Draft', phone: '+15550032002', followUpOn: '2026-08-10' } as any });
    const published = await app.strapi.documents('api::contact.contact').create({ data: { name: 'Kay Published', phone: '+15550032002', followUpOn: '2026-08-10' } as any, status: 'published' });
    await notifications().remind(new Date('2026-08-10T12:00:00Z'));
    const firings = await firingsOf(r.id);
    expect(firings.map((f) => f.recordDocumentId)).toEqual([published.documentId]);
    expect(firings.map((f) => f.recordDocumentId)).not.toContain(draft.documentId);
    await admin.put(`/whatsapp/notification-rules/${r.id}`).send({ active: false });
  });

  test('"today" is the day in the business hours’ time zone, and a day the job missed is still caught up', async () => {
    const r = (await dueRule('Due today', 0)).body.data;
    const today = await app.strapi.documents('api::invoice.invoice').create({ data: { number: 'INV-REM-TODAY', amount: 5, currency: 'USD', dueDate: '2026-09-02', contact: contact.documentId } as any });
    // Created after yesterday's last run, or the runs that day did not happen.
    const missed = await app.strapi.documents('api::invoice.invoice').create({ data: { number: 'INV-REM-MISSED', amount: 5, currency: 'USD', dueDate: '2026-09-01', contact: contact.documentId } as any });
    expect((await admin.put('/whatsapp/settings').send({ businessHours: { timezone: 'Pacific/Auckland', days: { mon: { open: '09:00', close: '17:00' } } } })).status).toBe(200);
    try {
      // 20:00 UTC on 1 September is 08:00 on 2 September in Auckland.
      const at = new Date('2026-09-01T20:00:00Z');
      await notifications().remind(at);
      await notifications().remind(at);
    } finally {
      await admin.put('/whatsapp/settings').send({ businessHours: null });
    }
    expect((await firingsOf(r.id)).map((f) => f.recordDocumentId).sort()).toEqual([today.documentId, missed.documentId].sort());
    await admin.put(`/whatsapp/notification-rules/${r.id}`).send({ active: false });
  });
});

describe('localized records', () => {
  test('each locale fires with its own values, the locale written', async () => {
    await app.strapi.plugin('i18n').service('locales').create({ code: 'fr', name: 'French (fr)' });
    await sim.client.setCustomer({ phone: '15550036001', reachable: true });
    const contact = await app.strapi.documents('api::contact.contact').create({ data: { name: 'Elise', phone: '+15550036001' } as any, status: 'published' });
    const titled = (name: string, event: string) =>
      rule({ name, contentType: 'api::invoice.invoice', event, template: { name: 'payment_received', language: 'en_US' }, parameters: [{ component: 'body', from: 'field', value: 'title' }], recipient: { from: 'field', value: 'contact.phone' } });
    const created = (await titled('Invoice created, per locale', 'created')).body.data;
    const updated = (await titled('Invoice updated, per locale', 'updated')).body.data;
    const invoices = app.strapi.documents('api::invoice.invoice');
    const invoice = await invoices.create({ data: { title: 'Consulting', number: 'INV-I18N-1', amount: 70, currency: 'EUR', contact: contact.documentId } as any });
    // The French version: a create of that locale, through update.
    await invoices.update({ documentId: invoice.documentId, locale: 'fr', data: { title: 'Conseil', number: 'INV-I18N-1', amount: 70, currency: 'EUR', contact: contact.documentId } as any });
    await settle();
    await invoices.update({ documentId: invoice.documentId, locale: 'fr', data: { title: 'Conseil juridique' } as any });
    await settle();
    const texts = (await templatesTo('15550036001')).map((m: any) => m.text).filter((t: string) => t.startsWith('We received'));
    expect(texts).toEqual(['We received Consulting. Thank you!', 'We received Conseil. Thank you!', 'We received Conseil juridique. Thank you!']);
    expect((await admin.get(`/whatsapp/notification-rules/${updated.id}/firings`)).body.data.map((f: any) => f.locale)).toEqual(['fr', 'fr']);
    expect((await admin.get(`/whatsapp/notification-rules/${created.id}/firings`)).body.data.map((f: any) => f.locale)).toEqual(['en']);
    for (const r of [created, updated]) await admin.put(`/whatsapp/notification-rules/${r.id}`).send({ active: false });
  });
});

describe('a rule that fails', () => {
  test('fails alone: its firing records the error, the other rules fire, the host’s create and delete succeed', async () => {
    await sim.client.setCustomer({ phone: '15550034001', reachable: true });
    const { accessKey } = await app.strapi.service('admin::api-token').create({ name: 'crm-broken-rules', type: 'full-access', lifespan: null, description: '' });
    const api = (method: 'post' | 'delete', url: string) => request(app.server)[method](url).set('Authorization', `Bearer ${accessKey}`);
    const make = async (name: string, event: string) =>
      (await rule({ name, contentType: 'api::lead.lead', event, template: { name: 'payment_received', language: 'en_US' }, parameters: [{ component: 'body', from: 'field', value: 'name' }] })).body.data;
    // Stored parameters no editor would save (a hand edit, an old row): evaluating the rule throws.
    const brokenCreated = await make('Broken on create', 'created');
    const brokenDeleted = await make('Broken on delete', 'deleted');
    for (const r of [brokenCreated, brokenDeleted]) await q('notification-rule').update({ where: { id: r.id }, data: { parameters: [{ component: 'body', from: 'field', value: 42 }] } });
    const goodCreated = await make('Fine on create', 'created');
    const goodDeleted = await make('Fine on delete', 'deleted');

    const created = await api('post', '/api/leads').send({ data: { name: 'Abe', phone: '+15550034001' } });
    expect(created.status).toBe(201);
    await settle();
    expect((await api('delete', `/api/leads/${created.body.data.documentId}`)).status).toBeLessThan(300);
    expect(await app.strapi.documents('api::lead.lead').findOne({ documentId: created.body.data.documentId })).toBeNull();
    await settle();

    const firingsOf = async (r: any) => (await admin.get(`/whatsapp/notification-rules/${r.id}/firings`)).body.data;
    for (const r of [brokenCreated, brokenDeleted]) expect(await firingsOf(r)).toEqual([expect.objectContaining({ state: 'failed', error: expect.stringMatching(/\S/), recordDocumentId: created.body.data.documentId })]);
    for (const r of [goodCreated, goodDeleted]) expect(await firingsOf(r)).toEqual([expect.objectContaining({ state: 'queued' })]);
    expect((await templatesTo('15550034001')).map((m: any) => m.text).filter((t: string) => t.startsWith('We received'))).toEqual(['We received Abe. Thank you!', 'We received Abe. Thank you!']);
    for (const r of [brokenCreated, brokenDeleted, goodCreated, goodDeleted]) await admin.put(`/whatsapp/notification-rules/${r.id}`).send({ active: false });
  });
});

describe('firings a stopped process left behind', () => {
  test('a firing left queued without its message is sent when the worker starts, and one whose message was queued is not sent twice', async () => {
    for (const phone of ['15550035001', '15550035002']) await sim.client.setCustomer({ phone, reachable: true });
    const r = (await rule({ name: 'Lead to recover', contentType: 'api::lead.lead', event: 'created', template: { name: 'payment_received', language: 'en_US' }, parameters: [{ component: 'body', from: 'field', value: 'name' }] })).body.data;
    const notifications = app.strapi.plugin('whatsapp').service('notifications');
    const texts = async (to: string) => (await templatesTo(to)).map((m: any) => m.text).filter((t: string) => t.startsWith('We received'));
    const firingOf = async (documentId: string) => q('notification-firing').findOne({ where: { ruleId: r.id, recordDocumentId: documentId } });
    // Stopped after the outbox queued the message, before the firing recorded it.
    const sent = await app.strapi.documents('api::lead.lead').create({ data: { name: 'Bea', phone: '+15550035001' } as any });
    await settle();
    const { messageId } = await firingOf(sent.documentId);
    expect(messageId).toEqual(expect.any(Number));
    await notifications.stop();
    // Stopped after claiming the firing, before anything was queued.
    const unsent = await app.strapi.documents('api::lead.lead').create({ data: { name: 'Cal', phone: '+15550035002' } as any });
    // A claim's lease that ran out: its process stopped mid-send.
    const leaseEnded = new Date(Date.now() - 60 * 60_000);
    const firings = () => app.strapi.db.getConnection('whatsapp_notification_firings');
    await firings().where({ id: (await firingOf(sent.documentId)).id }).update({ state: 'pending', message_id: null, locked_until: leaseEnded });
    await firings().where({ id: (await firingOf(unsent.documentId)).id }).update({ state: 'pending', message_id: null, locked_until: leaseEnded });

    await notifications.start();
    await settle();
    expect(await texts('15550035001')).toEqual(['We received Bea. Thank you!']);
    expect(await texts('15550035002')).toEqual(['We received Cal. Thank you!']);
    expect(await firingOf(sent.documentId)).toMatchObject({ state: 'queued', messageId });
    expect(await firingOf(unsent.documentId)).toMatchObject({ state: 'queued', messageId: expect.any(Number) });
    await admin.put(`/whatsapp/notification-rules/${r.id}`).send({ active: false });
  });
});

describe('opt-out', () => {
  const OLGA = '15550009999';
  const SAM = '15550003333';
  let ruleId: number;
  const contactByPhone = (phone: string) => app.strapi.documents('api::contact.contact').findFirst({ filters: { phone: `+${phone}` } as any });
  // The "Contact hello" rule above greets every new contact: count the invoice template only.
  const invoicesTo = async (phone: string) => (await templatesTo(phone)).filter((m) => m.template?.name === 'invoice_added');
  const firingsOf = async () => (await admin.get(`/whatsapp/notification-rules/${ruleId}/firings`)).body.data as any[];
  const invoiceFor = async (contact: any, ref: string) => {
    await app.strapi.documents('api::invoice.invoice').create({ data: { number: ref, amount: 10, currency: 'USD', dueDate: '2026-12-01', contact: contact.documentId } as any });
    await settle();
  };

  beforeAll(async () => {
    for (const phone of [OLGA, SAM]) await sim.client.setCustomer({ phone, reachable: true });
    const res = await rule({
      name: 'Invoice to opted-out', contentType: 'api::invoice.invoice', event: 'created', template: { name: 'invoice_added', language: 'en_US' },
      condition: { currency: 'USD' },
      parameters: [0, 1, 2, 3].map((index) => ({ component: 'body', index, from: 'field', value: ['number', 'amount', 'currency', 'dueDate'][index] })),
      recipient: { from: 'field', value: 'contact.phone' },
    });
    expect(res.status).toBe(201);
    ruleId = res.body.data.id;
  });

  test('an opted-out contact’s invoice firing is skipped with the reason and the customer receives nothing', async () => {
    const olga = await app.strapi.documents('api::contact.contact').create({ data: { name: 'Olga', phone: `+${OLGA}`, whatsappOptOut: true } as any, status: 'published' });
    await invoiceFor(olga, 'INV-OPT-1');
    const [firing] = await firingsOf();
    expect(firing).toMatchObject({ state: 'skipped', error: expect.stringMatching(/opted out/), trace: { matched: true, reason: 'opted out', recipient: `+${OLGA}` } });
    expect(firing.trace.messageId).toBeUndefined();
    expect(await templatesTo(OLGA)).toHaveLength(0);
  });

  test('a fixed recipient phone is checked against the CRM records with that phone', async () => {
    const fixed = (await rule({ name: 'Fixed to Olga', contentType: 'api::lead.lead', event: 'created', template: { name: 'welcome_lead', language: 'en_US' }, parameters: [{ component: 'body', index: 0, from: 'field', value: 'name' }], recipient: { from: 'constant', value: `+${OLGA}` } })).body.data;
    await app.strapi.documents('api::lead.lead').create({ data: { name: 'Zed', phone: '+15550005555' } as any });
    await settle();
    const [firing] = (await admin.get(`/whatsapp/notification-rules/${fixed.id}/firings`)).body.data;
    expect(firing).toMatchObject({ state: 'skipped', trace: { reason: 'opted out' } });
    expect(await templatesTo(OLGA)).toHaveLength(0);
    await admin.del(`/whatsapp/notification-rules/${fixed.id}`);
  });

  test('STOP from the phone opts the contact out; START opts them back in', async () => {
    const sam = await app.strapi.documents('api::contact.contact').create({ data: { name: 'Sam', phone: `+${SAM}` } as any, status: 'published' });
    const inbound = app.strapi.plugin('whatsapp').service('inbound');
    const flags = async () => (await app.strapi.db.query('api::contact.contact').findMany({ where: { documentId: sam.documentId } })).map((r: any) => r.whatsappOptOut);
    const says = async (text: string, want: boolean) => {
      await sim.client.customerSends({ from: SAM, to: PNID, name: 'Sam', text });
      for (let i = 0; i < 50 && !(await flags()).every((f: boolean) => f === want); i += 1) {
        inbound.kick();
        await inbound.idle();
        await new Promise((r) => setTimeout(r, 100));
      }
      // The draft and the published version both change.
      expect(await flags()).toEqual([want, want]);
    };

    await says('Stop', true);
    await invoiceFor(await contactByPhone(SAM), 'INV-OPT-2');
    expect((await firingsOf())[0]).toMatchObject({ state: 'skipped', trace: { reason: 'opted out' } });
    expect(await invoicesTo(SAM)).toHaveLength(0);

    await says('START', false);
    await invoiceFor(await contactByPhone(SAM), 'INV-OPT-3');
    expect((await firingsOf())[0]).toMatchObject({ state: 'queued', trace: { matched: true, recipient: `+${SAM}`, message: { status: expect.stringMatching(/sent|delivered|read/) } } });
    const received = (await invoicesTo(SAM)).map((m) => JSON.stringify(m));
    expect(received.some((m) => m.includes('INV-OPT-3'))).toBe(true);
    expect(received.some((m) => m.includes('INV-OPT-2'))).toBe(false);
  });

  test('firings answer newest first, as many as asked', async () => {
    const all = await firingsOf();
    expect(all.length).toBeGreaterThan(1);
    const newest = await admin.get(`/whatsapp/notification-rules/${ruleId}/firings?limit=1`);
    expect(newest.body.data).toEqual([all[0]]);
    expect((await admin.get(`/whatsapp/notification-rules/${ruleId}/firings?limit=0`)).status).toBe(400);
    expect((await admin.get(`/whatsapp/notification-rules/${ruleId}/firings?limit=lots`)).status).toBe(400);
  });

  test('the opt-out field must be a boolean of the identity source’s type', async () => {
    const res = await admin.put('/whatsapp/settings').send({ identitySources: [{ kind: 'contact', uid: 'api::contact.contact', phoneField: 'phone', nameField: 'name', optOutField: 'email' }] });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/boolean/);
  });
});
