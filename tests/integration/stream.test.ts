import { createSimulator, type RunningSimulator } from '../../simulator';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { as, createStaff, login } from '../helpers/admin';
import { openStream } from '../helpers/sse';
import createRealtime from '../../server/services/realtime';

let sim: RunningSimulator;
let app: TestApp;
let admin: ReturnType<typeof as>;
let token: string;
let base: string;
let numberA: any;
let numberB: any;

const settle = async () => {
  const plugin = app.strapi.plugin('whatsapp');
  await sim.client.settle();
  for (const name of ['inbound', 'outbox', 'inbound']) {
    plugin.service(name).kick();
    await plugin.service(name).idle();
  }
};

const addNumber = async (label: string, pnid: string, phone: string, teamRoleIds: number[]) => {
  const n = (await admin.post('/whatsapp/numbers').send({ label, provider: 'meta', phone, phoneNumberId: pnid, wabaId: '102030405060708', accessToken: `tok-${pnid}`, appSecret: `sec-${pnid}`, verifyToken: 'v', teamRoleIds })).body.data;
  await sim.client.addMetaNumber({ phoneNumberId: pnid, wabaId: '102030405060708', displayPhoneNumber: phone.replace('+', ''), accessToken: `tok-${pnid}`, appSecret: `sec-${pnid}`, webhookUrl: n.webhookUrl.replace('https://crm.test.local', base) });
  return n;
};

let teamA: { token: string; role: any };
let teamB: { token: string; role: any };

