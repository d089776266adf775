/**
 * bench/campaign: a campaign of BENCH_RECIPIENTS (10,000) CSV recipients, launched over HTTP on the
 * example CRM (`strapi start`, its own process) against the provider simulator (its own process),
 * at a number's 80/s and at 1,000/s. Everything is measured from outside the app: sends per second
 * from the simulator's arrival log (÷ the limit), over-limit answers (130429), duplicates (a phone
 * accepted twice), rows put up for review, how far receipts lag behind sends (the k-th send's
 * arrival to the first poll of the campaign's funnel counting k delivered / read), and the app
 * process's peak RSS (VmHWM). The 1,000/s run is also a ratio to the machine's ceiling (a bare
 * keep-alive loop to the same simulator, as bench/dispatch.ts). Prints JSON.
 *
 *   npm run bench:campaign
 *   BENCH_RECIPIENTS=2000 npm run bench:campaign
 *   TEST_DB=postgres BENCH_RATES=80,1000 BENCH_POLL_MS=500 BENCH_CEILING_SECONDS=5 npm run bench:campaign
 */
import fs from 'node:fs';
import { SimulatorClient } from '../simulator/client';
import { adminToken, startExample, type ExampleServer } from '../tests/e2e/support/exampleServer';
import { machineCeiling, startSimulatorProcess } from './processes';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const prepare: () => void = require('../scripts/prepare-tests');

const WABA = '102030405060709';
const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 10_000);
const RATES = (process.env.BENCH_RATES ?? '80,1000').split(',').map(Number);
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 500);
/** How long receipts may take after the last send before the run stops waiting for them. */
const RECEIPTS_WAIT_MS = Number(process.env.BENCH_RECEIPTS_WAIT_MS ?? 120_000);

/** Kilobytes of a /proc/<pid>/status line (VmRSS now, VmHWM the peak). */
const procKb = (pid: number, key: 'VmRSS' | 'VmHWM') => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
const mb = (kb: number) => Math.round(kb / 1024);

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] : null);

/** For each k, the time from the k-th send's arrival to the first poll whose count reached k. */
const lags = (sends: number[], polls: { at: number; count: number }[]) => {
  const out: number[] = [];
  let p = 0;
  for (let k = 1; k <= sends.length; k += 1) {
    while (p < polls.length && polls[p].count < k) p += 1;
    if (p === polls.length) break;
    out.push(polls[p].at - sends[k - 1]);
  }
  const sorted = out.sort((a, b) => a - b);
  return { counted: sorted.length, p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95), maxMs: sorted.length ? sorted[sorted.length - 1] : null };
};

