/**
 * bench/inbox-scale: the inbox API at 100k conversations / 1M messages on PostgreSQL. Strapi runs
 * in a child process (bench/inbox-scale-server.ts, which seeds with plain SQL); this process asks
 * over HTTP with real admin JWTs, one request at a time on a keep-alive socket (the scenarios in
 * turn, round after round), and prints p50/p95 of each query with pass/fail against 100 ms, and the
 * same over a paired floor request (a busy shared machine slows every request alike). Prints JSON.
 *
 *   npm run bench:inbox-scale                       # 100k conversations, 1M messages
 *   npm run bench:inbox-scale -- --small            # 10k / 100k
 *   BENCH_CONVERSATIONS=50000 BENCH_MESSAGES=500000 BENCH_REQUESTS=60 npm run bench:inbox-scale
 *   BENCH_KEEP_SCHEMA=1 npm run bench:inbox-scale   # keeps the seeded schema (its name on stderr)
 *   BENCH_SCHEMA=<kept schema> npm run bench:inbox-scale   # measures it again without seeding
 */
import http from 'node:http';
import path from 'node:path';
import { spawn } from 'node:child_process';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const prepare: () => void = require('../scripts/prepare-tests');

const small = process.argv.includes('--small') || process.env.BENCH_SMALL === '1';
const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? (small ? 10_000 : 100_000));
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? (small ? 100_000 : 1_000_000));
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 40);
const TARGET_MS = 100;

interface Ready {
  url: string;
  token: string;
  staffToken: string;
  numberIds: number[];
  heavyConversationId: number;
  threadLength: number;
  deepCursors: number[];
  seedSeconds: number;
  reused: boolean;
  conversations: number;
  messages: number;
  sample: { id: number; waId: string; name: string }[];
}

/** Boots the server half and waits for its BENCH_READY line. */
const startServer = () =>
  new Promise<{ ready: Ready; stop: () => Promise<void> }>((resolve, reject) => {
    const tsx = path.resolve(__dirname, '../node_modules/.bin/tsx');
    const child = spawn(tsx, [path.join(__dirname, 'inbox-scale-server.ts'), JSON.stringify({ conversations: CONVERSATIONS, messages: MESSAGES })], {
      env: { ...process.env, TEST_DB: 'postgres' },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n').find((l) => l.startsWith('BENCH_READY '));
      if (line) resolve({ ready: JSON.parse(line.slice('BENCH_READY '.length)), stop: async () => void (child.stdin.end(), await exited) });
    });
    child.on('exit', (code) => reject(new Error(`the bench server exited (${code}) before it was ready`)));
  });

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** One GET, its wall time in ms from this process; a non-2xx answer fails the run. */
const get = (base: string, token: string, url: string) =>
  new Promise<number>((resolve, reject) => {
    const target = new URL(url, base);
    const started = process.hrtime.bigint();
    const req = http.request({ host: target.hostname, port: target.port, path: target.pathname + target.search, agent, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        if (!res.statusCode || res.statusCode >= 300) reject(new Error(`GET ${url}: ${res.statusCode} ${Buffer.concat(chunks).toString('utf8').slice(0, 300)}`));
        else resolve(ms);
      });
    });
    req.on('error', reject);
    req.end();
  });

const pct = (sorted: number[], p: number) => Number(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)].toFixed(1));

const FLOOR = '/admin/users/me';
type Scenario = [name: string, token: string, urls: string[]];

/** p50/p95 of one scenario's times, of the floor requests paired with them and of their differences. */
const summarize = (times: number[], floors: number[]) => {
  const over = times.map((t, i) => t - floors[i]);
  for (const list of [times, floors, over]) list.sort((a, b) => a - b);
  const p95 = pct(times, 95);
  return { requests: times.length, p50Ms: pct(times, 50), p95Ms: p95, maxMs: Number(times[times.length - 1].toFixed(1)), pass: p95 < TARGET_MS, floorP50Ms: pct(floors, 50), floorP95Ms: pct(floors, 95), overFloorP50Ms: pct(over, 50), overFloorP95Ms: pct(over, 95) };
};

/**
 * REQUESTS rounds after a short warm-up; each round asks every scenario once (its next URL), so a
 * change in the machine's load over the run touches every figure alike. Each request is paired with
 * a floor request just before it: `overFloor` (their differences) is the query's own cost when other
 * work on the machine slows every request alike.
 */
