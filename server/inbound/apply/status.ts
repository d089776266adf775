/**
 * Delivery receipts, applied in batches: one read of the messages, one insert of the event keys,
 * one UPDATE for the times and one per status reached. Forward-only (sent < delivered < read,
 * failed terminal) and idempotent by the applied-event key, whatever order the receipts came in.
 */
import type { Core } from '@strapi/strapi';
import { UID } from '../../constants';
import { chunksOf } from '../../claims';
import { rowInserter, type Db } from '../../db-rows';
import { type ClassifiedError, type ProviderErrorDetail, type StatusEvent } from '../../providers';
import type { NumberRow } from '../../number-rows';
import type { RealtimeEvent } from '../../services/realtime';
import { getService } from '../../utils';
import { aboutKey } from '../../keys';
import { eventKey, type Keys } from '../keys';
import { updateEach } from '../../update-each';
import { lowerThan, RANK } from '../../status-order';

// The receipts module answers its own order too (tests and callers read it here).
export { lowerThan };

/** Statuses a message may reach from a receipt, in the order their UPDATEs run. */
const TARGETS = ['sent', 'delivered', 'read', 'failed'];

export interface StoredMessage {
  id: number;
  conversationId: number;
  providerMessageId: string | null;
  status: string | null;
  sentAt?: Date | string | null;
  deliveredAt?: Date | string | null;
  readAt?: Date | string | null;
  failedAt?: Date | string | null;
  payload?: Record<string, unknown> | null;
}

/**
 * What a message's new receipts change: each time field keeps the earliest time reported for it,
 * the first failure keeps its reason, and the status is the highest reached (null: no move).
 */
export const foldStatuses = (message: StoredMessage, events: StatusEvent[], classify: (detail: ProviderErrorDetail) => ClassifiedError | null) => {
  const data: Record<string, unknown> = {};
  const current = { ...message } as Record<string, any>;
  const earliest = (field: string, at: Date) => {
    if (!current[field] || new Date(current[field]) > at) current[field] = data[field] = at;
  };
  let rank = RANK[message.status ?? ''] ?? 0;
  let status: string | null = null;
  for (const event of events) {
    const at = event.timestamp;
    if (event.status === 'sent') earliest('sentAt', at);
    if (event.status === 'delivered') earliest('deliveredAt', at);
    if (event.status === 'read' || event.status === 'played') {
      earliest('readAt', at);
      // Meta may report read without delivered when both happen at once.
      earliest('deliveredAt', at);
    }
    if (event.status === 'failed' && !current.failedAt) {
      const detail = event.errors?.[0];
      const classified = detail ? classify(detail) : null;
      current.failedAt = at;
      Object.assign(data, { failedAt: at, errorClass: classified?.class ?? 'permanent', errorCode: classified?.code ?? null, errorText: classified?.text ?? 'failed without a reason' });
    }
    if (event.altMessageId && event.altMessageId !== message.providerMessageId && !current.payload?.whatsappId) {
      current.payload = data.payload = { ...(current.payload ?? {}), whatsappId: event.altMessageId };
    }
    const next = event.status === 'played' ? 'read' : event.status;
    if ((RANK[next] ?? 0) > rank) {
      rank = RANK[next];
      status = next;
    }
  }
  return { data, status };
};

export interface ReceiptInput {
  number: NumberRow;
  event: StatusEvent;
  webhookEventId: number;
  /** Whether a receipt for a message not (yet) here should wait: one of the number's sends is still recording its id. */
  mayWait: () => Promise<boolean>;
}

export interface ReceiptOutcome {
  /** Inputs (by index) to try again later: their keys were not stored. */
  retry: Set<number>;
  /** Inputs (by index) stored as unmatched receipts. */
  unmatched: Set<number>;
  /** Sends that failed because the customer stopped marketing messages (error class `opted-out`). */
  optedOut: { number: NumberRow; conversationId: number; code: string | null; text: string; key: string }[];
}

