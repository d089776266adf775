/**
 * The asynchronous half of the inbound path: claims stored webhook rows in batches, splits them
 * into canonical events and applies each exactly once, in chunks of rows per transaction. The
 * unique key of `applied-event`, written in the same transaction as the event's effect, is what
 * makes a redelivery a no-op.
 */
import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import type { CanonicalEvent } from '../providers';
import type { NumberRow } from '../number-rows';
import { getConfig, getService } from '../utils';
import { createWorkerLoop } from '../worker-loop';
import { routerFor } from '../webhook-routing';
import { backoffMs, createClaims, type Held } from '../claims';
import { reasonOf } from '../db-rows';
import { createChunkApplier, type RowState, type Step } from './chunk';
import { createGiveWay } from './give-way';
import { createLateReceipts } from './late-receipts';
import { createWaitingPeople, parseOrNothing, parseRow, peopleOf, type WebhookRow } from './people';
import { inOrder, lanesOf, newPassState, planTurns, spentNumbers, type PassState, type Planned } from './plan';

const LEASE_MS = 60_000;
const MAX_ATTEMPTS = 6;
const SWEEP_MS = 5_000;
/** Rows one claim takes. */
const BATCH = 200;
/** Events per transaction: SQLite has one writer, and an acknowledgement waits for the whole of one (fewer while calls queue). */
const chunkEvents = (sqlite: boolean, pressed: boolean) => (sqlite ? (pressed ? 10 : 40) : 100);

/** A row this worker claimed: ending its claim names the lease. */
type ClaimedRow = WebhookRow & Held;

