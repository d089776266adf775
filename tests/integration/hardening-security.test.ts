/** Bodies that used to answer 500, and settings that could point the plugin at the host's own system types. */
import { startStrapi, type TestApp } from '../helpers/strapi';
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
