import { chunksOf, claimedRows, backoffMs } from '../../server/claims';
import { inOrder, lanesOf, newPassState, NUMBER_EVENTS_PER_PASS, planTurns, TURN_EVENTS } from '../../server/inbound/plan';

const row = (id: number, numberId = 1) => ({ id, numberId });
const events = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('claiming a batch', () => {
  test('keeps only the rows the UPDATE matched, with the attempt count it wrote', () => {
    const rows = [{ id: 1, attempts: 0 }, { id: 2, attempts: 3 }, { id: 3, attempts: 0 }];
    expect(claimedRows(rows, [{ id: '3', attempts: '1' }, { id: 2, attempts: 4 }])).toEqual([{ id: 2, attempts: 4 }, { id: 3, attempts: 1 }]);
    expect(claimedRows(rows, [])).toEqual([]);
  });

  test('splits IN lists and backs off exponentially to a cap', () => {
    expect(chunksOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunksOf([], 2)).toEqual([]);
    expect([0, 1, 2, 20].map((a) => backoffMs(a))).toEqual([1000, 2000, 4000, 300_000]);
  });

  test("a worker's own backoff: its first wait, growth and cap", () => {
    expect([0, 1, 2, 5, 6].map((a) => backoffMs(a, { firstMs: 500, factor: 4, capMs: 10 * 60_000 }))).toEqual([500, 2000, 8000, 512_000, 10 * 60_000]);
    expect([1, 3, 20].map((a) => backoffMs(a, { firstMs: 2000, capMs: 30 * 60_000 }))).toEqual([4000, 16_000, 30 * 60_000]);
  });
});

describe('turns', () => {
  test('a big row applies one turn and holds its people; other people go on; its person waits', () => {
    const state = newPassState();
    const { run, later } = planTurns(
      [
        { row: row(1), events: events(900), people: ['person:a'] },
        { row: row(2, 2), events: events(1), people: ['person:b'] },
        { row: row(3, 2), events: events(1), people: ['person:a'] },
      ],
      state
    );
    expect(run.map((p) => [p.row.id, p.turn])).toEqual([
      [1, { from: 0, max: TURN_EVENTS }],
      [2, { from: 0, max: TURN_EVENTS }],
    ]);
    expect(later.map((r) => r.id)).toEqual([3]);
  });

  test("a number's budget per pass leaves its later rows for the next pass", () => {
    const state = newPassState();
    const rows = Array.from({ length: NUMBER_EVENTS_PER_PASS / 50 + 1 }, (_, i) => ({ row: row(i + 1), events: events(50), people: [`person:${i}`] }));
    const { run, later } = planTurns(rows, state);
    expect(run).toHaveLength(NUMBER_EVENTS_PER_PASS / 50);
    expect(later.map((r) => r.id)).toEqual([rows.length]);
  });

  test('a row part-way through resumes where it stopped', () => {
    const state = newPassState(new Map([[7, 100]]));
    expect(planTurns([{ row: row(7), events: events(150), people: ['person:a'] }], state).run[0].turn).toEqual({ from: 100, max: TURN_EVENTS });
  });
});

describe('waiting for an earlier row', () => {
  test('people of a row on its backoff or another worker\'s lease hold back their later rows, and the people those rows share', () => {
    const state = newPassState();
    state.waiting.add('person:a');
    const { run, later } = planTurns(
      [
        { row: row(5), events: events(1), people: ['person:a', 'person:b'] },
        { row: row(6), events: events(1), people: ['person:b'] },
        { row: row(7), events: events(1), people: ['person:c'] },
      ],
      state
    );
    expect(run.map((p) => p.row.id)).toEqual([7]);
    expect(later.map((r) => r.id)).toEqual([5, 6]);
    // Waiting on a retry is not a reason to look again at once: the retry's own turn brings them back.
    expect(state.held.size).toBe(0);
  });

  test('a row whose claim another worker won holds back the later rows of its people', () => {
    const items = [{ id: 1, people: ['a'] }, { id: 2, people: ['b'] }, { id: 3, people: ['a', 'c'] }, { id: 4, people: ['c'] }, { id: 5, people: ['d'] }];
    const waiting = new Set<string>();
    const { keep, back } = inOrder(items, (item) => item.id !== 1, waiting);
    expect(keep.map((i) => i.id)).toEqual([2, 5]);
    expect(back.map((i) => i.id)).toEqual([1, 3, 4]);
    expect([...waiting].sort()).toEqual(['a', 'c']);
  });
});

describe('lanes', () => {
  const item = (id: number, people: string[]) => ({ id, people, events: events(1), turn: { from: 0, max: 100 } });

  test("one person's rows share a lane in their order; rows linked through a shared person too", () => {
    const items = [item(1, ['a']), item(2, ['b']), item(3, ['a']), item(4, ['c', 'b']), item(5, ['c']), item(6, ['d'])];
    const lanes = lanesOf(items, 4, 1);
    const laneOf = (id: number) => lanes.findIndex((lane) => lane.some((i) => i.id === id));
    expect(laneOf(1)).toBe(laneOf(3));
    expect(new Set([laneOf(2), laneOf(4), laneOf(5)]).size).toBe(1);
    for (const lane of lanes) expect(lane.map((i) => i.id)).toEqual([...lane.map((i) => i.id)].sort((x, y) => x - y));
    expect(lanes.flat()).toHaveLength(items.length);
    expect(lanes.length).toBe(3);
  });

  test('one lane keeps every row in id order', () => {
    const items = [item(1, ['a']), item(2, ['b']), item(3, ['a'])];
    expect(lanesOf(items, 1).map((lane) => lane.map((i) => i.id))).toEqual([[1, 2, 3]]);
  });

  test('a few events stay in one lane; lanes open as the events reach the minimum each', () => {
    const people = (n: number, size = 1) => Array.from({ length: n }, (_, i) => ({ ...item(i + 1, [`p${i}`]), events: events(size) }));
    expect(lanesOf(people(13), 4, 40)).toHaveLength(1);
    expect(lanesOf(people(80), 4, 40)).toHaveLength(2);
    expect(lanesOf(people(200), 4, 40)).toHaveLength(4);
    // A row's events count, not its rows: two rows of 50 events each are two lanes' worth.
    expect(lanesOf(people(2, 50), 4, 40)).toHaveLength(2);
    expect(lanesOf(people(13), 4, 40).flat()).toHaveLength(13);
  });
});