const run = async (app: ExampleServer, sim: SimulatorClient, token: string, rate: number) => {
  const api = async (method: string, url: string, body?: unknown, tries = method === 'GET' ? 3 : 1): Promise<any> => {
    let res: Response;
    try {
      res = await fetch(`${app.baseUrl}${url}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (error) {
      // A kept-alive socket the busy server closed as it was reused: a read is asked again.
      if (tries > 1) return api(method, url, body, tries - 1);
      throw new Error(`${method} ${url}: ${(error as Error).message}\n${app.logs()}`);
    }
    const json = (await res.json()) as any;
    if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
    return json.data;
  };
  const pnid = `4000000000${String(rate).padStart(5, '0')}`;
  const credentials = { accessToken: `bench-campaign-${rate}`, appSecret: 'bench-campaign-secret' };
  const number = await api('POST', '/whatsapp/numbers', { label: `Bench ${rate}/s`, provider: 'meta', phone: `+1555${pnid.slice(-7)}`, phoneNumberId: pnid, wabaId: WABA, ...credentials, verifyToken: 'v', throughputMps: rate });
  const hook = new URL(number.webhookUrl);
  // Receipts (sent, delivered, read) go back to the app, batched as Meta does under load.
  await sim.addMetaNumber({ phoneNumberId: pnid, wabaId: WABA, displayPhoneNumber: `1555${pnid.slice(-7)}`, ...credentials, webhookUrl: `${app.baseUrl}${hook.pathname}${hook.search}`, throughputMps: rate } as any);
  await sim.setFault(pnid, { batch: Number(process.env.BENCH_RECEIPT_BATCH ?? 100) } as any);
  await sim.createTemplate({ wabaId: WABA, name: `bench_notice_${rate}`, language: 'en_US', category: 'UTILITY', status: 'APPROVED', body: 'Hello {{1}}, this is a notice.' } as any);
  await api('POST', '/whatsapp/templates/sync', { numberId: number.id });

  const phones = Array.from({ length: RECIPIENTS }, (_, i) => `+33${rate === 80 ? 6 : 7}${String(10_000_000 + i)}`);
  const csv = ['phone,name', ...phones.map((p, i) => `${p},Customer ${i}`)].join('\n');
  const campaign = await api('POST', '/whatsapp/campaigns', { name: `Bench ${rate}/s`, numberId: number.id, template: { name: `bench_notice_${rate}`, language: 'en_US' }, parameters: [{ component: 'body', index: 0, from: 'column', value: 'name' }], audience: { csv }, schedule: { type: 'now' } });
  const since = (await sim.requests({ provider: 'meta' })).reduce((max, r) => Math.max(max, r.seq), 0);
  const rssBefore = procKb(app.pid, 'VmRSS');
  const launchedAt = Date.now();
  await api('POST', `/whatsapp/campaigns/${campaign.id}/launch`, {});

  const polls: { at: number; state: string; delivered: number; read: number }[] = [];
  let rssMax = rssBefore;
  let doneAt: number | null = null;
  for (;;) {
    const c = await api('GET', `/whatsapp/campaigns/${campaign.id}`);
    polls.push({ at: Date.now(), state: c.state, delivered: c.funnel.delivered, read: c.funnel.read });
    rssMax = Math.max(rssMax, procKb(app.pid, 'VmRSS'));
    if (doneAt === null && c.state === 'done') doneAt = Date.now();
    const settled = c.funnel.read + c.funnel.failed >= c.funnel.sent + c.funnel.failed && c.funnel.sent > 0;
    if (doneAt !== null && (settled || Date.now() - doneAt > RECEIPTS_WAIT_MS)) break;
    if (Date.now() - launchedAt > 60 * 60_000) throw new Error(`campaign at ${rate}/s not done in an hour: ${JSON.stringify(c.counters)}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }

  const calls = (await sim.requests({ provider: 'meta', method: 'POST', since })).filter((r) => r.path === `/v23.0/${pnid}/messages` || r.path.endsWith(`/${pnid}/messages`));
  const accepted = calls.filter((r) => r.status !== undefined && r.status < 300);
  const perPhone = new Map<string, number>();
  for (const r of accepted) perPhone.set((r.body as any).to, (perPhone.get((r.body as any).to) ?? 0) + 1);
  const sends = accepted.map((r) => r.at).sort((a, b) => a - b);
  const span = sends.length > 1 ? (sends[sends.length - 1] - sends[0]) / 1000 : 0;
  const perSecond = span ? (sends.length - 1) / span : null;
  const final = await api('GET', `/whatsapp/campaigns/${campaign.id}`);
  const failed = final.counters.failed as number;
  const review = failed ? ((await api('GET', `/whatsapp/campaigns/${campaign.id}/recipients?status=failed&pageSize=1000`)) as any[]).filter((r) => r.errorClass === 'maybe-sent').length : 0;
  return {
    configuredPerSecond: rate,
    recipients: RECIPIENTS,
    launchToAllAcceptedSeconds: Number(((sends[sends.length - 1] - launchedAt) / 1000).toFixed(2)),
    launchToDoneSeconds: doneAt ? Number(((doneAt - launchedAt) / 1000).toFixed(2)) : null,
    accepted: accepted.length,
    simulatorArrivalsPerSecond: perSecond === null ? null : Math.round(perSecond),
    ratioToLimit: perSecond === null ? null : Number((perSecond / rate).toFixed(2)),
    overLimitAnswers: calls.filter((r) => JSON.stringify(r.response ?? '').includes('130429')).length,
    otherErrors: calls.length - accepted.length - calls.filter((r) => JSON.stringify(r.response ?? '').includes('130429')).length,
    duplicates: [...perPhone.values()].filter((n) => n > 1).length,
    phonesNeverSent: phones.filter((p) => !perPhone.has(p.slice(1))).length,
    rowsInReview: review,
    funnel: final.funnel,
    receiptLag: {
      pollMs: POLL_MS,
      delivered: lags(sends, polls.map((p) => ({ at: p.at, count: p.delivered }))),
      read: lags(sends, polls.map((p) => ({ at: p.at, count: p.read }))),
    },
    appRssMb: { beforeLaunch: mb(rssBefore), peakDuringRun: mb(rssMax), growth: mb(rssMax - rssBefore) },
  };
};

const main = async () => {
  // BENCH_PREPARED=1: the plugin and the example are already built (another build is reading dist/).
  if (process.env.BENCH_PREPARED !== '1') prepare();
  const simulator = await startSimulatorProcess();
  const sim = new SimulatorClient(simulator.url);
  const app = await startExample({ WHATSAPP_META_BASE_URL: simulator.url }, { adminPanel: false });
  try {
    const token = await adminToken(app.baseUrl);
    const runs = [];
    for (const rate of RATES) runs.push(await run(app, sim, token, rate));
    const machine = await machineCeiling(sim, Number(process.env.BENCH_CEILING_SECONDS ?? 5), Number(process.env.BENCH_CEILING_CONCURRENCY ?? 32));
    const result = {
      database: process.env.TEST_DB === 'postgres' ? 'postgres' : 'sqlite',
      processes: 'app (strapi start) and simulator (npm run simulator) each in its own process',
      ceiling: machine,
      runs: runs.map((r) => ({ ...r, ratioToCeiling: r.simulatorArrivalsPerSecond ? Number((r.simulatorArrivalsPerSecond / machine.perSecond).toFixed(2)) : null })),
      appPeakRssMb: mb(procKb(app.pid, 'VmHWM')),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await app.stop();
    await simulator.stop();
  }
  process.exit(0);
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
