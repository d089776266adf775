import type { RunningSimulator } from '../../simulator';
import { ADMIN, type TestApp } from '../helpers/strapi';
import { connectMetaNumber, startWithSimulator } from '../helpers/simulated-app';
import { as, contentManagerRead, createStaff, login } from '../helpers/admin';
import { settleNotifications } from '../helpers/notifications';

/**
 * CRM-event rules read only what their author may read in the Content Manager, never admin users,
 * and a trace shows a value only to a viewer who may read the field it came from.
 */
let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;
let numberId: number;
let owner: { id: number; documentId: string; email: string; password: string };

const PNID = '109876543219001';
const WABA = '102030405069001';
const RULES = '/whatsapp/notification-rules';
const MANAGE = ['plugin::whatsapp.notifications.read', 'plugin::whatsapp.notifications.manage'];
const PHONES = ['15550009301', '15550009401', '15550009501', '15550009601'];

const q = (name: string) => app.strapi.db.query(`plugin::whatsapp.${name}` as any);
const settle = () => settleNotifications(app, sim);
const templatesTo = async (to: string) => ((await sim.client.outbound({ to })) as any[]).filter((m) => m.type === 'template');
const errorsOf = (res: any) => res.body.error.details.errors.map((e: any) => [e.path[0], e.message]);
/** What of the admin user a value gives away: their email or password hash. */
const leaks = (value: unknown) => [owner.email, owner.password].filter((secret) => JSON.stringify(value).includes(secret));
/** An inactive rule on leads sent to a fixed phone, so a probe never depends on the phone field. */
const probe = (body: Record<string, unknown>) => ({
  name: 'probe',
  contentType: 'api::lead.lead',
  event: 'created',
  numberId,
  active: false,
  template: { name: 'welcome_lead', language: 'en_US' },
  parameters: [{ component: 'body', index: 0, from: 'constant', value: 'there' }],
  recipient: { from: 'constant', value: '+15550009001' },
  ...body,
});
const bodyParam = (value: string, index = 0) => ({ component: 'body', index, from: 'field', value });
const createLead = (data: Record<string, unknown>) => app.strapi.documents('api::lead.lead').create({ data: data as any });

