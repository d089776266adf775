/**
 * The AI assistant's suggest mode: settings (a write-only key), knowledge uploaded and indexed,
 * drafts from the built-in engine and from an OpenAI-compatible server (a stub written here,
 * never the network), handoffs, the 24-hour window, redaction, team scoping and outcomes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningSimulator } from '../../simulator';
import { as, createStaff } from '../helpers/admin';
import { connectMetaNumber, startWithSimulator, settleWorkers } from '../helpers/simulated-app';
import type { TestApp } from '../helpers/strapi';

const PNID = '109876543210555';
const WABA = '102030405060555';
let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;
let numberId: number;

/** What the stub does next: answer with this JSON content, or never answer. */
let behaviour: { content: string } | 'hang' = { content: '{}' };
const received: { headers: http.IncomingHttpHeaders; body: any }[] = [];
let stub: http.Server;
let stubUrl: string;
const hanging: http.ServerResponse[] = [];

const settle = () => settleWorkers({ app, sim }, ['inbound', 'outbox']);

const FAQ = `# Opening hours
We are open Monday to Friday from 9:00 to 17:00.

# Delivery costs
Delivery within the city costs €4.90; orders over €50 are delivered free.

# Returns
You can return an item within 30 days with its receipt.
`;

const conversationOf = async (phone: string) => (await admin.get('/whatsapp/conversations')).body.data.find((c: any) => c.customerPhone === `+${phone}`);

