import crypto from 'node:crypto';
import { startTestBed, type TestBed } from '../../simulator/testing';
import type { RecordedRequest } from '../../simulator/recorder';
import { fixture } from '../helpers/fixtures';

/* Limits and faults: throughput, pair rate, 5xx flaps, revoked tokens, batching, duplicates, order, redelivery, signatures, latency. */

const ALICE = '15550002222';
const BOB = '15550003333';
const sign = (raw: Buffer | string, secret: string) => `sha256=${crypto.createHmac('sha256', secret).update(raw).digest('hex')}`;
const statusesIn = (posts: RecordedRequest[]) =>
  posts.flatMap((p) => (p.body?.entry ?? []).flatMap((e: any) => e.changes.flatMap((c: any) => (c.value.statuses ?? []) as any[])));
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
beforeEach(async () => {
  bed = await startTestBed();
  await bed.sim.client.setWindow(bed.meta.phoneNumberId, ALICE, true);
  await bed.sim.client.setWindow(bed.meta.phoneNumberId, BOB, true);
});
afterEach(async () => {
  await bed.close();
});

const sendText = (to: string, text = 'hi', token?: string) =>
  bed.graph(`/v23.0/${bed.meta.phoneNumberId}/messages`, { token, body: { messaging_product: 'whatsapp', to, type: 'text', text: { body: text } } });

describe('limits', () => {
  test('throughput: 100 sends in one simulated second with a limit of 50 → 50 accepted, 50 × 130429 (HTTP 400)', async () => {
    const c = bed.sim.client;
    await c.updateMetaNumber({ phoneNumberId: bed.meta.phoneNumberId, throughputMps: 50 });
    await c.setFault(bed.meta.phoneNumberId, { autoDeliver: false });
    await c.freezeClock();
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => sendText(ALICE, `burst ${i}`)));
    const ok = results.filter((r) => r.status === 200);
    const limited = results.filter((r) => r.status === 400 && r.body.error?.code === 130429);
    expect(ok).toHaveLength(50);
    expect(limited).toHaveLength(50);
    expect(limited[0].body).toEqual({ error: { ...fixture('meta/error-130429-rate-limit.json').error, fbtrace_id: expect.any(String) } });
    // All 50 went to the same recipient: the pair limit is off by default.
    await c.advanceClock(1000);
    expect((await sendText(ALICE, 'next second')).status).toBe(200);
  });

  test('the default throughput is 80 per second', async () => {
    await bed.sim.client.setFault(bed.meta.phoneNumberId, { autoDeliver: false });
    await bed.sim.client.freezeClock();
    const results = await Promise.all(Array.from({ length: 85 }, () => sendText(ALICE)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(80);
  });

  test('pair rate (when switched on): the 3rd message to one recipient within 6 s → 131056; others unaffected', async () => {
    const c = bed.sim.client;
    await c.setFault(bed.meta.phoneNumberId, { pairRate: { max: 2, windowMs: 6000 }, autoDeliver: false });
    await c.freezeClock();
    expect((await sendText(ALICE, '1')).status).toBe(200);
    expect((await sendText(ALICE, '2')).status).toBe(200);
    const third = await sendText(ALICE, '3');
    expect(third.status).toBe(400);
    expect(third.body.error).toMatchObject({ code: 131056, type: 'OAuthException' });
    expect((await sendText(BOB, 'other recipient')).status).toBe(200);
    await c.advanceClock(6000);
    expect((await sendText(ALICE, 'later')).status).toBe(200);
    await c.setFault(bed.meta.phoneNumberId, { pairRate: null });
    for (let i = 0; i < 5; i++) expect((await sendText(ALICE, `off ${i}`)).status).toBe(200);
  });
});