const measureAll = async (base: string, scenarios: Scenario[]) => {
  for (const [, token, urls] of scenarios) for (const url of urls.slice(0, 3)) await get(base, token, url);
  const times = scenarios.map(() => [] as number[]);
  const floors = scenarios.map(() => [] as number[]);
  for (let i = 0; i < REQUESTS; i += 1) {
    for (const [n, [, token, urls]] of scenarios.entries()) {
      floors[n].push(await get(base, token, FLOOR));
      times[n].push(await get(base, token, urls[i % urls.length]));
    }
  }
  return Object.fromEntries(scenarios.map(([name], n) => [name, summarize(times[n], floors[n])]));
};

const main = async () => {
  if (process.env.BENCH_NO_BUILD !== '1') prepare();
  const { ready, stop } = await startServer();
  const { url: base, token, staffToken, numberIds, heavyConversationId: heavy, deepCursors, sample } = ready;
  const C = '/whatsapp/conversations';
  const lastNames = [...new Set(sample.map((s) => s.name.split(' ')[1]))];
  const scenarios: Scenario[] = [
    // The floor: an authenticated admin route that reads one row, as every request pays it.
    ['floor: GET /admin/users/me', token, [FLOOR]],
    ['list', token, [C]],
    ['list, page 20', token, [`${C}?page=20`]],
    ['list as a team member', staffToken, [C]],
    ['filter state=open', token, [`${C}?state=open`]],
    ['filter state=closed', token, [`${C}?state=closed`]],
    ['filter numberId', token, numberIds.map((id) => `${C}?numberId=${id}`)],
    ['filter assignee=me', token, [`${C}?assignee=me`]],
    ['filter assignee=me, team member', staffToken, [`${C}?assignee=me`]],
    ['filter assignee=unassigned', token, [`${C}?assignee=unassigned`]],
    ['filter crm=contact', token, [`${C}?crm=contact`]],
    ['filter crm=unknown', token, [`${C}?crm=unknown`]],
    ['filters combined (number, open, unassigned, lead)', token, numberIds.map((id) => `${C}?numberId=${id}&state=open&assignee=unassigned&crm=lead`)],
    ['search by full name', token, sample.map((s) => `${C}?q=${encodeURIComponent(s.name)}`)],
    ['search by last name', token, lastNames.map((n) => `${C}?q=${encodeURIComponent(n)}`)],
    ['search by name, team member', staffToken, sample.map((s) => `${C}?q=${encodeURIComponent(s.name)}`)],
    ['search by phone digits (7)', token, sample.map((s) => `${C}?q=${s.waId.slice(-7)}`)],
    ['search by phone as typed (+cc nnn-nnnn)', token, sample.map((s) => `${C}?q=${encodeURIComponent(`+${s.waId.slice(0, 2)} ${s.waId.slice(2, 6)}-${s.waId.slice(6)}`)}`)],
    ['thread, first page', token, sample.map((s) => `${C}/${s.id}/messages`)],
    ['long thread, first page', token, [`${C}/${heavy}/messages`]],
    // Page numbers reach back 10,000 rows: page 201 of 50 is the deepest one.
    ['long thread, page 201 (row 10,000)', token, [`${C}/${heavy}/messages?page=201&pageSize=50`]],
    ['long thread, deep page by before cursor', token, deepCursors.map((id) => `${C}/${heavy}/messages?before=${id}&pageSize=50`)],
  ];
  let results: Record<string, ReturnType<typeof summarize>>;
  try {
    results = await measureAll(base, scenarios);
  } finally {
    await stop();
  }
  const out = {
    database: 'postgres',
    conversations: ready.conversations,
    messages: ready.messages,
    seedSeconds: ready.seedSeconds,
    reusedSchema: ready.reused,
    longThreadMessages: ready.threadLength,
    requestsPerFigure: REQUESTS,
    targetP95Ms: TARGET_MS,
    allPass: Object.values(results).every((r) => r.pass),
    allPassOverFloor: Object.values(results).every((r) => r.overFloorP95Ms < TARGET_MS),
    loadAverage: (await import('node:os')).loadavg().map((n) => Number(n.toFixed(1))),
    results,
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  process.exit(0);
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
