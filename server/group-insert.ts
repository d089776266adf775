/**
 * Group commit for the webhook route: calls answered at the same moment are stored with one
 * multi-row INSERT (one statement and one commit instead of one each), and each call still waits
 * for its own row to be stored before it is answered.
 */

/** Rows one statement carries at most (bind limits: about 15 columns a row). */
const MAX_ROWS = 200;
/** Bytes one statement carries at most, as `weigh` counts them (a webhook body may be 4 MB). */
const MAX_WEIGHT = 1 << 22;

export const createGroupInsert = <R>(insertMany: (rows: R[]) => Promise<number[]>, weigh: (row: R) => number = () => 0) => {
  let queue: { row: R; resolve: (id: number) => void; reject: (error: unknown) => void }[] = [];
  let flushing = false;

  const flush = async () => {
    flushing = true;
    try {
      while (queue.length) {
        let end = 1;
        for (let weight = weigh(queue[0].row); end < Math.min(queue.length, MAX_ROWS); end += 1) {
          weight += weigh(queue[end].row);
          if (weight > MAX_WEIGHT) break;
        }
        const group = queue.slice(0, end);
        queue = queue.slice(end);
        try {
          const ids = await insertMany(group.map((g) => g.row));
          group.forEach((g, i) => g.resolve(ids[i]));
        } catch {
          // One bad row must not fail the others: each is stored (or refused) on its own.
          for (const g of group) await insertMany([g.row]).then(([id]) => g.resolve(id), g.reject);
        }
      }
    } finally {
      flushing = false;
    }
  };

  return {
    /** Stores the row with whatever else is waiting; resolves to its id once it is committed. */
    add(row: R): Promise<number> {
      return new Promise<number>((resolve, reject) => {
        queue.push({ row, resolve, reject });
        // Calls arriving in the same turn of the event loop, or while a group is being written, join the next group.
        if (!flushing) {
          flushing = true;
          setImmediate(() => void flush());
        }
      });
    },
  };
};
