/**
 * The group-commit core, written once for the webhook route's inserts (server/group-insert.ts), the
 * outbox's `sent` updates (server/outbox/record-sent.ts) and the API log (server/log-buffer.ts):
 * what is added in one moment is written by one statement, a group at a time, and what comes while
 * a group is being written joins the next.
 */

export interface GroupCommitOptions<E> {
  /** Writes one group and settles each of its entries (the core never sees an entry again). */
  commit: (group: E[]) => Promise<void>;
  /** Entries one group carries at most; that many waiting start a group at once. */
  maxRows: number;
  /** Weight one group carries at most (a first entry always goes, however heavy). */
  maxWeight?: number;
  /** How long the first entry waits for others; 0: those added in the same turn of the event loop. */
  gatherMs?: number;
}

export const createGroupCommit = <E>({ commit, maxRows, maxWeight = Infinity, gatherMs = 0 }: GroupCommitOptions<E>) => {
  let queue: { entry: E; weight: number }[] = [];
  let flushing = false;
  let current: Promise<void> = Promise.resolve();
  let timer: { cancel: () => void } | null = null;

  const run = async () => {
    flushing = true;
    try {
      while (queue.length) {
        let end = 1;
        for (let weight = queue[0].weight; end < Math.min(queue.length, maxRows); end += 1) {
          weight += queue[end].weight;
          if (weight > maxWeight) break;
        }
        const group = queue.slice(0, end);
        queue = queue.slice(end);
        await commit(group.map((g) => g.entry));
      }
    } finally {
      flushing = false;
    }
  };

  /** Starts writing now (or joins the writing under way); resolves when the queue is empty. */
  const flush = (): Promise<void> => {
    timer?.cancel();
    timer = null;
    if (!flushing) current = run();
    return current;
  };

  const schedule = () => {
    if (gatherMs > 0) {
      const handle = setTimeout(() => void flush(), gatherMs);
      return { cancel: () => clearTimeout(handle) };
    }
    const handle = setImmediate(() => void flush());
    return { cancel: () => clearImmediate(handle) };
  };

  return {
    /** Queues the entry for the next group; its `commit` settles it. */
    add(entry: E, weight = 0) {
      queue.push({ entry, weight });
      // While a group is being written, entries join the next one.
      if (flushing) return;
      if (queue.length >= maxRows) void flush();
      else timer ??= schedule();
    },
    /** Writes everything queued so far, without waiting for the gathering moment. */
    async drain() {
      while (queue.length || flushing) await flush();
    },
    /** Entries waiting (not in the group being written). */
    size: () => queue.length,
    /** Takes the oldest waiting entry out unwritten (a bounded queue's way to shed load). */
    dropOldest: (): E | undefined => queue.shift()?.entry,
  };
};