export const createStatusApplier = (strapi: Core.Strapi, keys: Keys) => {
  const messages = rowInserter(strapi, UID.message);
  const col = messages.column;

  const find = async (numberId: number, ids: string[]) => {
    const found: StoredMessage[] = [];
    for (const part of chunksOf(ids, 500)) {
      found.push(...((await strapi.db.query(UID.message as any).findMany({ select: ['id', 'conversationId', 'providerMessageId', 'status', 'sentAt', 'deliveredAt', 'readAt', 'failedAt', 'payload'], where: { numberId, providerMessageId: { $in: part } } })) as StoredMessage[]));
    }
    return found;
  };

  /** Writes each message's own times, failure and payload in one UPDATE per 200 messages. */
  const writeFields = (trx: Db, changes: { id: number; data: Record<string, unknown> }[]) =>
    updateEach(
      trx,
      (sql, bindings) => strapi.db.connection.raw(sql, bindings as any[]),
      messages.table,
      changes.map(({ id, data }) => ({ id, set: Object.fromEntries(Object.entries(data).map(([field, value]) => [col(field), field === 'payload' ? JSON.stringify(value) : value])) }))
    );

  /** Applies the receipts inside `trx`; pushes what changed to `published`. */
  const apply = async (trx: Db, inputs: ReceiptInput[], published: RealtimeEvent[]): Promise<ReceiptOutcome> => {
    const outcome: ReceiptOutcome = { retry: new Set(), unmatched: new Set(), optedOut: [] };
    // Which stored message each receipt is about, looked up once per number.
    const byNumber = new Map<number, Set<string>>();
    for (const { number, event } of inputs) {
      const set = byNumber.get(number.id) ?? new Set<string>();
      for (const id of [event.providerMessageId, event.altMessageId]) if (id) set.add(id);
      byNumber.set(number.id, set);
    }
    const stored = new Map<string, StoredMessage>();
    for (const [numberId, ids] of byNumber) for (const m of await find(numberId, [...ids])) stored.set(`${numberId}:${m.providerMessageId}`, m);
    const messageOf = ({ number, event }: ReceiptInput) => stored.get(`${number.id}:${event.providerMessageId}`) ?? (event.altMessageId ? stored.get(`${number.id}:${event.altMessageId}`) : undefined);

    const keyRows = [];
    for (const [i, input] of inputs.entries()) {
      if (!messageOf(input)) {
        if (await input.mayWait()) {
          outcome.retry.add(i);
          continue;
        }
        outcome.unmatched.add(i);
      }
      const { number, event } = input;
      keyRows.push(
        outcome.unmatched.has(i)
          ? { key: eventKey(number, event.key), webhookEventId: input.webhookEventId, outcome: 'unmatched', aboutId: aboutKey(number.id, event.providerMessageId), aboutAltId: event.altMessageId ? aboutKey(number.id, event.altMessageId) : null }
          : { key: eventKey(number, event.key), webhookEventId: input.webhookEventId, outcome: 'status' }
      );
    }
    const fresh = await keys.claim(trx, keyRows);

    // A key new in this batch is applied once, by its first receipt.
    const perMessage = new Map<number, { message: StoredMessage; number: NumberRow; events: StatusEvent[]; key: string }>();
    for (const [i, input] of inputs.entries()) {
      const key = eventKey(input.number, input.event.key);
      if (outcome.retry.has(i) || outcome.unmatched.has(i) || !fresh.delete(key)) continue;
      const message = messageOf(input)!;
      const entry = perMessage.get(message.id) ?? { message, number: input.number, events: [], key };
      entry.events.push(input.event);
      perMessage.set(message.id, entry);
    }

    const changes: { id: number; data: Record<string, unknown> }[] = [];
    const moves = new Map<string, { message: StoredMessage; number: NumberRow }[]>();
    for (const { message, number, events, key } of perMessage.values()) {
      const { data, status } = foldStatuses(message, events, (detail) => getService('provider-calls', { strapi }).for(number).classifyDetail(detail));
      if (Object.keys(data).length) changes.push({ id: message.id, data });
      if (data.errorClass === 'opted-out') outcome.optedOut.push({ number, conversationId: message.conversationId, code: (data.errorCode as string | null) ?? null, text: String(data.errorText ?? ''), key });
      if (status) moves.set(status, [...(moves.get(status) ?? []), { message, number }]);
    }
    if (changes.length) await writeFields(trx, changes);

    // The status moves only forward, checked in the UPDATE itself: another instance applying a
    // receipt of the same message at once cannot move it back.
    for (const status of TARGETS) {
      for (const part of chunksOf(moves.get(status) ?? [], 500)) {
        const moved = await trx(messages.table).whereIn('id', part.map((m) => m.message.id)).whereIn(col('status'), lowerThan(status)).update({ [col('status')]: status }).returning(['id']);
        const ids = new Set((moved as { id: unknown }[]).map((r) => Number(r.id)));
        for (const { message, number } of part) {
          if (ids.has(message.id)) published.push({ type: 'message.status', conversationId: message.conversationId, numberId: number.id, messageId: message.id, status });
        }
      }
    }
    return outcome;
  };

  return { apply };
};