beforeAll(async () => {
  const started = await startWithSimulator();
  ({ sim, app, admin } = started);
  numberId = (await connectMetaNumber(started, { label: 'Rules', phone: '+15550009000', phoneNumberId: PNID, wabaId: WABA, accessToken: 'rules-token', appSecret: 'rules-secret' })).id;
  await sim.client.createTemplate({ wabaId: WABA, name: 'welcome_lead', language: 'en_US', category: 'MARKETING', status: 'APPROVED', body: 'Welcome {{1}}!' });
  await sim.client.createTemplate({ wabaId: WABA, name: 'two_values', language: 'en_US', category: 'UTILITY', status: 'APPROVED', body: 'Hi {{1}}, {{2}}.' });
  await admin.post('/whatsapp/templates/sync').send({ numberId });
  for (const phone of PHONES) await sim.client.setCustomer({ phone, reachable: true });
  owner = await app.strapi.db.query('admin::user').findOne({ where: { email: ADMIN.email }, select: ['id', 'documentId', 'email', 'password'] });
  expect(owner.password).toMatch(/^\$2/);
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

describe('what a rule may bind', () => {
  test('the audit’s attack: a rule author cannot bind the admin user a lead belongs to, in any part of a rule', async () => {
    const author = as(app.server, (await createStaff(app.strapi, app.server, 'RuleAuthor', MANAGE)).token);
    for (const path of ['owner', 'owner.firstname', 'owner.email', 'owner.password', 'owner.resetPasswordToken', 'owner.registrationToken']) {
      const res = await author.post(RULES).send(probe({ parameters: [bodyParam(path)] }));
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('ValidationError');
      expect(errorsOf(res)).toEqual([['parameters', expect.stringContaining(path)]]);
    }
    expect(errorsOf(await author.post(RULES).send(probe({ parameters: [bodyParam('owner')] })))).toEqual([['parameters', 'owner is a relation; choose one of its own fields']]);
    expect(errorsOf(await author.post(RULES).send(probe({ parameters: [bodyParam('owner.firstname')] })))).toEqual([['parameters', expect.stringMatching(/^owner\.firstname reads admin users/)]]);
    // The recipient, a condition and a watched field are reads too: each could reveal a value.
    expect(errorsOf(await author.post(RULES).send(probe({ recipient: { from: 'field', value: 'owner.firstname' } })))).toEqual([['recipient', expect.stringMatching(/^owner\.firstname reads admin users/)]]);
    expect(errorsOf(await author.post(RULES).send(probe({ condition: { 'owner.email': ADMIN.email } })))).toEqual([['condition', expect.stringContaining('owner.email')]]);
    expect(errorsOf(await author.post(RULES).send(probe({ event: 'fieldChanged', field: 'owner.lastname' })))).toEqual([['field', expect.stringMatching(/^owner\.lastname reads admin users/)]]);
    expect((await admin.get(RULES)).body.data.filter((r: any) => r.name === 'probe')).toEqual([]);
  });

  test('a super admin binds ordinary fields through relations, and the firing sends them; admin users stay out of reach', async () => {
    for (const path of ['owner', 'owner.firstname', 'owner.email', 'owner.password']) {
      const res = await admin.post(RULES).send(probe({ parameters: [bodyParam(path)] }));
      expect(res.status).toBe(400);
      expect(errorsOf(res)).toEqual([['parameters', expect.stringContaining(path)]]);
    }
    const onTicket = probe({ contentType: 'api::ticket.ticket', parameters: [bodyParam('lead.owner.firstname')] });
    expect(errorsOf(await admin.post(RULES).send(onTicket))).toEqual([['parameters', expect.stringMatching(/^lead\.owner\.firstname reads admin users/)]]);
    // A path ends on a value: no JSON, no media, nothing read through a plain field.
    expect(errorsOf(await admin.post(RULES).send(probe({ parameters: [bodyParam('name.length')] })))).toEqual([['parameters', expect.stringMatching(/name\.length goes through name, a string field/)]]);

    const rule = await admin.post(RULES).send({ ...probe({ contentType: 'api::ticket.ticket', parameters: [bodyParam('lead.name')], recipient: { from: 'field', value: 'lead.phone' } }), name: 'Ticket opened', active: true });
    expect(rule.status).toBe(201);
    const lead = await createLead({ name: 'Rita', phone: '+15550009301', email: 'rita@example.test', owner: owner.id });
    await app.strapi.documents('api::ticket.ticket').create({ data: { subject: 'Help', lead: lead.documentId } as any });
    await settle();
    expect((await templatesTo('15550009301')).map((m: any) => m.text)).toEqual(['Welcome Rita!']);
    const [firing] = (await admin.get(`${RULES}/${rule.body.data.id}/firings`)).body.data;
    expect(firing).toMatchObject({ state: 'queued', trace: { recipient: '+15550009301', parameters: { body: [{ text: 'Rita' }] } } });
    expect(firing.trace.redacted).toBeUndefined();
    await admin.put(`${RULES}/${rule.body.data.id}`).send({ active: false });
  });

  test('an author binds only what they may read in the Content Manager: the type, the field, and along a relation the target’s', async () => {
    const noLeads = as(app.server, (await createStaff(app.strapi, app.server, 'NoLeads', MANAGE)).token);
    expect(errorsOf(await noLeads.post(RULES).send(probe({ parameters: [bodyParam('email')], recipient: { from: 'field', value: 'phone' } })))).toEqual([
      ['parameters', 'email: you may not read api::lead.lead in the Content Manager'],
      ['recipient', 'phone: you may not read api::lead.lead in the Content Manager'],
    ]);
    const namesAndPhones = as(app.server, (await createStaff(app.strapi, app.server, 'LeadNames', [...MANAGE, contentManagerRead('api::lead.lead', ['name', 'phone'])])).token);
    expect((await namesAndPhones.post(RULES).send(probe({ name: 'Lead names', parameters: [bodyParam('name')], recipient: { from: 'field', value: 'phone' } }))).status).toBe(201);
    expect(errorsOf(await namesAndPhones.post(RULES).send(probe({ parameters: [bodyParam('email')] })))).toEqual([['parameters', 'email: you may not read the field email of api::lead.lead in the Content Manager']]);
    expect(errorsOf(await namesAndPhones.post(RULES).send(probe({ condition: { status: 'won' } })))).toEqual([['condition', expect.stringMatching(/^status: you may not read the field status/)]]);
    expect(errorsOf(await namesAndPhones.post(RULES).send(probe({ event: 'fieldChanged', field: 'status' })))).toEqual([['field', expect.stringMatching(/^status: you may not read the field status/)]]);

    // Through a relation: the relation field itself, then the related type and its field.
    const invoiceRule = probe({ contentType: 'api::invoice.invoice', template: { name: 'welcome_lead', language: 'en_US' }, parameters: [bodyParam('number')], recipient: { from: 'field', value: 'contact.phone' } });
    const invoicesOnly = as(app.server, (await createStaff(app.strapi, app.server, 'InvoicesOnly', [...MANAGE, contentManagerRead('api::invoice.invoice', ['number', 'contact'], [], ['en'])])).token);
    expect(errorsOf(await invoicesOnly.post(RULES).send(invoiceRule))).toEqual([['recipient', 'contact.phone: you may not read api::contact.contact in the Content Manager']]);
    const noContactField = as(app.server, (await createStaff(app.strapi, app.server, 'InvoiceNumbers', [...MANAGE, contentManagerRead('api::invoice.invoice', ['number'], [], ['en']), contentManagerRead('api::contact.contact', ['phone'])])).token);
    expect(errorsOf(await noContactField.post(RULES).send(invoiceRule))).toEqual([['recipient', 'contact.phone: you may not read the field contact of api::invoice.invoice in the Content Manager']]);
    const both = as(app.server, (await createStaff(app.strapi, app.server, 'InvoiceContacts', [...MANAGE, contentManagerRead('api::invoice.invoice', ['number', 'contact'], [], ['en']), contentManagerRead('api::contact.contact', ['phone'])])).token);
    const allowed = await both.post(RULES).send(invoiceRule);
    expect(allowed.status).toBe(201);
    await admin.del(`${RULES}/${allowed.body.data.id}`);

    // The editor is offered only those types and fields.
    const offered = (await namesAndPhones.get('/whatsapp/host/content-types')).body.data;
    expect(offered.map((t: any) => [t.uid, t.fields.map((f: any) => f.name)])).toEqual([['api::lead.lead', ['name', 'phone']]]);
    expect((await noLeads.get('/whatsapp/host/content-types')).body.data).toEqual([]);
    expect((await admin.get('/whatsapp/host/content-types')).body.data.map((t: any) => t.uid)).toEqual(expect.arrayContaining(['api::lead.lead', 'api::contact.contact', 'api::invoice.invoice']));
  });

  test('editing or test-sending someone else’s rule needs the same reads, and the record must be one the caller can open', async () => {
    const emails = (await admin.post(RULES).send(probe({ name: 'Lead emails', parameters: [bodyParam('email')], recipient: { from: 'field', value: 'phone' } }))).body.data;
    const lead = await createLead({ name: 'Sam', phone: '+15550009601', email: 'sam@example.test' });
    const namesAndPhones = as(app.server, await login(app.server, 'leadnames@test.local', 'Staff-Member-2026'));
    expect(errorsOf(await namesAndPhones.put(`${RULES}/${emails.id}`).send({ name: 'Renamed' }))).toEqual([['parameters', expect.stringMatching(/^email: you may not read the field email/)]]);
    const test = await namesAndPhones.post(`${RULES}/${emails.id}/test`).send({ documentId: lead.documentId });
    expect(test.status).toBe(403);
    expect(test.body.error.message).toMatch(/email: you may not read the field email/);
    expect(JSON.stringify(test.body)).not.toContain('sam@example.test');

    // Leads they created only: a lead someone else created is not there for them.
    const names = (await admin.get(RULES)).body.data.find((r: any) => r.name === 'Lead names');
    const ownLeads = as(app.server, (await createStaff(app.strapi, app.server, 'OwnLeads', [...MANAGE, contentManagerRead('api::lead.lead', ['name', 'phone'], ['admin::is-creator'])])).token);
    expect((await ownLeads.post(`${RULES}/${names.id}/test`).send({ documentId: lead.documentId })).status).toBe(404);
    expect((await admin.post(`${RULES}/${names.id}/test`).send({ documentId: lead.documentId })).body.data).toMatchObject({ state: 'queued', trace: { parameters: { body: [{ text: 'Sam' }] } } });
    await admin.del(`${RULES}/${emails.id}`);
  });
});

describe('rules saved before the paths were checked', () => {
  test('a stored rule binding the owner is skipped with the reason; nothing of the admin user is sent, stored or shown', async () => {
    const old = await q('notification-rule').create({
      data: {
        name: 'Old owner rule',
        contentType: 'api::lead.lead',
        event: 'created',
        numberId,
        active: true,
        template: { name: 'two_values', language: 'en_US' },
        parameters: [bodyParam('owner', 0), bodyParam('owner.firstname', 1)],
        recipient: { from: 'field', value: 'phone' },
      },
    });
    // Any rule saved through the API drops the service's cached list of active rules.
    const flush = await admin.post(RULES).send(probe({ name: 'cache flush' }));
    await admin.del(`${RULES}/${flush.body.data.id}`);
    const lead = await createLead({ name: 'Olly', phone: '+15550009401', owner: owner.id });
    // The lead does belong to the admin: a rule reading its owner would have something to leak.
    expect((await app.strapi.db.query('api::lead.lead').findOne({ where: { documentId: lead.documentId }, populate: ['owner'] })).owner.id).toBe(owner.id);
    await settle();
    expect(await templatesTo('15550009401')).toEqual([]);
    const firings = (await admin.get(`${RULES}/${old.id}/firings`)).body.data;
    expect(firings).toMatchObject([{ state: 'skipped', error: expect.stringMatching(/^parameters: owner is a relation/) }]);
    expect(leaks(firings)).toEqual([]);
    expect(leaks(await q('notification-firing').findMany({ where: { ruleId: old.id } }))).toEqual([]);

    const test = await admin.post(`${RULES}/${old.id}/test`).send({ documentId: lead.documentId });
    expect(test.status).toBe(200);
    expect(test.body.data).toMatchObject({ state: 'skipped', error: expect.stringMatching(/owner is a relation/) });
    expect(leaks(test.body)).toEqual([]);
    await settle();
    expect(await templatesTo('15550009401')).toEqual([]);

    // A firing recorded before the fix, with the owner in its trace, is redacted even for a super admin.
    const ownerJson = JSON.stringify(owner);
    await q('notification-firing').create({
      data: { ruleId: old.id, contentType: 'api::lead.lead', recordDocumentId: lead.documentId, event: 'created', key: `${old.id}:legacy`, state: 'queued', trace: { matched: true, parameters: { body: [{ type: 'text', text: ownerJson }, { type: 'text', text: 'Admin' }] }, recipient: '+15550009401' } },
    });
    const shown = (await admin.get(`${RULES}/${old.id}/firings`)).body.data;
    expect(leaks(shown)).toEqual([]);
    expect(shown.find((f: any) => f.state === 'queued').trace).toMatchObject({ redacted: true, recipient: '+15550009401', parameters: { body: [{ text: '•••', redacted: true }, { text: '•••', redacted: true }] } });
    await q('notification-rule').update({ where: { id: old.id }, data: { active: false } });
  });
});

describe('traces', () => {
  test('a value shows only to a viewer who may read the field it came from', async () => {
    const rule = (await admin.post(RULES).send(probe({ name: 'Name and email', active: true, template: { name: 'two_values', language: 'en_US' }, parameters: [bodyParam('name', 0), bodyParam('email', 1)], recipient: { from: 'field', value: 'phone' } }))).body.data;
    await createLead({ name: 'Vera', phone: '+15550009501', email: 'vera@example.test' });
    await settle();
    await admin.put(`${RULES}/${rule.id}`).send({ active: false });
    expect((await templatesTo('15550009501')).map((m: any) => m.text)).toEqual(['Hi Vera, vera@example.test.']);
    const traceFor = async (viewer: ReturnType<typeof as>) => (await viewer.get(`${RULES}/${rule.id}/firings`)).body.data[0].trace;
    const viewer = async (name: string, grants: Parameters<typeof createStaff>[3]) => as(app.server, (await createStaff(app.strapi, app.server, name, ['plugin::whatsapp.notifications.read', ...grants])).token);

    const full = await traceFor(admin);
    expect(full).toMatchObject({ recipient: '+15550009501', parameters: { body: [{ text: 'Vera' }, { text: 'vera@example.test' }] } });
    expect(full.redacted).toBeUndefined();

    const namesAndPhones = await traceFor(await viewer('TraceNamesPhones', [contentManagerRead('api::lead.lead', ['name', 'phone'])]));
    expect(namesAndPhones).toMatchObject({ redacted: true, recipient: '+15550009501', parameters: { body: [{ text: 'Vera' }, { text: '•••', redacted: true }] } });

    const namesOnly = await traceFor(await viewer('TraceNames', [contentManagerRead('api::lead.lead', ['name'])]));
    expect(namesOnly).toMatchObject({ redacted: true, recipient: '•••', parameters: { body: [{ text: 'Vera' }, { text: '•••' }] } });

    const nothing = await viewer('TraceNothing', []);
    const blind = await traceFor(nothing);
    expect(blind).toMatchObject({ redacted: true, recipient: '•••', parameters: { body: [{ text: '•••' }, { text: '•••' }] } });
    const everything = JSON.stringify((await nothing.get(`${RULES}/${rule.id}/firings`)).body);
    for (const secret of ['Vera', 'vera@example.test', '15550009501']) expect(everything).not.toContain(secret);
  });
});

describe('opt-out on the recipient’s own record', () => {
  test('a rule sending to contact.phone skips a contact whose record is opted out, even one the phone search misses', async () => {
    const OPTED = '15550009701';
    await sim.client.setCustomer({ phone: OPTED, reachable: true });
    const rule = (await admin.post(RULES).send(probe({ name: 'Invoice to its contact', contentType: 'api::invoice.invoice', active: true, parameters: [bodyParam('number')], recipient: { from: 'field', value: 'contact.phone' } }))).body.data;
    // Written as people write phones: the search by phone narrows on the last four digits in a row, so it misses this one.
    const contact = await app.strapi.documents('api::contact.contact').create({ data: { name: 'Opal', phone: '+1 555 000 97-01', whatsappOptOut: true } as any, status: 'published' });
    expect(await app.strapi.plugin('whatsapp').service('opt-out').reason(`+${OPTED}`, 'US')).toBeNull();
    await app.strapi.documents('api::invoice.invoice').create({ data: { number: 'INV-OPTOUT-1', amount: 10, currency: 'USD', contact: contact.documentId } as any });
    await settle();
    await admin.put(`${RULES}/${rule.id}`).send({ active: false });

    const [firing] = (await admin.get(`${RULES}/${rule.id}/firings`)).body.data;
    expect(firing).toMatchObject({ state: 'skipped', error: expect.stringMatching(new RegExp(`^the customer opted out \\(crm-import on \\d{4}-\\d\\d-\\d\\d: api::contact\\.contact ${contact.documentId} whatsappOptOut = true\\)$`)), trace: { matched: true, reason: 'opted out', recipient: `+${OPTED}` } });
    expect(await templatesTo(OPTED)).toEqual([]);
    // The flag is loaded for the check only: it is not among the values a trace shows.
    expect(JSON.stringify(firing.trace)).not.toContain('whatsappOptOut');
  });
});
