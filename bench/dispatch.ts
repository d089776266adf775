/**
 * bench/dispatch: sends per second the outbox achieves against a number's configured limit
 * (80 and 1,000 per second), counted from the provider simulator's arrival log (its own process):
 * over-limit answers (130429), duplicates (a message accepted twice) and rows left in review; and
 * the machine's ceiling (a bare keep-alive loop posting to the same simulator), so the 1,000/s
 * figure is a ratio to what this machine can do (and to the lower of the limit and the ceiling). Prints JSON.
 *
 *   npm run bench:dispatch
 *   TEST_DB=postgres npm run bench:dispatch
 *   BENCH_COUNT_80=800 BENCH_COUNT_1000=3000 BENCH_CEILING_SECONDS=5 BENCH_CEILING_CONCURRENCY=32 npm run bench:dispatch
 */
import path from 'node:path';
import { spawn } from 'node:child_process';
import request from 'supertest';
import { SimulatorClient } from '../simulator/client';
import { machineCeiling } from './processes';
import { startStrapi } from '../tests/helpers/strapi';
import { login } from '../tests/helpers/admin';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const prepare: () => void = require('../scripts/prepare-tests');

const WABA = '102030405060708';

/** `npm run simulator` in its own process; resolves with its URL once it listens. */
const startSimulator = () =>
  new Promise<{ url: string; stop: () => Promise<void> }>((resolve, reject) => {
    const child = spawn(path.resolve(__dirname, '../node_modules/.bin/tsx'), [path.resolve(__dirname, '../simulator/cli.ts')], { env: { ...process.env, SIMULATOR_PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) resolve({ url: m[1], stop: async () => void (child.kill('SIGTERM'), await exited) });
    });
    child.on('exit', (code) => reject(new Error(`the simulator exited (${code}) before it listened`)));
  });

/** What reached the simulator's Graph API for one number since `since`: accepted, over-limit, duplicated, and the arrival rate. */
const arrivals = async (sim: SimulatorClient, pnid: string, since: number) => {
  const records = (await sim.requests({ provider: 'meta', path: `/v23.0/${pnid}/messages`, method: 'POST', since })).filter((r) => (r.body as any)?.status !== 'read');
  const accepted = records.filter((r) => r.status !== undefined && r.status < 300);
  const overLimit = records.filter((r) => (r.response as any)?.error?.code === 130429).length;
  const perText = new Map<string, number>();
  for (const r of accepted) {
    const text = (r.body as any)?.text?.body ?? JSON.stringify(r.body);
    perText.set(text, (perText.get(text) ?? 0) + 1);
  }
  const times = accepted.map((r) => r.at).sort((a, b) => a - b);
  const spanSeconds = times.length > 1 ? (times[times.length - 1] - times[0]) / 1000 : 0;
  return {
    requests: records.length,
    accepted: accepted.length,
    overLimitAnswers: overLimit,
    otherErrors: records.length - accepted.length - overLimit,
    duplicates: [...perText.values()].filter((n) => n > 1).length,
    arrivalsPerSecond: spanSeconds ? Math.round((accepted.length - 1) / spanSeconds) : null,
    idByText: new Map(accepted.map((r) => [(r.body as any)?.text?.body, (r.response as any)?.messages?.[0]?.id])),
  };
};

