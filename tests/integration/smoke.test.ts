import request from 'supertest';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { login } from '../helpers/admin';

let app: TestApp;
beforeAll(async () => {
  app = await startStrapi();
});
afterAll(async () => {
  await app?.stop();
});

test('boots', async () => {
  const token = await login(app.server);
  const res = await request(app.server).get('/whatsapp/numbers').set('Authorization', `Bearer ${token}`);
  expect(res.status).toBe(200);
});
