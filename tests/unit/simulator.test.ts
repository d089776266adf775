import crypto from 'node:crypto';
import { startTestBed, type TestBed } from '../../simulator/testing';
import type { RecordedRequest } from '../../simulator/recorder';
import { fixture } from '../helpers/fixtures';

/* Meta Cloud API stand-in: sends, statuses, signatures, windows, recipients, inbound shapes. */

const ALICE = '15550002222';
const BOB = '15550003333';
const UNREACHABLE = '15550009999';

const sign = (raw: Buffer | string, secret: string) => `sha256=${crypto.createHmac('sha256', secret).update(raw).digest('hex')}`;

/** Every key path in a JSON value (array elements merged), to compare shapes with the fixtures. */
const shape = (v: unknown, prefix = ''): string[] => {
  const out = new Set<string>();
  const walk = (x: unknown, p: string) => {
    if (Array.isArray(x)) x.forEach((e) => walk(e, `${p}[]`));
    else if (x && typeof x === 'object') {
      for (const [k, y] of Object.entries(x)) {
        out.add(`${p}.${k}`);
        walk(y, `${p}.${k}`);
      }
    }
  };
  walk(v, prefix);
  return [...out].sort();
};

const statusesIn = (posts: RecordedRequest[]) =>
  posts.flatMap((p) => (p.body?.entry ?? []).flatMap((e: any) => e.changes.flatMap((c: any) => (c.value.statuses ?? []) as any[])));

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

const sendText = (to: string, body = 'Hello', extra: Record<string, unknown> = {}) =>
  bed.graph(`/v23.0/${bed.meta.phoneNumberId}/messages`, { body: { messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'text', text: { body }, ...extra } });

describe('Meta send → statuses', () => {
  test('a text send answers like the fixture and is followed by signed sent, delivered and read webhooks', async () => {
    await bed.sim.client.customerSends({ from: ALICE, to: bed.meta.phoneNumberId, text: 'Hi' });
    const res = await sendText('+' + ALICE, 'Your invoice INV-2026-001 is ready.', { biz_opaque_callback_data: 'outbox-row-4711' });
    expect(res.status).toBe(200);
    const success = fixture('meta/send-message-success-response.json');
    expect(res.body).toEqual({ messaging_product: 'whatsapp', contacts: [{ input: '+15550002222', wa_id: ALICE }], messages: [{ id: expect.stringMatching(/^wamid\./) }] });
    expect(shape(res.body)).toEqual(shape(success).filter((k) => !k.endsWith('message_status')));
    const wamid: string = res.body.messages[0].id;

    await bed.sim.client.settle();
    const posts = bed.recorder.posts().filter((p) => statusesIn([p]).some((s) => s.id === wamid));
    expect(statusesIn(posts).map((s) => s.status)).toEqual(['sent', 'delivered', 'read']);
    for (const p of posts) {
      expect(p.path).toBe('/webhooks/meta');
      expect(p.headers['content-type']).toBe('application/json');
      expect(p.headers['x-hub-signature-256']).toBe(sign(p.raw, bed.meta.appSecret));
      expect(p.headers['x-hub-signature-256']).not.toBe(sign(p.raw, 'another-secret'));
    }
    const [sent, delivered, read] = posts.map((p) => p.body);
    expect(shape(sent)).toEqual(shape(fixture('meta/status-sent.json')));
    expect(shape(delivered)).toEqual(shape(fixture('meta/status-delivered.json')));
    expect(shape(read)).toEqual(shape(fixture('meta/status-read.json')));
    const status = sent.entry[0].changes[0].value.statuses[0];
    expect(status).toMatchObject({ id: wamid, status: 'sent', recipient_id: ALICE, biz_opaque_callback_data: 'outbox-row-4711' });
    expect(sent.entry[0]).toMatchObject({ id: bed.meta.wabaId, changes: [{ field: 'messages', value: { metadata: { phone_number_id: bed.meta.phoneNumberId, display_phone_number: '15550001111' } } }] });
    expect(typeof status.timestamp).toBe('string');

    const seen = await bed.sim.client.outbound({ to: ALICE });
    expect(seen.find((m) => m.id === wamid)).toMatchObject({ type: 'text', text: 'Your invoice INV-2026-001 is ready.', status: 'read' });
  });

  test('each send gets a unique wamid', async () => {
    await bed.sim.client.setWindow(bed.meta.phoneNumberId, ALICE, true);
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await sendText(ALICE, `n${i}`)).body.messages[0].id);
    expect(ids.size).toBe(5);
  });

  test('the webhook signature covers the exact bytes, with non-ASCII escaped', async () => {
    const r = await bed.sim.client.customerSends({ from: ALICE, to: bed.meta.phoneNumberId, text: 'Olá, café ☕ 👍' });
    expect(r.webhook?.statusCode).toBe(200);
    const post = bed.recorder.posts().at(-1)!;
    const raw = post.raw.toString('utf8');
    expect(raw).toContain('\\u00e9');
    expect(/[^\x00-\x7f]/.test(raw)).toBe(false);
    expect(post.headers['x-hub-signature-256']).toBe(sign(post.raw, bed.meta.appSecret));
    expect(post.body.entry[0].changes[0].value.messages[0].text.body).toBe('Olá, café ☕ 👍');
  });
});

