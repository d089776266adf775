import { RateLimiter } from '../../server/rate-limiter';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a key is dropped once its window has emptied: one entry per recipient does not live forever', async () => {
  const limiter = new RateLimiter();
  for (let i = 0; i < 500; i += 1) expect(limiter.tryTake(`pair:1:1555000${i}`, 10, 50, false)).toBe(0);
  expect(limiter.size).toBe(500);
  // Past every window and past the sweep period.
  await pause(1_100);
  expect(limiter.tryTake('pair:1:15559999999', 10, 50, false)).toBe(0);
  expect(limiter.size).toBe(1);
});

test('a key whose window still holds takes is kept and still limits', async () => {
  const limiter = new RateLimiter();
  expect(limiter.tryTake('number:1', 1, 60_000)).toBe(0);
  await pause(1_100);
  expect(limiter.tryTake('other', 1, 50)).toBe(0);
  expect(limiter.tryTake('number:1', 1, 60_000)).toBeGreaterThan(0);
});
