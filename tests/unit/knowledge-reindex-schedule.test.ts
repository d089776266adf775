/** Collection sources re-index after host writes: gathered, at most once per throttle window, never starved by steady writes. */
import { reindexSchedule } from '../../server/assistant/reindex-schedule';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test('a write every 100 ms for a minute re-indexes a source three times, the first after the gathering delay', () => {
  const runs: number[] = [];
  const start = Date.now();
  const s = reindexSchedule(async () => void runs.push(Date.now() - start), { gatherMs: 300, everyMs: 30_000 });
  for (let t = 0; t < 60_000; t += 100) {
    s.schedule(1);
    jest.advanceTimersByTime(100);
  }
  jest.advanceTimersByTime(30_000);
  expect(runs).toEqual([300, 30_300, 60_300]);
});

test('sources are throttled apart, and a removed source loses its pending run', () => {
  const runs: number[] = [];
  const s = reindexSchedule(async (id) => void runs.push(id), { gatherMs: 300, everyMs: 30_000 });
  s.schedule(1);
  s.schedule(2);
  s.cancel(2);
  jest.advanceTimersByTime(300);
  expect(runs).toEqual([1]);
  // A write long after the last run waits only the gathering delay.
  jest.advanceTimersByTime(60_000);
  s.schedule(1);
  jest.advanceTimersByTime(300);
  expect(runs).toEqual([1, 1]);
});