beforeAll(async () => {
  stub = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(raw) });
      if (behaviour === 'hang') return void hanging.push(res);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: behaviour.content } }], usage: { total_tokens: 321 } }));
    });
  });
  await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
  stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}/v1`;
  const started = await startWithSimulator({ WHATSAPP_ASSISTANT_TIMEOUT_MS: '3000' });
  ({ sim, app, admin } = started);
  numberId = (await connectMetaNumber(started, { label: 'Shop', phone: '+15550003000', phoneNumberId: PNID, wabaId: WABA, accessToken: 'assistant-token', appSecret: 'assistant-secret' })).id;

  // Booting Strapi takes minutes when the shared 2-core machine is loaded.
}, 300_000);
afterAll(async () => {
  hanging.forEach((res) => res.destroy());
  await new Promise((resolve) => stub?.close(resolve));
  await app?.stop();
  await sim?.close();
});

test('the built-in engine answers an FAQ from an uploaded Markdown file, with its citation', async () => {
  const up = await admin.post('/whatsapp/assistant/knowledge/upload').attach('files', Buffer.from(FAQ), { filename: 'shop-faq.md', contentType: 'text/markdown' });
  expect(up.status).toBe(201);
  expect(up.body.data).toEqual([expect.objectContaining({ title: 'shop-faq', kind: 'file', filename: 'shop-faq.md', chunks: 3 })]);
  const pdf = await admin.post('/whatsapp/assistant/knowledge/upload').attach('files', Buffer.from('%PDF-1.4'), { filename: 'prices.pdf', contentType: 'application/pdf' });
  expect(pdf.status).toBe(400);
  expect(pdf.body.error.details.errors[0].path).toEqual(['files']);

  await sim.client.customerSends({ from: '15550003001', to: PNID, name: 'Ana', text: 'Hi! How much does delivery cost?' });
  await settle();
  const conversation = await conversationOf('15550003001');
  const res = await admin.post(`/whatsapp/conversations/${conversation.id}/suggest`).send({});
  expect(res.status).toBe(200);
  expect(res.body.data).toMatchObject({
    text: 'Delivery within the city costs €4.90; orders over €50 are delivered free.',
    citations: [{ sourceId: up.body.data[0].id, title: 'shop-faq — Delivery costs', excerpt: expect.stringContaining('€4.90') }],
    grounded: true,
  });
  expect(res.body.data.confidence).toBeGreaterThan(0.3);
  expect(res.body.data.handoff).toBeUndefined();

  // Staff accept it; the row keeps the outcome, and a second, different outcome is refused.
  const accepted = await admin.post(`/whatsapp/assistant/suggestions/${res.body.data.id}/outcome`).send({ outcome: 'accepted' });
  expect(accepted.body.data).toEqual({ id: res.body.data.id, outcome: 'accepted' });
  expect((await admin.post(`/whatsapp/assistant/suggestions/${res.body.data.id}/outcome`).send({ outcome: 'rejected' })).status).toBe(400);
  const row = await app.strapi.db.query('plugin::whatsapp.assistant-suggestion').findOne({ where: { id: res.body.data.id } });
  expect(row).toMatchObject({ conversationId: conversation.id, engine: 'builtin', outcome: 'accepted' });
});

test('knowledge sources: added as text, listed, deleted, reindexed; bad input named', async () => {
  const added = await admin.post('/whatsapp/assistant/knowledge').send({ title: 'Gift cards', text: 'Gift cards never expire.' });
  expect(added.status).toBe(201);
  expect((await admin.get('/whatsapp/assistant/knowledge')).body.data.map((s: any) => s.title)).toEqual(['Gift cards', 'shop-faq']);
  expect((await admin.post('/whatsapp/assistant/knowledge/reindex').send({})).body.data).toEqual({ sources: 2, chunks: 4 });
  expect((await admin.del(`/whatsapp/assistant/knowledge/${added.body.data.id}`)).status).toBe(200);
  expect((await admin.del(`/whatsapp/assistant/knowledge/${added.body.data.id}`)).status).toBe(404);
  const bad = await admin.post('/whatsapp/assistant/knowledge').send({ title: 'x' });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details.errors[0].path).toEqual(['text']);
});

test('settings: the API key is write-only and stored encrypted; auto mode is refused until evaluation exists', async () => {
  expect((await admin.get('/whatsapp/assistant/settings')).body.data).toEqual({ engine: 'builtin', baseUrl: null, model: null, apiKeySet: false, numbers: [], redact: true, budgetPerConversation: null });
  const auto = await admin.put('/whatsapp/assistant/settings').send({ engine: 'builtin', numbers: [{ numberId, mode: 'auto', threshold: 0.8 }] });
  expect(auto.status).toBe(400);
  expect(auto.body.error.details.errors[0]).toMatchObject({ path: ['numbers', '0', 'mode'], message: expect.stringContaining('evaluation') });
  expect((await admin.put('/whatsapp/assistant/settings').send({ engine: 'openai', numbers: [] })).body.error.details.errors[0].path).toEqual(['baseUrl']);
  expect((await admin.put('/whatsapp/assistant/settings').send({ engine: 'builtin', numbers: [{ numberId: 999999, mode: 'suggest' }] })).body.error.details.errors[0].path).toEqual(['numbers', '0', 'numberId']);

  const saved = await admin.put('/whatsapp/assistant/settings').send({ engine: 'openai', baseUrl: stubUrl, model: 'shop-model', apiKey: 'sk-test-secret-1', numbers: [{ numberId, mode: 'suggest' }] });
  expect(saved.status).toBe(200);
  expect(saved.body.data).toEqual({ engine: 'openai', baseUrl: stubUrl, model: 'shop-model', apiKeySet: true, numbers: [{ numberId, mode: 'suggest', threshold: null, golden: [], enabledBy: null }], redact: true, budgetPerConversation: null });
  const read = await admin.get('/whatsapp/assistant/settings');
  expect(JSON.stringify(read.body)).not.toContain('sk-test-secret-1');
  const stored = await app.strapi.store({ type: 'plugin', name: 'whatsapp', key: 'assistant' }).get({});
  expect(JSON.stringify(stored)).not.toContain('sk-test-secret-1');
  // Saved again without a key: the key is kept.
  expect((await admin.put('/whatsapp/assistant/settings').send({ engine: 'openai', baseUrl: stubUrl, model: 'shop-model', numbers: [{ numberId, mode: 'suggest' }] })).body.data.apiKeySet).toBe(true);
});

describe('the OpenAI-compatible engine', () => {
  let conversationId: number;
  beforeAll(async () => {
    await app.strapi.documents('api::lead.lead' as any).create({ data: { name: 'Bruno Lead', phone: '+15550003002', email: 'bruno@example.com', status: 'new' } as any });
    await sim.client.customerSends({ from: '15550003002', to: PNID, name: 'Bruno', text: 'Do you deliver for free? Mail me at bruno.private@example.com or call +1 555 000 3002' });
    await settle();
    conversationId = (await conversationOf('15550003002')).id;
  });

  test('the request carries the knowledge, the CRM record and the conversation, phones and e-mails redacted', async () => {
    behaviour = { content: JSON.stringify({ reply: 'Yes: orders over **€50** are delivered free.', handoff: false }) };
    received.length = 0;
    const res = await admin.post(`/whatsapp/conversations/${conversationId}/suggest`).send({});
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ text: 'Yes: orders over *€50* are delivered free.', grounded: true });
    expect(res.body.data.citations.map((c: any) => c.title)).toContain('shop-faq — Delivery costs');
    expect(received).toHaveLength(1);
    const [call] = received;
    expect(call.headers.authorization).toBe('Bearer sk-test-secret-1');
    expect(call.body).toMatchObject({ model: 'shop-model', response_format: { type: 'json_object' } });
    const all = JSON.stringify(call.body.messages);
    expect(all).toContain('orders over €50 are delivered free');
    expect(all).toContain('Bruno Lead');
    expect(call.body.messages.at(-1)).toEqual({ role: 'user', content: 'Do you deliver for free? Mail me at [email] or call [phone]' });
    expect(all).not.toContain('bruno.private@example.com');
    expect(all).not.toContain('bruno@example.com');
    expect(all).not.toMatch(/555\s?000\s?3002/);
  });

  test('a price in no source is marked ungrounded', async () => {
    behaviour = { content: JSON.stringify({ reply: 'Delivery is free over €35.', handoff: false }) };
    const res = await admin.post(`/whatsapp/conversations/${conversationId}/suggest`).send({});
    expect(res.body.data).toMatchObject({ text: 'Delivery is free over €35.', grounded: false });
  });

  test('handoff is the structured result of the call', async () => {
    behaviour = { content: JSON.stringify({ handoff: true, reason: 'the customer asks for a manager' }) };
    const res = await admin.post(`/whatsapp/conversations/${conversationId}/suggest`).send({});
    expect(res.body.data).toMatchObject({ text: '', handoff: { reason: 'the customer asks for a manager' } });
  });

  test('a timeout hands off, without retrying', async () => {
    behaviour = 'hang';
    received.length = 0;
    const res = await admin.post(`/whatsapp/conversations/${conversationId}/suggest`).send({});
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ text: '', handoff: { reason: 'the model did not answer in time' } });
    expect(received).toHaveLength(1);
  });

  test('outside the 24-hour window a template is proposed, and no model is called', async () => {
    await sim.client.createTemplate({ wabaId: WABA, name: 'delivery_followup', language: 'en_US', category: 'UTILITY', status: 'APPROVED', body: 'Hi {{1}}, about your delivery question: may we call you?' } as any);
    expect((await admin.post('/whatsapp/templates/sync').send({})).status).toBeLessThan(300);
    await app.strapi.db.query('plugin::whatsapp.conversation').update({ where: { id: conversationId }, data: { windowExpiresAt: new Date(Date.now() - 60_000) } });
    received.length = 0;
    const res = await admin.post(`/whatsapp/conversations/${conversationId}/suggest`).send({});
    expect(res.body.data.template).toEqual({ name: 'delivery_followup', language: 'en_US', body: 'Hi {{1}}, about your delivery question: may we call you?', params: { body: [{ type: 'text', text: 'Bruno' }] } });
    expect(received).toHaveLength(0);
  });
});

test('staff of another team cannot ask for a suggestion on a conversation they cannot see', async () => {
  const other = await createStaff(app.strapi, app.server, 'AssistantOutsider', ['plugin::whatsapp.inbox.read', 'plugin::whatsapp.inbox.send']);
  const owners = await app.strapi.service('admin::role').create({ name: 'Shop team', description: 'owns the shop number' });
  expect((await admin.put(`/whatsapp/numbers/${numberId}`).send({ teamRoleIds: [owners.id] })).status).toBe(200);
  const conversation = await conversationOf('15550003001');
  const outsider = as(app.server, other.token);
  expect((await outsider.post(`/whatsapp/conversations/${conversation.id}/suggest`).send({})).status).toBe(404);
  expect((await outsider.get('/whatsapp/assistant/settings')).status).toBe(403);
  expect((await outsider.post('/whatsapp/assistant/knowledge').send({ title: 'x', text: 'y' })).status).toBe(403);
});

test('a number switched off gets no suggestion, and the per-conversation budget hands off', async () => {
  const conversation = await conversationOf('15550003001');
  const base = { engine: 'builtin', numbers: [{ numberId, mode: 'off' }] };
  expect((await admin.put('/whatsapp/assistant/settings').send(base)).status).toBe(200);
  const off = await admin.post(`/whatsapp/conversations/${conversation.id}/suggest`).send({});
  expect(off.status).toBe(400);
  expect(off.body.error.details.errors[0].path).toEqual(['numberId']);

  // One suggestion was logged for this conversation already (the FAQ test): a budget of 1 is spent.
  expect((await admin.put('/whatsapp/assistant/settings').send({ ...base, numbers: [{ numberId, mode: 'suggest' }], budgetPerConversation: 1 })).status).toBe(200);
  const spent = await admin.post(`/whatsapp/conversations/${conversation.id}/suggest`).send({});
  expect(spent.body.data).toMatchObject({ text: '', handoff: { reason: 'this conversation’s assistant budget is spent' } });
});

test('a new address needs the key entered again: the saved key never reaches another host', async () => {
  const atB: { headers: http.IncomingHttpHeaders; raw: string }[] = [];
  const stubB = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      atB.push({ headers: req.headers, raw });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: JSON.stringify({ reply: 'We are open Monday to Friday.', handoff: false }) } }], usage: { total_tokens: 5 } }));
    });
  });
  await new Promise<void>((resolve) => stubB.listen(0, '127.0.0.1', resolve));
  const stubBUrl = `http://127.0.0.1:${(stubB.address() as AddressInfo).port}/v1`;
  try {
    const base = { engine: 'openai', model: 'shop-model', numbers: [{ numberId, mode: 'suggest' }], budgetPerConversation: null };
    expect((await admin.put('/whatsapp/assistant/settings').send({ ...base, baseUrl: stubUrl, apiKey: 'sk-key-for-a' })).status).toBe(200);
    // Another path on the same origin keeps the key.
    const samePlace = await admin.put('/whatsapp/assistant/settings').send({ ...base, baseUrl: `${stubUrl}/` });
    expect(samePlace.status).toBe(200);
    expect(samePlace.body.data.apiKeySet).toBe(true);

    const moved = await admin.put('/whatsapp/assistant/settings').send({ ...base, baseUrl: stubBUrl });
    expect(moved.status).toBe(400);
    expect(moved.body.error.details.errors[0]).toMatchObject({ path: ['apiKey'], message: expect.stringContaining('enter the key again') });
    expect((await admin.get('/whatsapp/assistant/settings')).body.data).toMatchObject({ baseUrl: `${stubUrl}/`, apiKeySet: true });

    // Through the built-in engine (no address) and back: still a new origin for the kept key.
    expect((await admin.put('/whatsapp/assistant/settings').send({ ...base, engine: 'builtin', baseUrl: null })).status).toBe(200);
    expect((await admin.put('/whatsapp/assistant/settings').send({ ...base, baseUrl: stubBUrl })).body.error.details.errors[0].path).toEqual(['apiKey']);

    const withKey = await admin.put('/whatsapp/assistant/settings').send({ ...base, baseUrl: stubBUrl, apiKey: 'sk-key-for-b' });
    expect(withKey.status).toBe(200);
    expect(withKey.body.data).toMatchObject({ baseUrl: stubBUrl, apiKeySet: true });

    await sim.client.customerSends({ from: '15550003009', to: PNID, name: 'Carla', text: 'When are you open?' });
    await settle();
    received.length = 0;
    const res = await admin.post(`/whatsapp/conversations/${(await conversationOf('15550003009')).id}/suggest`).send({});
    expect(res.status).toBe(200);
    expect(res.body.data.text).toBe('We are open Monday to Friday.');
    expect(atB).toHaveLength(1);
    expect(atB[0].headers.authorization).toBe('Bearer sk-key-for-b');
    expect(JSON.stringify(atB)).not.toContain('sk-key-for-a');
    expect(received).toHaveLength(0);
  } finally {
    await new Promise((resolve) => stubB.close(resolve));
  }
});
