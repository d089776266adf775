import type { Core } from '@strapi/strapi';
import { backoffMs } from '../claims';
import { UID } from '../constants';
import type { Limits } from '../rate-limiter';
import { createWorkerLoop } from '../worker-loop';
import { REVIEW, type Delivery, type Row } from './deliver';
import { numberKey, pairKey, perSecond, PAIR_LIMIT, PAIR_WINDOW_MS, type OutboxDriver } from './driver';
import { reviewStalled } from './stalled';

const BATCH = 100;
const SWEEP_MS = 2_000;
/** While numbers are being worked on, the loop looks for other numbers' rows at least this often. */
const REFETCH_MS = 100;
/** A chunk of a number's rows covers this long of its rate (at most MAX_WIDTH rows): prepared and claimed together. */
const AHEAD_SECONDS = 0.2;
const MAX_WIDTH = 64;
/** Provider calls of one number under way at once. */
const MAX_IN_FLIGHT = 128;
/** A number whose lane failed (a database error) rests this long before its rows are looked at again, longer after each failure in a row. */
const REST = { firstMs: 1_000, factor: 2, capMs: 60_000 };
/** How often rows left `sending` are looked for (server/outbox/stalled.ts). */
const STALLED_SWEEP_MS = 5_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * One instance: a loop in this process finds numbers with due rows and works each number in a lane
 * of its own, at its own rate, with the limits kept in memory. A row is claimed (`sending`) only
 * after it passed admission again, at most a chunk (about 200 ms of its number's rate) before its
 * slot, so a crash can leave for review only rows that were moments from their provider call.
 */
export const createLocalDriver = (strapi: Core.Strapi, delivery: Delivery, limits: Limits): OutboxDriver => {
  const q = (uid: string) => strapi.db.query(uid as any);
  const dueWhere = () => ({ direction: 'out', status: 'queued', $or: [{ nextAttemptAt: { $null: true } }, { nextAttemptAt: { $lte: new Date() } }] });

  /** Each number's lane, across passes: a number never has two, so its order per conversation and its rate hold. */
  const lanes = new Map<number, Promise<void>>();
  /** Numbers whose last lane failed, until when they rest, and how many times in a row. */
  const resting = new Map<number, { until: number; failures: number }>();
  /** Rows a lane of this process has claimed (or is claiming) and is sending: never stalled. */
  const sendingHere = new Set<number>();

  /** New work (a kick) during a pass: the pass looks for other numbers' rows at once. */
  let fresh = false;
  let wake: () => void = () => undefined;
  const wakeable = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  /**
   * A number's rows in id order, a chunk at a time: the chunk is admitted again and claimed in a
   * few statements, each claimed row reserves its number's next slot and goes out at it. The next
   * chunk is prepared while the last slots of this one come up, so the number's rate never waits
   * for the database; the lane fetches the number's next rows itself and ends when none is left.
   */
  const lane = async (numberId: number, first: Row[], mps: number, stopped: () => boolean) => {
    const width = Math.min(MAX_WIDTH, Math.max(1, Math.ceil(mps * AHEAD_SECONDS)));
    const inflight = new Set<Promise<void>>();
    /** Per conversation, its last send: the customer's next message waits for it, so their messages keep their order. */
    const busy = new Map<number, Promise<void>>();
    let rows = first;
    let cursor = first[first.length - 1].id as number;
    /** The lane's work; an error ends it (the wrapper below). */
    const work = async () => {
      while (!stopped()) {
        if (!rows.length) {
          rows = await q(UID.message).findMany({ where: { ...dueWhere(), numberId, id: { $gt: cursor } }, orderBy: { id: 'asc' }, limit: BATCH });
          if (!rows.length) break;
          cursor = rows[rows.length - 1].id;
        }
        const started = Date.now();
        const chunk = rows.splice(0, width);
        const ready = await delivery.prepareMany(chunk);
        const go: Row[] = [];
        for (const row of chunk) {
          const prepared = ready.get(row.id);
          if (!prepared) continue;
          const pairWait = await limits.window(pairKey(numberId, prepared.conversation.customerWaId), PAIR_LIMIT, PAIR_WINDOW_MS);
          if (pairWait > 0) await delivery.putOff(row, pairWait);
          else go.push(row);
        }
        for (const row of go) sendingHere.add(row.id);
        let claimed = new Map<number, Row>();
        try {
          claimed = await delivery.claimMany(go);
        } finally {
          for (const row of go) if (!claimed.has(row.id)) sendingHere.delete(row.id);
        }
        let lastSlot = 0;
        for (const row of go) {
          const mine = claimed.get(row.id);
          if (!mine) continue;
          // Reserved: slots follow each other exactly, so time spent on the database never slows the number's rate.
          lastSlot = await limits.slot(numberKey(numberId), mps, true);
          const before = busy.get(row.conversationId);
          const at = Date.now() + lastSlot;
          const sending: Promise<void> = (async () => {
            await sleep(at - Date.now());
            await before;
            // A send late for its slot (a busy event loop) must not arrive in a burst with the next ones: the provider counts arrivals.
            await delivery.deliver(mine, ready.get(row.id)!, (call) => limits.admitted(numberKey(numberId), mps, call));
          })()
            .catch((error) => {
              strapi.log.error(`[whatsapp] message ${row.id}: ${(error as Error).message}`);
            })
            .finally(() => {
              sendingHere.delete(row.id);
              inflight.delete(sending);
              if (busy.get(row.conversationId) === sending) busy.delete(row.conversationId);
            });
          busy.set(row.conversationId, sending);
          inflight.add(sending);
        }
        // The next chunk is made ready just before this one's last slot (twice what this one took).
        const lead = 2 * (Date.now() - started) + 2;
        if (lastSlot > lead) await sleep(lastSlot - lead);
        while (inflight.size >= MAX_IN_FLIGHT) await Promise.race(inflight);
      }
    };
    try {
      await work();
      resting.delete(numberId);
    } catch (error) {
      // Rows not claimed stay queued for the number's next lane; a claimed one left `sending` is the stalled check's.
      const failures = (resting.get(numberId)?.failures ?? 0) + 1;
      const restMs = backoffMs(failures - 1, REST);
      resting.set(numberId, { until: Date.now() + restMs, failures });
      strapi.log.error(`[whatsapp] outbox: number ${numberId} rests ${restMs} ms after an error: ${(error as Error).message}`);
    } finally {
      await Promise.all(inflight);
    }
  };

  /** Finds numbers with due rows and gives each a lane; ends when no lane is left and nothing is due. */
  const pass = async (stopped: () => boolean) => {
    let fetchedAt = 0;
    fresh = true;
    while (!stopped()) {
      if (fresh || !lanes.size || Date.now() - fetchedAt >= REFETCH_MS) {
        fresh = false;
        fetchedAt = Date.now();
        const now = Date.now();
        const busy = [...lanes.keys(), ...[...resting].filter(([, r]) => r.until > now).map(([numberId]) => numberId)];
        const rows: Row[] = await q(UID.message).findMany({ where: { ...dueWhere(), ...(busy.length ? { numberId: { $notIn: busy } } : {}) }, orderBy: { id: 'asc' }, limit: BATCH });
        const byNumber = new Map<number, Row[]>();
        for (const row of rows) byNumber.set(row.numberId, [...(byNumber.get(row.numberId) ?? []), row]);
        if (byNumber.size) {
          const numbers = await q(UID.number).findMany({ where: { id: { $in: [...byNumber.keys()] } }, select: ['id', 'throughputMps'] });
          const mpsOf = new Map(numbers.map((n: Row) => [n.id, perSecond(n)]));
          for (const [numberId, first] of byNumber) {
            if (lanes.has(numberId)) continue;
            lanes.set(numberId, lane(numberId, first, mpsOf.get(numberId) ?? perSecond({}), stopped).finally(() => lanes.delete(numberId)));
          }
        }
        if (!lanes.size) break;
      }
      await Promise.race([wakeable(REFETCH_MS), ...lanes.values()]);
    }
    await Promise.all(lanes.values());
  };

  const loop = createWorkerLoop(strapi, 'outbox', pass, SWEEP_MS);
  const stalled = createWorkerLoop(strapi, 'outbox stalled check', async () => void (await reviewStalled(strapi, { ownedHere: (id) => sendingHere.has(id) })), STALLED_SWEEP_MS);
  /** Lanes outlive a pass only when the pass itself failed: waiting for the worker waits for them too. */
  const settled = async () => {
    await loop.idle();
    while (lanes.size) {
      await Promise.all(lanes.values());
      await loop.idle();
    }
  };
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
      stalled.start();
    },
    async stop() {
      await loop.stop();
      await settled();
      await stalled.stop();
    },
    kick,
    idle: settled,
    async schedule() {
      kick();
    },
  };
};
