/**
 * Runs tasks one after another per key and in parallel across keys. A task may hold several keys;
 * it starts once every earlier task holding any of them has finished. Keys are taken when the task
 * is handed in, synchronously, so tasks sharing a key run in the order they were handed in.
 */
export const createKeyedQueue = () => {
  const tails = new Map<string, Promise<void>>();

  return async <T>(keys: string[], task: () => Promise<T>): Promise<T> => {
    const unique = [...new Set(keys)];
    const previous = unique.map((key) => tails.get(key)).filter((p): p is Promise<void> => p !== undefined);
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    for (const key of unique) tails.set(key, mine);
    try {
      await Promise.all(previous);
      return await task();
    } finally {
      release();
      for (const key of unique) if (tails.get(key) === mine) tails.delete(key);
    }
  };
};
