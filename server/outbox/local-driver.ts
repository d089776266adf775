import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import type { Limits } from '../rate-limiter';
import { createWorkerLoop } from '../worker-loop';
import { REVIEW, type Delivery, type Row } from './deliver';
import { numberKey, pairKey, perSecond, PAIR_LIMIT, PAIR_WINDOW_MS, type OutboxDriver } from './driver';

const BATCH = 100;
const MAX_IN_FLIGHT = 64;
const SWEEP_MS = 2_000;
/** While a pass works through fetched rows, it looks for other numbers' rows at least this often. */
const REFETCH_MS = 100;

/**
 * One instance: a loop in this process claims due rows and sends them, each number at its own
 * rate, with the limits kept in memory. A row becomes `sending` just before its provider call, so
 * a crash can only leave for review what may really have gone out.
 */
export const createLocalDriver = (strapi: Core.Strapi, delivery: Delivery, limits: Limits): OutboxDriver => {
  const q = (uid: string) => strapi.db.query(uid as any);

  /** Due rows, but none of the numbers whose fetched rows are still being worked through. */
  const due = (held: number[]) =>
    q(UID.message).findMany({
      where: {
        direction: 'out',
        status: 'queued',
        $or: [{ nextAttemptAt: { $null: true } }, { nextAttemptAt: { $lte: new Date() } }],
        ...(held.length ? { numberId: { $notIn: held } } : {}),
      },
      orderBy: { id: 'asc' },
      limit: BATCH,
    });

  /** New work (a kick) during a pass: the pass looks for it and ends its wait for a number's rate. */
  let fresh = false;
  let wake: () => void = () => undefined;
  const wakeable = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(1, ms));
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  /**
   * One row's turn: 0 when it is done with here (claimed and sent off, put off for its recipient's
   * pair rate, or not sendable), else how long until its number has a slot.
   */
  const step = async (row: Row, inflight: Set<Promise<void>>): Promise<number> => {
    const ready = await delivery.prepare(row);
    if (!ready) return 0;
    // Taken only when due: a number's backlog waits here, in id order, without holding slots.
    const numberWait = await limits.slot(numberKey(row.numberId), perSecond(ready.number), false);
    if (numberWait > 0) return numberWait;
    const pairWait = await limits.window(pairKey(row.numberId, ready.conversation.customerWaId), PAIR_LIMIT, PAIR_WINDOW_MS);
    if (pairWait > 0) {
      await delivery.putOff(row, pairWait);
      return 0;
    }
    const claimed = await delivery.claim(row);
    if (!claimed) return 0;
    const sending: Promise<void> = delivery
      .deliver(claimed, ready)
      .then(() => undefined, (error) => {
        strapi.log.error(`[whatsapp] message ${row.id}: ${(error as Error).message}`);
      })
      .finally(() => inflight.delete(sending));
    inflight.add(sending);
    if (inflight.size >= MAX_IN_FLIGHT) await Promise.race(inflight);
    return 0;
  };

  /**
   * Fetched rows are worked through per number, each number at its own rate, so one number's
   * backlog never holds up another number's rows; other numbers' rows are looked for on a kick and
   * while numbers wait.
   */
  const pass = async (stopped: () => boolean) => {
    const inflight = new Set<Promise<void>>();
    /** Fetched rows not yet sent, per number, in id order; and when a number's next slot is. */
    const held = new Map<number, Row[]>();
    const readyAt = new Map<number, number>();
    let fetchedAt = 0;
    fresh = true;
    while (!stopped()) {
      if (fresh || !held.size || Date.now() - fetchedAt >= REFETCH_MS) {
        fresh = false;
        fetchedAt = Date.now();
        const rows = await due([...held.keys()]);
        for (const row of rows) held.set(row.numberId, [...(held.get(row.numberId) ?? []), row]);
        if (!held.size) break;
      }
      for (const [numberId, rows] of held) {
        if ((readyAt.get(numberId) ?? 0) > Date.now()) continue;
        while (rows.length && !stopped()) {
          const wait = await step(rows[0], inflight);
          if (wait > 0) {
            readyAt.set(numberId, Date.now() + wait);
            break;
          }
          rows.shift();
        }
        if (!rows.length) held.delete(numberId);
      }
      const next = Math.min(...[...held.keys()].map((id) => readyAt.get(id) ?? 0));
      // Short naps, so a stop is seen soon; a kick ends the nap at once.
      if (held.size && next > Date.now()) await wakeable(Math.min(next - Date.now(), 250));
    }
    await Promise.all(inflight);
  };

  const loop = createWorkerLoop(strapi, 'outbox', pass, SWEEP_MS);
  const kick = () => {
    fresh = true;
    wake();
    loop.kick();
  };

  return {
    /** Rows a previous process left mid-send may or may not have gone: never resend them blindly. */
    async start() {
      const { count } = await q(UID.message).updateMany({ where: { direction: 'out', status: 'sending' }, data: REVIEW });
      if (count) strapi.log.warn(`[whatsapp] ${count} message(s) were being sent when the process stopped; marked for review`);
      loop.start();
    },
    stop: () => loop.stop(),
    kick,
    idle: () => loop.idle(),
    async schedule() {
      kick();
    },
  };
};
