import { createSimulator, type RunningSimulator } from '../../simulator';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { as, login } from '../helpers/admin';

let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;

const META = { label: 'Checked', provider: 'meta', phone: '+15550001111', phoneNumberId: '109876543210987', wabaId: '102030405060708', accessToken: 'check-token-000001', appSecret: 'check-secret', verifyToken: 'check-verify' };

beforeAll(async () => {
  sim = await createSimulator();
  app = await startStrapi({ WHATSAPP_META_BASE_URL: sim.url, WHATSAPP_GUPSHUP_BASE_URL: sim.url, WHATSAPP_AISENSY_BASE_URL: sim.url });
  admin = as(app.server, await login(app.server));
  await sim.client.addMetaNumber({ phoneNumberId: META.phoneNumberId, wabaId: META.wabaId, displayPhoneNumber: '15550001111', accessToken: META.accessToken, appSecret: META.appSecret, webhookUrl: 'http://127.0.0.1:9/unused', verifiedName: 'Example CRM' });
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

describe('POST /whatsapp/numbers/:id/check', () => {
  test('reports success against the provider and keeps it as the number’s health', async () => {
    const number = (await admin.post('/whatsapp/numbers').send(META)).body.data;
    const res = await admin.post(`/whatsapp/numbers/${number.id}/check`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ ok: true, reason: null, details: { displayPhoneNumber: expect.any(String) }, number: { health: 'ok', needsReauth: false } });
  });

  test('a wrong token gets a clear reason and flags the number for new credentials', async () => {
    const number = (await admin.post('/whatsapp/numbers').send({ ...META, label: 'Bad token', phone: '+15550004444', phoneNumberId: '109876543210999', accessToken: 'not-the-token' })).body.data;
    await sim.client.addMetaNumber({ phoneNumberId: '109876543210999', wabaId: META.wabaId, displayPhoneNumber: '15550004444', accessToken: 'the-real-token', appSecret: 'x', webhookUrl: 'http://127.0.0.1:9/unused' });
    const res = await admin.post(`/whatsapp/numbers/${number.id}/check`);
    expect(res.body.data).toMatchObject({ ok: false, reason: expect.stringMatching(/token/i), number: { health: 'error', needsReauth: true } });

    const fixed = await admin.put(`/whatsapp/numbers/${number.id}`).send({ accessToken: 'the-real-token' });
    expect(fixed.body.data.needsReauth).toBe(false);
    expect((await admin.post(`/whatsapp/numbers/${number.id}/check`)).body.data.ok).toBe(true);
  });

  test('an unknown phone number id gets a reason naming it', async () => {
    const number = (await admin.post('/whatsapp/numbers').send({ ...META, label: 'Unknown', phone: '+15550005555', phoneNumberId: '123123123' })).body.data;
    const res = await admin.post(`/whatsapp/numbers/${number.id}/check`);
    expect(res.body.data).toMatchObject({ ok: false, reason: expect.stringContaining('123123123') });
  });

  test('every provider call is in the API log, without tokens', async () => {
    const res = await admin.get('/whatsapp/logs/api');
    expect(res.status).toBe(200);
    expect(res.body.data.map((c: any) => c.call)).toEqual(expect.arrayContaining(['check-number', 'check-subscription']));
    expect(res.body.data.some((c: any) => c.status === 401 || c.errorCode === '190')).toBe(true);
    // Each call names its number's provider, so the logs page needs no numbers.read to show it.
    const withNumber = res.body.data.filter((c: any) => c.numberId);
    expect(withNumber.length).toBeGreaterThan(0);
    expect(withNumber.every((c: any) => c.provider === 'meta')).toBe(true);
    expect(JSON.stringify(res.body)).not.toMatch(/check-token-000001|the-real-token|not-the-token/);
  });
});