beforeAll(async () => {
  sim = await createSimulator();
  app = await startStrapi({ WHATSAPP_META_BASE_URL: sim.url });
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${app.server.address().port}`;
  token = await login(app.server);
  admin = as(app.server, token);
  teamA = await createStaff(app.strapi, app.server, 'StreamA', ['plugin::whatsapp.inbox.read', 'plugin::whatsapp.inbox.send']);
  teamB = await createStaff(app.strapi, app.server, 'StreamB', ['plugin::whatsapp.inbox.read']);
  numberA = await addNumber('Team A', '300000000000001', '+15550001111', [teamA.role.id]);
  numberB = await addNumber('Team B', '300000000000002', '+15550004444', [teamB.role.id]);
});
afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

test('a customer message, the reply and its receipts reach an open stream', async () => {
  const stream = await openStream(`${base}/whatsapp/stream`, { Authorization: `Bearer ${teamA.token}` });
  expect(stream.status).toBe(200);
  await stream.waitFor((e) => e.event === 'ready');
  await sim.client.customerSends({ from: '15550002222', to: numberA.phoneNumberId, name: 'Alice', text: 'hello live inbox' });
  await settle();
  const created = await stream.waitFor((e) => e.event === 'message.created' && e.data.numberId === numberA.id);
  const reply = await as(app.server, teamA.token).post(`/whatsapp/conversations/${created.data.conversationId}/messages`).send({ type: 'text', text: 'hi Alice' });
  expect(reply.status).toBe(201);
  await settle();
  await stream.waitFor((e) => e.event === 'message.status' && e.data.messageId === reply.body.data.id && e.data.status === 'read');
  stream.close();
});

test('a staff user of team A does not receive team B’s events', async () => {
  const a = await openStream(`${base}/whatsapp/stream`, { Authorization: `Bearer ${teamA.token}` });
  const b = await openStream(`${base}/whatsapp/stream`, { Authorization: `Bearer ${teamB.token}` });
  await Promise.all([a.waitFor((e) => e.event === 'ready'), b.waitFor((e) => e.event === 'ready')]);
  await sim.client.customerSends({ from: '15550003333', to: numberB.phoneNumberId, name: 'Bob', text: 'for team B' });
  await settle();
  await b.waitFor((e) => e.event === 'message.created' && e.data.numberId === numberB.id);
  // The same event went out to every open stream at once: had A been sent it, it would be here by now.
  await sim.client.customerSends({ from: '15550002222', to: numberA.phoneNumberId, text: 'fence for A' });
  await settle();
  await a.waitFor((e) => e.event === 'message.created' && e.data.numberId === numberA.id && Number(e.id) > 0);
  expect(a.events.filter((e) => e.data?.numberId === numberB.id)).toEqual([]);
  a.close();
  b.close();
});

test('a reconnect with Last-Event-ID gets what it missed, once', async () => {
  const first = await openStream(`${base}/whatsapp/stream`, { Authorization: `Bearer ${token}` });
  await first.waitFor((e) => e.event === 'ready');
  await sim.client.customerSends({ from: '15550002222', to: numberA.phoneNumberId, text: 'before the drop' });
  await settle();
  const seen = await first.waitFor((e) => e.event === 'message.created');
  first.close();
  await sim.client.customerSends({ from: '15550002222', to: numberA.phoneNumberId, text: 'during the drop' });
  await settle();
  const again = await openStream(`${base}/whatsapp/stream`, { Authorization: `Bearer ${token}`, 'Last-Event-ID': String(seen.id) });
  const missed = await again.waitFor((e) => e.event === 'message.created');
  expect(Number(missed.id)).toBeGreaterThan(Number(seen.id));
  await again.waitFor((e) => e.event === 'ready');
  const ids = again.events.filter((e) => e.id).map((e) => e.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids).not.toContain(seen.id);
  again.close();
});

test('an EventSource gets in with a single-use ticket; no token, a used ticket or a stranger gets nothing', async () => {
  const ticket = (await as(app.server, teamA.token).post('/whatsapp/stream/ticket')).body.data.ticket;
  const stream = await openStream(`${base}/api/whatsapp/stream?ticket=${ticket}`);
  expect(stream.status).toBe(200);
  await stream.waitFor((e) => e.event === 'ready');
  stream.close();
  const reused = await openStream(`${base}/api/whatsapp/stream?ticket=${ticket}`);
  expect(reused.status).toBe(401);
  reused.close();
  const anonymous = await openStream(`${base}/whatsapp/stream`);
  expect(anonymous.status).toBe(401);
  anonymous.close();
  const nobody = await createStaff(app.strapi, app.server, 'StreamNobody', []);
  const forbidden = await openStream(`${base}/whatsapp/stream`, { Authorization: `Bearer ${nobody.token}` });
  expect(forbidden.status).toBe(403);
  forbidden.close();
});

test('after a restart, an event id from before it asks the client to reload instead of replaying nothing', async () => {
  const beforeRestart = createRealtime({ strapi: app.strapi });
  const seen: number[] = [];
  const stop = beforeRestart.subscribe((e) => seen.push(e.seq));
  for (let i = 0; i < 3; i += 1) beforeRestart.publish({ type: 'conversation.updated', conversationId: 1, numberId: numberA.id });
  stop();
  expect(await beforeRestart.since(seen[0])).toHaveLength(2);
  expect(await beforeRestart.since(seen[2])).toEqual([]);

  await new Promise((r) => setTimeout(r, 5));
  const afterRestart = createRealtime({ strapi: app.strapi });
  expect(await afterRestart.since(seen[2])).toBeNull();
  afterRestart.publish({ type: 'conversation.updated', conversationId: 1, numberId: numberA.id });
  expect(await afterRestart.since(seen[2])).toBeNull();
});

/** Holds the next visibility lookup (the numbers query) until released, as a slow database would. */
const holdNumbersQuery = () => {
  const db = app.strapi.db;
  const query = db.query.bind(db);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let entered!: () => void;
  const reached = new Promise<void>((resolve) => (entered = resolve));
  let armed = true;
  const spy = jest.spyOn(db, 'query').mockImplementation(((uid: string) => {
    const repository = query(uid as any);
    if (uid !== 'plugin::whatsapp.number' || !armed) return repository;
    return {
      ...repository,
      findMany: async (args: any) => {
        armed = false;
        entered();
        await gate;
        return repository.findMany(args);
      },
    };
  }) as any);
  return { reached, release: () => { release(); spy.mockRestore(); } };
};
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a client that leaves while its stream is being set up leaves no subscription behind', async () => {
  const realtime = app.strapi.plugin('whatsapp').service('realtime');
  const before = realtime.listenerCount();
  const held = holdNumbersQuery();
  const http = await import('node:http');
  const req = http.get(`${base}/whatsapp/stream`, { headers: { Accept: 'text/event-stream', Authorization: `Bearer ${teamA.token}` } });
  req.on('error', () => undefined);
  await held.reached;
  req.destroy();
  await pause(100);
  held.release();
  await pause(100);
  expect(realtime.listenerCount()).toBe(before);
});

test('a stream that falls too far behind while it is set up is told to reload and ended', async () => {
  const realtime = app.strapi.plugin('whatsapp').service('realtime');
  const before = realtime.listenerCount();
  const held = holdNumbersQuery();
  const opening = openStream(`${base}/whatsapp/stream`, { Authorization: `Bearer ${teamA.token}` });
  await held.reached;
  for (let i = 0; i < 1_001; i += 1) realtime.publish({ type: 'conversation.updated', conversationId: 1, numberId: numberA.id });
  held.release();
  const stream = await opening;
  await stream.waitFor((e) => e.event === 'reset');
  expect(stream.events.filter((e) => e.event === 'conversation.updated')).toEqual([]);
  expect(realtime.listenerCount()).toBe(before);
  stream.close();
});
