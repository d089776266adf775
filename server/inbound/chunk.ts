/**
 * Applies a chunk of webhook rows' events in two transactions: one insert of the event keys and the
 * customer messages in order, then the receipts in one batch. Should any event fail, its
 * transaction is rolled back and applied again one event per transaction, so only that event's row
 * is marked.
 */
import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import type { CanonicalEvent } from '../providers';
import type { NumberRow } from '../number-rows';
import type { RealtimeEvent } from '../services/realtime';
import { getService } from '../utils';
import type { Db } from '../db-rows';
import { createConsentApplier, type Confirmation } from './apply/consent';
import { createMessageApplier, fromOwnNumber } from './apply/message';
import { applyNumberHealth } from './apply/number';
import { createStatusApplier, type ReceiptInput } from './apply/status';
import { applyTemplate } from './apply/template';
import { createKeys, eventKey } from './keys';

/**
 * Tries a status for an unknown message gets while one of the number's sends is still in flight
 * (its provider id not yet recorded); then, or at once when none is, it is an unmatched receipt.
 * Five tries wait about 30 s (the worker's backoff: 2, 4, 8, 16 s), so a loaded machine that records
 * a send late still counts its receipts, and the row stays below the worker's six attempts.
 */
const RACE_ATTEMPTS = 5;

/** What a row's turn found, carried to its last turn so the row's note can say it. */
export interface RowState {
  problems: string[];
  retry: boolean;
  failed: boolean;
  /** An earlier event of one of its people failed in this chunk: the row waits for it. */
  deferred: boolean;
  /** Receipts stored as unmatched in this turn. */
  unmatched: number;
}

export interface Step {
  /** The row's id, its attempt count and its state. */
  row: { id: number; attempts: number };
  state: RowState;
  number: NumberRow;
  event: CanonicalEvent;
  /** Whom the event is about (peopleOf): one person's events apply in order. */
  person: string;
}

/** What is done once the chunk is committed: live events, the out-of-hours reply, media and template work. */
interface Effects {
  published: RealtimeEvent[];
  inbound: { number: NumberRow; event: CanonicalEvent; published: RealtimeEvent[] }[];
  media: boolean;
  syncs: Set<number>;
  /** Keyword opt-outs and opt-ins to confirm. */
  confirmations: Confirmation[];
}

const newEffects = (): Effects => ({ published: [], inbound: [], media: false, syncs: new Set(), confirmations: [] });

