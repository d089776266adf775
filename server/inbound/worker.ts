/**
 * The asynchronous half of the inbound path: claims stored webhook rows in batches, splits them
 * into canonical events and applies each exactly once, in chunks of rows per transaction. The
 * unique key of `applied-event`, written in the same transaction as the event's effect, is what
 * makes a redelivery a no-op.
 */
import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { adapterFor, type CanonicalEvent } from '../providers';
import { parseWebhookJson } from '../providers/json';
import { personOrderKey } from '../keys';
import type { NumberRow } from '../number-rows';
import { getConfig, getService } from '../utils';
import { createWorkerLoop } from '../worker-loop';
import { routerFor } from '../webhook-routing';
import { backoffMs, chunksOf, createClaims, type Held } from '../claims';
import { reasonOf } from '../db-rows';
import { createChunkApplier, type RowState, type Step } from './chunk';
import { inOrder, lanesOf, newPassState, planTurns, type PassState, type Planned } from './plan';

const LEASE_MS = 60_000;
const MAX_ATTEMPTS = 6;
const SWEEP_MS = 5_000;
/** Rows one claim takes. */
const BATCH = 200;
/** Ids of waiting rows read at once, and bodies of them (a body may be 4 MB): bounded reads, under SQLite's variable limit. */
const LOCKED_PAGE = 1000;
const BODIES_PER_READ = 50;
/** Rows whose people are remembered: a stored body never changes, so a waiting row is parsed once. */
const PEOPLE_CACHE_MAX = 50_000;
/** Events per transaction: SQLite has one writer, and an acknowledgement waits for the whole of one (fewer while calls queue). */
const chunkEvents = (sqlite: boolean, pressed: boolean) => (sqlite ? (pressed ? 10 : 40) : 100);
/** On SQLite, how long a chunk waits for acknowledgements in flight to be stored first. */
const MAX_DEFER_MS = 20;
/** Webhook calls in flight at once, of those that came while no chunk ran, that mean callers outpace acknowledging. */
const PRESSURE = 4;
/** On SQLite, how long the worker looks for calls coming while none is held before it takes the next chunk. */
const LOOK_MS = 3;
/** How long after calls last queued the worker still counts them as queuing (they come and go in groups). */
const PRESSURE_MS = 100;
/** On SQLite (one process does both), the worker's share of the time while calls queue: acknowledging comes first. */
const SHARE_UNDER_PRESSURE = 0.2;

export type WebhookRow = { id: number; numberId: number; provider: NumberRow['provider']; rawBody: string; bodyEncoding?: string | null; attempts: number; lockedUntil: string | null };
/** A row this worker claimed: ending its claim names the lease. */
type ClaimedRow = WebhookRow & Held;

/**
 * The people a row's events are about. Rows sharing one are applied one after another, in row
 * order: one customer's messages in the order they came, a STOP before a later START, one lead
 * per person even when they write to two numbers at once.
 */
export const peopleOf = (events: CanonicalEvent[]) =>
  events.map((event) => {
    if (event.kind === 'message') return personOrderKey(event.from.waId ?? event.from.userId);
    if (event.kind === 'status') return personOrderKey(event.recipient.waId ?? event.recipient.userId ?? event.providerMessageId);
    if (event.kind === 'consent') return personOrderKey(event.customer.waId ?? event.customer.userId);
    return `${event.kind}:${event.businessId ?? ''}`;
  });

