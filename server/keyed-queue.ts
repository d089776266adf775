/**
 * Runs tasks one after another per key and in parallel across keys. The inbound worker applies
 * several webhook rows at once; events of one customer go through here so their conversation and
 * message rows are never read and written by two transactions of this process at the same time.
 */
export const createKeyedQueue = () => {
  const tails = new Map<string, Promise<void>>();

  return async <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    tails.set(key, tail);
    await previous;
    try {
      return await task();
    } finally {
      release();
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
};
