import request from 'supertest';
import { ACTIONS } from '../../contracts/permissions';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { as, createStaff, login } from '../helpers/admin';

let app: TestApp;
let admin: ReturnType<typeof as>;

const META = {
  label: 'Sales US',
  provider: 'meta',
  phone: '+15550001111',
  phoneNumberId: '109876543210987',
  wabaId: '102030405060708',
  accessToken: 'EAAG-test-access-token-1234567890abcd',
  appSecret: 'app-secret-0123456789abcdef',
  verifyToken: 'verify-me-please-42',
};

beforeAll(async () => {
  app = await startStrapi();
  admin = as(app.server, await login(app.server));
});
afterAll(async () => {
  await app?.stop();
});

const rawRow = async (id: number) =>
  app.strapi.db.connection('whatsapp_numbers').where({ id }).first();

const fieldErrors = (body: any): Record<string, string> =>
  Object.fromEntries((body.error?.details?.errors ?? []).map((e: any) => [e.path.join('.'), e.message]));

describe('creating numbers', () => {
  test('a Meta number is stored with its credentials encrypted and answered with a webhook URL', async () => {
    const res = await admin.post('/whatsapp/numbers').send(META);
    expect(res.status).toBe(201);
    const n = res.body.data;
    expect(n).toMatchObject({
      label: 'Sales US',
      provider: 'meta',
      phone: '+15550001111',
      phoneNumberId: META.phoneNumberId,
      wabaId: META.wabaId,
      active: true,
      throughputMps: 80,
      teamRoleIds: [],
      credentials: {
        accessToken: { set: true, hint: '••••abcd' },
        appSecret: { set: true, hint: '••••cdef' },
        verifyToken: { set: true, hint: '••••e-42' },
      },
    });
    expect(n.webhookUrl).toMatch(/^https:\/\/crm\.test\.local\/api\/whatsapp\/webhooks\/[A-Za-z0-9_-]{32,}$/);

    const answer = JSON.stringify(res.body);
    for (const secret of [META.accessToken, META.appSecret, META.verifyToken]) expect(answer).not.toContain(secret);
    expect(res.body.data).not.toHaveProperty('webhookKey');

    const row = await rawRow(n.id);
    expect(row.credentials).toMatch(/^v2:[A-Za-z0-9_-]{22}:/);
    for (const secret of [META.accessToken, META.appSecret, META.verifyToken]) {
      expect(JSON.stringify(row)).not.toContain(secret);
    }
    const opened = JSON.parse(app.strapi.plugin('whatsapp').service('crypto').decrypt(row.credentials));
    expect(opened).toEqual({ accessToken: META.accessToken, appSecret: META.appSecret, verifyToken: META.verifyToken });
    expect(n.webhookUrl.endsWith(row.webhook_key)).toBe(true);
  });

  test('each number gets its own unguessable webhook key', async () => {
    const a = await admin.post('/whatsapp/numbers').send({ label: 'G1', provider: 'gupshup', phone: '+919876543210', apiKey: 'gs-key-aaaaaaaaaaaa', appName: 'DemoApp1' });
    const b = await admin.post('/whatsapp/numbers').send({ label: 'A1', provider: 'aisensy', phone: '+919876543211', apiKey: 'ai-key-bbbbbbbbbbbb' });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.body.data.webhookUrl).not.toBe(b.body.data.webhookUrl);
    expect(a.body.data.credentials).toEqual({ apiKey: { set: true, hint: '••••aaaa' } });
    expect(b.body.data.credentials).toEqual({ apiKey: { set: true, hint: '••••bbbb' }, webhookSecret: { set: false, hint: null } });
  });

  test('a national phone with a region is stored as E.164', async () => {
    const res = await admin
      .post('/whatsapp/numbers')
      .send({ label: 'Berlin', provider: 'aisensy', phone: '0151 23456789', region: 'de', apiKey: 'ai-key-berlin-123456' });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ phone: '+4915123456789', region: 'DE' });
  });

  test('a team and a throughput can be given', async () => {
    const teams = await admin.get('/whatsapp/teams');
    expect(teams.status).toBe(200);
    const editor = teams.body.data.find((t: any) => t.name === 'Editor');
    expect(editor).toBeDefined();
    const res = await admin
      .post('/whatsapp/numbers')
      .send({ ...META, label: 'Support', phone: '+15550004444', phoneNumberId: '209876543210988', wabaId: '203040506070809', teamRoleIds: [editor.id], throughputMps: 250, active: false });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ teamRoleIds: [editor.id], throughputMps: 250, active: false });
  });
});

