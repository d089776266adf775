/**
 * The rate and pair limits as both drivers use them, one contract with two implementations: this
 * process's `RateLimiter` (one instance) and the cluster's Redis scripts (several instances);
 * tests/unit/limits-contract.test.ts runs the same cases against both.
 */
export interface Limits {
  /**
   * The next evenly spaced slot of `name` at `perSecond` (5% under it, spacing 1050 / perSecond ms):
   * answers ms until it. `reserve`: the slot is taken whenever it comes; otherwise it is taken only
   * when it is due now (0), and a later one is merely reported.
   */
  slot(name: string, perSecond: number, reserve: boolean): Promise<number>;
  /** A take of a sliding window (bursts allowed): 0 when taken, else ms until one fits (nothing taken). */
  window(name: string, limit: number, windowMs: number): Promise<number>;
  /**
   * Runs a provider call of `name` once fewer than `limit` others count: a call counts from its
   * start until a second after its answer, so however late it arrives (a send late for its slot, a
   * slow network), fewer than `limit` can have reached the provider in the second before it.
   */
  admitted<T>(name: string, limit: number, call: () => Promise<T>): Promise<T>;
}

/** The provider's counting window for `admitted`. */
export const ADMIT_WINDOW_MS = 1000;

/** The spacing of `perSecond`: 5% under it, because the provider counts arrivals, which jitter. */
export const slotIntervalMs = (perSecond: number) => 1050 / Math.max(1, Math.floor(perSecond));

/** How often keys whose window has emptied are dropped: one entry per recipient must not live forever. */
const SWEEP_MS = 1_000;

/**
 * Sliding-window limits kept in process: at most `limit` takes of a key in any `windowMs`, spaced
 * evenly (one every windowMs / limit). Even spacing matters because the provider counts arrivals:
 * a burst sent at the edge of a window arrives spread out by network jitter and can land in the
 * provider's next window together with the following burst.
 */
export class RateLimiter {
  private windows = new Map<string, { times: number[]; windowMs: number }>();
  /** Per slot key: the earliest time its next slot may start (GCRA's "theoretical arrival time"). */
  private slots = new Map<string, number>();
  /** Per `admitted` key: its calls, each with when it was answered (null while under way). */
  private calls = new Map<string, { answeredAt: number | null }[]>();
  private sweptAt = Date.now();

  /** Keys with takes still inside their window. */
  get size() {
    return this.windows.size + this.slots.size;
  }

  /** Waits until a take of `key` fits, then records it. */
  async take(key: string, limit: number, windowMs = 1000, even = true): Promise<void> {
    for (;;) {
      const wait = this.tryTake(key, limit, windowMs, even);
      if (wait === 0) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** 0 when the take was recorded, else how many ms until one fits; `even: false` allows bursts. */
  tryTake(key: string, limit: number, windowMs = 1000, even = true): number {
    const now = Date.now();
    this.sweep(now);
    const max = Math.max(1, Math.floor(limit));
    const times = (this.windows.get(key)?.times ?? []).filter((t) => t > now - windowMs);
    this.windows.set(key, { times, windowMs });
    const spacing = windowMs / max;
    const last = times[times.length - 1];
    if (even && last !== undefined && now - last < spacing) return Math.max(1, Math.ceil(last + spacing - now));
    if (times.length >= max) return Math.max(1, times[0] + windowMs - now + 1);
    times.push(now);
    return 0;
  }

  /** See `Limits.slot`; the same steps as the cluster's waSlot script. */
  slot(key: string, perSecond: number, reserve: boolean): number {
    const now = Date.now();
    this.sweep(now);
    const tat = this.slots.get(key) ?? 0;
    if (!reserve && tat > now) return tat - now;
    const start = Math.max(now, tat);
    this.slots.set(key, start + slotIntervalMs(perSecond));
    return start - now;
  }

  /** See `Limits.admitted`; the same steps as the cluster's waAdmit script. */
  async admitted<T>(key: string, limit: number, call: () => Promise<T>): Promise<T> {
    const entry: { answeredAt: number | null } = { answeredAt: null };
    for (;;) {
      const now = Date.now();
      const counted = (this.calls.get(key) ?? []).filter((c) => c.answeredAt === null || c.answeredAt > now - ADMIT_WINDOW_MS);
      this.calls.set(key, counted);
      if (counted.length < Math.max(1, Math.floor(limit))) {
        counted.push(entry);
        break;
      }
      const answered = counted.flatMap((c) => (c.answeredAt === null ? [] : [c.answeredAt]));
      await new Promise((resolve) => setTimeout(resolve, answered.length ? Math.min(...answered) + ADMIT_WINDOW_MS - now + 1 : 20));
    }
    try {
      return await call();
    } finally {
      entry.answeredAt = Date.now();
    }
  }

  /** This limiter behind the shared contract. */
  limits(): Limits {
    return {
      slot: async (name, perSecond, reserve) => this.slot(name, perSecond, reserve),
      window: async (name, limit, windowMs) => this.tryTake(name, limit, windowMs, false),
      admitted: (name, limit, call) => this.admitted(name, limit, call),
    };
  }

  /** Forgets the latest take of `key` (taken for a send that then did not happen). */
  untake(key: string) {
    this.windows.get(key)?.times.pop();
  }

  private sweep(now: number) {
    if (now - this.sweptAt < SWEEP_MS) return;
    this.sweptAt = now;
    for (const [key, { times, windowMs }] of this.windows) {
      if (!times.length || times[times.length - 1] <= now - windowMs) this.windows.delete(key);
    }
    for (const [key, tat] of this.slots) if (tat < now) this.slots.delete(key);
    for (const [key, calls] of this.calls) if (calls.every((c) => c.answeredAt !== null && c.answeredAt <= now - ADMIT_WINDOW_MS)) this.calls.delete(key);
  }
}
