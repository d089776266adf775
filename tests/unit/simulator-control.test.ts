import { spawn } from 'node:child_process';
import path from 'node:path';
import { startTestBed, type TestBed } from '../../simulator/testing';
import { fixture } from '../helpers/fixtures';

/* Control API, request log redaction, manual statuses, customer page, CLI. */

const ALICE = '15550002222';
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

const sendText = (text: string) =>
  bed.graph(`/v23.0/${bed.meta.phoneNumberId}/messages`, { body: { messaging_product: 'whatsapp', to: ALICE, type: 'text', text: { body: text } } });

describe('request log', () => {
  test('/_sim/requests records every provider call with secrets redacted', async () => {
    const since = Math.max(0, ...(await bed.sim.client.requests()).map((r) => r.seq));
    await sendText('logged');
    await fetch(`${bed.sim.url}/wa/api/v1/msg`, {
      method: 'POST',
      headers: { apikey: bed.gupshup.apiKey, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fixture('gupshup/send-request-text.form-fields.json')).toString(),
    });
    await fetch(`${bed.sim.url}/campaign/t1/api/v2`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apiKey: bed.aisensy.apiKey, campaignName: 'x' }) });
    await bed.graph(`/v23.0/${bed.meta.phoneNumberId}?access_token=${bed.meta.accessToken}`, { token: null });

    const all = await bed.sim.client.requests({ since });
    expect(all.map((r) => r.provider)).toEqual(['meta', 'gupshup', 'aisensy', 'meta']);
    const text = JSON.stringify(all);
    for (const secret of [bed.meta.accessToken, bed.gupshup.apiKey, bed.aisensy.apiKey]) expect(text).not.toContain(secret);
    const [meta, gupshup, aisensy, query] = all;
    expect(meta).toMatchObject({ method: 'POST', path: `/v23.0/${bed.meta.phoneNumberId}/messages`, status: 200, headers: { authorization: 'Bearer [redacted]' }, body: { to: ALICE, text: { body: 'logged' } } });
    expect(gupshup).toMatchObject({ headers: { apikey: '[redacted]' }, body: { channel: 'whatsapp', 'src.name': 'ExampleCrmApp' } });
    expect(aisensy).toMatchObject({ body: { apiKey: '[redacted]', campaignName: 'x' }, status: 400 });
    expect(query.query.access_token).toBe('[redacted]');

    expect((await bed.sim.client.requests({ since, provider: 'gupshup' })).map((r) => r.path)).toEqual(['/wa/api/v1/msg']);
    expect((await bed.sim.client.requests({ since, path: '/messages' })).length).toBe(1);
  });

  test('an unknown path → 404 JSON, logged as provider unknown (helps spot wrong adapter URLs)', async () => {
    const res = await fetch(`${bed.sim.url}/graph/v23.0/oops`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).error).toMatch(/no route/);
    expect((await bed.sim.client.requests({ provider: 'unknown' })).at(-1)?.path).toBe('/graph/v23.0/oops');
  });

  test('/_sim/state does not leak secrets', async () => {
    const text = JSON.stringify(await bed.sim.client.state());
    for (const secret of [bed.meta.accessToken, bed.meta.appSecret, bed.gupshup.apiKey, bed.aisensy.apiKey, bed.aisensy.webhookSecret!]) expect(text).not.toContain(secret);
  });
});