const main = async () => {
  prepare();
  const simulator = await startSimulator();
  const sim = new SimulatorClient(simulator.url);
  const app = await startStrapi({ NODE_ENV: 'production', WHATSAPP_META_BASE_URL: simulator.url });
  const { strapi } = app;
  strapi.log.level = 'error';
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  const token = await login(app.server);
  const q = (uid: string) => strapi.db.query(uid as any);
  const outbox = strapi.plugin('whatsapp').service('outbox');

  const rateRun = async (mps: number, count: number, pnid: string) => {
    const number = (
      await request(app.server).post('/whatsapp/numbers').set('Authorization', `Bearer ${token}`)
        .send({ label: `Bench ${mps}`, provider: 'meta', phone: `+1555${pnid.slice(-7)}`, phoneNumberId: pnid, wabaId: WABA, accessToken: `bench-${pnid}`, appSecret: 'bench-secret', verifyToken: 'v', throughputMps: mps })
    ).body.data;
    // Status webhooks go nowhere: this run measures sending only.
    await sim.addMetaNumber({ phoneNumberId: pnid, wabaId: WABA, displayPhoneNumber: `1555${pnid.slice(-7)}`, accessToken: `bench-${pnid}`, appSecret: 'bench-secret', webhookUrl: 'http://127.0.0.1:9/none', throughputMps: mps });
    await sim.setFault(pnid, { autoDeliver: false, autoRead: false } as any);
    const windowEnd = new Date(Date.now() + 3600_000);
    await outbox.stop();
    for (let i = 0; i < count; i += 1) {
      const waId = `1556${pnid.slice(-2)}${String(i).padStart(5, '0')}`;
      await sim.setWindow(pnid, waId, true);
      const c = await q('plugin::whatsapp.conversation').create({ data: { numberId: number.id, customerWaId: waId, customerPhone: `+${waId}`, windowExpiresAt: windowEnd } });
      await q('plugin::whatsapp.message').create({ data: { numberId: number.id, conversationId: c.id, direction: 'out', type: 'text', text: `bench ${pnid} ${i}`, status: 'queued', source: 'campaign', attempts: 0 } });
    }
    const since = (await sim.requests({ provider: 'meta' })).reduce((max, r) => Math.max(max, r.seq), 0);
    const started = Date.now();
    await outbox.start();
    for (;;) {
      await outbox.idle();
      const left = await q('plugin::whatsapp.message').count({ where: { numberId: number.id, status: { $in: ['queued', 'sending'] } } });
      if (left === 0) break;
      await new Promise((r) => setTimeout(r, 200));
      outbox.kick();
    }
    const seconds = (Date.now() - started) / 1000;
    const rows = await q('plugin::whatsapp.message').findMany({ where: { numberId: number.id }, select: ['status', 'text', 'providerMessageId'] });
    const count_ = (status: string) => rows.filter((r: any) => r.status === status).length;
    const arrived = await arrivals(sim, pnid, since);
    return {
      configuredPerSecond: mps,
      messages: count,
      seconds: Number(seconds.toFixed(2)),
      achievedPerSecond: Math.round(count / seconds),
      simulatorArrivalsPerSecond: arrived.arrivalsPerSecond,
      ratioToLimit: arrived.arrivalsPerSecond ? Number((arrived.arrivalsPerSecond / mps).toFixed(2)) : null,
      arrivals: { ...arrived, idByText: undefined },
      rows: { sent: count_('sent'), failed: count_('failed'), review: count_('review'), queued: count_('queued') + count_('sending'), wrongProviderId: rows.filter((r: any) => r.status === 'sent' && arrived.idByText.get(r.text) !== r.providerMessageId).length },
    };
  };

  const at80 = await rateRun(80, Number(process.env.BENCH_COUNT_80 ?? 800), '400000000000080');
  const at1000 = await rateRun(1000, Number(process.env.BENCH_COUNT_1000 ?? 3000), '400000000001000');
  const machine = await machineCeiling(sim, Number(process.env.BENCH_CEILING_SECONDS ?? 5), Number(process.env.BENCH_CEILING_CONCURRENCY ?? 32));

  const result = {
    database: process.env.TEST_DB === 'postgres' ? 'postgres' : 'sqlite',
    simulator: 'own process (npm run simulator)',
    ceiling: machine,
    dispatch: [
      at80,
      {
        ...at1000,
        ratioToCeiling: at1000.simulatorArrivalsPerSecond ? Number((at1000.simulatorArrivalsPerSecond / machine.perSecond).toFixed(2)) : null,
        // The outbox may not pass the number's limit: when the machine could go faster, the limit is what can be reached.
        ratioToAttainable: at1000.simulatorArrivalsPerSecond ? Number((at1000.simulatorArrivalsPerSecond / Math.min(1000, machine.perSecond)).toFixed(2)) : null,
      },
    ],
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  await app.stop();
  await simulator.stop();
  process.exit(0);
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
