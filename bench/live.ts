/**
 * bench/live: webhook → open inbox stream on the running example (`strapi start` in its own
 * process), measured from outside: the load and the stream client run in a third process
 * (bench/live-load.ts), the provider simulator in a fourth. First 10 customer messages per second
 * alone for 30 s (300 messages, so its p99 is not just its slowest one), then 100 per second plus
 * 200 delivery receipts per second (for messages the business sent through the simulator) for
 * 10 s; prints JSON with each p50/p99 and the ratio of the p99s (target ≤ 3).
 *
 *   npm run bench:live                      # SQLite
 *   TEST_DB=postgres npm run bench:live     # PostgreSQL
 *   BENCH_SECONDS=10 BENCH_BASE_SECONDS=30 BENCH_CUSTOMERS=200 npm run bench:live
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SimulatorClient } from '../simulator/client';
import { adminToken, startExample } from '../tests/e2e/support/exampleServer';
import { startSimulatorProcess } from './processes';
import type { LoadPlan } from './live-load';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const prepare: () => void = require('../scripts/prepare-tests');

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const BASE_SECONDS = Number(process.env.BENCH_BASE_SECONDS ?? 30);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 200);
const PNID = '109876543210987';
const WABA = '102030405060708';
const SECRET = 'live-app-secret';

const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 120_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

const main = async () => {
  prepare();
  const simulator = await startSimulatorProcess();
  const sim = new SimulatorClient(simulator.url);
  const server = await startExample({ WHATSAPP_META_BASE_URL: simulator.url }, { adminPanel: false });
  try {
    const token = await adminToken(server.baseUrl);
    const api = async (method: string, route: string, body?: unknown) => {
      const res = await fetch(`${server.baseUrl}${route}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      const data = (await res.json()) as any;
      if (!res.ok) throw new Error(`${method} ${route} → ${res.status}: ${JSON.stringify(data)}`);
      return data;
    };
    // A number whose limit does not hold up the replies that the receipts are for.
    const number = (await api('POST', '/whatsapp/numbers', { label: 'Live', provider: 'meta', phone: '+15550001111', phoneNumberId: PNID, wabaId: WABA, accessToken: 'live-token-000000000', appSecret: SECRET, verifyToken: 'v', throughputMps: 1000 })).data;
    const webhookPath = new URL(number.webhookUrl).pathname;
    await sim.addMetaNumber({ phoneNumberId: PNID, wabaId: WABA, displayPhoneNumber: '15550001111', accessToken: 'live-token-000000000', appSecret: SECRET, webhookUrl: `${server.baseUrl}${webhookPath}`, throughputMps: 1000 });
    // Receipts come from the load process at a fixed rate, not from the simulator.
    await sim.setFault(PNID, { autoDeliver: false, autoRead: false } as any);

    // Each customer writes once (through the simulator), which opens their conversation and window.
    const customer = (k: number) => `1557${String(k).padStart(7, '0')}`;
    for (let k = 0; k < CUSTOMERS; k += 1) await sim.customerSends({ from: customer(k), to: PNID, text: `hello ${k}` });
    const conversations = async () => {
      const all: { id: number; customerWaId: string }[] = [];
      for (let page = 1; ; page += 1) {
        const { data } = await api('GET', `/whatsapp/conversations?pageSize=100&page=${page}`);
        all.push(...data);
        if (data.length < 100) return all;
      }
    };
    await until('the customers’ conversations', async () => (await conversations()).length >= CUSTOMERS);
    const list = await conversations();
    const customers = Object.fromEntries(list.map((c) => [String(c.id), c.customerWaId]));

    // Replies the receipts are about: three receipts each (sent, delivered, read).
    const replies = Math.ceil((200 * SECONDS) / 3);
    const since = (await sim.requests({ provider: 'meta' })).reduce((max, r) => Math.max(max, r.seq), 0);
    for (let i = 0; i < replies; i += 1) await api('POST', `/whatsapp/conversations/${list[i % list.length].id}/messages`, { type: 'text', text: `reply ${i}` });
    const accepted = async () => (await sim.requests({ provider: 'meta', path: `/v23.0/${PNID}/messages`, method: 'POST', since })).filter((r) => r.status !== undefined && r.status < 300 && (r.body as any)?.type === 'text');
    await until('the replies to reach the simulator', async () => (await accepted()).length >= replies);
    const sent = (await accepted()).map((r) => ({ wamid: (r.response as any).messages[0].id as string, to: String((r.body as any).to).replace(/\D/g, '') }));

    const run = async (messagesPerSecond: number, receiptsPerSecond: number, seconds: number, tag: string) => {
      const plan: LoadPlan = { base: server.baseUrl, token, webhookPath, appSecret: SECRET, phoneNumberId: PNID, customers, sent, messagesPerSecond, receiptsPerSecond, seconds, tag };
      // In a file: a long run's plan (its replies' ids) is more than a command line holds.
      const planFile = path.join(os.tmpdir(), `live-plan-${process.pid}-${tag}.json`);
      await fs.writeFile(planFile, JSON.stringify(plan));
      try {
        const { stdout } = await promisify(execFile)(path.resolve(__dirname, '../node_modules/.bin/tsx'), [path.join(__dirname, 'live-load.ts'), planFile], { maxBuffer: 1 << 26 });
        return JSON.parse(stdout);
      } finally {
        await fs.rm(planFile, { force: true });
      }
    };
    const baseline = await run(10, 0, BASE_SECONDS, 'base');
    const loaded = await run(100, 200, SECONDS, 'load');
    const result = {
      database: process.env.TEST_DB === 'postgres' ? 'postgres' : 'sqlite',
      server: 'example, `strapi start` in its own process',
      seconds: { baseline: BASE_SECONDS, loaded: SECONDS },
      customers: CUSTOMERS,
      baseline,
      loaded,
      ratio: { p99LoadedVsBaseline: baseline.p99Ms ? Number((loaded.p99Ms / baseline.p99Ms).toFixed(2)) : null, p50LoadedVsBaseline: baseline.p50Ms ? Number((loaded.p50Ms / baseline.p50Ms).toFixed(2)) : null },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await server.stop();
    await simulator.stop();
  }
  process.exit(0);
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
