/**
 * No 5xx for anything a caller can send: seeded random bodies against every admin JSON route of the
 * plugin (read from its route definitions, so a new route is fuzzed without touching this file) and
 * the provider webhooks. FUZZ_SEED=<n> replays a run; FUZZ_ROUNDS=<n> multiplies the number of cases.
 */
import request from 'supertest';
import adminRoutes from '../../server/routes/admin';
import { createSimulator, type RunningSimulator } from '../../simulator';
import { as, createStaff, login } from '../helpers/admin';
import { fixture, fixtureNames, fixtureText } from '../helpers/fixtures';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { signMeta } from '../helpers/webhooks';
import { createFuzzer, toJson } from '../helpers/fuzz';
import { ACTIONS } from '../../server/constants';
import crypto from 'node:crypto';

const SEED = Number(process.env.FUZZ_SEED ?? 20261202) >>> 0;
const ROUNDS = Math.max(1, Number(process.env.FUZZ_ROUNDS ?? 1));
const ADMIN_CASES_PER_ROUTE = 35 * ROUNDS;
const WEBHOOK_CASES_PER_KIND = 150 * ROUNDS;

const { int, pick, chance, knownKeys, collectKeys, realIds, mutate, bodyFor, encode, queryFor } = createFuzzer(SEED);

interface Failure {
  seed: number;
  caseNo: number;
  who: string;
  request: string;
  body: string;
  status: number;
  answer: string;
}
const failures: Failure[] = [];
let caseNo = 0;
const clip = (s: string, n = 600) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

/** Sends one case; an SSE answer is read only as far as its status. */
const send = async (method: string, url: string, raw: string | Buffer | null, headers: Record<string, string>, who: string) => {
  caseNo += 1;
  const req = (request(app.server) as any)[method.toLowerCase() === 'delete' ? 'delete' : method.toLowerCase()](url);
  for (const [k, v] of Object.entries(headers)) req.set(k, v);
  req.buffer(true).parse((res: any, done: (e: Error | null, body: unknown) => void) => {
    if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
      res.destroy();
      return done(null, null);
    }
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => (text += c));
    res.on('end', () => done(null, text));
  });
  const res = raw === null ? await req : await req.send(raw);
  if (res.status >= 500) {
    failures.push({ seed: SEED, caseNo, who, request: `${method} ${url}`, body: clip(Buffer.isBuffer(raw) ? raw.toString('base64') : raw ?? ''), status: res.status, answer: clip(String(res.body ?? '')) });
  }
  return res;
};

/** Fails the test with this phase's 5xx answers, each with what reproduces it. */
const report = () => {
  const found = failures.splice(0);
  if (!found.length) return;
  const lines = found.slice(0, 25).map((f) => `#${f.caseNo} [${f.who}] ${f.request} → ${f.status}\n  body: ${f.body}\n  answer: ${f.answer}`);
  throw new Error(`FUZZ_SEED=${SEED}: ${found.length} answers were 5xx (first ${lines.length}):\n${lines.join('\n')}`);
};

let sim: RunningSimulator;
let app: TestApp;
let adminToken: string;
/** Holds every plugin action: validation, not permissions, answers it, and its requests cost Strapi half a super admin's. */
let managerToken: string;
const PNID = '109876543210555';
const WABA = '102030405060555';
const APP_SECRET = 'fuzz-app-secret';
const AISENSY_SECRET = 'fuzz-aisensy-secret';

/** The rows the admin routes' path ids point at; recreated when a fuzzed DELETE removed one. */
const fixtures: Record<string, { id: number; create: () => Promise<number> }> = {};
const FIXTURE_TYPES: Record<string, string> = { conversations: 'conversation', numbers: 'number', 'notification-rules': 'notification-rule', 'quick-replies': 'quick-reply', 'logs/webhooks': 'webhook-event', campaigns: 'campaign' };
const ensure = async (segment: string) => {
  const f = fixtures[segment];
  if (!f) return;
  const row = await app.strapi.db.query(`plugin::whatsapp.${FIXTURE_TYPES[segment]}` as any).findOne({ where: { id: f.id } });
  if (!row || row.deletedAt) f.id = await f.create();
};

