/**
 * Reads made on every inbound message (a number, its bot switch, the assistant's settings), kept
 * briefly: the writer on this instance clears them, and the short life bounds staleness on others.
 */
import { BRIEF_CACHE_MAX, BRIEF_CACHE_MS } from './constants';

export const briefCache = <K, V>(ms = BRIEF_CACHE_MS) => {
  const entries = new Map<K, { value: V; until: number }>();
  return {
    async get(key: K, load: () => Promise<V>): Promise<V> {
      const hit = entries.get(key);
      if (hit && hit.until > Date.now()) return hit.value;
      const value = await load();
      if (entries.size > BRIEF_CACHE_MAX) entries.clear();
      entries.set(key, { value, until: Date.now() + ms });
      return value;
    },
    clear(key?: K) {
      if (key === undefined) entries.clear();
      else entries.delete(key);
    },
  };
};