describe('API faults', () => {
  test('flap5xx: the next two calls answer 500 then 503 (transient Graph errors), then normal again', async () => {
    await bed.sim.client.setFault(bed.meta.phoneNumberId, { flap5xx: 2 });
    const a = await sendText(ALICE);
    const b = await sendText(ALICE);
    const c = await sendText(ALICE);
    expect([a.status, b.status, c.status]).toEqual([500, 503, 200]);
    expect(a.body.error).toMatchObject({ is_transient: true });
    expect(b.body.error).toMatchObject({ code: 2, is_transient: true });
    const outbound = await bed.sim.client.outbound({ to: ALICE });
    expect(outbound).toHaveLength(1);
  });

  test('flap5xx is scoped: a Gupshup flap does not touch Meta calls', async () => {
    await bed.sim.client.setFault(bed.gupshup.appName, { flap5xx: 1 });
    expect((await sendText(ALICE)).status).toBe(200);
    const res = await fetch(`${bed.sim.url}/wa/api/v1/msg`, {
      method: 'POST',
      headers: { apikey: bed.gupshup.apiKey, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fixture('gupshup/send-request-text.form-fields.json')).toString(),
    });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ status: 'error', message: 'Internal Server Error' });
  });

  test('revokeToken: further calls with that token → 190; a new token works', async () => {
    const c = bed.sim.client;
    expect((await sendText(ALICE)).status).toBe(200);
    await c.revokeToken(bed.meta.phoneNumberId, true);
    const revoked = await sendText(ALICE);
    expect(revoked.status).toBe(401);
    expect(revoked.body.error).toMatchObject({ code: 190, error_subcode: 460, type: 'OAuthException' });
    expect((await bed.graph(`/v23.0/${bed.meta.phoneNumberId}`)).body.error.code).toBe(190);
    await c.updateMetaNumber({ phoneNumberId: bed.meta.phoneNumberId, accessToken: 'fresh-token' });
    expect((await sendText(ALICE, 'again', 'fresh-token')).status).toBe(200);
    expect((await sendText(ALICE, 'old', bed.meta.accessToken)).status).toBe(401);
  });

  test('latencyMs delays the answer (the request is logged but not yet answered meanwhile)', async () => {
    await bed.sim.client.setFault(bed.meta.phoneNumberId, { latencyMs: 400 });
    const pending = sendText(ALICE, 'slow');
    let logged: any[] = [];
    for (let i = 0; i < 50 && !logged.length; i++) {
      logged = await bed.sim.client.requests({ provider: 'meta', path: '/messages' });
      if (!logged.length) await new Promise((r) => setTimeout(r, 5));
    }
    expect(logged).toHaveLength(1);
    expect(logged[0].status).toBeUndefined();
    expect((await pending).status).toBe(200);
    expect((await bed.sim.client.requests({ provider: 'meta', path: '/messages' }))[0].status).toBe(200);
  });
});

