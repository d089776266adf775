/**
 * bench/ingest: signed Meta webhooks acknowledged per second by the plugin's route against the
 * floor (a bare Strapi route, registered here only, that checks the same HMAC and stores the raw
 * body with one plain knex insert), in alternating rounds in one run; events applied per second;
 * acknowledgements per second while the worker applies against alone (the rounds just before and
 * after it); and applied messages compared with acknowledged calls (none lost). Load and latency come from a second Node process;
 * only 2xx answers count as acknowledged. Prints JSON.
 *
 *   npm run bench:ingest                      # SQLite
 *   TEST_DB=postgres npm run bench:ingest     # PostgreSQL
 *   BENCH_SECONDS=5 BENCH_ROUNDS=3 BENCH_CONCURRENCY=16 npm run bench:ingest
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import request from 'supertest';
import { startStrapi } from '../tests/helpers/strapi';
import { login } from '../tests/helpers/admin';
import { fixture } from '../tests/helpers/fixtures';

// The test build step is plain CommonJS shared with scripts/test.js.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const prepare: () => void = require('../scripts/prepare-tests');

/** Seconds per round. */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** Rounds of each route, alternating. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SENDERS = 300;
const SECRET = 'bench-app-secret';
const BARE_PATH = '/bench/bare';

type Load = { sent: number; acknowledged: number; errors: number; statuses: Record<string, number>; seconds: number; perSecond: number; p50: number | null; p99: number | null };

const sign = (body: string) => `sha256=${crypto.createHmac('sha256', SECRET).update(body).digest('hex')}`;
const ratio = (a: number, b: number) => (b ? Number((a / b).toFixed(2)) : null);
const mean = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length));

/** Distinct inbound text messages from a few hundred customers, each body signed; `tag` keeps every round's ids apart. */
const bodies = (count: number, target: string, tag: string) => {
  const template = fixture('meta/inbound-text.json');
  return Array.from({ length: count }, (_, i) => {
    const body = structuredClone(template);
    const value = body.entry[0].changes[0].value;
    const from = `1555${String(7000000 + (i % SENDERS)).padStart(7, '0')}`;
    value.contacts = [{ profile: { name: `Bench ${i % SENDERS}` }, wa_id: from }];
    value.messages[0] = { ...value.messages[0], from, id: `wamid.bench-${process.pid}-${tag}-${i}`, text: { body: `message ${i}` } };
    delete value.messages[0].from_user_id;
    const raw = JSON.stringify(body);
    // The bare route reads its own bytes, as the plugin's webhook middleware does: the host's JSON parser must leave them.
    const contentType: Record<string, string> = target === BARE_PATH ? { 'content-type': 'application/octet-stream' } : {};
    return { path: target, body: raw, headers: { 'x-hub-signature-256': sign(raw), ...contentType } };
  });
};

/** Runs the load in a child process: the server in this process must keep its event loop free. */
const load = async (url: string, target: string, tag: string): Promise<Load> => {
  const file = path.join(os.tmpdir(), `wa-bench-${process.pid}-${tag}.json`);
  fs.writeFileSync(file, JSON.stringify(bodies(SECONDS * 3000, target, tag)));
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(__dirname, 'load.js'), JSON.stringify({ url, bodiesFile: file, concurrency: CONCURRENCY, seconds: SECONDS })], { maxBuffer: 1 << 26 });
  fs.rmSync(file);
  return JSON.parse(stdout);
};

const summary = (runs: Load[]) => ({
  acknowledgedPerSecond: mean(runs.map((r) => r.perSecond)),
  rounds: runs.map((r) => r.perSecond),
  p50Ms: Math.max(...runs.map((r) => r.p50 ?? 0)),
  p99Ms: Math.max(...runs.map((r) => r.p99 ?? 0)),
  refused: runs.reduce((n, r) => n + r.sent - r.acknowledged, 0),
});

