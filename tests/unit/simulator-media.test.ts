import crypto from 'node:crypto';
import { startTestBed, type TestBed } from '../../simulator/testing';
import { fixture } from '../helpers/fixtures';

/* Meta media: upload (multipart) → retrieve URL → download with the bearer token; inbound media. */

const ALICE = '15550002222';
let bed: TestBed;

const multipart = (fields: Record<string, string>, file?: { name: string; type: string; data: Buffer }) => {
  const boundary = `----sim${crypto.randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`));
    parts.push(file.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
};

const upload = async (fields: Record<string, string>, file?: { name: string; type: string; data: Buffer }, token = bed.meta.accessToken) => {
  const m = multipart(fields, file);
  const res = await fetch(`${bed.sim.url}/v23.0/${bed.meta.phoneNumberId}/media`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': m.type }, body: m.body });
  return { status: res.status, body: (await res.json()) as any };
};

const download = async (url: string, token?: string) => {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), type: res.headers.get('content-type') };
};

// Bytes that are not valid UTF-8, to prove the body is handled as binary.
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), crypto.randomBytes(200), Buffer.from('\r\n--not-a-boundary\r\n')]);

beforeAll(async () => {
  bed = await startTestBed();
});
afterAll(async () => {
  await bed.close();
});

describe('media upload and download', () => {
  let mediaId: string;

  test('upload → {id}; retrieve → fixture-shaped answer with a simulator URL; download needs the token', async () => {
    const up = await upload({ messaging_product: 'whatsapp', type: 'image/png' }, { name: 'part.png', type: 'image/png', data: PNG });
    expect(up.status).toBe(200);
    expect(Object.keys(up.body)).toEqual(['id']);
    mediaId = up.body.id;

    const info = await bed.graph(`/v23.0/${mediaId}`);
    expect(info.status).toBe(200);
    expect(Object.keys(info.body).sort()).toEqual(Object.keys(fixture('meta/media-retrieve-response.json')).sort());
    expect(info.body).toMatchObject({
      messaging_product: 'whatsapp',
      mime_type: 'image/png',
      sha256: crypto.createHash('sha256').update(PNG).digest('base64'),
      file_size: String(PNG.length),
      id: mediaId,
    });
    expect(info.body.url.startsWith(`${bed.sim.url}/`)).toBe(true);

    const without = await download(info.body.url);
    expect(without.status).toBe(401);
    const wrong = await download(info.body.url, 'someone-elses-token');
    expect(wrong.status).toBe(401);
    const ok = await download(info.body.url, bed.meta.accessToken);
    expect(ok.status).toBe(200);
    expect(ok.type).toBe('image/png');
    expect(ok.bytes.equals(PNG)).toBe(true);
  });

  test('the URL expires after 5 simulated minutes (404); retrieving again gives a fresh one', async () => {
    const info = await bed.graph(`/v23.0/${mediaId}`);
    await bed.sim.client.advanceClock(5 * 60 * 1000 + 1000);
    expect((await download(info.body.url, bed.meta.accessToken)).status).toBe(404);
    const again = await bed.graph(`/v23.0/${mediaId}`);
    expect((await download(again.body.url, bed.meta.accessToken)).status).toBe(200);
  });

  test('a tampered URL → 404', async () => {
    const info = await bed.graph(`/v23.0/${mediaId}`);
    expect((await download(info.body.url.replace(/hash=[0-9a-f]/, 'hash=z'), bed.meta.accessToken)).status).toBe(404);
  });

  test('an uploaded id can be sent as an image; the customer sees it', async () => {
    await bed.sim.client.setWindow(bed.meta.phoneNumberId, ALICE, true);
    const res = await bed.graph(`/v23.0/${bed.meta.phoneNumberId}/messages`, { body: { messaging_product: 'whatsapp', to: ALICE, type: 'image', image: { id: mediaId, caption: 'New part' } } });
    expect(res.status).toBe(200);
    expect(await bed.sim.client.message(res.body.messages[0].id)).toMatchObject({ type: 'image', caption: 'New part', media: { id: mediaId } });
  });

  test.each([
    ['no messaging_product', { type: 'image/png' }, { name: 'a.png', type: 'image/png', data: PNG }, 100],
    ['no file', { messaging_product: 'whatsapp', type: 'image/png' }, undefined, 100],
    ['an unsupported type', { messaging_product: 'whatsapp', type: 'application/x-msdownload' }, { name: 'a.exe', type: 'application/x-msdownload', data: PNG }, 100],
    ['a MIME type that does not match the file', { messaging_product: 'whatsapp', type: 'image/png' }, { name: 'a.pdf', type: 'application/pdf', data: PNG }, 131053],
    ['a sticker over 500 KB', { messaging_product: 'whatsapp', type: 'image/webp' }, { name: 'a.webp', type: 'image/webp', data: Buffer.alloc(600 * 1024) }, 131053],
  ])('upload with %s → code %s', async (_n, fields, file, code) => {
    const res = await upload(fields as Record<string, string>, file as any);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
  });

  test('a JSON body instead of multipart → 100; a wrong token → 190', async () => {
    const res = await bed.graph(`/v23.0/${bed.meta.phoneNumberId}/media`, { body: { messaging_product: 'whatsapp' } });
    expect(res.body.error.code).toBe(100);
    const bad = await upload({ messaging_product: 'whatsapp', type: 'image/png' }, { name: 'a.png', type: 'image/png', data: PNG }, 'bad');
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe(190);
  });

  test('DELETE /{media-id} → {success:true}; afterwards the id is unknown', async () => {
    const up = await upload({ messaging_product: 'whatsapp', type: 'application/pdf' }, { name: 'x.pdf', type: 'application/pdf', data: Buffer.from('%PDF-1.4 test') });
    expect((await bed.graph(`/v23.0/${up.body.id}`, { method: 'DELETE' })).body).toEqual({ success: true });
    const gone = await bed.graph(`/v23.0/${up.body.id}`);
    expect(gone.status).toBe(400);
    expect(gone.body.error).toMatchObject({ code: 100, error_subcode: 33 });
  });
});