beforeAll(async () => {
  sim = await createSimulator();
  app = await startStrapi({ WHATSAPP_META_BASE_URL: sim.url, WHATSAPP_GUPSHUP_BASE_URL: sim.url, WHATSAPP_AISENSY_BASE_URL: sim.url });
  app.strapi.log.level = 'error';
  adminToken = await login(app.server);
  const admin = as(app.server, adminToken);
  const created = async (path: string, body: object) => {
    const res = await admin.post(path).send(body);
    if (res.status !== 201) throw new Error(`fixture ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data;
  };
  const meta = await created('/whatsapp/numbers', { label: 'Fuzz', provider: 'meta', phone: '+15550001212', phoneNumberId: PNID, wabaId: WABA, accessToken: 'fuzz-token-0001', appSecret: APP_SECRET, verifyToken: 'fuzz-verify' });
  await sim.client.addMetaNumber({ phoneNumberId: PNID, wabaId: WABA, displayPhoneNumber: '15550001212', accessToken: 'fuzz-token-0001', appSecret: APP_SECRET, webhookUrl: 'http://127.0.0.1:1/unused' });
  await sim.client.createTemplate({ wabaId: WABA, name: 'follow_up', language: 'en_US', category: 'UTILITY', status: 'APPROVED', body: 'Hi {{1}}, following up on {{2}}.' });
  await admin.post('/whatsapp/templates/sync').send({ numberId: meta.id });

  const q = (name: string) => app.strapi.db.query(`plugin::whatsapp.${name}` as any);
  const newConversation = async () =>
    (await q('conversation').create({ data: { numberId: meta.id, customerWaId: `1555000${String(2000 + int(7000))}`, customerPhone: '+15550002222', windowExpiresAt: new Date(Date.now() + 86_400_000) } })).id;
  const newNumber = async () => (await created('/whatsapp/numbers', { label: 'Fuzz spare', provider: 'gupshup', phone: '+919876543210', apiKey: 'gs-key-fuzz-000000', appName: 'FuzzApp' })).id;
  const newRule = async () =>
    (await created('/whatsapp/notification-rules', { name: 'Fuzz rule', contentType: 'api::lead.lead', event: 'created', numberId: meta.id, template: { name: 'follow_up', language: 'en_US' }, parameters: [{ component: 'body', index: 0, from: 'field', value: 'name' }, { component: 'body', index: 1, from: 'constant', value: 'x' }], recipient: { from: 'field', value: 'phone' } })).id;
  const newQuickReply = async () => (await created('/whatsapp/quick-replies', { name: `fuzz-${int(1e9)}`, text: 'Hello' })).id;
  const newWebhookEvent = async () => {
    const raw = fixtureText('meta/inbound-text.json').replace(/"phone_number_id":\s*"\d+"/g, `"phone_number_id": "${PNID}"`);
    const res = await request(app.server).post(new URL(meta.webhookUrl).pathname).set('Content-Type', 'application/json').set('X-Hub-Signature-256', signMeta(raw, APP_SECRET)).send(raw);
    return res.body.eventId;
  };
  const newCampaign = async () => (await created('/whatsapp/campaigns', SEED_BODIES['POST /campaigns'] as object)).id;
  for (const [segment, create] of Object.entries({ conversations: newConversation, numbers: newNumber, 'notification-rules': newRule, 'quick-replies': newQuickReply, 'logs/webhooks': newWebhookEvent, campaigns: newCampaign })) {
    fixtures[segment] = { id: await create(), create };
  }
  realIds.push(meta.id, ...Object.values(fixtures).map((f) => f.id));
  webhookNumbers.meta = meta;
  webhookNumbers.gupshup = await created('/whatsapp/numbers', { label: 'Fuzz G', provider: 'gupshup', phone: '+919876543211', apiKey: 'gs-key-fuzz-111111', appName: 'FuzzG' });
  webhookNumbers.aisensy = await created('/whatsapp/numbers', { label: 'Fuzz A', provider: 'aisensy', phone: '+919876543212', apiKey: 'ai-key-fuzz-222222', webhookSecret: AISENSY_SECRET });
  managerToken = (await createStaff(app.strapi, app.server, 'Manager', Object.values(ACTIONS).map((a) => `plugin::whatsapp.${a}`))).token;
  for (const body of Object.values(SEED_BODIES)) collectKeys(body);
  for (const name of fixtureNames('meta')) collectKeys(fixture(`meta/${name}`));
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

const webhookNumbers: Record<'meta' | 'gupshup' | 'aisensy', any> = {} as any;

/**
 * A valid-looking body per route (`METHOD path`), for mutation; a route missing here is fuzzed from
 * random bodies only. Ids in them are filled in when the fixtures exist.
 */
const SEED_BODIES: Record<string, unknown> = {
  'POST /conversations': { numberId: 1, to: '+15550002222', template: { name: 'follow_up', language: 'en_US', params: { body: [{ type: 'text', text: 'A' }, { type: 'text', text: 'B' }] } }, idempotencyKey: 'k' },
  'POST /conversations/:id/messages': { type: 'text', text: 'Hello', replyTo: 'wamid.x', idempotencyKey: 'k', interactive: { type: 'button', body: 'b', buttons: [{ id: 'a', title: 'A' }] }, template: { name: 'follow_up', language: 'en_US', params: { body: [{ type: 'text', text: 'A' }] } }, mediaType: 'image', link: 'https://example.com/a.png', fileId: 1, caption: 'c', name: 'hello' },
  'POST /conversations/:id/assign': { assigneeId: 1 },
  'POST /conversations/:id/ticket': { subject: 'Broken', description: 'It broke' },
  'POST /numbers': { label: 'N', provider: 'meta', phone: '+15550001313', region: 'US', phoneNumberId: '123', wabaId: '456', accessToken: 't', appSecret: 's', verifyToken: 'v', apiKey: 'k', appName: 'a', webhookSecret: 'w', active: true, teamRoleIds: [1], throughputMps: 10 },
  'PUT /numbers/:id': { label: 'N2', phone: '+919876543219', region: 'IN', apiKey: 'k2', appName: 'a2', active: true, teamRoleIds: [1], throughputMps: 5 },
  'PUT /settings': {
    identitySources: [{ kind: 'lead', uid: 'api::lead.lead', phoneField: 'phone', nameField: 'name', optOutField: 'whatsappOptOut' }],
    autoLead: { enabled: false, uid: 'api::lead.lead', nameField: 'name', phoneField: 'phone', statusField: 'status', status: 'new', sourceField: 'source', source: 'whatsapp', assigneeField: null, assigneeId: 1 },
    ticket: { uid: 'api::ticket.ticket', subjectField: 'subject', descriptionField: 'description', statusField: 'status', status: 'open', conversationField: 'whatsappConversationId' },
    defaultNumberId: 1,
    businessHours: { timezone: 'Europe/Berlin', days: { mon: { open: '09:00', close: '17:00' } } },
    notificationFields: { 'api::lead.lead': ['name', 'phone'] },
  },
  'POST /logs/webhooks/replay': { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z', numberId: 1, state: 'failed' },
  'POST /templates/sync': { numberId: 1 },
  'POST /quick-replies': { name: 'greeting', text: 'Hello' },
  'PUT /quick-replies/:id': { name: 'greeting-2', text: 'Hi' },
  'POST /notification-rules': { name: 'R', contentType: 'api::lead.lead', event: 'fieldChanged', field: 'status', value: 'won', offsetDays: 1, condition: { status: 'new' }, numberId: 1, template: { name: 'follow_up', language: 'en_US' }, parameters: [{ component: 'body', index: 0, name: 'x', from: 'field', value: 'name' }], recipient: { from: 'field', value: 'phone' }, active: true },
  'PUT /notification-rules/:id': { name: 'R2', event: 'created', active: false, parameters: [], condition: null },
  'POST /notification-rules/:id/test': { documentId: 'abc' },
  'POST /campaigns': {
    name: 'C',
    numberId: 1,
    template: { name: 'follow_up', language: 'en_US' },
    parameters: [{ component: 'body', index: 0, from: 'field', value: 'name', fallback: 'there' }, { component: 'body', index: 1, from: 'column', value: 'order' }],
    audience: { contentType: 'api::lead.lead', phoneField: 'phone', filters: { status: { $eq: 'new' } }, consentField: 'marketingConsent', csv: 'phone,order\n+15550002222,A-1', phoneColumn: 'phone' },
    schedule: { type: 'now', at: null, timeZone: 'Europe/Paris', frequency: null, cron: null, until: null, quietHours: null },
    options: { contactedWithinHours: 24, spreadOverDays: false, ecosystemRetries: 1, autoPause: { window: 10, failureRate: 0.5 }, replyWindowHours: 24 },
  },
  'PUT /campaigns/:id': { name: 'C2', schedule: { type: 'recurring', frequency: 'weekly', at: '2030-01-01T09:00', timeZone: 'UTC', until: '2031-01-01' } },
  'POST /campaigns/:id/launch': { spreadOverDays: true },
  'POST /campaigns/:id/preflight': { spreadOverDays: false },
  'POST /campaigns/:id/pause': { reason: 'r' },
  'POST /campaigns/:id/test-send': { phones: ['+15550002222'] },
};
const SEED_QUERIES: Record<string, Record<string, string>> = {
  'GET /conversations': { numberId: '1', state: 'open', assignee: 'me', crm: 'lead', q: 'a', page: '1', pageSize: '10' },
  'GET /conversations/:id/messages': { page: '1', pageSize: '20' },
  'GET /assignees': { numberId: '1' },
  'GET /logs/webhooks': { numberId: '1', state: 'failed', from: '2026-01-01', to: '2027-01-01', page: '1', pageSize: '10' },
  'GET /logs/api': { numberId: '1', call: 'send', page: '1', pageSize: '10' },
  'GET /templates': { numberId: '1', status: 'APPROVED', includeRemoved: 'true' },
  'GET /host/recipients': { q: 'Ali' },
  'GET /notification-rules/:id/firings': { limit: '10' },
  'GET /campaigns': { state: 'draft', numberId: '1', page: '1', pageSize: '10' },
  'GET /campaigns/:id/recipients': { status: 'failed', occurrenceId: '1', page: '1', pageSize: '10' },
};

const routes = adminRoutes().routes as { method: string; path: string; handler: string }[];

/** `:id` in `/notification-rules/:id/test` is a rule's: the path before the param names the fixture. */
const segmentOf = (path: string) => path.slice(1, path.indexOf('/:')).replace(/^\//, '');
const BAD_IDS = ['0', '-1', '1.5', '99999999999999999999', '2147483648', '9007199254740993', 'abc', 'NaN', '%00', '%E2%80%AE', 'constructor', '__proto__', '1e3', '0x10', ' 1', encodeURIComponent('é日本')];
const pathFor = (path: string) =>
  path.replace(/:(\w+)/g, () => {
    const real = fixtures[segmentOf(path)];
    return real && chance(0.6) ? String(real.id) : pick(BAD_IDS);
  });

test('the route list is the plugin’s, with its path params', () => {
  expect(routes.length).toBeGreaterThan(30);
  expect(routes.some((r) => r.path.includes(':id'))).toBe(true);
});

describe('webhooks never answer 5xx', () => {
  const metaBodies = () => fixtureNames('meta').map((n) => fixture(`meta/${n}`));
  const gupshupBodies = () => fixtureNames('gupshup').map((n) => fixture(`gupshup/${n}`));
  const rawFor = (seeds: unknown[]) => {
    if (chance(0.08)) return pick(['', 'not json', '{', '[]', 'null', '"x"', '1e999', '{"__proto__":{"polluted":1}}', '\u0000', '{"entry":[{"changes":[{"value":{"metadata":{"phone_number_id":"' + PNID + '"}}}]}]}']);
    return toJson(mutate(pick(seeds), 6));
  };

  test('Meta: random JSON with valid, wrong, malformed and missing signatures', async () => {
    const path = new URL(webhookNumbers.meta.webhookUrl).pathname;
    const seeds = metaBodies().map((b) => JSON.parse(JSON.stringify(b).replace(/"phone_number_id":\s*"\d+"/g, `"phone_number_id":"${PNID}"`)));
    for (let i = 0; i < WEBHOOK_CASES_PER_KIND; i += 1) {
      const raw = rawFor(seeds);
      const signature = pick([signMeta(raw, APP_SECRET), signMeta(raw, APP_SECRET), signMeta(raw, 'wrong'), 'sha256=zz', `sha256=${'0'.repeat(64)}`, '', 'é', null]);
      await send('POST', path, raw, { 'Content-Type': pick(['application/json', 'application/json', 'text/plain']), ...(signature === null ? {} : { 'X-Hub-Signature-256': signature }) }, 'meta webhook');
    }
    for (let i = 0; i < 20; i += 1) {
      const q = queryFor({ 'hub.mode': 'subscribe', 'hub.verify_token': pick(['fuzz-verify', 'é', 'fuzz-verifé', 'x'.repeat(11)]), 'hub.challenge': '123' });
      await send('GET', `${path}${q}`, null, {}, 'meta handshake');
    }
    // Tokens as long as the real one in characters but not in bytes, or not text at all.
    for (const token of ['fuzz-verifé', 'é'.repeat(11), '\u0000'.repeat(11), '🙂'.repeat(6), 'fuzz-verify'.toUpperCase()]) {
      await send('GET', `${path}?hub.mode=subscribe&hub.challenge=42&hub.verify_token=${encode(token)}`, null, {}, 'meta handshake');
    }
    report();
  }, 120_000);

  test('Gupshup and AiSensy: random JSON, signed and not', async () => {
    const gupshup = new URL(webhookNumbers.gupshup.webhookUrl).pathname;
    const aisensy = new URL(webhookNumbers.aisensy.webhookUrl).pathname;
    const seeds = gupshupBodies();
    const aiSeeds = [{ id: 'e1', created_at: Date.now(), topic: 'message.sender.user', data: { message: { phone_number: '919876543210', message_type: 'TEXT', message_content: { text: 'hi' }, sender: 'USER' } } }, ...seeds];
    for (let i = 0; i < WEBHOOK_CASES_PER_KIND; i += 1) {
      await send('POST', gupshup, rawFor(seeds), { 'Content-Type': 'application/json' }, 'gupshup webhook');
      const raw = rawFor(aiSeeds);
      const signature = pick([crypto.createHmac('sha256', AISENSY_SECRET).update(raw).digest('hex'), `sha256=${crypto.createHmac('sha256', AISENSY_SECRET).update(raw).digest('hex')}`, 'abc', 'é', null]);
      await send('POST', aisensy, raw, { 'Content-Type': 'application/json', ...(signature === null ? {} : { 'X-AiSensy-Signature': signature }) }, 'aisensy webhook');
    }
    await send('POST', '/api/whatsapp/webhooks/no-such-key', '{}', { 'Content-Type': 'application/json' }, 'unknown webhook');
    report();
  }, 120_000);
});

describe('admin routes never answer 5xx', () => {
  let seedBodies: Record<string, unknown>;
  beforeAll(() => {
    seedBodies = Object.fromEntries(Object.entries(SEED_BODIES).map(([k, v]) => [k, JSON.parse(JSON.stringify(v).replace(/"(numberId|defaultNumberId)":1\b/g, `"$1":${webhookNumbers.meta.id}`))]));
  });

  // As a super admin or a role holding every plugin action, half each: permissions pass, validation answers.
  test.each(routes.map((r) => [r.method, r.path] as const))('%s %s', async (method, path) => {
    const key = `${method} ${path}`;
    for (let i = 0; i < ADMIN_CASES_PER_ROUTE; i += 1) {
      const url = `/whatsapp${pathFor(path)}${method === 'GET' || chance(0.1) ? queryFor(SEED_QUERIES[key]) : ''}`;
      const raw = method === 'GET' ? null : toJson(bodyFor(seedBodies[key]));
      const [who, token] = chance(0.5) ? ['super admin', adminToken] : ['all plugin actions', managerToken];
      await send(method, url, raw, { Authorization: `Bearer ${token}`, ...(raw === null ? {} : { 'Content-Type': 'application/json' }) }, who);
      if (method === 'DELETE') await ensure(segmentOf(path));
    }
    report();
  }, 120_000);

  test('a sample as a user holding only inbox.read', async () => {
    const { token } = await createStaff(app.strapi, app.server, 'Fuzzy', ['plugin::whatsapp.inbox.read']);
    for (const route of routes) {
      for (let i = 0; i < 2; i += 1) {
        const raw = route.method === 'GET' ? null : toJson(bodyFor(SEED_BODIES[`${route.method} ${route.path}`]));
        await send(route.method, `/whatsapp${pathFor(route.path)}`, raw, { Authorization: `Bearer ${token}`, ...(raw === null ? {} : { 'Content-Type': 'application/json' }) }, 'inbox.read only');
      }
    }
    report();
  }, 120_000);

  test('enough cases ran', () => {
    expect(caseNo).toBeGreaterThanOrEqual(2000);
  });
});
