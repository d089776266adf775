/** Bodies that used to answer 500, and settings that could point the plugin at the host's own system types. */
import crypto from 'node:crypto';
import { startStrapi, TEST_ENCRYPTION_KEY, type TestApp } from '../helpers/strapi';
import { as, login } from '../helpers/admin';

let app: TestApp;
let admin: ReturnType<typeof as>;
let number: any;
let conversationId: number;

beforeAll(async () => {
  app = await startStrapi();
  admin = as(app.server, await login(app.server));
  number = (await admin.post('/whatsapp/numbers').send({ label: 'Hardening', provider: 'gupshup', phone: '+919876543210', apiKey: 'gs-key-hardening-01', appName: 'HardApp' })).body.data;
  const conversation = await app.strapi.db
    .query('plugin::whatsapp.conversation')
    .create({ data: { numberId: number.id, customerWaId: '919876500001', customerPhone: '+919876500001', windowExpiresAt: new Date(Date.now() + 3_600_000) } });
  conversationId = conversation.id;
});
afterAll(async () => {
  await app?.stop();
});

const paths = (res: any) => (res.body.error?.details?.errors ?? []).map((e: any) => e.path.join('.'));

describe('a number’s region of the wrong type', () => {
  test.each([[1], [true], [[]], [{}]])('region %j is a 400 naming region', async (region) => {
    const res = await admin.post('/whatsapp/numbers').send({ label: 'x', provider: 'gupshup', phone: '+919876543219', apiKey: 'gs-key-xxxxxxxxxx', appName: 'X', region });
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('ValidationError');
    expect(paths(res)).toContain('region');
    const update = await admin.put(`/whatsapp/numbers/${number.id}`).send({ phone: '9876543219', region });
    expect(update.status).toBe(400);
    expect(paths(update)).toContain('region');
  });
});

describe('keys every object inherits', () => {
  test.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf'])('a reply with a key named %s is a 400 naming it', async (key) => {
    const raw = `{"type":"text","text":"hi",${JSON.stringify(key)}:{"x":1}}`;
    const res = await admin.post(`/whatsapp/conversations/${conversationId}/messages`).set('Content-Type', 'application/json').send(raw);
    expect(res.status).toBe(400);
    expect(paths(res)).toEqual([key]);
    const nested = await admin.post(`/whatsapp/conversations/${conversationId}/messages`).send({ type: 'interactive', interactive: { type: 'button', body: 'b', buttons: [{ id: 'a', title: 'A', [key]: 1 }] } });
    expect(nested.status).toBe(400);
    expect(paths(nested)).toEqual([`interactive.buttons.0.${key}`]);
  });
});

describe('credentials at rest', () => {
  /** A value as the first release stored it: v1, the key a bare SHA-256 of the passphrase. */
  const v1 = (plain: string) => {
    const key = crypto.createHash('sha256').update(TEST_ENCRYPTION_KEY, 'utf8').digest();
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', crypto.createHash('sha256').update(key).digest('hex').slice(0, 8), ...[iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'))].join(':');
  };
  const stored = async (id: number) => (await app.strapi.db.query('plugin::whatsapp.number').findOne({ where: { id } })).credentials as string;

  test('are written as v2; a v1 value still reads, and saving the number rewrites it as v2', async () => {
    expect(await stored(number.id)).toMatch(/^v2:/);
    await app.strapi.db.query('plugin::whatsapp.number').update({ where: { id: number.id }, data: { credentials: v1(JSON.stringify({ apiKey: 'gs-key-from-v1-9876' })) } });
    const read = await admin.get(`/whatsapp/numbers/${number.id}`);
    expect(read.body.data.credentials.apiKey).toEqual({ set: true, hint: expect.stringContaining('9876') });
    expect(read.body.data.health).not.toBe('credentials-unreadable');
    const saved = await admin.put(`/whatsapp/numbers/${number.id}`).send({ label: 'Hardening again' });
    expect(saved.status).toBe(200);
    expect(await stored(number.id)).toMatch(/^v2:/);
    expect((await admin.get(`/whatsapp/numbers/${number.id}`)).body.data.credentials.apiKey).toEqual({ set: true, hint: expect.stringContaining('9876') });
  });
});

describe('settings point only at the app’s own collection types', () => {
  const cases: [string, object][] = [
    ['ticket.uid', { ticket: { uid: 'plugin::users-permissions.user', subjectField: 'username' } }],
    ['ticket.uid', { ticket: { uid: 'admin::user', subjectField: 'firstname' } }],
    ['autoLead.uid', { autoLead: { enabled: true, uid: 'plugin::users-permissions.user', nameField: 'username', phoneField: 'email', statusField: null, sourceField: null } }],
    ['identitySources.0.uid', { identitySources: [{ kind: 'contact', uid: 'plugin::users-permissions.user', phoneField: 'email' }] }],
    ['ticket.uid', { ticket: { uid: 'plugin::whatsapp.number', subjectField: 'label' } }],
  ];
  test.each(cases)('%s: a plugin type is a 400 naming the field, and nothing is saved', async (path, body) => {
    const before = (await admin.get('/whatsapp/settings')).body.data;
    const res = await admin.put('/whatsapp/settings').send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('ValidationError');
    expect(paths(res)).toContain(path);
    expect((await admin.get('/whatsapp/settings')).body.data).toEqual(before);
  });

  test.each([
    ['ticket.subjectField', { ticket: { uid: 'api::ticket.ticket', subjectField: 'constructor' } }],
    ['identitySources.0.phoneField', { identitySources: [{ kind: 'lead', uid: 'api::lead.lead', phoneField: 'toString' }] }],
    ['notificationFields.api::lead.lead', { notificationFields: { 'api::lead.lead': ['hasOwnProperty'] } }],
  ])('%s: a name every object inherits is no field of the type', async (path, body) => {
    const res = await admin.put('/whatsapp/settings').send(body);
    expect(res.status).toBe(400);
    expect(paths(res)).toContain(path);
  });

  test('an api:: collection type is still accepted', async () => {
    const res = await admin.put('/whatsapp/settings').send({ ticket: { uid: 'api::ticket.ticket', subjectField: 'subject' } });
    expect(res.status).toBe(200);
    expect(res.body.data.ticket.uid).toBe('api::ticket.ticket');
  });
});
