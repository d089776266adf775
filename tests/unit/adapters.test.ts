import { createSimulator, type RunningSimulator } from '../../simulator';
import { adapterFor, UnsupportedByProviderError, type ApiCall, type OutboundMessage, type ProviderContext, type ProviderNumber } from '../../server/providers';

let sim: RunningSimulator;
const calls: ApiCall[] = [];
const ctx = (): ProviderContext => ({ baseUrl: sim.url, graphVersion: 'v23.0', log: (c) => calls.push(c) });

const META: ProviderNumber = {
  id: 1, provider: 'meta', phone: '+15550001111', region: 'US', phoneNumberId: '109876543210987', wabaId: '102030405060708', appId: null, appName: null,
  credentials: { accessToken: 'sim-meta-token-123', appSecret: 'sim-secret', verifyToken: 'v' },
};
const GUPSHUP: ProviderNumber = {
  id: 2, provider: 'gupshup', phone: '+15550001111', region: 'US', phoneNumberId: null, wabaId: null, appId: 'gs-app-1', appName: 'ExampleCrmApp',
  credentials: { apiKey: 'gs-key-123' },
};
const AISENSY: ProviderNumber = {
  id: 3, provider: 'aisensy', phone: '+15550004444', region: 'US', phoneNumberId: null, wabaId: null, appId: null, appName: null,
  credentials: { apiKey: 'ai-key-123' },
};
const meta = adapterFor('meta');

beforeAll(async () => {
  sim = await createSimulator();
});
beforeEach(async () => {
  await sim.client.reset({ seedCustomers: true });
  await sim.client.addMetaNumber({ phoneNumberId: META.phoneNumberId!, wabaId: META.wabaId!, displayPhoneNumber: '15550001111', accessToken: 'sim-meta-token-123', appSecret: 'sim-secret', webhookUrl: 'http://127.0.0.1:9/unused', throughputMps: 50 });
  await sim.client.setFault(undefined, { autoDeliver: false, autoRead: false } as any);
  // Alice wrote recently, so free-form messages are inside her window.
  await sim.client.setWindow('109876543210987', '15550002222', true);
  calls.length = 0;
});
afterAll(async () => {
  await sim?.close();
});

const sendAll = (to: string): OutboundMessage[] => [
  { kind: 'text', to, text: 'Hello from the CRM' },
  { kind: 'text', to, text: 'Replying to you', replyTo: 'wamid.some-inbound' },
  { kind: 'media', to, mediaType: 'image', link: 'https://example.com/a.jpg', caption: 'a photo' },
  { kind: 'media', to, mediaType: 'document', link: 'https://example.com/a.pdf', filename: 'a.pdf' },
  { kind: 'interactive', to, interactive: { type: 'button', body: 'Confirm?', buttons: [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }] } },
  { kind: 'interactive', to, interactive: { type: 'list', body: 'Pick a plan', buttonText: 'Plans', sections: [{ title: 'Plans', rows: [{ id: 'basic', title: 'Basic' }, { id: 'pro', title: 'Pro', description: '10 users' }] }] } },
  { kind: 'interactive', to, interactive: { type: 'cta_url', body: 'Pay your invoice', displayText: 'Pay', url: 'https://example.com/pay' } },
  { kind: 'reaction', to, messageId: 'wamid.some-inbound', emoji: '👍' },
];

