import crypto from 'node:crypto';
import { startTestBed, type TestBed } from '../../simulator/testing';
import type { RecordedRequest } from '../../simulator/recorder';
import { fixture } from '../helpers/fixtures';

/* Gupshup self-serve API + v2 callbacks; AiSensy Campaign API + reported webhooks. */

const ALICE = '15550002222';
const UNREACHABLE = '15550009999';
const shape = (v: unknown): string[] => {
  const out = new Set<string>();
  const walk = (x: unknown, p: string) => {
    if (Array.isArray(x)) x.forEach((e) => walk(e, `${p}[]`));
    else if (x && typeof x === 'object') for (const [k, y] of Object.entries(x)) (out.add(`${p}.${k}`), walk(y, `${p}.${k}`));
  };
  walk(v, '');
  return [...out].sort();
};

let bed: TestBed;
beforeAll(async () => {
  bed = await startTestBed();
});
afterAll(async () => {
  await bed.close();
});
beforeEach(async () => {
  await bed.sim.client.settle();
  bed.recorder.clear();
});

describe('Gupshup', () => {
  const post = async (path: string, fields: Record<string, string>, apikey = bed.gupshup.apiKey) => {
    const res = await fetch(`${bed.sim.url}${path}`, {
      method: 'POST',
      headers: { apikey, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const gsPosts = () => bed.recorder.posts().filter((p) => p.path === '/webhooks/gupshup');
  const eventsFor = (id: string) => gsPosts().filter((p) => p.body.payload.id === id || p.body.payload.gsId === id);

  test('session text: 202 {status: submitted, messageId}, then enqueued/sent/delivered/read events shaped like the fixtures', async () => {
    await bed.sim.client.customerSends({ from: ALICE, to: bed.gupshup.appName, text: 'hi' });
    const res = await post('/wa/api/v1/msg', fixture('gupshup/send-request-text.form-fields.json'));
    expect(res.status).toBe(202);
    expect(shape(res.body)).toEqual(shape(fixture('gupshup/send-success-response.json')));
    expect(res.body.status).toBe('submitted');
    const gsId: string = res.body.messageId;
    expect(gsId).toMatch(/^[0-9a-f-]{36}$/);

    await bed.sim.client.settle();
    const events = eventsFor(gsId);
    expect(events.map((e) => e.body.payload.type)).toEqual(['enqueued', 'sent', 'delivered', 'read']);
    const [enqueued, sent, delivered, read] = events.map((e) => e.body);
    for (const [body, name] of [[enqueued, 'enqueued'], [sent, 'sent'], [delivered, 'delivered'], [read, 'read']] as const) {
      expect(shape(body)).toEqual(shape(fixture(`gupshup/message-event-${name}.json`)));
      expect(body).toMatchObject({ app: 'ExampleCrmApp', version: 2, type: 'message-event', timestamp: expect.any(Number) });
    }
    // gsId rules: enqueued/failed carry the Gupshup id; DLRs the WhatsApp id plus gsId.
    expect(enqueued.payload.id).toBe(gsId);
    const wamid = enqueued.payload.payload.whatsappMessageId;
    expect(wamid).toMatch(/^wamid\./);
    for (const dlr of [sent, delivered, read]) expect(dlr.payload).toMatchObject({ id: wamid, gsId, destination: ALICE });
    expect(enqueued.timestamp).toBeGreaterThan(1e12);
    for (const e of events) expect(e.headers['x-hub-signature-256']).toBeUndefined();
  });

  test('image, list and quick-reply fixtures are accepted; the customer sees list rows and buttons', async () => {
    await bed.sim.client.setWindow(bed.gupshup.appName, ALICE, true);
    const ids: string[] = [];
    for (const name of ['image', 'list', 'quick-reply']) {
      const res = await post('/wa/api/v1/msg', fixture(`gupshup/send-request-${name}.form-fields.json`));
      expect(res.status).toBe(202);
      ids.push(res.body.messageId);
    }
    const [image, list, quick] = await Promise.all(ids.map((id) => bed.sim.client.message(id)));
    expect(image).toMatchObject({ type: 'image', caption: 'Replacement part', media: { url: 'https://crm.example.com/files/part.jpg' } });
    expect(list.list?.rows.map((r) => r.id)).toEqual(['plan_basic', 'plan_pro']);
    expect(quick.buttons?.map((b) => b.title)).toEqual(['Confirm', 'Reschedule']);
  });

  test.each([
    ['a wrong apikey', 401, () => ({ fields: fixture('gupshup/send-request-text.form-fields.json'), apikey: 'wrong' })],
    ['a bad destination', 400, () => ({ fields: { ...fixture('gupshup/send-request-text.form-fields.json'), destination: '12' } })],
    ['another app name', 400, () => ({ fields: { ...fixture('gupshup/send-request-text.form-fields.json'), 'src.name': 'OtherApp' } })],
    ['a source that is not the app number', 400, () => ({ fields: { ...fixture('gupshup/send-request-text.form-fields.json'), source: '15550000000' } })],
    ['message not JSON', 400, () => ({ fields: { ...fixture('gupshup/send-request-text.form-fields.json'), message: '{oops' } })],
    ['an unknown message type', 400, () => ({ fields: { ...fixture('gupshup/send-request-text.form-fields.json'), message: '{"type":"hologram"}' } })],
  ])('%s → %s {status: error, message}', async (_n, status, make) => {
    const { fields, apikey } = make() as { fields: Record<string, string>; apikey?: string };
    const res = await post('/wa/api/v1/msg', fields, apikey);
    expect(res.status).toBe(status);
    expect(shape(res.body)).toEqual(shape(fixture('gupshup/send-error-response.json')));
    expect(res.body.status).toBe('error');
  });

  test('a bad destination answers exactly like send-error-response.json', async () => {
    const res = await post('/wa/api/v1/msg', { ...fixture('gupshup/send-request-text.form-fields.json'), destination: 'abc' });
    expect(res.body).toEqual(fixture('gupshup/send-error-response.json'));
  });

  test('an unreachable number → failed event with the Gupshup id and code 1002, like the fixture', async () => {
    const res = await post('/wa/api/v1/msg', { ...fixture('gupshup/send-request-text.form-fields.json'), destination: UNREACHABLE });
    await bed.sim.client.settle();
    const [failed] = eventsFor(res.body.messageId);
    expect(shape(failed.body)).toEqual(shape(fixture('gupshup/message-event-failed.json')));
    expect(failed.body.payload).toEqual({ id: res.body.messageId, type: 'failed', destination: UNREACHABLE, payload: { code: 1002, reason: 'Number Does Not Exist On WhatsApp' } });
  });

  test('a session message outside the 24 h window → failed with 131047', async () => {
    await bed.sim.client.setWindow(bed.gupshup.appName, '15550003333', false);
    const res = await post('/wa/api/v1/msg', { ...fixture('gupshup/send-request-text.form-fields.json'), destination: '15550003333' });
    expect(res.status).toBe(202);
    await bed.sim.client.settle();
    expect(eventsFor(res.body.messageId).map((e) => [e.body.payload.type, e.body.payload.payload.code])).toEqual([['failed', 131047]]);
  });

  describe('templates', () => {
    const TEMPLATE_ID = '3f2e1d0c-aaaa-bbbb-cccc-000000000001';
    beforeAll(async () => {
      await bed.sim.client.createTemplate({ provider: 'gupshup', appName: bed.gupshup.appName, id: TEMPLATE_ID, name: 'invoice_ready', language: 'en', category: 'UTILITY', body: 'Hi {{1}}, your invoice {{2}} is ready.' });
    });

    test('approval sends a template-event like the fixture', async () => {
      await bed.sim.client.approveTemplate(TEMPLATE_ID);
      const ev = gsPosts().at(-1)!.body;
      expect(shape(ev)).toEqual(shape(fixture('gupshup/template-event-status-update.json')));
      expect(ev.payload).toEqual(fixture('gupshup/template-event-status-update.json').payload);
    });

    test('the template fixture is accepted outside the window; text is rendered for the customer', async () => {
      await bed.sim.client.setWindow(bed.gupshup.appName, ALICE, false);
      const res = await post('/wa/api/v1/template/msg', fixture('gupshup/send-request-template.form-fields.json'));
      expect(res.status).toBe(202);
      expect(res.body.status).toBe('submitted');
      await bed.sim.client.settle();
      const msg = await bed.sim.client.message(res.body.messageId);
      expect(msg).toMatchObject({ status: 'read', text: 'Hi Alice, your invoice INV-2026-001 is ready.', template: { name: 'invoice_ready' } });
      expect(eventsFor(res.body.messageId)[0].body.payload.payload.type).toBe('template');
    });

    test.each([
      ['an unknown template id', { id: '00000000-0000-0000-0000-000000000000', params: ['a', 'b'] }],
      ['a wrong parameter count', { id: TEMPLATE_ID, params: ['only one'] }],
    ])('%s → 400', async (_n, template) => {
      const res = await post('/wa/api/v1/template/msg', { ...fixture('gupshup/send-request-template.form-fields.json'), template: JSON.stringify(template) });
      expect(res.status).toBe(400);
      expect(res.body.status).toBe('error');
    });

    test('GET /wa/app/{appId}/template lists templates in Gupshup form', async () => {
      const res = await fetch(`${bed.sim.url}/wa/app/${bed.gupshup.appId}/template`, { headers: { apikey: bed.gupshup.apiKey } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as any;
      expect(body.status).toBe('success');
      expect(body.templates[0]).toMatchObject({ id: TEMPLATE_ID, elementName: 'invoice_ready', languageCode: 'en', status: 'APPROVED', category: 'UTILITY', templateType: 'TEXT', data: 'Hi {{1}}, your invoice {{2}} is ready.', appId: bed.gupshup.appId });
      expect(typeof body.templates[0].meta).toBe('string');
      const other = await fetch(`${bed.sim.url}/wa/app/someone-else/template`, { headers: { apikey: bed.gupshup.apiKey } });
      expect(other.status).toBe(401);
    });
  });

  describe('callbacks for customer messages', () => {
    test.each([
      ['gupshup/inbound-text.json', () => ({ text: 'Hello, is the invoice ready?' })],
      ['gupshup/inbound-image.json', () => ({ type: 'image', caption: 'Photo of the damaged part' })],
    ])('%s', async (name, input) => {
      const r = await bed.sim.client.customerSends({ from: ALICE, to: bed.gupshup.appName, name: 'Alice Example', ...input() } as any);
      expect(r.webhook?.statusCode).toBe(200);
      const body = gsPosts().at(-1)!.body;
      expect(shape(body)).toEqual(shape(fixture(name)));
      expect(body.payload.sender).toEqual(fixture(name).payload.sender);
    });

    test('gupshup/inbound-button-reply.json: context carries the WhatsApp id and the gsId of the business message', async () => {
      await bed.sim.client.setWindow(bed.gupshup.appName, ALICE, true);
      const sent = await post('/wa/api/v1/msg', fixture('gupshup/send-request-quick-reply.form-fields.json'));
      const out = await bed.sim.client.message(sent.body.messageId);
      await bed.sim.client.customerSends({ from: ALICE, to: bed.gupshup.appName, type: 'interactive', reply: { id: 'confirm_appointment', title: 'Confirm' }, contextMessageId: sent.body.messageId });
      const body = gsPosts().at(-1)!.body;
      expect(shape(body)).toEqual(shape(fixture('gupshup/inbound-button-reply.json')));
      expect(body.payload.context).toEqual({ id: out.waMessageId, gsId: sent.body.messageId });
    });

    test('a user-event (opted-in) like the fixture', async () => {
      await bed.sim.client.gupshupUserEvent(bed.gupshup.appName, ALICE, 'opted-in');
      const body = gsPosts().at(-1)!.body;
      expect(shape(body)).toEqual(shape(fixture('gupshup/user-event-opted-in.json')));
      expect(body.payload).toEqual({ phone: ALICE, type: 'opted-in' });
    });

    test('outOfOrderStatuses works for Gupshup too (enqueued first, then read, sent, delivered)', async () => {
      await bed.sim.client.setFault(bed.gupshup.appName, { outOfOrderStatuses: true });
      try {
        await bed.sim.client.setWindow(bed.gupshup.appName, ALICE, true);
        const res = await post('/wa/api/v1/msg', fixture('gupshup/send-request-text.form-fields.json'));
        await bed.sim.client.settle();
        expect(eventsFor(res.body.messageId).map((e) => e.body.payload.type)).toEqual(['enqueued', 'read', 'sent', 'delivered']);
      } finally {
        await bed.sim.client.setFault(bed.gupshup.appName, { outOfOrderStatuses: false });
      }
    });
  });
});

describe('AiSensy', () => {
  const campaign = (path: string, body: unknown) =>
    fetch(`${bed.sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
  const aiPosts = () => bed.recorder.posts().filter((p) => p.path === '/webhooks/aisensy');
  const hmac = (raw: Buffer) => crypto.createHmac('sha256', bed.aisensy.webhookSecret!).update(raw).digest('hex');
  const statusOf = (p: RecordedRequest) => p.body.data.message.status;

  beforeAll(async () => {
    await bed.sim.client.addAisensyCampaign({ apiKey: bed.aisensy.apiKey, campaignName: 'invoice_ready_api', templateName: 'invoice_ready', text: 'Hi {{1}}, your invoice {{2}} is ready.' });
    await bed.sim.client.addAisensyCampaign({ apiKey: bed.aisensy.apiKey, campaignName: 'otp_login_api', text: 'Your login code is {{1}}.' });
    await bed.sim.client.addAisensyCampaign({ apiKey: bed.aisensy.apiKey, campaignName: 'paused_api', text: 'Paused', live: false });
  });

  test('the documented request → 200 {success, submitted_message_id}; signed status webhooks follow', async () => {
    const res = await campaign('/campaign/t1/api', fixture('aisensy/campaign-api-request-documented.json'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: 'true', submitted_message_id: expect.any(String) });
    const id = res.body.submitted_message_id;
    await bed.sim.client.settle();
    const posts = aiPosts().filter((p) => p.body.data.message.id === id);
    expect(posts.map(statusOf)).toEqual(['sent', 'delivered', 'read']);
    for (const p of posts) {
      expect(p.headers['x-aisensy-signature']).toBe(hmac(p.raw));
      expect(p.body).toMatchObject({ id: expect.any(String), created_at: expect.any(String), topic: 'message.status.updated', delivery_attempt: 1, project_id: expect.any(String) });
      expect(p.body.data.message).toMatchObject({ id, phone_number: ALICE });
    }
    expect(await bed.sim.client.message(id)).toMatchObject({ provider: 'aisensy', text: 'Hi Alice, your invoice INV-2026-001 is ready.', media: { filename: 'INV-2026-001.pdf' } });
  });

  test('the observed /v2 request (buttons, empty media) → 200', async () => {
    const res = await campaign('/campaign/t1/api/v2', fixture('aisensy/campaign-api-v2-request-third-party-observed.json'));
    expect(res.status).toBe(200);
    expect(res.body.success).toBe('true');
  });

  test.each([
    ['a wrong apiKey', 401, { apiKey: 'wrong' }],
    ['an unknown campaign', 400, { campaignName: 'nope' }],
    ['a campaign that is not live', 400, { campaignName: 'paused_api' }],
    ['a wrong templateParams count', 400, { templateParams: ['only one'] }],
    ['an invalid number', 400, { destination: '12' }],
    ['no userName', 400, { userName: '' }],
    ['a media URL that is not a URL', 400, { media: { url: 'file.pdf' } }],
  ])('%s → %s', async (_n, status, change) => {
    const res = await campaign('/campaign/t1/api/v2', { ...fixture('aisensy/campaign-api-request-documented.json'), ...change });
    expect(res.status).toBe(status);
    expect(typeof res.body.message).toBe('string');
    if (status === 401) expect(res.body).toMatchObject({ errorCode: 401, name: 'ERR401' });
  });

  test('an unknown campaign answers with the reported text', async () => {
    const res = await campaign('/campaign/t1/api/v2', { ...fixture('aisensy/campaign-api-request-documented.json'), campaignName: 'nope' });
    expect(res.body).toEqual({ message: 'Campaign does not exist.' });
  });

  test('a 10-digit number without + is treated as Indian (+91)', async () => {
    const res = await campaign('/campaign/t1/api', { ...fixture('aisensy/campaign-api-request-documented.json'), destination: '9876543210' });
    expect((await bed.sim.client.message(res.body.submitted_message_id)).to).toBe('919876543210');
  });

  test('an unreachable recipient → failed status with failureResponse', async () => {
    const res = await campaign('/campaign/t1/api', { ...fixture('aisensy/campaign-api-request-documented.json'), destination: '+' + UNREACHABLE });
    await bed.sim.client.settle();
    const [failed] = aiPosts().filter((p) => p.body.data.message.id === res.body.submitted_message_id);
    expect(failed.body.data.message).toMatchObject({ status: 'failed', failureResponse: { code: 131026, reason: 'Message undeliverable' } });
  });

  test('a customer message → message.sender.user webhook, signed; redelivery bumps delivery_attempt and re-signs', async () => {
    const r = await bed.sim.client.customerSends({ from: ALICE, to: bed.aisensy.phone, provider: 'aisensy', text: 'Hello from WhatsApp' });
    expect(r.webhook?.statusCode).toBe(200);
    const p = aiPosts().at(-1)!;
    expect(p.headers['x-aisensy-signature']).toBe(hmac(p.raw));
    expect(p.body).toMatchObject({ topic: 'message.sender.user', data: { message: { id: r.message.id, phone_number: ALICE, userName: 'Alice Example', sender: 'USER', message_type: 'TEXT', message_content: { text: { body: 'Hello from WhatsApp' } } } } });

    let calls = 0;
    bed.recorder.setResponder(() => (++calls === 1 ? 500 : 200));
    await bed.sim.client.setFault(bed.aisensy.phone, { redeliverOnNon200: 1, redeliverDelayMs: 1 });
    try {
      await bed.sim.client.customerSends({ from: ALICE, to: bed.aisensy.phone, provider: 'aisensy', text: 'again' });
      const [a, b] = aiPosts().slice(-2);
      expect([a.body.delivery_attempt, b.body.delivery_attempt]).toEqual([1, 2]);
      expect(a.body.id).toBe(b.body.id);
      expect(b.headers['x-aisensy-signature']).toBe(hmac(b.raw));
    } finally {
      bed.recorder.setResponder(undefined);
      await bed.sim.client.setFault(bed.aisensy.phone, { redeliverOnNon200: 0 });
    }
  });

  test('an account without a secret sends unsigned webhooks', async () => {
    await bed.sim.client.addAisensyAccount({ apiKey: 'unsigned-key', phone: '15550006666', webhookUrl: `${bed.recorder.url}/webhooks/aisensy` });
    await bed.sim.client.customerSends({ from: ALICE, to: '15550006666', provider: 'aisensy', text: 'no signature' });
    expect(aiPosts().at(-1)!.headers['x-aisensy-signature']).toBeUndefined();
  });
});
