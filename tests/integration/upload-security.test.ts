/**
 * Customer media and the host's own upload security (`upload.security` in config/plugins.ts): a type
 * the app denies, or does not allow, is not stored and the message says why, once; an allowed one is.
 */
import type { RunningSimulator } from '../../simulator';
import type { as } from '../helpers/admin';
import { tinyPng } from '../helpers/png';
import { connectMetaNumber, startWithSimulator, settleWorkers } from '../helpers/simulated-app';
import type { TestApp } from '../helpers/strapi';

let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;
let number: any;

const PNID = '109876543210616';
const WABA = '102030405060616';

const settle = () => settleWorkers({ app, sim }, ['inbound', 'media']);

beforeAll(async () => {
  const started = await startWithSimulator({
    // As a new app's config/plugins.ts: SVG and executables denied, only these families allowed.
    UPLOAD_DENIED_TYPES: 'image/svg+xml,application/x-msdownload,application/x-sh',
    UPLOAD_ALLOWED_TYPES: 'image/*,application/pdf,audio/*,video/*',
  });
  ({ sim, app, admin } = started);
  number = await connectMetaNumber(started, { label: 'Uploads', phone: '+15550001616', phoneNumberId: PNID, wabaId: WABA, accessToken: 'upload-token-01', appSecret: 'upload-secret' });
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

/** The customer sends a file; answers the message as staff see it in the inbox. */
const customerSendsFile = async (from: string, file: { type: string; mimeType: string; filename?: string; mediaBase64: string }) => {
  const sent = await sim.client.customerSends({ from, to: PNID, name: 'Uploader', ...file });
  await settle();
  const [conversation] = (await admin.get('/whatsapp/conversations').query({ q: from })).body.data;
  const messages = (await admin.get(`/whatsapp/conversations/${conversation.id}/messages`)).body.data;
  const message = messages.find((m: any) => m.direction === 'in' && m.mediaState !== 'none');
  expect(message).toBeTruthy();
  const row = await app.strapi.db.query('plugin::whatsapp.message').findOne({ where: { id: message.id }, populate: ['media'] });
  return { sent, message, row };
};

const uploads = () => app.strapi.db.query('plugin::upload.file').count({});

describe('the host’s upload security', () => {
  test('a denied type (SVG) is not stored: the message records why and is not tried again', async () => {
    const before = await uploads();
    const { message, row } = await customerSendsFile('15550006161', { type: 'document', mimeType: 'image/svg+xml', filename: 'logo.svg', mediaBase64: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64') });
    expect(message).toMatchObject({ mediaState: 'failed', mediaError: expect.stringMatching(/upload security denies image\/svg\+xml/) });
    expect(row).toMatchObject({ attempts: 1, mediaNextAttemptAt: null, media: null });
    expect(await uploads()).toBe(before);
  });

  test('an executable is refused the same way', async () => {
    const { message } = await customerSendsFile('15550006262', { type: 'document', mimeType: 'application/x-msdownload', filename: 'invoice.exe', mediaBase64: Buffer.from('MZ fake').toString('base64') });
    expect(message).toMatchObject({ mediaState: 'failed', mediaError: expect.stringMatching(/denies application\/x-msdownload/) });
  });

  test('a type outside the allowed list (a zip, inert to us) is refused with the reason', async () => {
    const { message } = await customerSendsFile('15550006363', { type: 'document', mimeType: 'application/zip', filename: 'files.zip', mediaBase64: Buffer.from('PK fake').toString('base64') });
    expect(message).toMatchObject({ mediaState: 'failed', mediaError: expect.stringMatching(/does not allow application\/zip/) });
  });

  test('an allowed type (PNG) is stored', async () => {
    const { message, row } = await customerSendsFile('15550006464', { type: 'image', mimeType: 'image/png', mediaBase64: tinyPng(4).toString('base64') });
    expect(message).toMatchObject({ mediaState: 'stored', mediaError: null });
    expect(row.media).toMatchObject({ mime: 'image/png' });
  });

  test('a customer cannot pass an executable off as a PDF: its bytes decide, as in the upload plugin', async () => {
    const before = await uploads();
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(126), Buffer.from('PE\0\0')]);
    const { message, row } = await customerSendsFile('15550006565', { type: 'document', mimeType: 'application/pdf', filename: 'invoice.pdf', mediaBase64: exe.toString('base64') });
    expect(message).toMatchObject({ mediaState: 'failed', mediaError: expect.stringMatching(/denies application\/x-msdownload/) });
    expect(row.media).toBeNull();
    expect(await uploads()).toBe(before);
  });

  test('nor by its name: a PDF named setup.exe is refused for its extension', async () => {
    const { message } = await customerSendsFile('15550006666', { type: 'document', mimeType: 'application/pdf', filename: 'setup.exe', mediaBase64: Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64') });
    expect(message).toMatchObject({ mediaState: 'failed', mediaError: expect.stringMatching(/not allow application\/x-msdos-program/) });
  });

  test('a real PDF under its own name is stored', async () => {
    const { message, row } = await customerSendsFile('15550006767', { type: 'document', mimeType: 'application/pdf', filename: 'invoice.pdf', mediaBase64: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n').toString('base64') });
    expect(message).toMatchObject({ mediaState: 'stored', mediaError: null });
    expect(row.media).toMatchObject({ mime: 'application/pdf' });
  });
});