describe('Meta auth and addressing errors', () => {
  test('a wrong token → 401 code 190 OAuthException', async () => {
    const res = await sendText(ALICE, 'x', {});
    expect(res.status).toBe(200);
    const bad = await bed.graph(`/v23.0/${bed.meta.phoneNumberId}/messages`, { token: 'not-a-token', body: { messaging_product: 'whatsapp', to: ALICE, type: 'text', text: { body: 'x' } } });
    expect(bad.status).toBe(401);
    expect(bad.body.error).toMatchObject({ code: 190, type: 'OAuthException' });
    expect(bad.headers.get('www-authenticate')).toContain('invalid_token');
  });

  test('no token → 401 code 190', async () => {
    const res = await bed.graph(`/v23.0/${bed.meta.phoneNumberId}/messages`, { token: null, body: { messaging_product: 'whatsapp', to: ALICE, type: 'text', text: { body: 'x' } } });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe(190);
  });

  test('the token in the access_token query parameter works too', async () => {
    const res = await bed.graph(`/v23.0/${bed.meta.phoneNumberId}?access_token=${bed.meta.accessToken}`, { token: null });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(bed.meta.phoneNumberId);
  });

  test("an unknown phone number id → 400 code 100 with Meta's 'Unsupported post request' text", async () => {
    const res = await bed.graph('/v23.0/999999999999999/messages', { body: { messaging_product: 'whatsapp', to: ALICE, type: 'text', text: { body: 'x' } } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 100, error_subcode: 33, type: 'GraphMethodException' });
    expect(res.body.error.message).toMatch(/^Unsupported post request\. Object with ID '999999999999999' does not exist/);
  });

  test("another WABA's token cannot use this number", async () => {
    await bed.sim.client.addMetaNumber({ phoneNumberId: '209876543210988', wabaId: '203040506070809', displayPhoneNumber: '15550004444', accessToken: 'other-token', appSecret: 's2', webhookUrl: `${bed.recorder.url}/other` });
    const res = await bed.graph(`/v23.0/${bed.meta.phoneNumberId}/messages`, { token: 'other-token', body: { messaging_product: 'whatsapp', to: ALICE, type: 'text', text: { body: 'x' } } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(100);
    await bed.sim.client.removeMetaNumber('209876543210988');
  });

  test.each([
    ['not JSON', 100, '{nope'],
    ['messaging_product missing', 100, { to: ALICE, type: 'text', text: { body: 'x' } }],
    ['no recipient', 100, { messaging_product: 'whatsapp', type: 'text', text: { body: 'x' } }],
    ['unknown type', 100, { messaging_product: 'whatsapp', to: ALICE, type: 'hologram', hologram: {} }],
    ['text without body', 131008, { messaging_product: 'whatsapp', to: ALICE, type: 'text', text: {} }],
    ['image without id or link', 131008, { messaging_product: 'whatsapp', to: ALICE, type: 'image', image: { caption: 'x' } }],
    ['image with an unknown media id', 100, { messaging_product: 'whatsapp', to: ALICE, type: 'image', image: { id: '123' } }],
    ['four reply buttons', 131009, { messaging_product: 'whatsapp', to: ALICE, type: 'interactive', interactive: { type: 'button', body: { text: 'b' }, action: { buttons: [1, 2, 3, 4].map((i) => ({ type: 'reply', reply: { id: `b${i}`, title: `B${i}` } })) } } }],
    ['button title over 20 chars', 131009, { messaging_product: 'whatsapp', to: ALICE, type: 'interactive', interactive: { type: 'button', body: { text: 'b' }, action: { buttons: [{ type: 'reply', reply: { id: 'a', title: 'x'.repeat(21) } }] } } }],
    ['list with 11 rows', 131009, { messaging_product: 'whatsapp', to: ALICE, type: 'interactive', interactive: { type: 'list', body: { text: 'b' }, action: { button: 'Pick', sections: [{ title: 's', rows: Array.from({ length: 11 }, (_, i) => ({ id: `r${i}`, title: `R${i}` })) }] } } }],
    ['cta_url without url', 131008, { messaging_product: 'whatsapp', to: ALICE, type: 'interactive', interactive: { type: 'cta_url', body: { text: 'b' }, action: { name: 'cta_url', parameters: { display_text: 'Go' } } } }],
    ['reaction without message_id', 131008, { messaging_product: 'whatsapp', to: ALICE, type: 'reaction', reaction: { emoji: '👍' } }],
  ])('bad body: %s → code %s', async (_name, code, body) => {
    const res = await bed.graph(`/v23.0/${bed.meta.phoneNumberId}/messages`, { body });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.body.error).toMatchObject({ code, type: 'OAuthException', error_data: { messaging_product: 'whatsapp' } });
    expect(res.body.error.message).toMatch(new RegExp(`^\\(#${code}\\) `));
    expect(typeof res.body.error.fbtrace_id).toBe('string');
  });
});

describe('Meta windows and recipients', () => {
  test('free-form outside the 24 h window is accepted, then fails with a 131047 status like the fixture', async () => {
    await bed.sim.client.setCustomer({ phone: BOB, name: 'Bob Example', reachable: true });
    await bed.sim.client.setWindow(bed.meta.phoneNumberId, BOB, false);
    const res = await sendText(BOB, 'Are you there?');
    expect(res.status).toBe(200);
    const wamid = res.body.messages[0].id;
    await bed.sim.client.settle();
    const posts = bed.recorder.posts().filter((p) => statusesIn([p]).some((s) => s.id === wamid));
    expect(statusesIn(posts).map((s) => s.status)).toEqual(['failed']);
    expect(shape(posts[0].body)).toEqual(shape(fixture('meta/status-failed-131047.json')));
    expect(statusesIn(posts)[0].errors[0]).toEqual(fixture('meta/status-failed-131047.json').entry[0].changes[0].value.statuses[0].errors[0]);
    expect((await bed.sim.client.message(wamid)).status).toBe('failed');
  });

  test('the window closes 24 h after the last customer message (simulated clock)', async () => {
    await bed.sim.client.customerSends({ from: BOB, to: bed.meta.phoneNumberId, text: 'Hi' });
    const inside = await sendText(BOB, 'inside');
    await bed.sim.client.advanceClock(24 * 3600 * 1000 + 1000);
    const outside = await sendText(BOB, 'outside');
    await bed.sim.client.settle();
    expect((await bed.sim.client.message(inside.body.messages[0].id)).status).toBe('read');
    expect((await bed.sim.client.message(outside.body.messages[0].id)).error?.code).toBe(131047);
  });

  test('an unreachable customer → accepted, then a failed status 131026 like the fixture', async () => {
    const res = await sendText(UNREACHABLE, 'hello?');
    expect(res.status).toBe(200);
    const wamid = res.body.messages[0].id;
    await bed.sim.client.settle();
    const failed = statusesIn(bed.recorder.posts()).filter((s) => s.id === wamid);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ status: 'failed', recipient_id: UNREACHABLE, errors: [{ code: 131026, title: 'Message undeliverable' }] });
    const post = bed.recorder.posts().find((p) => statusesIn([p]).some((s) => s.id === wamid))!;
    expect(shape(post.body)).toEqual(shape(fixture('meta/status-failed-131026.json')));
  });

  test('a customer marked unreachable over the control API fails too, and can be made reachable again', async () => {
    await bed.sim.client.customerSends({ from: '15550007777', to: bed.meta.phoneNumberId, text: 'hi' });
    await bed.sim.client.setCustomer({ phone: '15550007777', reachable: false });
    const a = await sendText('15550007777', 'one');
    await bed.sim.client.setCustomer({ phone: '15550007777', reachable: true });
    const b = await sendText('15550007777', 'two');
    await bed.sim.client.settle();
    expect((await bed.sim.client.message(a.body.messages[0].id)).error?.code).toBe(131026);
    expect((await bed.sim.client.message(b.body.messages[0].id)).status).toBe('read');
  });

  test('sending to a BSUID (recipient) answers with user_id and statuses carry recipient_user_id', async () => {
    const r = await bed.sim.client.customerSends({ from: ALICE, to: bed.meta.phoneNumberId, text: 'hi' });
    const bsuid = (r.payload as any).entry[0].changes[0].value.contacts[0].user_id as string;
    expect(bsuid).toMatch(/^US\.\d+$/);
    const res = await bed.graph(`/v23.0/${bed.meta.phoneNumberId}/messages`, { body: { ...fixture('meta/send-request-text-to-bsuid.json'), recipient: bsuid } });
    expect(res.status).toBe(200);
    expect(res.body.contacts).toEqual([{ input: bsuid, user_id: bsuid }]);
    await bed.sim.client.settle();
    const s = statusesIn(bed.recorder.posts()).find((x) => x.id === res.body.messages[0].id)!;
    expect(s.recipient_user_id).toBe(bsuid);
    expect(s.recipient_id).toBeUndefined();
  });
});

