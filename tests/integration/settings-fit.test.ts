/**
 * Settings fit the host app: identity sources carry the app's own word (a kind key and a label),
 * each section saves and validates on its own, tickets and auto-lead can be switched off, a "needs
 * setup" state shows until identity is configured, and changing identity re-matches the
 * conversations that are waiting. The example's contacts stand in for an app's own `customer` type.
 */
import type { RunningSimulator } from '../../simulator';
import type { TestApp } from '../helpers/strapi';
import { connectMetaNumber, startWithSimulator } from '../helpers/simulated-app';
import { as, createStaff } from '../helpers/admin';
import { openStream } from '../helpers/sse';

let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;
let token: string;
let base: string;
let number: any;

const PNID = '400000000000151';
const CONTACTS = '/content-manager/collection-types/api::contact.contact';
const CUSTOMER_SOURCE = { kind: 'customer', label: 'Customer', uid: 'api::contact.contact', phoneField: 'phone', nameField: 'name' };

/** `{ 'identitySources.0.kind': 'message' }` from a 400 answer. */
const fieldErrors = (body: any): Record<string, string> =>
  Object.fromEntries((body.error?.details?.errors ?? []).map((e: any) => [e.path.join('.'), e.message]));
const put = (body: unknown) => admin.put('/whatsapp/settings').send(body as object);
const store = () => app.strapi.store({ type: 'plugin', name: 'whatsapp', key: 'settings' });
/** Writes the stored settings as an older version (or a since-changed app) left them. */
const storeRaw = async (value: unknown) => {
  await store().set({ value });
  app.strapi.plugin('whatsapp').service('settings').forget();
};

const settle = async () => {
  const plugin = app.strapi.plugin('whatsapp');
  await sim.client.settle();
  plugin.service('inbound').kick();
  await plugin.service('inbound').idle();
};
const conversationOf = async (waId: string) => (await admin.get(`/whatsapp/conversations?q=${waId}&numberId=${number.id}`)).body.data.find((c: any) => c.customerWaId === waId);

