import { createSimulator, type RunningSimulator } from '../../simulator';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { as, login } from '../helpers/admin';

let sim: RunningSimulator;
let app: TestApp;
let number: any;

const PNID = '109876543210987';
const WABA = '102030405060708';
const LIMIT = 50;
const SENDS = 500;
const RECIPIENTS = 100;
const q = (name: string) => app.strapi.db.query(`plugin::whatsapp.${name}` as any);

beforeAll(async () => {
  sim = await createSimulator();
  app = await startStrapi({ WHATSAPP_META_BASE_URL: sim.url });
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  const admin = as(app.server, await login(app.server));
  number = (await admin.post('/whatsapp/numbers').send({ label: 'Bulk', provider: 'meta', phone: '+15550001111', phoneNumberId: PNID, wabaId: WABA, accessToken: 'bulk-token-0001', appSecret: 'bulk-secret', verifyToken: 'v', throughputMps: LIMIT })).body.data;
  const webhookUrl = number.webhookUrl.replace('https://crm.test.local', `http://127.0.0.1:${app.server.address().port}`);
  await sim.client.addMetaNumber({ phoneNumberId: PNID, wabaId: WABA, displayPhoneNumber: '15550001111', accessToken: 'bulk-token-0001', appSecret: 'bulk-secret', webhookUrl, throughputMps: LIMIT });
  // Receipts would only add webhook traffic to a test about the way out.
  await sim.client.setFault(undefined, { autoDeliver: false, autoRead: false } as any);
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

test(`${SENDS} sends to a number limited to ${LIMIT} per second: spread over ≥ 9 s, no over-limit answer, none sent twice`, async () => {
  expect(number.throughputMps).toBe(LIMIT);
  const outbox = app.strapi.plugin('whatsapp').service('outbox');
  // Everything is queued before the outbox looks, so the spread comes from the limiter, not from how fast rows were written.
  await outbox.stop();
  const conversations: any[] = [];
  for (let i = 0; i < RECIPIENTS; i += 1) {
    const waId = `1555070${String(i).padStart(4, '0')}`;
    conversations.push(await q('conversation').create({ data: { numberId: number.id, customerWaId: waId, windowExpiresAt: new Date(Date.now() + 3600_000) } }));
    await sim.client.setCustomer({ phone: waId, reachable: true });
    await sim.client.setWindow(PNID, waId, true);
  }
  const ids: number[] = [];
  for (let i = 0; i < SENDS; i += 1) {
    const row = await outbox.enqueue(conversations[i % RECIPIENTS].id, { type: 'text', text: `bulk-${i}` }, { id: null, source: 'campaign' });
    ids.push(row.id);
  }
  const since = (await sim.client.requests({ provider: 'meta' })).reduce((max: number, r: any) => Math.max(max, r.seq), 0);

  await outbox.start();
  await outbox.idle();

  const rows = await q('message').findMany({ where: { id: { $in: ids } } });
  expect(rows.filter((r: any) => r.status !== 'sent').map((r: any) => `${r.id} ${r.status} ${r.errorCode ?? ''}`)).toEqual([]);

  const sends = (await sim.client.requests({ provider: 'meta', method: 'POST', since })).filter((r: any) => /\/messages$/.test(r.path));
  const overLimit = sends.filter((r: any) => JSON.stringify(r.response ?? '').includes('130429'));
  expect(overLimit).toHaveLength(0);

  // Answers are recorded in groups: each row keeps the id the provider gave its own message.
  const answered = new Map(sends.map((r: any) => [r.body?.text?.body, r.response?.messages?.[0]?.id]));
  expect(rows.filter((r: any) => !r.providerMessageId || answered.get(r.text) !== r.providerMessageId).map((r: any) => `${r.id} ${r.text} ${r.providerMessageId}`)).toEqual([]);

  const received = (await sim.client.outbound({})).filter((m: any) => /^bulk-\d+$/.test(String(m.text)));
  expect(received).toHaveLength(SENDS);
  expect(new Set(received.map((m: any) => m.text)).size).toBe(SENDS);

  // At most LIMIT arrivals in any second: 500 arrivals need at least 9 s between the first and the last.
  const times = received.map((m: any) => m.at as number).sort((a, b) => a - b);
  expect(times[times.length - 1] - times[0]).toBeGreaterThanOrEqual(((SENDS - LIMIT) / LIMIT) * 1000);
  const crowded = times.flatMap((t, i) => (i >= LIMIT && t - times[i - LIMIT] < 1000 ? [i] : []));
  expect(crowded).toEqual([]);
}, 240_000);

test('a 300-message backlog on a slow number (5/s) does not hold up a reply on another number', async () => {
  const SLOW_PNID = '209876543210988';
  const admin = as(app.server, await login(app.server));
  const slow = (await admin.post('/whatsapp/numbers').send({ label: 'Slow', provider: 'meta', phone: '+15550002222', phoneNumberId: SLOW_PNID, wabaId: WABA, accessToken: 'slow-token-0001', appSecret: 'slow-secret', verifyToken: 'v', throughputMps: 5 })).body.data;
  await sim.client.addMetaNumber({ phoneNumberId: SLOW_PNID, wabaId: WABA, displayPhoneNumber: '15550002222', accessToken: 'slow-token-0001', appSecret: 'slow-secret', webhookUrl: slow.webhookUrl.replace('https://crm.test.local', `http://127.0.0.1:${app.server.address().port}`), throughputMps: 5 });
  const outbox = app.strapi.plugin('whatsapp').service('outbox');
  await outbox.stop();
  // 30 recipients, 10 each: within the pair rate, so only the number's rate holds the backlog back.
  const backlog: number[] = [];
  const recipients: any[] = [];
  for (let i = 0; i < 30; i += 1) {
    const waId = `1555071${String(i).padStart(4, '0')}`;
    recipients.push(await q('conversation').create({ data: { numberId: slow.id, customerWaId: waId, windowExpiresAt: new Date(Date.now() + 3600_000) } }));
    await sim.client.setCustomer({ phone: waId, reachable: true });
    await sim.client.setWindow(SLOW_PNID, waId, true);
  }
  for (let i = 0; i < 300; i += 1) backlog.push((await outbox.enqueue(recipients[i % 30].id, { type: 'text', text: `backlog-${i}` }, { id: null, source: 'campaign' })).id);
  const customer = await q('conversation').create({ data: { numberId: number.id, customerWaId: '15550719999', windowExpiresAt: new Date(Date.now() + 3600_000) } });
  await sim.client.setCustomer({ phone: '15550719999', reachable: true });
  await sim.client.setWindow(PNID, '15550719999', true);
  const reply = await outbox.enqueue(customer.id, { type: 'text', text: 'not behind the backlog' }, { id: null });

  await outbox.start();
  try {
    for (let i = 0; i < 200; i += 1) {
      if ((await sim.client.outbound({ to: '15550719999' })).some((m: any) => m.text === 'not behind the backlog')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const order = (await sim.client.outbound({})).filter((m: any) => m.text === 'not behind the backlog' || /^backlog-\d+$/.test(String(m.text))).map((m: any) => m.text);
    // Queued after all 300, yet out before the slow number's first second is over.
    expect(order).toContain('not behind the backlog');
    expect(order.indexOf('not behind the backlog')).toBeLessThan(6);
    expect(await q('message').count({ where: { id: { $in: backlog }, status: 'queued' } })).toBeGreaterThan(250);
    expect((await q('message').findOne({ where: { id: reply.id } })).status).toBe('sent');
  } finally {
    // The rest of the backlog would take a minute: withdrawn, so the pass ends.
    await q('message').updateMany({ where: { id: { $in: backlog }, status: 'queued' }, data: { status: 'failed', errorText: 'withdrawn by the test' } });
    await outbox.idle();
  }
}, 120_000);
