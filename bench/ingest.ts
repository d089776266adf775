/**
 * bench/ingest: signed Meta webhook POSTs acknowledged per second, events applied per second and
 * acknowledgement latency, for the plugin's webhook route and for a bare Strapi route that only
 * checks the HMAC and inserts the raw body into the same database. Prints JSON.
 *
 *   npm run bench:ingest                      # SQLite
 *   TEST_DB=postgres npm run bench:ingest     # PostgreSQL
 *   BENCH_SECONDS=20 BENCH_CONCURRENCY=16 npm run bench:ingest
 *   BENCH_LOAD=wrk npm run bench:ingest       # load from wrk (Debian package) instead of Node:
 *                                             # one signed body repeated, so only acknowledging is measured
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

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SECRET = 'bench-app-secret';
const BARE_PATH = '/bench/bare';

const sign = (body: string) => `sha256=${crypto.createHmac('sha256', SECRET).update(body).digest('hex')}`;

/** Distinct inbound text messages from a few hundred customers, each body signed. */
const bodies = (count: number, path: string) => {
  const template = fixture('meta/inbound-text.json');
  return Array.from({ length: count }, (_, i) => {
    const body = structuredClone(template);
    const value = body.entry[0].changes[0].value;
    const from = `1555${String(7000000 + (i % 300)).padStart(7, '0')}`;
    value.contacts = [{ profile: { name: `Bench ${i % 300}` }, wa_id: from }];
    value.messages[0] = { ...value.messages[0], from, id: `wamid.bench-${process.pid}-${i}`, text: { body: `message ${i}` } };
    delete value.messages[0].from_user_id;
    const raw = JSON.stringify(body);
    // The bare route reads its own bytes, as the plugin's webhook middleware does: the host's JSON parser must leave them.
    const contentType: Record<string, string> = path === BARE_PATH ? { 'content-type': 'application/octet-stream' } : {};
    return { path, body: raw, headers: { 'x-hub-signature-256': sign(raw), ...contentType } };
  });
};

/** wrk's summary as the Node load generator reports it. */
const wrkLoad = async (url: string, requests: { path: string; body: string; headers: Record<string, string> }[]) => {
  const { path: target, body, headers } = requests[0];
  const script = path.join(os.tmpdir(), `wa-bench-${process.pid}.lua`);
  const lua = (v: string) => JSON.stringify(v);
  fs.writeFileSync(script, `wrk.method = "POST"\nwrk.body = ${lua(body)}\nwrk.headers["Content-Type"] = ${lua(headers['content-type'] ?? 'application/json')}\n${Object.entries(headers).filter(([k]) => k !== 'content-type').map(([k, v]) => `wrk.headers[${lua(k)}] = ${lua(v)}`).join('\n')}\n`);
  const { stdout } = await promisify(execFile)('wrk', ['-t2', `-c${CONCURRENCY}`, `-d${SECONDS}s`, '--latency', '-s', script, `${url}${target}`]);
  fs.rmSync(script);
  const ms = (label: string) => {
    const m = new RegExp(`${label}%\\s+([\\d.]+)(us|ms|s)`).exec(stdout);
    if (!m) return null;
    const v = Number(m[1]);
    return Number((m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v).toFixed(2));
  };
  const perSecond = Math.round(Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? 0));
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
  return { perSecond, p50: ms(' 50'), p99: ms(' 99'), statuses: { non2xx }, errors: 0, requests: Number(/(\d+) requests in/.exec(stdout)?.[1] ?? 0) };
};

/** Runs the load in a child process: the server in this process must keep its event loop free. */
const load = async (url: string, requests: { path: string; body: string; headers: Record<string, string> }[]) => {
  if (process.env.BENCH_LOAD === 'wrk') return wrkLoad(url, requests);
  const file = path.join(os.tmpdir(), `wa-bench-${process.pid}.json`);
  fs.writeFileSync(file, JSON.stringify(requests));
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(__dirname, 'load.js'), JSON.stringify({ url, bodiesFile: file, concurrency: CONCURRENCY, seconds: SECONDS })], { maxBuffer: 1 << 26 });
  fs.rmSync(file);
  return JSON.parse(stdout);
};

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

  // The floor: the same HMAC check and one insert of the raw body, in a bare route.
  const knex = strapi.db.connection;
  if (!(await knex.schema.hasTable('bench_bare_events'))) {
    await knex.schema.createTable('bench_bare_events', (t) => {
      t.increments('id');
      t.text('raw_body');
      t.timestamp('received_at');
    });
  }
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
    await strapi.db.query('plugin::whatsapp.webhook-event').create({ data: { rawBody: raw, receivedAt: new Date(), state: 'ignored' } });
    ctx.body = { ok: true };
  });

  const count = Math.max(2000, SECONDS * 3000);
  const bare = await load(url, bodies(count, BARE_PATH));
  await knex('whatsapp_webhook_events').where({ state: 'ignored' }).del();

  // Acknowledging and applying are measured apart: on SQLite both share the one connection.
  const pluginPath = new URL(number.webhookUrl).pathname;
  const inbound = strapi.plugin('whatsapp').service('inbound');
  await inbound.stop();
  const plugin = await load(url, bodies(count, pluginPath));
  const started = Date.now();
  inbound.start();
  await inbound.idle();
  const appliedSeconds = (Date.now() - started) / 1000;
  const applied = await strapi.db.query('plugin::whatsapp.message').count({ where: { numberId: number.id } });

  // Both at once, as in production: the acknowledgement rate while the worker applies.
  const concurrent = await load(url, bodies(Math.round(count / 2), pluginPath).map((r, i) => ({ ...r, body: r.body.replace(/wamid\.bench-/g, `wamid.bench-c${i}-`) })).map((r) => ({ ...r, headers: { 'x-hub-signature-256': sign(r.body) } })));
  await inbound.idle();

  const result = {
    database: process.env.TEST_DB === 'postgres' ? 'postgres' : 'sqlite',
    load: process.env.BENCH_LOAD === 'wrk' ? 'wrk -t2, one signed body repeated' : 'node, distinct signed bodies',
    seconds: SECONDS,
    concurrency: CONCURRENCY,
    plugin: { acknowledgedPerSecond: plugin.perSecond, p50Ms: plugin.p50, p99Ms: plugin.p99, statuses: plugin.statuses, errors: plugin.errors },
    applied: { events: applied, seconds: Number(appliedSeconds.toFixed(2)), perSecond: Math.round(applied / appliedSeconds) },
    pluginWhileApplying: { acknowledgedPerSecond: concurrent.perSecond, p50Ms: concurrent.p50, p99Ms: concurrent.p99, statuses: concurrent.statuses },
    bareRoute: { acknowledgedPerSecond: bare.perSecond, p50Ms: bare.p50, p99Ms: bare.p99, statuses: bare.statuses },
    ratio: Number((plugin.perSecond / bare.perSecond).toFixed(2)),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  await app.stop();
  process.exit(0);
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
