import { createGroupInsert } from '../../server/group-insert';

describe('group insert (the webhook route stores calls answered together in one statement)', () => {
  test('calls made together share one insert and each gets its own id, in order', async () => {
    const calls: number[][] = [];
    let next = 1;
    const group = createGroupInsert(async (rows: number[]) => {
      calls.push(rows);
      return rows.map(() => next++);
    });
    const ids = await Promise.all([10, 20, 30].map((row) => group.add(row)));
    expect(ids).toEqual([1, 2, 3]);
    expect(calls).toEqual([[10, 20, 30]]);
    // Later calls make a group of their own.
    expect(await group.add(40)).toBe(4);
    expect(calls).toEqual([[10, 20, 30], [40]]);
  });

  test('a row the database refuses fails its own call only', async () => {
    let next = 1;
    const group = createGroupInsert(async (rows: number[]) => {
      if (rows.includes(13)) throw new Error('refused');
      return rows.map(() => next++);
    });
    const answers = await Promise.allSettled([1, 13, 2].map((row) => group.add(row)));
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  test('heavy rows are split so no statement carries more than 4 MB', async () => {
    const calls: number[][] = [];
    const group = createGroupInsert(
      async (rows: number[]) => {
        calls.push(rows);
        return rows;
      },
      () => 3 * 1024 * 1024
    );
    await Promise.all([1, 2, 3].map((row) => group.add(row)));
    expect(calls).toEqual([[1], [2], [3]]);
  });
});