export const createChunkApplier = (strapi: Core.Strapi) => {
  const keys = createKeys(strapi);
  const statuses = createStatusApplier(strapi, keys);
  const messages = createMessageApplier(strapi, keys);
  const consent = createConsentApplier(strapi);

  /** Applies `steps` inside `trx`; receipts that must wait mark their row for a retry. */
  const applySteps = async (trx: Db, steps: Step[], effects: Effects) => {
    const sending = new Map<number, Promise<boolean>>();
    const mayWait = (step: Step) => async () => {
      if (step.row.attempts >= RACE_ATTEMPTS) return false;
      const id = step.number.id;
      if (!sending.has(id)) sending.set(id, strapi.db.query(UID.message as any).count({ where: { numberId: id, direction: 'out', status: 'sending' } }).then((n: number) => n > 0));
      return sending.get(id)!;
    };

    const others = steps.filter((s) => s.event.kind !== 'status');
    const fresh = await keys.claim(trx, others.map((s) => ({ key: eventKey(s.number, s.event.key), webhookEventId: s.row.id, outcome: s.event.kind })));
    const customer: { number: NumberRow; event: Extract<CanonicalEvent, { kind: 'message' }> }[] = [];
    for (const step of others) {
      const { number, event } = step;
      if (!fresh.delete(eventKey(number, event.key))) continue;
      if (event.kind === 'message') {
        // Our own number as the sender (an echo, whatever the provider's shape): no customer, no conversation, never answered.
        if (!fromOwnNumber(number, event)) customer.push({ number, event });
      }
      else if (event.kind === 'template') {
        // A template the plugin has not stored yet (created at the provider): fetch the number's list.
        if (!(await applyTemplate(strapi, number, event))) effects.syncs.add(number.id);
      } else if (event.kind === 'number' || event.kind === 'error') await applyNumberHealth(strapi, number, event);
      else if (event.kind === 'consent') await consent.event(number, event);
    }
    if (customer.length) {
      const announced = await messages.applyMany(trx, customer);
      // In the same transaction and in order: a STOP is never lost between the message and the opt-out.
      const conversationIds = announced.map((events) => events.find((e) => e.type === 'message.created')!.conversationId);
      effects.confirmations.push(...(await consent.keywords(customer.map((c, i) => ({ ...c, conversationId: conversationIds[i] })))));
      customer.forEach(({ number, event }, i) => {
        effects.published.push(...announced[i]);
        effects.inbound.push({ number, event, published: announced[i] });
        if (event.media) effects.media = true;
      });
    }

    const receipts = steps.filter((s) => s.event.kind === 'status');
    if (!receipts.length) return;
    const inputs: ReceiptInput[] = receipts.map((s) => ({ number: s.number, event: s.event as ReceiptInput['event'], webhookEventId: s.row.id, mayWait: mayWait(s) }));
    const outcome = await statuses.apply(trx, inputs, effects.published);
    for (const i of outcome.retry) {
      receipts[i].state.retry = true;
      receipts[i].state.problems.push(`${receipts[i].event.key}: no message ${inputs[i].event.providerMessageId} yet`);
    }
    for (const i of outcome.unmatched) receipts[i].state.unmatched += 1;
    if (outcome.optedOut.length) await consent.refusedSends(outcome.optedOut);
  };

  const runEffects = async (effects: Effects) => {
    const realtime = getService('realtime', { strapi });
    for (const e of effects.published) realtime.publish(e);
    for (const { number, event, published } of effects.inbound) {
      await getService('out-of-hours', { strapi }).afterInbound(number, event, published);
      await getService('bots', { strapi }).afterInbound(number, event, published);
    }
    for (const c of effects.confirmations) await getService('consents', { strapi }).confirm(c);
    if (effects.media) getService('media', { strapi }).kick();
    for (const id of effects.syncs) {
      getService('templates', { strapi })
        .sync(id)
        .catch((error: Error) => strapi.log.warn(`[whatsapp] template sync after a webhook failed: ${error.message}`));
    }
  };

  /** Applies the steps: all in one transaction, or one by one when that fails; `stuck` are people whose earlier event failed. */
  const applyGroup = async (steps: Step[], stuck: Set<string>) => {
    let effects = newEffects();
    const marks = steps.map((s) => ({ ...s.state, problems: [...s.state.problems] }));
    try {
      await strapi.db.transaction(async ({ trx }) => applySteps(trx, steps, effects));
    } catch {
      // Put back what the failed attempt marked, then find the event that fails, alone.
      steps.forEach((s, i) => Object.assign(s.state, marks[i], { problems: [...marks[i].problems] }));
      effects = newEffects();
      for (const step of steps) {
        if (stuck.has(step.person)) {
          step.state.deferred = true; // never after an earlier event of the same person that failed
          continue;
        }
        const own = newEffects();
        try {
          await strapi.db.transaction(async ({ trx }) => applySteps(trx, [step], own));
          effects.published.push(...own.published);
          effects.inbound.push(...own.inbound);
          effects.media ||= own.media;
          effects.confirmations.push(...own.confirmations);
          for (const id of own.syncs) effects.syncs.add(id);
        } catch (error) {
          stuck.add(step.person);
          step.state.failed = true;
          step.state.problems.push(`${step.event.key}: ${(error as Error).message}`);
        }
      }
    }
    await runEffects(effects);
  };

  /**
   * Applies a chunk: customer messages (and every other event but receipts) are committed and
   * announced first, then the receipts, so a campaign's receipts never hold up a customer's message.
   */
  const apply = async (steps: Step[]) => {
    const stuck = new Set<string>();
    const receipts = steps.filter((s) => s.event.kind === 'status');
    const others = steps.filter((s) => s.event.kind !== 'status');
    if (others.length) await applyGroup(others, stuck);
    if (!receipts.length) return;
    const free = receipts.filter((s) => !stuck.has(s.person));
    for (const s of receipts) if (stuck.has(s.person)) s.state.deferred = true;
    if (free.length) await applyGroup(free, stuck);
  };

  return { apply, forgetUnknownSenders: messages.forgetUnknownSenders };
};