describe('Meta adapter against the simulator', () => {
  test('sends every message kind and gets a wamid back', async () => {
    for (const message of sendAll('+15550002222')) {
      const result = await meta.send(ctx(), META, message);
      expect(result.providerMessageId).toMatch(/^wamid\./);
    }
    const received = await sim.client.outbound({ to: '15550002222' });
    expect(received.length).toBe(sendAll('').length);
  });

  test('a template with positional and with named parameters', async () => {
    const positional = await sim.client.createTemplate({ wabaId: META.wabaId!, name: 'invoice_ready', language: 'en_US', category: 'UTILITY', body: 'Hi {{1}}, invoice {{2}} is ready.', status: 'APPROVED' });
    expect(positional).toBeTruthy();
    const ok = await meta.send(ctx(), META, { kind: 'template', to: '+15550003333', name: 'invoice_ready', language: 'en_US', params: { body: [{ type: 'text', text: 'Bob' }, { type: 'text', text: 'INV-1' }] } });
    expect(ok.providerMessageId).toMatch(/^wamid\./);

    await sim.client.createTemplate({ wabaId: META.wabaId!, name: 'order_named', language: 'en_US', category: 'UTILITY', parameter_format: 'NAMED', components: [{ type: 'BODY', text: 'Hi {{first_name}}, order {{order_id}}.', example: { body_text_named_params: [{ param_name: 'first_name', example: 'A' }, { param_name: 'order_id', example: '1' }] } } as any], status: 'APPROVED' });
    const named = await meta.send(ctx(), META, { kind: 'template', to: '+15550003333', name: 'order_named', language: 'en_US', params: { body: [{ type: 'text', text: 'Bob', name: 'first_name' }, { type: 'text', text: '42', name: 'order_id' }] } });
    expect(named.providerMessageId).toMatch(/^wamid\./);
  });

  test.each([
    ['missing template', { name: 'nope', params: { body: [] } }, 'template-problem', '132001'],
    ['wrong parameter count', { name: 'count_me', params: { body: [{ type: 'text', text: 'only one' }] } }, 'template-problem', '132000'],
  ])('%s is refused before delivery and classified', async (_n, template, cls, code) => {
    await sim.client.createTemplate({ wabaId: META.wabaId!, name: 'count_me', language: 'en_US', body: 'A {{1}} B {{2}}', status: 'APPROVED' });
    const error = await meta.send(ctx(), META, { kind: 'template', to: '+15550003333', language: 'en_US', ...(template as any) }).catch((e) => e);
    expect(meta.classify(error)).toMatchObject({ class: cls, code });
  });

  test('a revoked token is an auth problem (190)', async () => {
    await sim.client.revokeToken('sim-meta-token-123');
    const error = await meta.send(ctx(), META, { kind: 'text', to: '+15550002222', text: 'x' }).catch((e) => e);
    expect(meta.classify(error)).toMatchObject({ class: 'auth-problem', code: '190' });
  });

  test('over the throughput limit is rate-limited (130429)', async () => {
    const results = await Promise.all(Array.from({ length: 80 }, () => meta.send(ctx(), META, { kind: 'text', to: '+15550002222', text: 'burst' }).then(() => null, (e) => meta.classify(e))));
    const limited = results.filter((r) => r !== null);
    expect(limited.length).toBeGreaterThan(0);
    for (const r of limited) expect(r).toMatchObject({ class: 'rate-limited', code: '130429' });
  });

  test('the pair rate is pair-rate-limited (131056)', async () => {
    await sim.client.setFault(undefined, { pairRate: { max: 1, windowMs: 6000 } } as any);
    await meta.send(ctx(), META, { kind: 'text', to: '+15550002222', text: 'one' });
    const error = await meta.send(ctx(), META, { kind: 'text', to: '+15550002222', text: 'two' }).catch((e) => e);
    expect(meta.classify(error)).toMatchObject({ class: 'pair-rate-limited', code: '131056' });
  });

  test('a 5xx flap is retryable and the next call goes through', async () => {
    await sim.client.setFault(undefined, { flap5xx: 1 } as any);
    const error = await meta.send(ctx(), META, { kind: 'text', to: '+15550002222', text: 'x' }).catch((e) => e);
    expect(meta.classify(error).class).toBe('retryable');
    expect((await meta.send(ctx(), META, { kind: 'text', to: '+15550002222', text: 'x' })).providerMessageId).toMatch(/^wamid\./);
  });

  test('templates are listed across every page', async () => {
    // The adapter asks for 100 a page: 230 templates take three pages.
    const names = Array.from({ length: 230 }, (_, i) => `bulk_${String(i).padStart(3, '0')}`);
    for (let i = 0; i < names.length; i += 23) {
      await Promise.all(names.slice(i, i + 23).map((name, j) => sim.client.createTemplate({ wabaId: META.wabaId!, name, language: 'en_US', body: `Body {{1}}`, status: (i + j) % 2 ? 'APPROVED' : 'PENDING' })));
    }
    calls.length = 0;
    const templates = await meta.listTemplates(ctx(), META);
    expect(templates.map((t) => t.name).sort()).toEqual(names);
    expect(calls.filter((c) => c.call === 'list-templates')).toHaveLength(3);
    expect(templates.find((t) => t.name === 'bulk_001')).toMatchObject({ status: 'APPROVED', language: 'en_US', parameterFormat: 'positional' });
  });

  test('media is uploaded and then sent by id', async () => {
    const { mediaId } = await meta.uploadMedia(ctx(), META, { data: Buffer.from('%PDF-1.4 quote'), mimeType: 'application/pdf', filename: 'quote.pdf' });
    expect(mediaId).toBeTruthy();
    const sent = await meta.send(ctx(), META, { kind: 'media', to: '+15550002222', mediaType: 'document', mediaId, filename: 'quote.pdf', caption: 'Your quote' });
    expect(sent.providerMessageId).toMatch(/^wamid\./);
    await expect(adapterFor('gupshup').uploadMedia(ctx(), GUPSHUP, { data: Buffer.from('x'), mimeType: 'text/plain' })).rejects.toBeInstanceOf(UnsupportedByProviderError);
  });

  test('mark as read with a typing indicator', async () => {
    const inbound = await sim.client.customerSends({ from: '15550002222', to: META.phoneNumberId!, text: 'are you there?' });
    const result = await meta.markRead(ctx(), META, (inbound as any).message.id, { typing: true });
    expect(result.raw).toMatchObject({ success: true });
  });

  test('inbound media is downloaded with the token', async () => {
    const media = await sim.client.addMedia({ business: META.phoneNumberId!, mimeType: 'image/png', base64: Buffer.from('not really a png').toString('base64') });
    const file = await meta.downloadMedia(ctx(), META, media.id);
    expect(file.data.toString()).toBe('not really a png');
    expect(file.mimeType).toBe('image/png');
  });

  test('the connection check says what is wrong', async () => {
    expect(await meta.checkConnection(ctx(), META)).toMatchObject({ ok: true, details: { displayPhoneNumber: expect.any(String) } });
    const badToken = await meta.checkConnection(ctx(), { ...META, credentials: { ...META.credentials, accessToken: 'wrong' } });
    expect(badToken).toMatchObject({ ok: false, reason: expect.stringMatching(/token/i) });
    const unknown = await meta.checkConnection(ctx(), { ...META, phoneNumberId: '999' });
    expect(unknown).toMatchObject({ ok: false, reason: expect.stringMatching(/999/) });
  });

  test('every call is reported for the API log with no token in it', async () => {
    await meta.send(ctx(), META, { kind: 'text', to: '+15550002222', text: 'logged' });
    expect(calls.length).toBeGreaterThan(0);
    expect(calls[calls.length - 1]).toMatchObject({ call: 'send-text', method: 'POST', status: 200 });
    expect(JSON.stringify(calls)).not.toContain('sim-meta-token-123');
  });
});

