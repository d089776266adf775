/**
 * When collection sources re-index after host writes: a trailing throttle per source. The first write
 * schedules a run once the writes have gathered for `gatherMs`, and never sooner than `everyMs` after the
 * source's last run; later writes join the pending run instead of postponing it, so a steady stream of
 * writes cannot starve it.
 */
export const reindexSchedule = (run: (sourceId: number) => Promise<void>, { gatherMs, everyMs }: { gatherMs: number; everyMs: number }) => {
  const pending = new Map<number, NodeJS.Timeout>();
  const lastRun = new Map<number, number>();

  return {
    schedule(sourceId: number) {
      if (pending.has(sourceId)) return;
      const since = lastRun.get(sourceId);
      const wait = Math.max(gatherMs, since === undefined ? 0 : since + everyMs - Date.now());
      const timer = setTimeout(() => {
        pending.delete(sourceId);
        lastRun.set(sourceId, Date.now());
        void run(sourceId);
      }, wait);
      timer.unref?.();
      pending.set(sourceId, timer);
    },
    /** The source is gone: its pending run would only find nothing. */
    cancel(sourceId: number) {
      clearTimeout(pending.get(sourceId));
      pending.delete(sourceId);
      lastRun.delete(sourceId);
    },
    stop() {
      pending.forEach((timer) => clearTimeout(timer));
      pending.clear();
    },
  };
};
