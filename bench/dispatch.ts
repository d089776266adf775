/**
 * bench/dispatch: sends per second the dispatcher achieves against the number's configured limit
 * (80 and 1,000 per second), with the provider's over-limit answers and duplicates counted; and the
 * latency from a customer's webhook to the event on an open inbox stream at 100 messages per
 * second. The provider is the simulator, in this process. Prints JSON.
 *
 *   npm run bench:dispatch
 *   TEST_DB=postgres npm run bench:dispatch
 */
import { createSimulator } from '../simulator';
import { startStrapi } from '../tests/helpers/strapi';
import { login } from '../tests/helpers/admin';
import { openStream } from '../tests/helpers/sse';
import request from 'supertest';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const prepare: () => void = require('../scripts/prepare-tests');

const pct = (sorted: number[], p: number) => (sorted.length ? Number(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(1)) : null);

const main = async () => {
  prepare();
  const sim = await createSimulator();
  const app = await startStrapi({ NODE_ENV: 'production', WHATSAPP_META_BASE_URL: sim.url });
  const { strapi } = app;
  strapi.log.level = 'error';
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${app.server.address().port}`;
  const token = await login(app.server);
  const q = (uid: string) => strapi.db.query(uid as any);
  const dispatcher = strapi.plugin('whatsapp').service('dispatcher');

  const rateRun = async (mps: number, count: number, pnid: string) => {
    const number = (
      await request(app.server).post('/whatsapp/numbers').set('Authorization', `Bearer ${token}`)
        .send({ label: `Bench ${mps}`, provider: 'meta', phone: `+1555${pnid.slice(-7)}`, phoneNumberId: pnid, wabaId: '102030405060708', accessToken: `bench-${pnid}`, appSecret: 'bench-secret', verifyToken: 'v', throughputMps: mps })
    ).body.data;
    // Status webhooks go nowhere: this run measures sending only.
    await sim.client.addMetaNumber({ phoneNumberId: pnid, wabaId: '102030405060708', displayPhoneNumber: `1555${pnid.slice(-7)}`, accessToken: `bench-${pnid}`, appSecret: 'bench-secret', webhookUrl: 'http://127.0.0.1:9/none', throughputMps: mps });
    await sim.client.setFault(pnid, { autoDeliver: false, autoRead: false } as any);
    const windowEnd = new Date(Date.now() + 3600_000);
    await dispatcher.stop();
    for (let i = 0; i < count; i += 1) {
      const waId = `1556${pnid.slice(-2)}${String(i).padStart(5, '0')}`;
      await sim.client.setWindow(pnid, waId, true);
      const c = await q('plugin::whatsapp.conversation').create({ data: { numberId: number.id, customerWaId: waId, customerPhone: `+${waId}`, windowExpiresAt: windowEnd } });
      await q('plugin::whatsapp.message').create({ data: { numberId: number.id, conversationId: c.id, direction: 'out', type: 'text', text: `bench ${pnid} ${i}`, status: 'queued', source: 'campaign', attempts: 0 } });
    }
    const started = Date.now();
    await dispatcher.start();
    for (;;) {
      await dispatcher.idle();
      const left = await q('plugin::whatsapp.message').count({ where: { numberId: number.id, status: { $in: ['queued', 'sending'] } } });
      if (left === 0) break;
      await new Promise((r) => setTimeout(r, 200));
      dispatcher.kick();
    }
    const seconds = (Date.now() - started) / 1000;
    const rows = await q('plugin::whatsapp.message').findMany({ where: { numberId: number.id }, select: ['status', 'errorCode', 'attempts', 'text'] });
    const outbound = (await sim.client.outbound({ business: pnid })) as any[];
    const perText = new Map<string, number>();
    for (const m of outbound) perText.set(m.text, (perText.get(m.text) ?? 0) + 1);
    return {
      configuredPerSecond: mps,
      messages: count,
      seconds: Number(seconds.toFixed(2)),
      achievedPerSecond: Math.round(count / seconds),
      sent: rows.filter((r: any) => r.status === 'sent').length,
      failed: rows.filter((r: any) => r.status === 'failed').length,
      overLimitAnswers: rows.filter((r: any) => r.errorCode === '130429').length + rows.filter((r: any) => r.attempts > 1).length,
      duplicates: [...perText.values()].filter((n) => n > 1).length,
    };
  };

  const at80 = await rateRun(80, Number(process.env.BENCH_COUNT_80 ?? 800), '400000000000080');
  const at1000 = await rateRun(1000, Number(process.env.BENCH_COUNT_1000 ?? 3000), '400000000001000');

  // Webhook → stream latency at 100 customer messages per second.
  const number = (
    await request(app.server).post('/whatsapp/numbers').set('Authorization', `Bearer ${token}`)
      .send({ label: 'Latency', provider: 'meta', phone: '+15550001111', phoneNumberId: '109876543210987', wabaId: '102030405060708', accessToken: 'lat-token', appSecret: 'lat-secret', verifyToken: 'v' })
  ).body.data;
  await sim.client.addMetaNumber({ phoneNumberId: '109876543210987', wabaId: '102030405060708', displayPhoneNumber: '15550001111', accessToken: 'lat-token', appSecret: 'lat-secret', webhookUrl: number.webhookUrl.replace(/^https?:\/\/[^/]+/, base) });
  const stream = await openStream(`${base}/whatsapp/stream`, { Authorization: `Bearer ${token}` });
  await stream.waitFor((e) => e.event === 'ready');
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  const messageIds = new Map<string, number>();
  const total = Number(process.env.BENCH_LATENCY_COUNT ?? 500);
  const arrivals = new Promise<void>((resolve) => {
    const poll = setInterval(async () => {
      for (const e of stream.events.splice(0)) {
        if (e.event !== 'message.created') continue;
        const row = await q('plugin::whatsapp.message').findOne({ where: { id: e.data.messageId }, select: ['text'] });
        const i = Number(String(row?.text ?? '').replace('latency ', ''));
        if (sentAt.has(i)) latencies.push(Date.now() - sentAt.get(i)!);
      }
      if (latencies.length >= total) {
        clearInterval(poll);
        resolve();
      }
    }, 5);
  });
  const started = Date.now();
  for (let i = 0; i < total; i += 1) {
    const due = started + i * 10;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    sentAt.set(i, Date.now());
    void sim.client.customerSends({ from: `1557${String(i % 200).padStart(7, '0')}`, to: '109876543210987', text: `latency ${i}` });
  }
  await Promise.race([arrivals, new Promise((r) => setTimeout(r, 30_000))]);
  stream.close();
  latencies.sort((a, b) => a - b);

  const result = {
    database: process.env.TEST_DB === 'postgres' ? 'postgres' : 'sqlite',
    dispatch: [at80, at1000],
    webhookToStream: { messagesPerSecond: 100, messages: total, received: latencies.length, p50Ms: pct(latencies, 50), p99Ms: pct(latencies, 99) },
  };
  messageIds.clear();
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  await app.stop();
  await sim.close();
  process.exit(0);
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
