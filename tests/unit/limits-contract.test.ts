/**
 * The rate and pair limits have one definition: the in-process limiter (one instance) and the
 * cluster's Redis scripts (several instances) pass the same cases. Redis is the real one on
 * 127.0.0.1:6379 (TEST_REDIS_URL), under a key prefix of this run, removed afterwards.
 */
import crypto from 'node:crypto';
import Redis from 'ioredis';
import cluster from '../../server/services/cluster';
import { ADMIT_WINDOW_MS, RateLimiter, slotIntervalMs, type Limits } from '../../server/rate-limiter';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `wa-limits-${crypto.randomBytes(4).toString('hex')}`;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Timers and Redis' clock round to milliseconds: a few ms either way. */
const SLACK = 5;

// Only the plugin's own config is read; the service talks to the real Redis.
const fakeStrapi = {
  plugin: () => ({ config: (key: string) => (key === 'redis' ? { url: REDIS_URL, prefix: PREFIX } : undefined) }),
  config: { get: () => 'postgres' },
  log: { info: () => undefined, warn: () => undefined, error: () => undefined },
} as any;
const redisService = cluster({ strapi: fakeStrapi });

beforeAll(() => redisService.start());
afterAll(async () => {
  await redisService.stop();
  const redis = new Redis(REDIS_URL);
  const keys: string[] = [];
  for await (const batch of redis.scanStream({ match: `${PREFIX}:*`, count: 500 })) keys.push(...(batch as string[]));
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

const implementations: [string, () => Limits][] = [
  ['in-process RateLimiter', () => new RateLimiter().limits()],
  ['Redis scripts (cluster)', () => redisService.limits()],
];

describe.each(implementations)('%s', (_name, make) => {
  let limits: Limits;
  let n = 0;
  /** A key no other case used. */
  const fresh = (what: string) => `${what}:${process.pid}:${(n += 1)}:${crypto.randomBytes(3).toString('hex')}`;
  beforeAll(() => {
    limits = make();
  });

  test('window: `limit` takes in a burst, then the next waits until the oldest leaves the window', async () => {
    const key = fresh('pair');
    // A window long enough that a loaded machine's round trips stay well inside it.
    for (let i = 0; i < 3; i += 1) expect(await limits.window(key, 3, 1000)).toBe(0);
    const wait = await limits.window(key, 3, 1000);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(1000 + SLACK);
    // A refused take records nothing: still refused, never further away.
    expect(await limits.window(key, 3, 1000)).toBeLessThanOrEqual(wait);
    await pause(wait + SLACK);
    expect(await limits.window(key, 3, 1000)).toBe(0);
  });

  test('window: keys are independent', async () => {
    const a = fresh('pair');
    const b = fresh('pair');
    expect(await limits.window(a, 1, 10_000)).toBe(0);
    expect(await limits.window(a, 1, 10_000)).toBeGreaterThan(0);
    expect(await limits.window(b, 1, 10_000)).toBe(0);
  });

  test('slot, reserving: the first is now, each next one interval later (5% under the rate)', async () => {
    const key = fresh('number');
    const interval = slotIntervalMs(20);
    expect(interval).toBeCloseTo(52.5);
    const t0 = Date.now();
    const waits: number[] = [];
    for (let i = 0; i < 5; i += 1) waits.push(await limits.slot(key, 20, true));
    expect(waits[0]).toBe(0);
    for (let i = 1; i < 5; i += 1) {
      const elapsed = Date.now() - t0;
      expect(waits[i]).toBeGreaterThanOrEqual(i * interval - elapsed - SLACK);
      expect(waits[i]).toBeLessThanOrEqual(i * interval + SLACK);
    }
  });

  test('slot, not reserving: taken only when due; a later slot is reported, not taken', async () => {
    const key = fresh('number');
    expect(await limits.slot(key, 2, false)).toBe(0);
    const wait = await limits.slot(key, 2, false);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(slotIntervalMs(2) + SLACK);
    // Nothing was taken: asking again does not push the slot further away.
    expect(await limits.slot(key, 2, false)).toBeLessThanOrEqual(wait);
    await pause(wait + SLACK);
    expect(await limits.slot(key, 2, false)).toBe(0);
  });

  test('slot: a fractional rate counts as its whole part, and never under one per second', async () => {
    const key = fresh('number');
    let t0 = Date.now();
    expect(await limits.slot(key, 2.9, true)).toBe(0);
    const second = await limits.slot(key, 2.9, true);
    expect(second).toBeGreaterThanOrEqual(slotIntervalMs(2) - (Date.now() - t0) - SLACK);
    expect(second).toBeLessThanOrEqual(slotIntervalMs(2) + SLACK);
    const slow = fresh('number');
    t0 = Date.now();
    expect(await limits.slot(slow, 0, true)).toBe(0);
    expect(await limits.slot(slow, 0, true)).toBeGreaterThanOrEqual(1050 - (Date.now() - t0) - SLACK);
  });

  test('slot: a number idle past its last slot starts again at once', async () => {
    const key = fresh('number');
    expect(await limits.slot(key, 50, true)).toBe(0);
    await pause(slotIntervalMs(50) + SLACK);
    expect(await limits.slot(key, 50, true)).toBe(0);
  });

  test('admitted: a call counts from its start until a window after its answer; the next waits for that', async () => {
    const key = fresh('calls');
    const order: string[] = [];
    const call = (name: string, ms: number) => async () => {
      order.push(`${name} start`);
      await pause(ms);
      order.push(`${name} answered`);
      return name;
    };
    const t0 = Date.now();
    const first = limits.admitted(key, 2, call('a', 50));
    const second = limits.admitted(key, 2, call('b', 10));
    await pause(5);
    let thirdStartedAt = 0;
    const third = limits.admitted(key, 2, async () => {
      thirdStartedAt = Date.now();
      return call('c', 0)();
    });
    expect(await Promise.all([first, second, third])).toEqual(['a', 'b', 'c']);
    // Both earlier calls still counted (the one still under way, the other answered under a window ago) until b's answer is a window old.
    expect(order.indexOf('c start')).toBeGreaterThan(order.indexOf('a answered'));
    expect(thirdStartedAt - t0).toBeGreaterThanOrEqual(10 + ADMIT_WINDOW_MS - SLACK);
  });
});