describe('Meta request fixtures are accepted', () => {
  beforeAll(async () => {
    await bed.sim.client.customerSends({ from: ALICE, to: bed.meta.phoneNumberId, text: 'open the window' });
  });

  test.each([
    'meta/send-request-text.json',
    'meta/send-request-reply-with-context.json',
    'meta/send-request-interactive-buttons.json',
    'meta/send-request-interactive-list.json',
    'meta/send-request-interactive-cta-url.json',
    'meta/send-request-reaction.json',
  ])('%s → 200 with a wamid', async (name) => {
    const res = await bed.graph(`/v23.0/${bed.meta.phoneNumberId}/messages`, { body: fixture(name) });
    expect(res.status).toBe(200);
    expect(res.body.messages[0].id).toMatch(/^wamid\./);
    expect(res.body.messages[0].message_status).toBeUndefined();
  });

  test('the customer sees interactive buttons and list rows', async () => {
    const b = await bed.graph(`/v23.0/${bed.meta.phoneNumberId}/messages`, { body: fixture('meta/send-request-interactive-buttons.json') });
    const l = await bed.graph(`/v23.0/${bed.meta.phoneNumberId}/messages`, { body: fixture('meta/send-request-interactive-list.json') });
    const seen = await bed.sim.client.outbound({ to: ALICE });
    expect(seen.find((m) => m.id === b.body.messages[0].id)?.buttons?.map((x) => x.title)).toEqual(['Confirm', 'Reschedule']);
    expect(seen.find((m) => m.id === l.body.messages[0].id)?.list?.rows.map((x) => x.id)).toEqual(['plan_basic', 'plan_pro']);
  });

  test('a reaction to an unknown message fails with 131009; to a known one it is delivered', async () => {
    const unknown = await bed.graph(`/v23.0/${bed.meta.phoneNumberId}/messages`, { body: fixture('meta/send-request-reaction.json') });
    const inbound = await bed.sim.client.customerSends({ from: ALICE, to: bed.meta.phoneNumberId, text: 'react to me' });
    const known = await bed.graph(`/v23.0/${bed.meta.phoneNumberId}/messages`, {
      body: { messaging_product: 'whatsapp', to: ALICE, type: 'reaction', reaction: { message_id: inbound.message.id, emoji: '👍' } },
    });
    await bed.sim.client.settle();
    expect((await bed.sim.client.message(unknown.body.messages[0].id)).error?.code).toBe(131009);
    expect((await bed.sim.client.message(known.body.messages[0].id)).status).toBe('read');
  });

  test('mark as read with typing indicator → {success:true}; an unknown id → 100', async () => {
    const wamid = fixture('meta/send-request-mark-read-with-typing.json').message_id;
    await bed.sim.client.customerSends({ from: ALICE, to: bed.meta.phoneNumberId, text: 'read me', extra: { id: wamid } });
    const res = await bed.graph(`/v23.0/${bed.meta.phoneNumberId}/messages`, { body: fixture('meta/send-request-mark-read-with-typing.json') });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(fixture('meta/mark-read-success-response.json'));
    const inbound = await bed.sim.client.inbound({ from: ALICE });
    expect(inbound.find((i) => i.id === wamid)).toMatchObject({ readByBusiness: true, typingIndicator: true });
    const bad = await bed.graph(`/v23.0/${bed.meta.phoneNumberId}/messages`, { body: { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.nope' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe(100);
  });
});

describe('customer messages → messages webhooks shaped like the fixtures', () => {
  const pnid = () => bed.meta.phoneNumberId;
  const cases: [string, () => Record<string, unknown>][] = [
    ['meta/inbound-text.json', () => ({ text: 'Hello, is the invoice ready?' })],
    ['meta/inbound-image-with-caption.json', () => ({ type: 'image', caption: 'Photo of the damaged part', mediaBase64: Buffer.from('jpeg-bytes').toString('base64') })],
    ['meta/inbound-audio-voice.json', () => ({ type: 'audio', voice: true })],
    ['meta/inbound-document.json', () => ({ type: 'document', caption: 'Signed contract', filename: 'contract-2026-001.pdf' })],
    ['meta/inbound-location.json', () => ({ type: 'location', location: { latitude: 37.4847, longitude: -122.1477, name: 'Example Warehouse', address: '1 Example Way, Springfield', url: 'https://example.com/places/warehouse' } })],
    ['meta/inbound-contacts.json', () => ({ type: 'contacts', contacts: fixture('meta/inbound-contacts.json').entry[0].changes[0].value.messages[0].contacts })],
    ['meta/inbound-interactive-button-reply.json', () => ({ type: 'interactive', reply: { kind: 'button_reply', id: 'confirm_appointment', title: 'Confirm' }, contextMessageId: 'wamid.x' })],
    ['meta/inbound-interactive-list-reply.json', () => ({ type: 'interactive', reply: { kind: 'list_reply', id: 'plan_pro', title: 'Pro plan', description: 'Up to 10 users' }, contextMessageId: 'wamid.x' })],
    ['meta/inbound-template-quick-reply-button.json', () => ({ type: 'button', button: { payload: 'STOP_PROMOTIONS', text: 'Stop promotions' }, contextMessageId: 'wamid.x' })],
    ['meta/inbound-reaction.json', () => ({ type: 'reaction', reaction: { messageId: 'wamid.x', emoji: '👍' } })],
    ['meta/inbound-reply-with-context.json', () => ({ text: 'Yes, Tuesday works for me.', contextMessageId: 'wamid.x' })],
    ['meta/inbound-click-to-whatsapp-referral.json', () => ({ text: 'Hi, I saw your ad', referral: fixture('meta/inbound-click-to-whatsapp-referral.json').entry[0].changes[0].value.messages[0].referral })],
    ['meta/inbound-unsupported-with-errors.json', () => ({ type: 'unsupported', unsupportedType: 'poll' })],
  ];

  test.each(cases)('%s', async (name, input) => {
    const result = await bed.sim.client.customerSends({ from: ALICE, to: pnid(), name: 'Alice Example', ...input() } as any);
    expect(result.webhook).toMatchObject({ statusCode: 200 });
    const post = bed.recorder.posts().at(-1)!;
    expect(post.headers['x-hub-signature-256']).toBe(sign(post.raw, bed.meta.appSecret));
    expect(shape(post.body)).toEqual(shape(fixture(name)));
    const value = post.body.entry[0].changes[0].value;
    expect(value.contacts[0]).toMatchObject({ profile: { name: 'Alice Example' }, wa_id: ALICE });
    expect(value.messages[0]).toMatchObject({ from: ALICE, id: result.message.id, type: fixture(name).entry[0].changes[0].value.messages[0].type });
    expect(result.payload).toEqual(post.body);
  });

  test('inbound with context names the business number as context.from', async () => {
    await bed.sim.client.customerSends({ from: ALICE, to: pnid(), text: 'ok', contextMessageId: 'wamid.abc' });
    expect(bed.recorder.posts().at(-1)!.body.entry[0].changes[0].value.messages[0].context).toEqual({ from: '15550001111', id: 'wamid.abc' });
  });

  test('the plugin answering 500 is reported back to the caller', async () => {
    bed.recorder.setResponder(() => 500);
    try {
      const r = await bed.sim.client.customerSends({ from: ALICE, to: pnid(), text: 'fails' });
      expect(r.webhook?.statusCode).toBe(500);
      const w = await bed.sim.client.webhooks({ provider: 'meta' });
      expect(w.at(-1)).toMatchObject({ statusCode: 500, attempt: 1, duplicate: false });
    } finally {
      bed.recorder.setResponder(undefined);
    }
  });

  test('an unknown business → 404 from the control API', async () => {
    await expect(bed.sim.client.customerSends({ from: ALICE, to: '000', text: 'x' })).rejects.toMatchObject({ status: 404 });
  });
});

describe('Meta phone number and subscription', () => {
  test('GET /{phone-number-id} gives display number, quality, throughput and tier; fields filters', async () => {
    const all = await bed.graph(`/v23.0/${bed.meta.phoneNumberId}`);
    expect(all.body).toMatchObject({ id: bed.meta.phoneNumberId, display_phone_number: '15550001111', quality_rating: 'GREEN', throughput: { level: 'STANDARD' }, messaging_limit_tier: 'TIER_250' });
    const some = await bed.graph(`/v23.0/${bed.meta.phoneNumberId}?fields=throughput,quality_rating`);
    expect(some.body).toEqual({ quality_rating: 'GREEN', throughput: { level: 'STANDARD' }, id: bed.meta.phoneNumberId });
  });

  test('subscribed_apps can be listed, removed (then no webhooks) and added back', async () => {
    const url = `/v23.0/${bed.meta.wabaId}/subscribed_apps`;
    expect((await bed.graph(url)).body.data).toHaveLength(1);
    expect((await bed.graph(url, { method: 'DELETE' })).body).toEqual({ success: true });
    expect((await bed.graph(url)).body.data).toEqual([]);
    const before = bed.recorder.posts().length;
    const r = await bed.sim.client.customerSends({ from: ALICE, to: bed.meta.phoneNumberId, text: 'nobody listens' });
    expect(r.webhook?.statusCode).toBeNull();
    expect(bed.recorder.posts().length).toBe(before);
    expect((await bed.graph(url, { method: 'POST', body: {} })).body).toEqual({ success: true });
    await bed.sim.client.setSubscribed(bed.meta.wabaId, true);
    expect((await bed.graph(url)).body.data).toHaveLength(1);
  });
});