beforeAll(async () => {
  const started = await startWithSimulator();
  ({ sim, app, admin, base, token } = started);
  number = await connectMetaNumber(started, { label: 'Fit', phone: '+15550001151', phoneNumberId: PNID, wabaId: '102030405060751', accessToken: 'fit-token', appSecret: 'fit-secret' });
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

describe('first run', () => {
  test('defaults keep only what the app has: the example keeps its sources, labelled, and needs no setup', async () => {
    const res = await admin.get('/whatsapp/settings');
    expect(res.status).toBe(200);
    expect(res.body.data.identitySources.map((s: any) => [s.kind, s.label, s.uid])).toEqual([
      ['lead', 'Lead', 'api::lead.lead'],
      ['contact', 'Contact', 'api::contact.contact'],
      ['staff', 'Staff', 'api::staff-member.staff-member'],
    ]);
    expect(res.body.data.ticket.uid).toBe('api::ticket.ticket');
    expect(res.body.meta).toMatchObject({ needsSetup: false, problems: [] });
  });

  test('stored settings from before labels keep working: the label is the kind', async () => {
    await storeRaw({ identitySources: [{ kind: 'contact', uid: 'api::contact.contact', phoneField: 'phone', nameField: 'name' }] });
    const res = await admin.get('/whatsapp/settings');
    expect(res.body.data.identitySources).toEqual([{ kind: 'contact', label: 'Contact', uid: 'api::contact.contact', phoneField: 'phone', nameField: 'name', optOutField: null }]);
  });

  test('without identity sources the settings say "needs setup", suggest the app\'s phone types, and inbox readers see it too', async () => {
    const res = await put({ identitySources: [] });
    expect(res.status).toBe(200);
    expect(res.body.meta.needsSetup).toBe(true);
    const contact = res.body.meta.suggestions.find((s: any) => s.uid === 'api::contact.contact');
    expect(contact).toMatchObject({ kind: 'contact', label: 'Contact', phoneField: 'phone', nameField: 'name', booleanFields: ['whatsappOptOut'] });
    // A type without a phone-like field is no candidate.
    expect(res.body.meta.suggestions.map((s: any) => s.uid)).not.toContain('api::invoice.invoice');

    const { token: readerToken } = await createStaff(app.strapi, app.server, 'Reader', ['plugin::whatsapp.inbox.read']);
    const reader = as(app.server, readerToken);
    expect((await reader.get('/whatsapp/settings')).status).toBe(403);
    const inbox = await reader.get('/whatsapp/settings/inbox');
    expect(inbox.status).toBe(200);
    expect(inbox.body.data).toMatchObject({ kinds: [], needsSetup: true });
  });
});

describe('identity sources in the app\'s own word', () => {
  test.each([
    ['a kind with capitals', [{ ...CUSTOMER_SOURCE, kind: 'Customer' }], 'identitySources.0.kind', /lowercase letters, digits and dashes/],
    ['the kind "unknown"', [{ ...CUSTOMER_SOURCE, kind: 'unknown' }], 'identitySources.0.kind', /cannot be unknown/],
    ['two sources of one kind', [CUSTOMER_SOURCE, { ...CUSTOMER_SOURCE, uid: 'api::lead.lead' }], 'identitySources.1.kind', /already the kind of another source/],
    ['an opt-out field that is not boolean', [{ ...CUSTOMER_SOURCE, optOutField: 'company' }], 'identitySources.0.optOutField', /must be a boolean field/],
  ])('%s is refused beside the field', async (_, identitySources, path, message) => {
    const res = await put({ identitySources });
    expect(res.status).toBe(400);
    expect(fieldErrors(res.body)[path]).toMatch(message);
  });

  test('a free kind and label are saved; a source sent without an opt-out field has none (nothing hidden carried over)', async () => {
    const res = await put({ identitySources: [CUSTOMER_SOURCE, { kind: 'prospect', label: 'Prospect', uid: 'api::lead.lead', phoneField: 'phone', nameField: 'name', optOutField: 'whatsappOptOut' }] });
    expect(res.status).toBe(200);
    expect(res.body.data.identitySources[0]).toEqual({ ...CUSTOMER_SOURCE, optOutField: null });
    expect(res.body.meta.needsSetup).toBe(false);
    const inbox = await admin.get('/whatsapp/settings/inbox');
    expect(inbox.body.data.kinds).toEqual([
      { kind: 'customer', label: 'Customer', uid: 'api::contact.contact' },
      { kind: 'prospect', label: 'Prospect', uid: 'api::lead.lead' },
    ]);
  });
});

describe('each section on its own', () => {
  test('a stored section naming a type that has gone is reported, a GET put straight back is accepted, and other sections still save', async () => {
    const current = (await store().get({})) as Record<string, unknown>;
    await storeRaw({ ...current, ticket: { uid: 'api::gone.gone', subjectField: 'subject', descriptionField: null, statusField: null, status: null, conversationField: null } });
    const read = await admin.get('/whatsapp/settings');
    expect(read.body.meta.problems).toContainEqual({ path: ['ticket', 'uid'], message: 'no content type api::gone.gone in this app' });

    const back = await put(read.body.data);
    expect(back.body.error).toBeUndefined();
    expect(back.status).toBe(200);
    const autoLead = await put({ autoLead: { enabled: true } });
    expect(autoLead.status).toBe(200);
    expect(autoLead.body.data.autoLead.enabled).toBe(true);
    // A changed section is checked whole.
    const changed = await put({ ticket: { subjectField: 'title' } });
    expect(changed.status).toBe(400);
    expect(fieldErrors(changed.body)).toEqual({ 'ticket.uid': 'no content type api::gone.gone in this app' });
  });

  test('tickets and auto-lead switch off with null', async () => {
    const res = await put({ ticket: null, autoLead: null });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ ticket: null, autoLead: null });
    expect(res.body.meta.problems).toEqual([]);
    expect((await admin.get('/whatsapp/settings/inbox')).body.data).toMatchObject({ tickets: false, autoLead: false });
  });
});

