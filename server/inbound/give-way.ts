/**
 * On SQLite the inbound worker and the webhook route's acknowledgements share one writer and one
 * event loop: this stage counts the calls in flight and makes the worker step aside while callers
 * outpace acknowledging, so a burst of webhooks is answered before it is applied.
 */

/** On SQLite, how long a chunk waits for acknowledgements in flight to be stored first (longer puts a floor under live latency at a steady pace). */
const MAX_DEFER_MS = 5;
/** Webhook calls in flight at once, of those that came while no chunk ran, that mean callers outpace acknowledging (a steady 300 calls/s keeps 3-6 in flight). */
const PRESSURE = 8;
/** On SQLite, how long the worker looks for calls coming while none is held before it takes the next chunk. */
const LOOK_MS = 3;
/** The window in which calls must queue PRESSURE_TIMES times to count as pressure; pressure lasts until the window, counted from the first of them, ends (they come and go in groups). */
const PRESSURE_MS = 100;
/** Times calls must queue within PRESSURE_MS to count as callers outpacing acknowledging: once is a pause (a garbage collection, a slow write) that steady callers catch up on. */
const PRESSURE_TIMES = 3;
/** On SQLite (one process does both), the worker's share of the time while calls queue: acknowledging comes first. */
const SHARE_UNDER_PRESSURE = 0.15;

export const createGiveWay = (sqlite: () => boolean) => {
  let acknowledging = 0;
  /** Calls in flight that came while no chunk ran: those held up by a chunk say nothing about the callers' pace. */
  let unheld = 0;
  /** Chunks running now (one on SQLite). */
  let chunking = 0;
  /** When unheld calls in flight last reached PRESSURE, newest last (PRESSURE_TIMES of them). */
  const reached: number[] = [];
  /** Whether the count fell to half of PRESSURE since it last reached it: the next time it does is another queue, not the same one. */
  let drained = true;
  const pressed = () => unheld >= PRESSURE || (reached.length === PRESSURE_TIMES && Date.now() - reached[0] < PRESSURE_MS);
  /** How long the worker's last chunk took: under pressure it rests (1 − share) ÷ share times that. */
  let lastChunkMs = 0;

  const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

  return {
    pressed,

    /**
     * Calls in flight go first, briefly; while callers outpace acknowledging (calls queue with no
     * chunk running), the worker rests about six times as long as its last chunk took.
     */
    async giveWay() {
      if (!sqlite()) return;
      // Calls received during the last chunk reach the route first, so they are counted below.
      await new Promise((resolve) => setImmediate(resolve));
      const started = Date.now();
      const rest = Math.max(MAX_DEFER_MS, (lastChunkMs * (1 - SHARE_UNDER_PRESSURE)) / SHARE_UNDER_PRESSURE);
      while ((pressed() || acknowledging > 0) && Date.now() - started < (pressed() ? rest : MAX_DEFER_MS)) await tick();
      // Callers that wait for each answer call again as soon as the chunk's held calls are answered: a short look tells them from a steady pace.
      const looked = Date.now();
      while (!pressed() && Date.now() - looked < LOOK_MS) await tick();
      while (pressed() && Date.now() - started < rest) await tick();
    },

    /** Runs one chunk, counted as running (calls it holds up are not pressure) and timed (the next rest is measured by it). */
    async chunk(work: () => Promise<void>) {
      const started = Date.now();
      chunking += 1;
      try {
        await work();
      } finally {
        chunking -= 1;
      }
      lastChunkMs = Date.now() - started;
    },

    /** Called by the webhook route around a call (reading aside): on SQLite the worker lets it go first. */
    acknowledging<T>(work: Promise<T>): Promise<T> {
      acknowledging += 1;
      // A call that comes while a chunk runs queues because of the worker: only calls that queue without one mean pressure.
      const counted = chunking === 0;
      if (counted && ++unheld >= PRESSURE && drained) {
        drained = false;
        reached.push(Date.now());
        if (reached.length > PRESSURE_TIMES) reached.shift();
      }
      return work.finally(() => {
        acknowledging -= 1;
        if (counted && --unheld <= PRESSURE / 2) drained = true;
      });
    },
  };
};
