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
  private sweptAt = Date.now();

  /** Keys with takes still inside their window. */
  get size() {
    return this.windows.size;
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
  }
}