describe('webhook faults', () => {
  test('batch: sent, delivered and read of one message arrive in one signed POST', async () => {
    await bed.sim.client.setFault(bed.meta.phoneNumberId, { batch: 3 });
    const res = await sendText(ALICE);
    await bed.sim.client.settle();
    const posts = bed.recorder.posts();
    expect(posts).toHaveLength(1);
    expect(statusesIn(posts).map((s) => s.status)).toEqual(['sent', 'delivered', 'read']);
    expect(statusesIn(posts).every((s) => s.id === res.body.messages[0].id)).toBe(true);
    expect(posts[0].headers['x-hub-signature-256']).toBe(sign(posts[0].raw, bed.meta.appSecret));
  });

  test('batch across two WABAs reproduces the batch fixture: 2 entries, 2 messages, 3 statuses (read, sent, delivered)', async () => {
    const c = bed.sim.client;
    await c.addMetaNumber({ phoneNumberId: '209876543210988', wabaId: '203040506070809', displayPhoneNumber: '15550004444', accessToken: 'token-2', appSecret: bed.meta.appSecret, webhookUrl: bed.meta.webhookUrl });
    await c.setFault(undefined, { batch: 5 });
    await c.setFault('209876543210988', { outOfOrderStatuses: true });
    const first = await c.customerSends({ from: ALICE, to: bed.meta.phoneNumberId, text: 'First message in the batch' });
    expect(first).toMatchObject({ pending: true, webhook: null });
    await c.customerSends({ from: BOB, to: bed.meta.phoneNumberId, text: 'Second message in the batch, different sender' });
    await c.setWindow('209876543210988', ALICE, true);
    await bed.graph('/v23.0/209876543210988/messages', { token: 'token-2', body: { messaging_product: 'whatsapp', to: ALICE, type: 'text', text: { body: 'x' } } });
    await c.settle();
    const posts = bed.recorder.posts();
    expect(posts).toHaveLength(1);
    const body = posts[0].body;
    expect(shape(body)).toEqual(shape(fixture('meta/batch-two-entries-2-messages-3-statuses.json')));
    expect(body.entry.map((e: any) => e.id)).toEqual(['102030405060708', '203040506070809']);
    expect(body.entry[0].changes[0].value.messages.map((m: any) => m.from)).toEqual([ALICE, BOB]);
    expect(body.entry[0].changes[0].value.contacts.map((m: any) => m.wa_id)).toEqual([ALICE, BOB]);
    expect(body.entry[1].changes[0].value.statuses.map((s: any) => s.status)).toEqual(['read', 'sent', 'delivered']);
    expect(posts[0].headers['x-hub-signature-256']).toBe(sign(posts[0].raw, bed.meta.appSecret));
  });

  test('an incomplete batch is flushed on request', async () => {
    await bed.sim.client.setFault(bed.meta.phoneNumberId, { batch: 10, batchMaxWaitMs: 60_000 });
    await bed.sim.client.customerSends({ from: ALICE, to: bed.meta.phoneNumberId, text: 'alone' });
    expect(bed.recorder.posts()).toHaveLength(0);
    await bed.sim.client.flushWebhooks();
    expect(bed.recorder.posts()).toHaveLength(1);
  });

  test('webhookDuplicates: every webhook is posted twice with identical bytes', async () => {
    await bed.sim.client.setFault(bed.meta.phoneNumberId, { webhookDuplicates: true });
    await bed.sim.client.customerSends({ from: ALICE, to: bed.meta.phoneNumberId, text: 'twice' });
    const posts = bed.recorder.posts();
    expect(posts).toHaveLength(2);
    expect(posts[0].raw.equals(posts[1].raw)).toBe(true);
    expect(posts[1].headers['x-hub-signature-256']).toBe(posts[0].headers['x-hub-signature-256']);
    const records = await bed.sim.client.webhooks({ provider: 'meta' });
    expect(records.map((r) => r.duplicate)).toEqual([false, true]);
  });

  test('outOfOrderStatuses: read, sent, delivered (timestamps still in true order)', async () => {
    await bed.sim.client.setFault(bed.meta.phoneNumberId, { outOfOrderStatuses: true });
    await sendText(ALICE);
    await bed.sim.client.settle();
    const statuses = statusesIn(bed.recorder.posts());
    expect(statuses.map((s) => s.status)).toEqual(['read', 'sent', 'delivered']);
    expect(bed.recorder.posts()).toHaveLength(3);
    expect((await bed.sim.client.outbound({ to: ALICE }))[0].status).toBe('read');
  });

  test('redeliverOnNon200: retried until the plugin answers 200 (same bytes)', async () => {
    let calls = 0;
    bed.recorder.setResponder(() => (++calls <= 2 ? 500 : 200));
    await bed.sim.client.setFault(bed.meta.phoneNumberId, { redeliverOnNon200: 3, redeliverDelayMs: 1 });
    const r = await bed.sim.client.customerSends({ from: ALICE, to: bed.meta.phoneNumberId, text: 'retry me' });
    expect(r.webhook).toMatchObject({ statusCode: 200, attempt: 3 });
    const posts = bed.recorder.posts();
    expect(posts).toHaveLength(3);
    expect(posts.every((p) => p.raw.equals(posts[0].raw))).toBe(true);
    expect((await bed.sim.client.webhooks()).map((w) => [w.attempt, w.statusCode])).toEqual([[1, 500], [2, 500], [3, 200]]);
  });

  test('redelivery gives up after N retries; without it there is one attempt', async () => {
    bed.recorder.setResponder(() => 503);
    await bed.sim.client.setFault(bed.meta.phoneNumberId, { redeliverOnNon200: 2, redeliverDelayMs: 1 });
    const r = await bed.sim.client.customerSends({ from: ALICE, to: bed.meta.phoneNumberId, text: 'x' });
    expect(r.webhook).toMatchObject({ statusCode: 503, attempt: 3 });
    await bed.sim.client.setFault(bed.meta.phoneNumberId, { redeliverOnNon200: 0 });
    bed.recorder.clear();
    await bed.sim.client.customerSends({ from: ALICE, to: bed.meta.phoneNumberId, text: 'y' });
    expect(bed.recorder.posts()).toHaveLength(1);
  });

  test('badSignature: the header no longer matches the app secret', async () => {
    await bed.sim.client.setFault(bed.meta.phoneNumberId, { badSignature: true });
    await bed.sim.client.customerSends({ from: ALICE, to: bed.meta.phoneNumberId, text: 'forged?' });
    const post = bed.recorder.posts()[0];
    expect(post.headers['x-hub-signature-256']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(post.headers['x-hub-signature-256']).not.toBe(sign(post.raw, bed.meta.appSecret));
    expect((await bed.sim.client.webhooks())[0].signatureValid).toBe(false);
  });

  test('faults are per account: another number keeps normal behaviour', async () => {
    await bed.sim.client.setFault('some-other-number', { webhookDuplicates: true, badSignature: true });
    await bed.sim.client.customerSends({ from: ALICE, to: bed.meta.phoneNumberId, text: 'normal' });
    expect(bed.recorder.posts()).toHaveLength(1);
    expect(bed.recorder.posts()[0].headers['x-hub-signature-256']).toBe(sign(bed.recorder.posts()[0].raw, bed.meta.appSecret));
  });

  test('unknown settings are refused', async () => {
    await expect(bed.sim.client.setFault(undefined, { nonsense: 1 } as any)).rejects.toMatchObject({ status: 400 });
  });
});