export const createInboundWorker = (strapi: Core.Strapi) => {
  const numbers = () => getService('numbers', { strapi });
  const claims = createClaims<WebhookRow>(strapi, { uid: UID.webhookEvent, leaseMs: LEASE_MS, pending: { state: 'pending' }, select: ['numberId', 'provider', 'rawBody', 'bodyEncoding', 'lockedUntil'] });
  const chunks = createChunkApplier(strapi);
  const sqlite = () => strapi.db.dialect.client === 'sqlite';
  const giveWay = createGiveWay(sqlite);
  const waitingPeople = createWaitingPeople(strapi, claims);
  const lateReceipts = createLateReceipts(strapi);
  /** Row id → where its next turn starts; lost on a restart, which only restarts a row from its first event (applied ones are no-ops). */
  const progress = new Map<number, number>();
  /** What a row's earlier turns found, so its last turn can say it; lost on a restart, which only shortens a note. */
  const carried = new Map<number, RowState>();

  const concurrency = () => getConfig(strapi, 'inboundConcurrency') || (sqlite() ? 1 : 4);

  /**
   * Ends a row's turn: back to pending for its next turn or a retry, or done/dead with its note.
   * Answers false when the row's events are not all applied and later rows of its people must wait.
   */
  const finishRow = async (item: Planned<ClaimedRow>, state: RowState, end: number, done: Held[]): Promise<boolean> => {
    const { row } = item;
    const events = item.events as CanonicalEvent[];
    if (state.deferred && !state.retry && !state.failed) {
      // An earlier event of one of its people failed in this chunk: the row waits, its attempt not counted.
      if (item.turn.from > 0) carried.set(row.id, { ...state, deferred: false, unmatched: 0 });
      await claims.unclaim([row]);
      return false;
    }
    if (end < events.length) {
      // Another row's turn: released without counting an attempt, resumed from `end`.
      progress.set(row.id, end);
      carried.set(row.id, state);
      await claims.unclaim([row]);
      return true; // planTurns holds its people until its next turn
    }
    progress.delete(row.id);
    // Unmatched receipts of earlier turns or attempts are stored already: count them all.
    const receipts = item.turn.from > 0 || row.attempts > 1 ? await strapi.db.query(UID.appliedEvent as any).count({ where: { webhookEventId: row.id, outcome: 'unmatched' } }) : state.unmatched;
    const notes = [...(receipts ? [`unmatched: ${receipts} (statuses of messages this number never sent, kept as unmatched receipts)`] : []), ...state.problems];
    const lastError = notes.length ? notes.join('\n').slice(0, 4000) : null;
    if ((state.retry || state.failed) && row.attempts < MAX_ATTEMPTS) {
      await claims.release([row], { state: 'pending', lockedUntil: new Date(Date.now() + backoffMs(row.attempts)), lastError });
      return false;
    }
    if (!lastError && !state.failed) {
      done.push(row); // finished together in one UPDATE
      return true;
    }
    await claims.release([row], { state: state.failed ? 'dead' : 'done', lastError, processedAt: new Date() });
    // Finished first, then looked: a send recorded meanwhile whose receipt this row kept unmatched puts it back.
    if (receipts && !state.failed) await lateReceipts.finished(row.id);
    return true;
  };

  /** Applies a run of rows' turns in one chunk and finishes each row; answers the rows later rows of their people must wait for. */
  const runChunk = async (items: Planned<ClaimedRow>[], routers: Map<number, (businessId: string | null) => Promise<NumberRow | null>>) => {
    const steps: Step[] = [];
    const waitFor: Planned<ClaimedRow>[] = [];
    const ends: { item: Planned<ClaimedRow>; state: RowState; end: number }[] = [];
    const done: Held[] = [];
    for (const item of items) {
      const { row, turn } = item;
      const number = await numbers().findRowCached(row.numberId);
      if (!number || number.deletedAt) {
        await claims.release([row], { state: 'ignored', lastError: 'the number was deleted', processedAt: new Date() });
        continue;
      }
      if (!item.events) {
        let reason = 'unknown';
        try {
          parseRow(row);
        } catch (error) {
          reason = (error as Error).message;
        }
        await claims.release([row], { state: 'dead', lastError: `cannot parse the stored body: ${reason}`, processedAt: new Date() });
        continue;
      }
      const events = item.events as CanonicalEvent[];
      const fresh = { problems: [], retry: false, failed: false, deferred: false, unmatched: 0 };
      const state: RowState = turn.from > 0 ? { ...fresh, ...carried.get(row.id), unmatched: 0 } : fresh;
      carried.delete(row.id);
      if (!routers.has(number.id)) routers.set(number.id, routerFor(strapi, number));
      const targetOf = routers.get(number.id)!;
      const end = Math.min(events.length, turn.from + turn.max);
      for (let at = turn.from; at < end; at += 1) {
        const event = events[at];
        const target = await targetOf(event.businessId);
        if (target) steps.push({ row, state, number: target, event, person: item.people[at] });
        else state.problems.push(`${event.key}: addressed to ${event.businessId}, not this number`);
      }
      ends.push({ item, state, end });
    }
    if (steps.length) await chunks.apply(steps);
    for (const { item, state, end } of ends) if (!(await finishRow(item, state, end, done))) waitFor.push(item);
    if (done.length) await claims.release(done, { state: 'done', lastError: null, processedAt: new Date() });
    return waitFor;
  };

  /**
   * After a chunk failed as a whole (outside the per-event isolation of chunk.ts), runs its rows
   * alone in order: the others apply, and the row that fails alone is marked with its reason, its
   * attempt counted (its claim counted it), retried after a backoff and dead after MAX_ATTEMPTS.
   */
  const oneByOne = async (chunk: Planned<ClaimedRow>[], routers: Map<number, any>, state: PassState) => {
    for (const item of chunk) {
      const { row } = item;
      if (item.people.some((person) => state.waiting.has(person))) {
        for (const person of item.people) state.waiting.add(person);
        await claims.unclaim([row]).catch(() => undefined); // its lease runs out otherwise
        continue;
      }
      try {
        for (const waits of await runChunk([item], routers)) for (const person of waits.people) state.waiting.add(person);
      } catch (error) {
        for (const person of item.people) state.waiting.add(person);
        progress.delete(row.id);
        carried.delete(row.id);
        const lastError = `could not be processed: ${reasonOf(error)}`;
        const dead = row.attempts >= MAX_ATTEMPTS;
        strapi.log.error(`[whatsapp] webhook event ${row.id} ${lastError}${dead ? `; dead after ${row.attempts} attempts` : '; tried again later'}`);
        // Should this write fail too (the database is down), the row stays claimed and its lease runs out.
        await claims
          .release([row], dead ? { state: 'dead', lastError, processedAt: new Date() } : { state: 'pending', lockedUntil: new Date(Date.now() + backoffMs(row.attempts)), lastError })
          .catch(() => undefined);
      }
    }
  };

  /** Runs a lane's rows in order, a chunk per transaction; a row left pending holds back its people's later rows. */
  const runLane = async (lane: Planned<ClaimedRow>[], stopped: () => boolean, routers: Map<number, any>, state: PassState) => {
    for (let i = 0; i < lane.length; ) {
      const limit = chunkEvents(sqlite(), giveWay.pressed());
      if (stopped()) {
        await claims.unclaim(lane.slice(i).map((item) => item.row));
        return;
      }
      const chunk: Planned<ClaimedRow>[] = [];
      const back: Held[] = [];
      let size = 0;
      while (i < lane.length && (chunk.length === 0 || size < limit)) {
        const item = lane[i++];
        if (item.people.some((person) => state.waiting.has(person))) {
          for (const person of item.people) state.waiting.add(person);
          back.push(item.row);
          continue;
        }
        chunk.push(item);
        size += Math.min(item.turn.max, (item.events?.length ?? 1) - item.turn.from);
      }
      if (back.length) await claims.unclaim(back);
      if (!chunk.length) continue;
      await giveWay.giveWay();
      await giveWay.chunk(async () => {
        try {
          for (const item of await runChunk(chunk, routers)) for (const person of item.people) state.waiting.add(person);
        } catch (error) {
          strapi.log.warn(`[whatsapp] webhook events ${chunk.map((c) => c.row.id).join(', ')} failed together (${reasonOf(error)}); trying them one by one`);
          await oneByOne(chunk, routers, state);
        }
      });
    }
  };

  /** Free rows below a batch that held back their people: each makes this worker look again once (not on every pass, so two workers giving a row back cannot keep each other busy). */
  const lookedAgainFor = new Set<number>();

  /** One pass: claim due rows a batch at a time and apply them, until none is left. */
  const pass = async (stopped: () => boolean) => {
    const state = newPassState(progress);
    const routers = new Map<number, any>();
    let again = false;
    let cursor = 0;
    while (!stopped()) {
      // A number whose turn in this pass is spent is not read again: its backlog waits for the next pass unparsed.
      const spent = spentNumbers(state);
      const rows = await claims.due(cursor, BATCH, { skip: { numberId: spent } });
      if (!rows.length) break;
      cursor = rows[rows.length - 1].id;
      // Claimed while the pending rows below are read (one round trip instead of two); rows the plan leaves for later are given back.
      const [claim, read] = await Promise.allSettled([claims.claim(rows), waitingPeople(cursor, state.waiting, new Set(rows.map((row) => row.id)), spent)]);
      if (read.status === 'rejected') {
        // Nothing ran: the claim is given back uncounted rather than left to its lease with an attempt spent.
        if (claim.status === 'fulfilled') await claims.unclaim(claim.value).catch(() => undefined);
        throw read.reason;
      }
      if (claim.status === 'rejected') throw claim.reason;
      const fresh = read.value.filter((id) => !lookedAgainFor.has(id));
      if (lookedAgainFor.size + fresh.length > 10_000) lookedAgainFor.clear();
      for (const id of fresh) lookedAgainFor.add(id);
      if (fresh.length) again = true;
      const claimed = new Map(claim.value.map((row) => [row.id, row]));
      const parsed = rows.map((row) => {
        const events = parseOrNothing(row);
        return { row, events, people: events ? peopleOf(events) : [] };
      });
      const { run, later } = planTurns(parsed, state);
      // A row another worker claimed first holds back its people's later rows in this batch.
      const { keep, back } = inOrder(run, (p) => claimed.has(p.row.id), state.waiting);
      const giveBack = [...later, ...back.map((p) => p.row)].filter((row) => claimed.has(row.id)).map((row) => claimed.get(row.id)!);
      if (giveBack.length) await claims.unclaim(giveBack);
      const items = keep.map((p) => ({ ...p, row: claimed.get(p.row.id)! }));
      await Promise.all(lanesOf(items, concurrency()).map((lane) => runLane(lane, stopped, routers, state)));
    }
    if ((again || state.held.size || spentNumbers(state).length) && !stopped()) loop.kick();
  };

  const loop = createWorkerLoop(strapi, 'inbound worker', pass, SWEEP_MS);

  return {
    ...loop,
    acknowledging: giveWay.acknowledging,
    forgetUnknownSenders: chunks.forgetUnknownSenders,
  };
};
