/**
 * The message API names the stored file of a media message, so the inbox can show a thumbnail or a
 * link: a customer's photo once the media worker stored it, and a file sent from the Media Library.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createSimulator, type RunningSimulator } from '../../simulator';
import { as, login } from '../helpers/admin';
import { tinyPng } from '../helpers/png';
import { startStrapi, type TestApp } from '../helpers/strapi';

const PNID = '109876543210987';
let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;

const settle = async () => {
  const plugin = app.strapi.plugin('whatsapp');
  for (let i = 0; i < 3; i += 1) {
    await sim.client.settle();
    for (const name of ['inbound', 'media', 'dispatcher']) {
      plugin.service(name).kick();
      await plugin.service(name).idle();
    }
  }
};

beforeAll(async () => {
  sim = await createSimulator();
  app = await startStrapi({ WHATSAPP_META_BASE_URL: sim.url });
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  const port = app.server.address().port;
  admin = as(app.server, await login(app.server));
  const number = (await admin.post('/whatsapp/numbers').send({ label: 'Media', provider: 'meta', phone: '+15550001111', phoneNumberId: PNID, wabaId: '102030405060708', accessToken: 'thread-media-token', appSecret: 'thread-media-secret', verifyToken: 'v' })).body.data;
  await sim.client.addMetaNumber({ phoneNumberId: PNID, wabaId: '102030405060708', displayPhoneNumber: '15550001111', accessToken: 'thread-media-token', appSecret: 'thread-media-secret', webhookUrl: number.webhookUrl.replace('https://crm.test.local', `http://127.0.0.1:${port}`) });
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

test('media messages carry their stored file (url, mime, name) in and out; text messages carry none', async () => {
  const png = tinyPng(12);
  await sim.client.customerSends({ from: '15550002222', to: PNID, name: 'Alice Example', text: 'hello' });
  await sim.client.customerSends({ from: '15550002222', to: PNID, name: 'Alice Example', type: 'image', caption: 'the broken part', mimeType: 'image/png', mediaBase64: png.toString('base64') });
  await settle();
  const conversation = (await admin.get('/whatsapp/conversations')).body.data[0];

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-thread-'));
  const filepath = path.join(dir, 'quote.pdf');
  fs.writeFileSync(filepath, '%PDF-1.4 quote');
  const [file] = await app.strapi.plugin('upload').service('upload').upload({ data: { fileInfo: { name: 'quote.pdf' } }, files: { filepath, originalFilename: 'quote.pdf', mimetype: 'application/pdf', size: fs.statSync(filepath).size } });
  const sent = await admin.post(`/whatsapp/conversations/${conversation.id}/messages`).send({ type: 'media', fileId: file.id, caption: 'Your quote' });
  expect(sent.status).toBe(201);
  await settle();

  const res = await admin.get(`/whatsapp/conversations/${conversation.id}/messages`);
  expect(res.status).toBe(200);
  const byType = (type: string) => res.body.data.find((m: any) => m.type === type);
  expect(byType('text').media).toBeNull();
  expect(byType('image')).toMatchObject({ direction: 'in', mediaState: 'stored', text: 'the broken part', media: { mime: 'image/png', url: expect.stringMatching(/^\/uploads\/.+\.png$/) } });
  expect(byType('document')).toMatchObject({ direction: 'out', text: 'Your quote', media: { mime: 'application/pdf', filename: 'quote.pdf', url: expect.stringMatching(/^\/uploads\//) } });

  // The url is where the admin panel loads the file from (the upload plugin may re-encode images).
  const image = await request(app.server).get(byType('image').media.url);
  expect(image.status).toBe(200);
  expect(image.headers['content-type']).toBe('image/png');
  const pdf = await request(app.server).get(byType('document').media.url).buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });
  expect(pdf.status).toBe(200);
  expect((pdf.body as Buffer).toString()).toBe('%PDF-1.4 quote');
});