describe('manual statuses and the customer view', () => {
  test('with autoRead off the message stops at delivered until the control API reads it', async () => {
    await bed.sim.client.setWindow(bed.meta.phoneNumberId, ALICE, true);
    await bed.sim.client.setFault(bed.meta.phoneNumberId, { autoRead: false });
    try {
      const res = await sendText('read me later');
      const id = res.body.messages[0].id;
      await bed.sim.client.settle();
      expect((await bed.sim.client.message(id)).status).toBe('delivered');
      const r = await bed.sim.client.read(id);
      expect(r.webhook).toMatchObject({ statusCode: 200 });
      const statuses = bed.recorder.posts().flatMap((p) => p.body.entry[0].changes[0].value.statuses ?? []).filter((s: any) => s.id === id);
      expect(statuses.map((s: any) => s.status)).toEqual(['sent', 'delivered', 'read']);
      const hooks = await bed.sim.client.webhooks({ messageId: id });
      expect(hooks.map((h) => h.events[0].status)).toEqual(['sent', 'delivered', 'read']);
    } finally {
      await bed.sim.client.setFault(bed.meta.phoneNumberId, { autoRead: true });
    }
  });

  test('with autoDeliver off: deliver, played and a manual failure with a chosen code', async () => {
    await bed.sim.client.setWindow(bed.meta.phoneNumberId, ALICE, true);
    await bed.sim.client.setFault(bed.meta.phoneNumberId, { autoDeliver: false });
    try {
      const a = (await sendText('a')).body.messages[0].id;
      const b = (await sendText('b')).body.messages[0].id;
      await bed.sim.client.settle();
      expect((await bed.sim.client.message(a)).status).toBe('sent');
      await bed.sim.client.deliver(a);
      await bed.sim.client.setStatus(a, 'played');
      expect((await bed.sim.client.message(a)).statuses.map((s) => s.status)).toEqual(['sent', 'delivered', 'played']);
      await bed.sim.client.fail(b, 131049, 'Meta chose not to deliver');
      const failed = bed.recorder.posts().flatMap((p) => p.body.entry[0].changes[0].value.statuses ?? []).find((s: any) => s.id === b && s.status === 'failed');
      expect(failed.errors[0]).toMatchObject({ code: 131049, error_data: { details: 'Meta chose not to deliver' } });
      await expect(bed.sim.client.setStatus(a, 'bogus' as any)).rejects.toMatchObject({ status: 400 });
      await expect(bed.sim.client.read('wamid.unknown')).rejects.toMatchObject({ status: 404 });
    } finally {
      await bed.sim.client.setFault(bed.meta.phoneNumberId, { autoDeliver: true });
    }
  });

  test('/_sim/outbound?to= and /_sim/conversation show the chat as the customer sees it', async () => {
    await bed.sim.client.setCustomer({ phone: '15550008888', name: 'Dana Example' });
    await bed.sim.client.customerSends({ from: '15550008888', to: '15550001111', provider: 'meta', text: 'Hi there' });
    await bed.graph(`/v23.0/${bed.meta.phoneNumberId}/messages`, { body: { messaging_product: 'whatsapp', to: '15550008888', type: 'text', text: { body: 'Hello Dana' } } });
    const out = await bed.sim.client.outbound({ to: '15550008888' });
    expect(out.map((m) => m.text)).toEqual(['Hello Dana']);
    const conv = await bed.sim.client.conversation(bed.meta.phoneNumberId, '15550008888');
    expect(conv.windowOpen).toBe(true);
    expect(conv.items.map((i) => [i.direction, i.text])).toEqual([['in', 'Hi there'], ['out', 'Hello Dana']]);
  });

  test('a raw webhook of another field (phone_number_quality_update) like the fixture', async () => {
    const expected = fixture('meta/phone-number-quality-update.json');
    const r = await bed.sim.client.sendMetaEvent(bed.meta.phoneNumberId, 'phone_number_quality_update', expected.entry[0].changes[0].value);
    expect(r.webhook).toMatchObject({ statusCode: 200 });
    const body = bed.recorder.posts().at(-1)!.body;
    expect(body.entry[0].changes).toEqual(expected.entry[0].changes);
    expect(Object.keys(body.entry[0]).sort()).toEqual(['changes', 'id', 'time']);
  });

  test('a raw value.errors[] messages webhook like webhook-value-errors.json', async () => {
    const expected = fixture('meta/webhook-value-errors.json');
    await bed.sim.client.sendMetaEvent(bed.meta.phoneNumberId, 'messages', { errors: expected.entry[0].changes[0].value.errors });
    expect(bed.recorder.posts().at(-1)!.body).toEqual(expected);
  });

  test('the GET hub.challenge handshake against the webhook URL', async () => {
    const ok = await bed.sim.client.verifyMetaWebhook(bed.meta.phoneNumberId);
    expect(ok).toMatchObject({ ok: true, statusCode: 200 });
    const get = bed.recorder.received.at(-1)!;
    expect(get.query).toMatchObject({ 'hub.mode': 'subscribe', 'hub.verify_token': 'my-verify-token', 'hub.challenge': ok.challenge });
    bed.recorder.setResponder((r) => (r.method === 'GET' ? 403 : 200));
    try {
      expect(await bed.sim.client.verifyMetaWebhook(bed.meta.phoneNumberId, 'wrong')).toMatchObject({ ok: false, statusCode: 403 });
    } finally {
      bed.recorder.setResponder(undefined);
    }
  });

  test('control API input errors are 4xx with {error}', async () => {
    await expect(bed.sim.client.addMetaNumber({ phoneNumberId: '1' } as any)).rejects.toMatchObject({ status: 400 });
    await expect(bed.sim.client.customerSends({ from: ALICE, to: bed.meta.phoneNumberId, type: 'text' })).rejects.toMatchObject({ status: 400 });
    const res = await fetch(`${bed.sim.url}/_sim/nothing-here`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).error).toMatch(/no control route/);
  });
});