describe('validation', () => {
  test.each([
    ['missing Meta ids and secrets', { label: 'x', provider: 'meta', phone: '+15550001111' }, ['phoneNumberId', 'wabaId', 'accessToken', 'appSecret', 'verifyToken']],
    ['Gupshup without app name and key', { label: 'x', provider: 'gupshup', phone: '+919876543210' }, ['appName', 'apiKey']],
    ['AiSensy without key', { label: 'x', provider: 'aisensy', phone: '+919876543210' }, ['apiKey']],
    ['no label, provider or phone', {}, ['label', 'provider', 'phone']],
    ['unknown provider', { ...META, provider: 'twilio' }, ['provider']],
    ['not a phone number', { ...META, phone: '12' }, ['phone']],
    ['national number without region', { ...META, phone: '0151 23456789' }, ['phone']],
    ['bad region', { ...META, region: 'XX' }, ['region']],
    ['throughput above the provider maximum', { ...META, throughputMps: 5000 }, ['throughputMps']],
    ['non-numeric phone number id', { ...META, phoneNumberId: 'abc' }, ['phoneNumberId']],
    ['a Gupshup field on a Meta number', { ...META, apiKey: 'x' }, ['apiKey']],
    ['a field the API does not know', { ...META, secretSauce: 1 }, ['secretSauce']],
    ['a team that does not exist', { ...META, phoneNumberId: '1', teamRoleIds: [999999] }, ['teamRoleIds']],
  ])('%s → 400 naming the field', async (_name, body, fields) => {
    const res = await admin.post('/whatsapp/numbers').send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('ValidationError');
    expect(Object.keys(fieldErrors(res.body)).sort()).toEqual([...fields].sort());
  });

  test('every problem of a form comes back in one answer', async () => {
    const res = await admin.post('/whatsapp/numbers').send({ label: 'x', provider: 'meta', phone: '12', throughputMps: 0, wabaId: '1' });
    expect(res.status).toBe(400);
    expect(Object.keys(fieldErrors(res.body)).sort()).toEqual(['accessToken', 'appSecret', 'phone', 'phoneNumberId', 'throughputMps', 'verifyToken']);
  });

  test('a phone number id already connected is refused, naming the field', async () => {
    const res = await admin.post('/whatsapp/numbers').send({ ...META, label: 'Again' });
    expect(res.status).toBe(400);
    expect(fieldErrors(res.body)).toHaveProperty('phoneNumberId');
  });

  test('a body that is not an object, or not JSON, is a 400', async () => {
    const arr = await admin.post('/whatsapp/numbers').send([META]);
    expect(arr.status).toBe(400);
    const garbage = await admin.post('/whatsapp/numbers').set('Content-Type', 'application/json').send('{"label": ');
    expect(garbage.status).toBe(400);
  });

  test('an id that is not a number, or not there, is a 404', async () => {
    expect((await admin.get('/whatsapp/numbers/abc')).status).toBe(404);
    expect((await admin.get('/whatsapp/numbers/999999')).status).toBe(404);
    expect((await admin.put('/whatsapp/numbers/999999').send({ label: 'x' })).status).toBe(404);
    expect((await admin.del('/whatsapp/numbers/999999')).status).toBe(404);
  });

  test('without an encryption key, credentials are refused with a clear error and nothing is stored', async () => {
    const before = await app.strapi.db.query('plugin::whatsapp.number').count({});
    const previous = app.strapi.config.get('plugin::whatsapp.encryptionKey');
    app.strapi.config.set('plugin::whatsapp.encryptionKey', undefined);
    try {
      const res = await admin.post('/whatsapp/numbers').send({ ...META, phoneNumberId: '555', label: 'No key' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/encryption key/i);
      expect(res.body.error.message).toMatch(/WHATSAPP_ENCRYPTION_KEY/);
    } finally {
      app.strapi.config.set('plugin::whatsapp.encryptionKey', previous);
    }
    expect(await app.strapi.db.query('plugin::whatsapp.number').count({})).toBe(before);
  });
});

describe('reading, updating and deleting', () => {
  let id: number;
  beforeAll(async () => {
    const res = await admin.post('/whatsapp/numbers').send({ ...META, label: 'Editable', phone: '+15550007777', phoneNumberId: '777' });
    id = res.body.data.id;
  });

  test('list and read answer with the webhook URL and no secret', async () => {
    const list = await admin.get('/whatsapp/numbers');
    expect(list.status).toBe(200);
    expect(list.body.meta.total).toBe(list.body.data.length);
    const listed = list.body.data.find((n: any) => n.id === id);
    expect(listed.webhookUrl).toMatch(/\/api\/whatsapp\/webhooks\//);
    const one = await admin.get(`/whatsapp/numbers/${id}`);
    expect(one.status).toBe(200);
    expect(one.body.data).toEqual(listed);
    expect(JSON.stringify(list.body)).not.toContain(META.accessToken);
  });

  test('an update of other fields keeps the credentials; a new secret replaces only itself', async () => {
    const before = await rawRow(id);
    const renamed = await admin.put(`/whatsapp/numbers/${id}`).send({ label: 'Renamed', accessToken: '' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.data.label).toBe('Renamed');
    expect(renamed.body.data.credentials.accessToken).toEqual({ set: true, hint: '••••abcd' });
    expect((await rawRow(id)).credentials).toBe(before.credentials);

    const rotated = await admin.put(`/whatsapp/numbers/${id}`).send({ accessToken: 'EAAG-new-token-999999999wxyz' });
    expect(rotated.status).toBe(200);
    expect(rotated.body.data.credentials.accessToken.hint).toBe('••••wxyz');
    expect(rotated.body.data.credentials.appSecret.hint).toBe('••••cdef');
    expect((await rawRow(id)).credentials).not.toBe(before.credentials);
  });

  test('the active toggle and the webhook key survive an update', async () => {
    const before = (await admin.get(`/whatsapp/numbers/${id}`)).body.data;
    const res = await admin.put(`/whatsapp/numbers/${id}`).send({ active: false });
    expect(res.body.data.active).toBe(false);
    expect(res.body.data.webhookUrl).toBe(before.webhookUrl);
  });

  test('the provider cannot be changed and required fields cannot be blanked', async () => {
    const res = await admin.put(`/whatsapp/numbers/${id}`).send({ provider: 'gupshup' });
    expect(res.status).toBe(400);
    expect(fieldErrors(res.body)).toHaveProperty('provider');
    const blank = await admin.put(`/whatsapp/numbers/${id}`).send({ phoneNumberId: '', label: ' ' });
    expect(blank.status).toBe(400);
    expect(Object.keys(fieldErrors(blank.body)).sort()).toEqual(['label', 'phoneNumberId']);
  });

  test('deleting a number keeps its conversations and messages, and frees its phone number id', async () => {
    const conversation = await app.strapi.db.query('plugin::whatsapp.conversation').create({
      data: { numberId: id, customerWaId: '15550002222', customerPhone: '+15550002222', customerName: 'Alice Example' },
    });
    await app.strapi.db.query('plugin::whatsapp.message').create({
      data: { numberId: id, conversationId: conversation.id, direction: 'in', type: 'text', text: 'hello', status: 'received', source: 'customer', providerMessageId: 'wamid.keep-me' },
    });
    const key = (await rawRow(id)).webhook_key;

    const res = await admin.del(`/whatsapp/numbers/${id}`);
    expect(res.status).toBe(200);
    expect((await admin.get(`/whatsapp/numbers/${id}`)).status).toBe(404);
    expect((await admin.get('/whatsapp/numbers')).body.data.map((n: any) => n.id)).not.toContain(id);

    const row = await rawRow(id);
    expect(row.credentials).toBeNull();
    expect(await app.strapi.plugin('whatsapp').service('numbers').findByWebhookKey(key)).toBeNull();
    expect(await app.strapi.db.query('plugin::whatsapp.conversation').count({ where: { numberId: id } })).toBe(1);
    expect(await app.strapi.db.query('plugin::whatsapp.message').count({ where: { numberId: id } })).toBe(1);

    const again = await admin.post('/whatsapp/numbers').send({ ...META, label: 'Re-added', phone: '+15550007777', phoneNumberId: '777' });
    expect(again.status).toBe(201);
  });
});

describe('permissions', () => {
  test('no token → 401', async () => {
    expect((await request(app.server).get('/whatsapp/numbers')).status).toBe(401);
    expect((await request(app.server).post('/whatsapp/numbers').send(META)).status).toBe(401);
  });

  test('an admin without the numbers permissions gets 403 on every numbers route', async () => {
    const { token } = await createStaff(app.strapi, app.server, 'Nobody', []);
    const staff = as(app.server, token);
    expect((await staff.get('/whatsapp/numbers')).status).toBe(403);
    expect((await staff.get('/whatsapp/numbers/1')).status).toBe(403);
    expect((await staff.post('/whatsapp/numbers').send(META)).status).toBe(403);
    expect((await staff.put('/whatsapp/numbers/1').send({ label: 'x' })).status).toBe(403);
    expect((await staff.del('/whatsapp/numbers/1')).status).toBe(403);
  });

  test('read permission lists numbers but cannot change them', async () => {
    const { token } = await createStaff(app.strapi, app.server, 'Reader', ['plugin::whatsapp.numbers.read']);
    const staff = as(app.server, token);
    const list = await staff.get('/whatsapp/numbers');
    expect(list.status).toBe(200);
    expect(list.body.data.length).toBeGreaterThan(0);
    expect((await staff.post('/whatsapp/numbers').send(META)).status).toBe(403);
    expect((await staff.del(`/whatsapp/numbers/${list.body.data[0].id}`)).status).toBe(403);
  });

  test('the built-in Editor and Author roles are not given number management', async () => {
    const roles = await app.strapi.db.query('admin::role').findMany({ where: { code: { $in: ['strapi-editor', 'strapi-author'] } }, populate: ['permissions'] });
    expect(roles).toHaveLength(2);
    for (const role of roles) {
      expect(role.permissions.map((p: any) => p.action).filter((a: string) => a.startsWith('plugin::whatsapp.'))).toEqual([]);
    }
  });

  test('every plugin action is registered with Strapi, and none for features not built yet', () => {
    const registered = app.strapi.service('admin::permission').actionProvider.values().map((a: any) => a.actionId);
    for (const action of ['inbox.read', 'inbox.send', 'inbox.assign', 'numbers.read', 'numbers.manage', 'templates.read', 'notifications.manage', 'quick-replies.manage', 'logs.read', 'settings.manage', 'campaigns.read', 'campaigns.manage', 'campaigns.launch', 'bots.read', 'bots.manage', 'consents.read', 'consents.manage', 'assistant.manage']) {
      expect(registered).toContain(`plugin::whatsapp.${action}`);
    }
    // Exactly the shared list: a role editor never offers a right no page or route uses.
    expect(registered.filter((a: string) => a.startsWith('plugin::whatsapp.')).sort()).toEqual(Object.values(ACTIONS).map((a) => `plugin::whatsapp.${a}`).sort());
  });
});

describe('the host schema for the admin pages', () => {
  test('lists the host collection types with their fields, not to anonymous callers', async () => {
    const res = await admin.get('/whatsapp/host/content-types');
    expect(res.status).toBe(200);
    const byUid = Object.fromEntries(res.body.data.map((ct: any) => [ct.uid, ct]));
    expect(Object.keys(byUid)).toEqual(expect.arrayContaining(['api::lead.lead', 'api::contact.contact', 'api::invoice.invoice', 'api::ticket.ticket']));
    expect(Object.keys(byUid).every((uid) => uid.startsWith('api::'))).toBe(true);
    const invoice = byUid['api::invoice.invoice'];
    expect(invoice.fields).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'contact', type: 'relation', target: 'api::contact.contact' })]));
    expect(invoice.fields.some((f: any) => f.name === 'dueDate')).toBe(true);
    expect(byUid['api::contact.contact'].draftAndPublish).toBe(true);

    const anonymous = await request(app.server).get('/whatsapp/host/content-types');
    expect(anonymous.status).toBe(401);
  });

  test('is read by those who map the host: settings or CRM events; other admins get a 403', async () => {
    const inboxOnly = await createStaff(app.strapi, app.server, 'InboxOnly', ['plugin::whatsapp.inbox.read']);
    expect((await as(app.server, inboxOnly.token).get('/whatsapp/host/content-types')).status).toBe(403);
    const rules = await createStaff(app.strapi, app.server, 'RulesReader', ['plugin::whatsapp.notifications.read']);
    expect((await as(app.server, rules.token).get('/whatsapp/host/content-types')).status).toBe(200);
    const settings = await createStaff(app.strapi, app.server, 'SettingsAdmin', ['plugin::whatsapp.settings.manage']);
    expect((await as(app.server, settings.token).get('/whatsapp/host/content-types')).status).toBe(200);
  });
});