describe('Gupshup and AiSensy adapters against the simulator', () => {
  test('Gupshup sends text and interactive messages and a synced template', async () => {
    await sim.client.addGupshupApp({ appName: 'ExampleCrmApp', appId: 'gs-app-1', apiKey: 'gs-key-123', sourcePhone: '15550001111', webhookUrl: 'http://127.0.0.1:9/unused' });
    const gupshup = adapterFor('gupshup');
    const text = await gupshup.send(ctx(), GUPSHUP, { kind: 'text', to: '+15550002222', text: 'Hi from Gupshup' });
    expect(text.providerMessageId).toBeTruthy();
    for (const message of sendAll('+15550002222').filter((m) => m.kind !== 'reaction' && !(m.kind === 'interactive' && m.interactive.type === 'cta_url'))) {
      expect((await gupshup.send(ctx(), GUPSHUP, message)).providerMessageId).toBeTruthy();
    }
    await sim.client.createTemplate({ provider: 'gupshup', appName: 'ExampleCrmApp', name: 'invoice_ready', language: 'en', body: 'Hi {{1}}', status: 'APPROVED' });
    const templates = await gupshup.listTemplates(ctx(), GUPSHUP);
    const synced = templates.find((t) => t.name === 'invoice_ready')!;
    expect(synced.providerTemplateId).toBeTruthy();
    const template = await gupshup.send(ctx(), GUPSHUP, { kind: 'template', to: '+15550002222', name: 'invoice_ready', language: 'en', providerTemplateId: synced.providerTemplateId, params: { body: [{ type: 'text', text: 'Alice' }] } });
    expect(template.providerMessageId).toBeTruthy();
    const wrongKey = await gupshup.send(ctx(), { ...GUPSHUP, credentials: { apiKey: 'bad' } }, { kind: 'text', to: '+15550002222', text: 'x' }).catch((e) => e);
    expect(gupshup.classify(wrongKey).class).toBe('auth-problem');
    await expect(gupshup.markRead(ctx(), GUPSHUP, 'x')).rejects.toBeInstanceOf(UnsupportedByProviderError);
  });

  test('AiSensy sends templates through API campaigns and says it cannot send free-form text', async () => {
    await sim.client.addAisensyAccount({ apiKey: 'ai-key-123', phone: '15550004444', webhookUrl: 'http://127.0.0.1:9/unused' });
    await sim.client.addAisensyCampaign({ apiKey: 'ai-key-123', campaignName: 'invoice_ready', text: 'Hi {{1}}, invoice {{2}}', live: true });
    const aisensy = adapterFor('aisensy');
    await aisensy.send(ctx(), AISENSY, { kind: 'template', to: '+15550002222', name: 'invoice_ready', language: 'en', params: { body: [{ type: 'text', text: 'Alice' }, { type: 'text', text: 'INV-9' }] } });
    const received = await sim.client.outbound({ to: '15550002222', provider: 'aisensy' });
    expect(received.length).toBe(1);
    await expect(aisensy.send(ctx(), AISENSY, { kind: 'text', to: '+15550002222', text: 'x' })).rejects.toBeInstanceOf(UnsupportedByProviderError);
    expect(aisensy.capabilities.freeForm).toBe(false);
  });
});