export const createInboundWorker = (strapi: Core.Strapi) => {
  const numbers = () => getService('numbers', { strapi });
  const claims = createClaims<WebhookRow>(strapi, { uid: UID.webhookEvent, leaseMs: LEASE_MS, pending: { state: 'pending' }, select: ['numberId', 'provider', 'rawBody', 'bodyEncoding', 'lockedUntil'] });
  const chunks = createChunkApplier(strapi);
  const sqlite = () => strapi.db.dialect.client === 'sqlite';
  /** Row id → where its next turn starts; lost on a restart, which only restarts a row from its first event (applied ones are no-ops). */
  const progress = new Map<number, number>();
  /** What a row's earlier turns found, so its last turn can say it; lost on a restart, which only shortens a note. */
  const carried = new Map<number, RowState>();
  let acknowledging = 0;
  /** Calls in flight that came while no chunk ran: those held up by a chunk say nothing about the callers' pace. */
  let unheld = 0;
  /** Chunks running now (one on SQLite). */
  let chunking = 0;
  /** When unheld calls in flight last reached PRESSURE. */
  let pressedAt = 0;
  const pressed = () => unheld >= PRESSURE || Date.now() - pressedAt < PRESSURE_MS;
  /** How long the worker's last chunk took: under pressure it rests four times that. */
  let lastChunkMs = 0;
  /** Row id → the people its events are about. */
  const peopleCache = new Map<number, string[]>();

  const parseRow = (row: WebhookRow) => {
    // Ingest stores only UTF-8 JSON now; rows kept as base64 before that still parse.
    const text = row.bodyEncoding === 'base64' ? Buffer.from(row.rawBody, 'base64').toString('utf8') : row.rawBody;
    return adapterFor(row.provider).parse(parseWebhookJson(text));
  };
  const parseOrNothing = (row: WebhookRow) => {
    try {
      return parseRow(row);
    } catch {
      return undefined; // finishRow records why.
    }
  };

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
   * On SQLite the worker and the acknowledgements share one writer and one event loop: calls in
   * flight go first, briefly; while callers outpace acknowledging (calls queue with no chunk
   * running), the worker rests four times as long as its last chunk took.
   */
  const tick = () => new Promise((resolve) => setTimeout(resolve, 1));
  const giveWay = async () => {
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
      const limit = chunkEvents(sqlite(), pressed());
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
      await giveWay();
      const started = Date.now();
      chunking += 1;
      try {
        for (const item of await runChunk(chunk, routers)) for (const person of item.people) state.waiting.add(person);
      } catch (error) {
        strapi.log.warn(`[whatsapp] webhook events ${chunk.map((c) => c.row.id).join(', ')} failed together (${reasonOf(error)}); trying them one by one`);
        await oneByOne(chunk, routers, state);
      } finally {
        chunking -= 1;
      }
      lastChunkMs = Date.now() - started;
    }
  };

  /**
   * The people of stored rows below `beforeId` still waiting on a backoff or another worker: their
   * later rows wait too. Read a page of ids at a time and their bodies a few at a time, so neither
   * memory nor a statement's variables grow with the rows waiting.
   */
  const waitingPeople = async (beforeId: number, into: Set<string>) => {
    for (let afterId = 0; ; ) {
      const ids = await claims.lockedBefore(beforeId, { afterId, limit: LOCKED_PAGE });
      if (!ids.length) return;
      afterId = ids[ids.length - 1];
      const unknown = ids.filter((id) => !peopleCache.has(id));
      if (peopleCache.size + unknown.length > PEOPLE_CACHE_MAX) peopleCache.clear();
      for (const part of chunksOf(unknown, BODIES_PER_READ)) {
        const rows = (await strapi.db.query(UID.webhookEvent as any).findMany({ select: ['id', 'provider', 'rawBody', 'bodyEncoding'], where: { id: { $in: part } } })) as WebhookRow[];
        for (const row of rows) {
          const events = parseOrNothing(row);
          peopleCache.set(row.id, events ? peopleOf(events) : []);
        }
      }
      for (const id of ids) for (const person of peopleCache.get(id) ?? []) into.add(person);
      if (ids.length < LOCKED_PAGE) return;
    }
  };

  /** One pass: claim due rows a batch at a time and apply them, until none is left. */
  const pass = async (stopped: () => boolean) => {
    const state = newPassState(progress);
    const routers = new Map<number, any>();
    let cursor = 0;
    while (!stopped()) {
      const rows = await claims.due(cursor, BATCH);
      if (!rows.length) break;
      cursor = rows[rows.length - 1].id;
      await waitingPeople(cursor, state.waiting);
      const parsed = rows.map((row) => {
        const events = parseOrNothing(row);
        return { row, events, people: events ? peopleOf(events) : [] };
      });
      const { run } = planTurns(parsed, state);
      const claimed = new Map((await claims.claim(run.map((p) => p.row))).map((row) => [row.id, row]));
      // A row another worker claimed first holds back its people's later rows in this batch.
      const { keep, back } = inOrder(run, (p) => claimed.has(p.row.id), state.waiting);
      const giveBack = back.filter((p) => claimed.has(p.row.id)).map((p) => claimed.get(p.row.id)!);
      if (giveBack.length) await claims.unclaim(giveBack);
      const items = keep.map((p) => ({ ...p, row: claimed.get(p.row.id)! }));
      await Promise.all(lanesOf(items, concurrency()).map((lane) => runLane(lane, stopped, routers, state)));
    }
    if (state.held.size && !stopped()) loop.kick();
  };

  const loop = createWorkerLoop(strapi, 'inbound worker', pass, SWEEP_MS);

  return {
    ...loop,
    /** Called by the webhook route around a call (reading aside): on SQLite the worker lets it go first. */
    acknowledging<T>(work: Promise<T>): Promise<T> {
      acknowledging += 1;
      // A call that comes while a chunk runs queues because of the worker: only calls that queue without one mean pressure.
      const counted = chunking === 0;
      if (counted && ++unheld >= PRESSURE) pressedAt = Date.now();
      return work.finally(() => {
        acknowledging -= 1;
        if (counted) unheld -= 1;
      });
    },
    forgetUnknownSenders: chunks.forgetUnknownSenders,
  };
};
