import { createGiveWay } from '../../server/inbound/give-way';

/** A webhook call in flight: `answer()` settles it. */
const call = (giveWay: ReturnType<typeof createGiveWay>) => {
  let answer!: () => void;
  const done = giveWay.acknowledging(new Promise<void>((resolve) => (answer = resolve)));
  return { answer: async () => (answer(), await done) };
};

/** `n` calls that come together while no chunk runs, answered together. */
const queue = async (giveWay: ReturnType<typeof createGiveWay>, n: number) => {
  const calls = Array.from({ length: n }, () => call(giveWay));
  expect(giveWay.pressed()).toBe(n >= 8);
  await Promise.all(calls.map((c) => c.answer()));
};

describe('SQLite worker giving way to acknowledgements', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-12-04T10:00:00Z'), doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  test('one queue that drains (a pause a steady caller catches up on) is not pressure once answered', async () => {
    const giveWay = createGiveWay(() => true);
    await queue(giveWay, 12);
    expect(giveWay.pressed()).toBe(false);
  });

  test('calls queuing again and again within 100 ms are callers outpacing acknowledging, for 100 ms after', async () => {
    const giveWay = createGiveWay(() => true);
    for (let i = 0; i < 3; i += 1) {
      await queue(giveWay, 10);
      jest.advanceTimersByTime(20);
    }
    expect(giveWay.pressed()).toBe(true);
    jest.advanceTimersByTime(50);
    expect(giveWay.pressed()).toBe(false);
  });

  test('queues farther apart than 100 ms are separate pauses', async () => {
    const giveWay = createGiveWay(() => true);
    for (let i = 0; i < 3; i += 1) {
      await queue(giveWay, 10);
      jest.advanceTimersByTime(60);
    }
    expect(giveWay.pressed()).toBe(false);
  });

  test('a count hovering at the threshold is one queue, not several', async () => {
    const giveWay = createGiveWay(() => true);
    const calls = Array.from({ length: 8 }, () => call(giveWay));
    for (let i = 0; i < 4; i += 1) {
      await calls.pop()!.answer();
      calls.push(call(giveWay)); // back to 8 without draining
    }
    await Promise.all(calls.map((c) => c.answer()));
    expect(giveWay.pressed()).toBe(false);
  });

  test('calls held up by a running chunk say nothing about the callers', async () => {
    const giveWay = createGiveWay(() => true);
    let finish!: () => void;
    const chunk = giveWay.chunk(() => new Promise<void>((resolve) => (finish = resolve)));
    const held = Array.from({ length: 12 }, () => call(giveWay));
    expect(giveWay.pressed()).toBe(false);
    finish();
    await chunk;
    await Promise.all(held.map((c) => c.answer()));
    expect(giveWay.pressed()).toBe(false);
  });
});