describe('a failed send: retried only when it cannot have gone out or the provider said it failed', () => {
  const aisensy = adapterFor('aisensy');
  const gupshup = adapterFor('gupshup');
  const failure = (send: () => Promise<unknown>) => send().then(() => null, (e) => e);
  const sends = {
    meta: () => meta.send(ctx(), META, { kind: 'text', to: '+15550002222', text: 'x' }),
    gupshup: () => gupshup.send(ctx(), GUPSHUP, { kind: 'text', to: '+15550002222', text: 'x' }),
    aisensy: () => aisensy.send(ctx(), AISENSY, { kind: 'template', to: '+15550002222', name: 'invoice_ready', language: 'en', params: { body: [{ type: 'text', text: 'Alice' }] } }),
  };
  const adapters = { meta, gupshup, aisensy };
  beforeEach(async () => {
    await sim.client.addGupshupApp({ appName: 'ExampleCrmApp', appId: 'gs-app-1', apiKey: 'gs-key-123', sourcePhone: '15550001111', webhookUrl: 'http://127.0.0.1:9/unused' });
    await sim.client.addAisensyAccount({ apiKey: 'ai-key-123', phone: '15550004444', webhookUrl: 'http://127.0.0.1:9/unused' });
    await sim.client.addAisensyCampaign({ apiKey: 'ai-key-123', campaignName: 'invoice_ready', text: 'Hi {{1}}', live: true });
  });

  test.each(['meta', 'gupshup', 'aisensy'] as const)('%s: a 5xx with the provider’s own error is retryable; a bare 502 or a dropped answer may have been sent', async (provider) => {
    await sim.client.setFault(undefined, { flap5xx: 1 } as any);
    expect(adapters[provider].classify(await failure(sends[provider])).class).toBe('retryable');
    await sim.client.setFault(undefined, { bare502: 1 } as any);
    expect(adapters[provider].classify(await failure(sends[provider])).class).toBe('maybe-sent');
    await sim.client.setFault(undefined, { dropAnswer: 1 } as any);
    expect(adapters[provider].classify(await failure(sends[provider])).class).toBe('maybe-sent');
  });

  test('a response timeout may have been sent; a refused connection is retryable', async () => {
    await sim.client.setFault(undefined, { latencyMs: 1_000 } as any);
    const timedOut = await failure(() => meta.send({ ...ctx(), timeoutMs: 100 }, META, { kind: 'text', to: '+15550002222', text: 'slow' }));
    expect(meta.classify(timedOut).class).toBe('maybe-sent');
    await sim.client.setFault(undefined, { latencyMs: 0 } as any);
    const refused = await failure(() => meta.send({ ...ctx(), baseUrl: 'http://127.0.0.1:9' }, META, { kind: 'text', to: '+15550002222', text: 'x' }));
    expect(meta.classify(refused)).toMatchObject({ class: 'retryable', code: 'ECONNREFUSED' });
  });
});