const main = async () => {
  prepare();
  const app = await startStrapi({ NODE_ENV: 'production' });
  const { strapi } = app;
  strapi.log.level = 'error';
  const server = strapi.server.httpServer;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as any).port}`;

  const token = await login(server);
  const number = (
    await request(server)
      .post('/whatsapp/numbers')
      .set('Authorization', `Bearer ${token}`)
      .send({ label: 'Bench', provider: 'meta', phone: '+15550001111', phoneNumberId: '109876543210987', wabaId: '102030405060708', accessToken: 'bench-token-000000000', appSecret: SECRET, verifyToken: 'bench' })
  ).body.data;
  const pluginPath = new URL(number.webhookUrl).pathname;

  // The floor: the same HMAC check and one plain insert of the raw body, in a route of the bench's own.
  const knex = strapi.db.connection;
  await knex.schema.createTable('bench_bare_events', (t) => {
    t.increments('id');
    t.text('raw_body');
    t.timestamp('received_at');
  });
  strapi.server.router.post(BARE_PATH, async (ctx: any) => {
    const chunks: Buffer[] = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    const raw = Buffer.concat(chunks).toString('utf8');
    const expected = Buffer.from(`sha256=${crypto.createHmac('sha256', SECRET).update(raw).digest('hex')}`);
    const given = Buffer.from(String(ctx.get('x-hub-signature-256')));
    if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) {
      ctx.status = 401;
      return;
    }
    await knex('bench_bare_events').insert({ raw_body: raw, received_at: new Date() });
    ctx.body = { ok: true };
  });

  const inbound = strapi.plugin('whatsapp').service('inbound');
  const applied = () => strapi.db.query('plugin::whatsapp.message').count({ where: { numberId: number.id } });

  // 1. Acknowledging alone, the plugin and the floor in alternating rounds: a slow minute of the machine hits both.
  await inbound.stop();
  const plugin: Load[] = [];
  const bare: Load[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    plugin.push(await load(url, pluginPath, `p${round}`));
    bare.push(await load(url, BARE_PATH, `b${round}`));
  }

  // 2. Applying alone: the backlog the plugin's rounds stored.
  const backlog = plugin.reduce((n, r) => n + r.acknowledged, 0);
  let started = Date.now();
  inbound.start();
  await inbound.idle();
  const applySeconds = (Date.now() - started) / 1000;
  const appliedAlone = await applied();

  // 3. Acknowledging while the worker applies (a fresh backlog first, then both at once), against
  // acknowledging alone in the rounds just before and just after it, on the same warm process and tables.
  await inbound.stop();
  const before = await load(url, pluginPath, 'before');
  const beforeApplied = await applied();
  inbound.start();
  started = Date.now();
  const during = await load(url, pluginPath, 'during');
  const appliedDuring = (await applied()) - beforeApplied;
  const duringSeconds = (Date.now() - started) / 1000;
  await inbound.idle();
  await inbound.stop();
  const after = await load(url, pluginPath, 'after');
  inbound.start();
  await inbound.idle();

  const acknowledged = backlog + before.acknowledged + during.acknowledged + after.acknowledged;
  const total = await applied();
  const pending = await strapi.db.query('plugin::whatsapp.webhook-event').count({ where: { numberId: number.id, state: { $ne: 'done' } } });
  const alone = summary([before, after]);
  const result = {
    database: process.env.TEST_DB === 'postgres' ? 'postgres' : 'sqlite',
    secondsPerRound: SECONDS,
    rounds: ROUNDS,
    concurrency: CONCURRENCY,
    plugin: summary(plugin),
    bareRoute: summary(bare),
    applied: { events: appliedAlone, seconds: Number(applySeconds.toFixed(2)), perSecond: Math.round(appliedAlone / applySeconds) },
    whileApplying: { ...summary([during]), appliedPerSecond: Math.round(appliedDuring / duringSeconds), aloneJustBeforeAndAfter: alone.rounds },
    delivery: { acknowledged, applied: total, lost: acknowledged - total, rowsNotDone: pending },
    ratios: {
      pluginVsBare: ratio(summary(plugin).acknowledgedPerSecond, summary(bare).acknowledgedPerSecond),
      ackWhileApplyingVsAlone: ratio(during.perSecond, alone.acknowledgedPerSecond),
    },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  await knex.schema.dropTableIfExists('bench_bare_events');
  await app.stop();
  process.exit(0);
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