describe('customer page', () => {
  test('GET / serves a self-contained page that polls the conversation', async () => {
    const res = await fetch(`${bed.sim.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('/conversation?business=');
    expect(html).toContain("api('POST', '/inbound'");
    expect(html).toContain('setInterval');
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
  });

  test('/_sim/businesses lists every account for the page', async () => {
    const list = await bed.sim.client.businesses();
    expect(list.map((b) => [b.provider, b.key])).toEqual([
      ['meta', bed.meta.phoneNumberId],
      ['gupshup', bed.gupshup.appName],
      ['aisensy', bed.aisensy.phone],
    ]);
  });
});

describe('reset', () => {
  test('reset drops accounts, messages, logs and faults but keeps the seeded customers', async () => {
    const local = await startTestBed();
    try {
      await local.sim.client.setFault(undefined, { batch: 4 });
      await local.sim.client.customerSends({ from: ALICE, to: local.meta.phoneNumberId, text: 'x' });
      await local.sim.client.reset();
      expect(await local.sim.client.businesses()).toEqual([]);
      expect(await local.sim.client.inbound()).toEqual([]);
      expect(await local.sim.client.requests()).toEqual([]);
      expect((await local.sim.client.settings()) as any).toMatchObject({ global: { batch: 0 } });
      expect((await local.sim.client.customers()).map((c) => [c.phone, c.reachable])).toEqual([
        ['15550002222', true],
        ['15550003333', true],
        ['15550009999', false],
      ]);
      await local.sim.client.reset({ seedCustomers: false });
      expect(await local.sim.client.customers()).toEqual([]);
    } finally {
      await local.close();
    }
  });
});

describe('CLI', () => {
  test('npm run simulator (tsx simulator/cli.ts) listens on SIMULATOR_PORT and prints its URL', async () => {
    const root = path.resolve(__dirname, '../..');
    const child = spawn(process.execPath, [require.resolve('tsx/cli', { paths: [root] }), 'simulator/cli.ts'], {
      cwd: root,
      env: { ...process.env, SIMULATOR_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      let url: string | undefined;
      for (let i = 0; i < 600 && !url; i++) {
        url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
        if (!url) await new Promise((r) => setTimeout(r, 50));
      }
      expect(url).toBeDefined();
      const res = await fetch(`${url}/_sim/state`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as any).customers).toHaveLength(3);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    }
  });
});
