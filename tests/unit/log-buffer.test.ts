import { createLogBuffer } from '../../server/log-buffer';

const OPTIONS = { flushMs: 5, batch: 3, maxRows: 5 };

describe('API log buffer', () => {
  test('rows added together go in one insert, at most a batch each', async () => {
    const groups: number[][] = [];
    const buffer = createLogBuffer<number>({ insert: async (rows) => void groups.push(rows), warn: () => undefined }, OPTIONS);
    for (const row of [1, 2, 3, 4]) buffer.add(row);
    await buffer.flush();
    expect(groups).toEqual([[1, 2, 3], [4]]);
  });

  test('a row the database refuses is dropped alone, with a log line; the rest of its group is written', async () => {
    const written: number[] = [];
    const warnings: string[] = [];
    const buffer = createLogBuffer<number>(
      {
        insert: async (rows) => {
          if (rows.includes(13)) throw new Error('insert into `whatsapp_api_logs` (...) values (...) - value too long');
          written.push(...rows);
        },
        warn: (message) => warnings.push(message),
      },
      OPTIONS
    );
    for (const row of [1, 13, 2]) buffer.add(row);
    await buffer.flush();
    expect(written).toEqual([1, 2]);
    expect(warnings).toHaveLength(1);
    // The reason, not the statement (which holds the row).
    expect(warnings[0]).toMatch(/dropped: value too long$/);
  });

  test('while the database is slow the buffer stays under its cap: the oldest rows are dropped and counted', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const written: number[] = [];
    const warnings: string[] = [];
    const buffer = createLogBuffer<number>(
      {
        insert: async (rows) => {
          await gate;
          written.push(...rows);
        },
        warn: (message) => warnings.push(message),
      },
      OPTIONS
    );
    for (const row of [1, 2, 3]) buffer.add(row); // a full batch: its insert waits on the gate
    for (let row = 4; row <= 12; row += 1) buffer.add(row);
    expect(buffer.size()).toBe(5);
    open();
    await buffer.flush();
    expect(written).toEqual([1, 2, 3, 8, 9, 10, 11, 12]);
    expect(warnings).toEqual([expect.stringMatching(/4 oldest API log row\(s\) dropped/)]);
  });
});