describe('conversations follow identity settings', () => {
  const WAITING = '15550151001';
  const NEWCOMER = '15550151002';

  test('a conversation from an unknown phone is linked when a source that has the phone is added, live, without the customer writing again', async () => {
    await put({ identitySources: [{ kind: 'prospect', label: 'Prospect', uid: 'api::lead.lead', phoneField: 'phone', nameField: 'name' }] });
    // The record exists first, in a type that is no identity source yet: nothing links it.
    expect((await admin.post(CONTACTS).send({ name: 'Wendy Waiting', phone: `+${WAITING}` })).status).toBe(201);
    await sim.client.customerSends({ from: WAITING, to: PNID, name: 'Wendy', text: 'Is anyone there?' });
    await settle();
    const before = await conversationOf(WAITING);
    expect(before.crm.kind).toBe('unknown');

    const stream = await openStream(`${base}/whatsapp/stream`, { Authorization: `Bearer ${token}` });
    try {
      await stream.waitFor((e) => e.event === 'ready');
      expect((await put({ identitySources: [CUSTOMER_SOURCE] })).status).toBe(200);
      await stream.waitFor((e) => e.event === 'conversation.updated' && e.data.conversationId === before.id);
    } finally {
      stream.close();
    }
    expect(await conversationOf(WAITING)).toMatchObject({ crm: { kind: 'customer', uid: 'api::contact.contact' }, crmName: 'Wendy Waiting' });
    const filtered = (await admin.get(`/whatsapp/conversations?crm=customer&numberId=${number.id}`)).body.data;
    expect(filtered.map((c: any) => c.id)).toContain(before.id);
    // New conversation's search names them in the app's word too.
    const found = (await admin.get('/whatsapp/host/recipients?q=Wendy')).body.data;
    expect(found).toContainEqual(expect.objectContaining({ kind: 'customer', label: 'Customer', uid: 'api::contact.contact', name: 'Wendy Waiting' }));
  });

  test('re-matching is idempotent, and a relabelled kind reaches linked conversations', async () => {
    const settings = app.strapi.plugin('whatsapp').service('settings');
    await settings.rematched();
    const { id } = await conversationOf(WAITING);
    expect((await put({ identitySources: [{ ...CUSTOMER_SOURCE, kind: 'client', label: 'Client' }] })).status).toBe(200);
    await settings.rematched();
    expect(await conversationOf(WAITING)).toMatchObject({ id, crm: { kind: 'client' }, crmName: 'Wendy Waiting' });
    expect(await app.strapi.plugin('whatsapp').service('crm-links').rematch([])).toBe(0);
  });

  test('an auto-created record gets the kind of the source of its type', async () => {
    expect((await put({ identitySources: [CUSTOMER_SOURCE], autoLead: { enabled: true, uid: 'api::contact.contact', nameField: 'name', phoneField: 'phone', statusField: null, status: null, sourceField: null, source: null } })).status).toBe(200);
    await app.strapi.plugin('whatsapp').service('settings').rematched();
    await sim.client.customerSends({ from: NEWCOMER, to: PNID, name: 'Nora New', text: 'Hello' });
    await settle();
    expect(await conversationOf(NEWCOMER)).toMatchObject({ crm: { kind: 'customer', uid: 'api::contact.contact' }, crmName: 'Nora New' });
  });

  test('with tickets switched off, "Create ticket" is refused with a clear reason', async () => {
    expect((await put({ ticket: null })).status).toBe(200);
    const { id } = await conversationOf(WAITING);
    const res = await admin.post(`/whatsapp/conversations/${id}/ticket`).send({});
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('Tickets are switched off in the settings');
  });
});