describe('inbound media', () => {
  test('a customer image: the webhook media id resolves to a URL whose bytes are the ones registered', async () => {
    const bytes = crypto.randomBytes(64);
    const r = await bed.sim.client.customerSends({ from: ALICE, to: bed.meta.phoneNumberId, type: 'image', caption: 'damage', mimeType: 'image/jpeg', mediaBase64: bytes.toString('base64') });
    const image = (r.payload as any).entry[0].changes[0].value.messages[0].image;
    expect(image).toMatchObject({ caption: 'damage', mime_type: 'image/jpeg', sha256: crypto.createHash('sha256').update(bytes).digest('base64') });
    const info = await bed.graph(`/v23.0/${image.id}`);
    expect((await download(info.body.url, bed.meta.accessToken)).bytes.equals(bytes)).toBe(true);
    // The newer optional `url` in the webhook works the same way.
    expect((await download(image.url, bed.meta.accessToken)).bytes.equals(bytes)).toBe(true);
    expect((await download(image.url)).status).toBe(401);
  });

  test('media registered over the control API can be reused by id', async () => {
    const m = await bed.sim.client.addMedia({ business: bed.meta.phoneNumberId, mimeType: 'application/pdf', text: '%PDF-1.4 contract', filename: 'contract.pdf' });
    const r = await bed.sim.client.customerSends({ from: ALICE, to: bed.meta.phoneNumberId, type: 'document', mediaId: m.id, caption: 'Signed' });
    const doc = (r.payload as any).entry[0].changes[0].value.messages[0].document;
    expect(doc).toMatchObject({ id: m.id, filename: 'contract.pdf', mime_type: 'application/pdf', caption: 'Signed' });
    const got = await download(m.url, bed.meta.accessToken);
    expect(got.bytes.toString()).toBe('%PDF-1.4 contract');
  });

  test('the inbound media url can be switched off', async () => {
    await bed.sim.client.setFault(bed.meta.phoneNumberId, { inboundMediaUrl: false });
    const r = await bed.sim.client.customerSends({ from: ALICE, to: bed.meta.phoneNumberId, type: 'audio', voice: true });
    const audio = (r.payload as any).entry[0].changes[0].value.messages[0].audio;
    expect(audio.url).toBeUndefined();
    expect(audio).toMatchObject({ voice: true, mime_type: 'audio/ogg; codecs=opus' });
  });
});
