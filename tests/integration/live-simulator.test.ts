import type { RunningSimulator } from '../../simulator';
import type { TestApp } from '../helpers/strapi';
import { connectMetaNumber, startWithSimulator } from '../helpers/simulated-app';
import { tinyPng } from '../helpers/png';
import { adapterFor } from '../../server/providers';
import createMediaWorker from '../../server/services/media';

let sim: RunningSimulator;
let app: TestApp;
let number: any;

const settleAll = async () => {
  const plugin = app.strapi.plugin('whatsapp');
  for (let i = 0; i < 3; i += 1) {
    plugin.service('inbound').kick();
    await plugin.service('inbound').idle();
    plugin.service('media').kick();
    await plugin.service('media').idle();
  }
};

beforeAll(async () => {
  const started = await startWithSimulator();
  ({ sim, app } = started);
  number = await connectMetaNumber(started, { label: 'Media', phone: '+15550001111', phoneNumberId: '109876543210987', wabaId: '102030405060708', accessToken: 'media-token-0001', appSecret: 'media-secret' });
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

test('a customer photo is fetched after the webhook and stored through the upload plugin', async () => {
  const png = tinyPng();
  const sent = await sim.client.customerSends({ from: '15550002222', to: '109876543210987', name: 'Alice Example', type: 'image', caption: 'the broken part', mimeType: 'image/png', mediaBase64: png.toString('base64') });
  expect(sent).toBeTruthy();
  await settleAll();
  const message = await app.strapi.db.query('plugin::whatsapp.message').findOne({ where: { type: 'image' }, populate: ['media'] });
  expect(message).toMatchObject({ mediaState: 'stored', text: 'the broken part' });
  expect(message.media).toMatchObject({ mime: 'image/png', ext: '.png' });
  const files = await app.strapi.db.query('plugin::upload.file').findMany({});
  expect(files.some((f: any) => f.id === message.media.id)).toBe(true);
});

test('a failed download keeps the message, says why, and is retried until it works', async () => {
  await sim.client.setFault(undefined, { flap5xx: 2 } as any);
  await sim.client.customerSends({ from: '15550003333', to: '109876543210987', name: 'Bob Example', type: 'document', filename: 'quote.pdf', mimeType: 'application/pdf', mediaBase64: Buffer.from('%PDF-1.4 test').toString('base64') });
  await settleAll();
  const q = app.strapi.db.query('plugin::whatsapp.message');
  const pending = await q.findOne({ where: { type: 'document' } });
  expect(pending).toMatchObject({ mediaState: 'pending', mediaError: expect.stringMatching(/50\d/) });

  // Two answers fail (5xx flap), the third works; each retry is made due now rather than after its backoff.
  for (let i = 0; i < 2; i += 1) {
    await q.update({ where: { id: pending.id }, data: { mediaNextAttemptAt: new Date(0) } });
    await settleAll();
  }
  const stored = await q.findOne({ where: { id: pending.id }, populate: ['media'] });
  expect(stored).toMatchObject({ mediaState: 'stored', mediaError: null, attempts: 2 });
  expect(stored.media.name).toBe('quote.pdf');
});

test('two media workers, as two instances run them, store each file once', async () => {
  const plugin = app.strapi.plugin('whatsapp');
  const files = app.strapi.db.query('plugin::upload.file');
  const before = await files.count({});
  const [last] = await app.strapi.db.query('plugin::whatsapp.message').findMany({ orderBy: { id: 'desc' }, limit: 1 });
  const lastId = last?.id ?? 0;
  for (let i = 0; i < 6; i += 1) {
    await sim.client.customerSends({ from: `1555000440${i}`, to: '109876543210987', name: `Twin ${i}`, type: 'image', mimeType: 'image/png', mediaBase64: tinyPng().toString('base64') });
  }
  plugin.service('inbound').kick();
  await plugin.service('inbound').idle();

  const other = createMediaWorker({ strapi: app.strapi });
  plugin.service('media').kick();
  other.kick();
  await Promise.all([plugin.service('media').idle(), other.idle()]);

  const images = await app.strapi.db.query('plugin::whatsapp.message').findMany({ where: { id: { $gt: lastId }, type: 'image' }, populate: ['media'] });
  expect(images).toHaveLength(6);
  expect(images.every((m: any) => m.mediaState === 'stored' && m.media)).toBe(true);
  expect((await files.count({})) - before).toBe(6);
});

describe('receipts from the provider', () => {
  const meta = () => adapterFor('meta');
  const providerNumber = async () => {
    const row = await app.strapi.db.query('plugin::whatsapp.number').findOne({ where: { id: number.id } });
    return app.strapi.plugin('whatsapp').service('numbers').toProviderNumber(row);
  };
  /**
   * Sends through the adapter and records the message as the outbox does (a `sending` row before the
   * call, its provider id after, so a receipt that beats the answer waits for it), then settles until
   * the message reaches `final` (receipts arrive whenever a loaded machine gets to them).
   */
  const sendAndSettle = async (to: string, text: string, final: string) => {
    const conversations = app.strapi.db.query('plugin::whatsapp.conversation');
    const where = { numberId: number.id, customerWaId: to.replace('+', '') };
    const conversation = (await conversations.findOne({ where })) ?? (await conversations.create({ data: { ...where, customerPhone: to } }));
    const messages = app.strapi.db.query('plugin::whatsapp.message');
    const pending = await messages.create({ data: { numberId: number.id, conversationId: conversation.id, direction: 'out', type: 'text', text, status: 'sending', source: 'inbox' } });
    const { providerMessageId } = await meta().send({ baseUrl: sim.url }, await providerNumber(), { kind: 'text', to, text });
    await messages.update({ where: { id: pending.id }, data: { status: 'sent', providerMessageId } });
    await sim.client.settle();
    const row = () => app.strapi.db.query('plugin::whatsapp.message').findOne({ where: { providerMessageId } });
    for (let i = 0; i < 60 && (await row()).status !== final; i += 1) {
      await sim.client.settle();
      await app.strapi.db.query('plugin::whatsapp.webhook-event').updateMany({ where: { state: 'pending' }, data: { lockedUntil: null } });
      await settleAll();
    }
    return row();
  };

  test('delivered and read move a sent message forward, each with its time', async () => {
    await sim.client.setFault(undefined, { autoDeliver: true, autoRead: true } as any);
    const message = await sendAndSettle('+15550002222', 'Your invoice is ready', 'read');
    expect(message).toMatchObject({ status: 'read' });
    expect(message.deliveredAt && message.readAt).toBeTruthy();
  });

  test('free text to a customer outside the 24-hour window fails later with 131047, classed window-closed', async () => {
    await sim.client.setCustomer({ phone: '15550007777', name: 'Quiet Customer', reachable: true });
    const message = await sendAndSettle('+15550007777', 'Hello after a long time', 'failed');
    expect(message).toMatchObject({ status: 'failed', errorClass: 'window-closed', errorCode: '131047' });
  });

  test('an unreachable number fails with 131026, classed invalid-recipient', async () => {
    const message = await sendAndSettle('+15550009999', 'Anyone there?', 'failed');
    expect(message).toMatchObject({ status: 'failed', errorClass: 'invalid-recipient', errorCode: '131026' });
  });
});
