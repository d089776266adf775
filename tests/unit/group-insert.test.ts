import { createGroupInsert, isConnectionError, StoreUnavailableError } from '../../server/group-insert';

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

  test('while the database is slow, calls past the cap are refused at once and those held are still stored', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const stored: number[] = [];
    const group = createGroupInsert(
      async (rows: number[]) => {
        await gate; // the database answers nothing until the gate opens
        stored.push(...rows);
        return rows;
      },
      () => 10,
      { maxRows: 3, maxWeight: 1000 }
    );
    const held = [1, 2, 3].map((row) => group.add(row));
    const refused = await Promise.allSettled([group.add(4), group.add(5)]);
    expect(refused.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
    expect(group.held()).toEqual({ rows: 3, weight: 30 });
    open();
    expect(await Promise.all(held)).toEqual([1, 2, 3]);
    expect(stored).toEqual([1, 2, 3]);
    // Once stored, room is made again.
    expect(group.held()).toEqual({ rows: 0, weight: 0 });
    expect(await group.add(6)).toBe(6);
  });

  test('the bytes waiting are capped too', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const group = createGroupInsert(
      async (rows: number[]) => {
        await gate;
        return rows;
      },
      (row) => row,
      { maxRows: 100, maxWeight: 1000 }
    );
    const first = group.add(900);
    await expect(group.add(200)).rejects.toBeInstanceOf(StoreUnavailableError);
    const small = group.add(100);
    open();
    expect(await Promise.all([first, small])).toEqual([900, 100]);
  });

  test('a connection error fails the whole group at once, as unavailable, without trying each row', async () => {
    let calls = 0;
    const group = createGroupInsert(async () => {
      calls += 1;
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    });
    const answers = await Promise.allSettled([1, 2, 3].map((row) => group.add(row)));
    expect(answers.every((a) => a.status === 'rejected' && a.reason instanceof StoreUnavailableError)).toBe(true);
    expect(calls).toBe(1);
  });

  test('connection errors are told from a row the database refuses', () => {
    expect(isConnectionError(Object.assign(new Error('x'), { code: '57P01' }))).toBe(true);
    expect(isConnectionError(Object.assign(new Error('x'), { code: '08006' }))).toBe(true);
    expect(isConnectionError(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }))).toBe(true);
    expect(isConnectionError(Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), { name: 'KnexTimeoutError' }))).toBe(true);
    expect(isConnectionError(Object.assign(new Error('null value in column'), { code: '23502' }))).toBe(false);
    expect(isConnectionError(Object.assign(new Error('constraint failed'), { code: 'SQLITE_CONSTRAINT_NOTNULL' }))).toBe(false);
  });
});
