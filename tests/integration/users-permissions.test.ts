/**
 * Users & Permissions (and API token scopes) list no toggles for the plugin's public routes, which
 * take no role; the webhook and the ticketed stream still answer callers without a Strapi login.
 */
import request from 'supertest';
import { as, login } from '../helpers/admin';
import { fixture } from '../helpers/fixtures';
import { openStream } from '../helpers/sse';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { postMeta } from '../helpers/webhooks';

let app: TestApp;
let admin: ReturnType<typeof as>;
let number: any;
let base: string;

const SECRET = 'up-app-secret';

beforeAll(async () => {
  app = await startStrapi();
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${app.server.address().port}`;
  admin = as(app.server, await login(app.server));
  number = (await admin.post('/whatsapp/numbers').send({ label: 'U&P', provider: 'meta', phone: '+15550001717', phoneNumberId: '109876543210717', wabaId: '102030405060717', accessToken: 'up-token-0001', appSecret: SECRET, verifyToken: 'up-verify' })).body.data;
});
afterAll(async () => {
  await app?.stop();
});

describe('Users & Permissions', () => {
  test('the roles page lists no whatsapp actions, while the host’s own types are still there', async () => {
    const res = await admin.get('/users-permissions/permissions');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.permissions)).toContain('api::lead');
    expect(Object.keys(res.body.permissions)).not.toContain('plugin::whatsapp');
  });

  test('API token scopes list none either', async () => {
    const res = await admin.get('/admin/content-api/permissions');
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body.data)).not.toContain('plugin::whatsapp');
  });

  test('the webhook still answers without a Strapi login: the handshake and a signed delivery', async () => {
    const path = new URL(number.webhookUrl).pathname;
    const handshake = await request(app.server).get(path).query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'up-verify', 'hub.challenge': '4242' });
    expect(handshake.status).toBe(200);
    expect(handshake.text).toBe('4242');
    const body = fixture('meta/inbound-text.json');
    body.entry[0].changes[0].value.metadata = { display_phone_number: '15550001717', phone_number_id: '109876543210717' };
    expect((await postMeta(app.server, number.webhookUrl, JSON.stringify(body), SECRET)).status).toBe(200);
    expect((await postMeta(app.server, number.webhookUrl, JSON.stringify(body), 'not-the-secret')).status).toBe(401);
  });

  test('the stream still opens with a ticket and nothing else, and refuses without one', async () => {
    const ticket = (await admin.post('/whatsapp/stream/ticket')).body.data.ticket;
    const stream = await openStream(`${base}/api/whatsapp/stream?ticket=${ticket}`);
    expect(stream.status).toBe(200);
    await stream.waitFor((e) => e.event === 'ready');
    stream.close();
    const none = await openStream(`${base}/api/whatsapp/stream`);
    expect(none.status).toBe(401);
    none.close();
  });
});
