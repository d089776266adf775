import crypto from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { adapterFor, type CanonicalEvent, type InboundMessageEvent } from '../providers';
import { parseWebhookJson } from '../providers/json';
import { customerE164, regionOf, samePersonKey } from '../phone';
import { getConfig, getService } from '../utils';
import { createWorkerLoop } from '../worker-loop';
import { insertConversationIfNone } from '../conversation-row';
import { createTurns, type Turn } from '../inbound-turns';
import { routerFor } from '../webhook-routing';
import { createUpdateAppliers, RetryLater } from '../inbound-updates';
import type { NumberRow } from './numbers';
import type { RealtimeEvent } from './realtime';

const LEASE_MS = 60_000;
const MAX_ATTEMPTS = 6;
/**
 * Tries a status for an unknown message gets while one of the number's sends is still in flight
 * (its provider id not yet recorded); then, or at once when none is, it is an unmatched receipt.
 */
const RACE_ATTEMPTS = 3;
const SWEEP_MS = 5_000;
const BATCH = 25;
const DAY_MS = 24 * 3600_000;
/** How long "no CRM record has this phone" is believed before the identity sources are asked again. */
const NO_MATCH_TTL_MS = 15_000;
const backoffMs = (attempt: number) => Math.min(2 ** attempt * 1000, 5 * 60_000);

type Trx = any;
type WebhookRow = { id: number; numberId: number; provider: NumberRow['provider']; rawBody: string; bodyEncoding?: string | null; attempts: number; lockedUntil: string | null };

const later = (a: Date | string | null | undefined, b: Date) => (a && new Date(a) > b ? new Date(a) : b);

/**
 * The asynchronous half of the inbound path: claims stored webhook rows, splits them into
 * canonical events and applies each exactly once. The unique key of `applied-event`, written in
 * the same transaction as the event's effect, is what makes a redelivery a no-op.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);
  const numbers = () => getService('numbers', { strapi });

  /** Inserts the event's key; false when it was applied before. Never throws on a duplicate. */
  const claimKey = async (trx: Trx, key: string, webhookEventId: number | null, outcome: string) => {
    const inserted = await trx('whatsapp_applied_events')
      .insert({ key, webhook_event_id: webhookEventId, outcome, document_id: crypto.randomBytes(12).toString('hex') })
      .onConflict('key')
      .ignore()
      .returning('id');
    return Array.isArray(inserted) && inserted.length > 0;
  };

  /**
   * An unknown sender's every message would ask each identity source again; a short memory of
   * "nobody has this phone" saves those queries while a conversation is busy.
   */
  const unmatched = new Map<string, number>();
  const recentlyUnmatched = (e164: string) => {
    const until = unmatched.get(e164);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    unmatched.delete(e164);
    return false;
  };

  /**
   * Insert-or-nothing on the (number, customer) unique key: two first messages of one customer
   * applied at once, by this process or another instance, end in one conversation, not an error.
   */
  const findOrCreateConversation = async (trx: Trx, number: NumberRow, waId: string, e164: string | null, name: string | null) => {
    const existing = await q(UID.conversation).findOne({ where: { numberId: number.id, customerWaId: waId } });
    if (existing) return existing;
    await insertConversationIfNone(trx, { numberId: number.id, waId, phone: e164, name });
    return q(UID.conversation).findOne({ where: { numberId: number.id, customerWaId: waId } });
  };

  const applyMessage = async (trx: Trx, number: NumberRow, event: InboundMessageEvent, published: RealtimeEvent[]) => {
    const waId = event.from.waId ?? event.from.userId!;
    const e164 = event.from.waId ? customerE164(event.from.waId) : null;
    const conversation = await findOrCreateConversation(trx, number, waId, e164, event.from.name ?? null);

    let crm: { crmKind: string; crmUid: string; crmDocumentId: string; name: string | null } | null = null;
    if (!conversation.crmDocumentId && e164 && !recentlyUnmatched(e164)) {
      const identity = getService('identity', { strapi });
      let match = await identity.match(e164, regionOf(number));
      const { autoLead } = await getService('settings', { strapi }).get();
      // One lead per person, however many messages or numbers reach us at once.
      if (!match && autoLead?.enabled && (await claimKey(trx, `autolead:${samePersonKey(e164)}`, null, 'lead'))) {
        match = await identity.createLead(e164, event.from.name ?? null);
      }
      if (match) crm = { crmKind: match.kind, crmUid: match.uid, crmDocumentId: match.documentId, name: match.name };
      else if (!autoLead?.enabled) unmatched.set(e164, Date.now() + NO_MATCH_TTL_MS);
    }

    // Plain inserts and updates inside the transaction: this runs for every customer message, and
    // the query engine's create/update cost two or three statements each.
    const now = new Date();
    const [inserted] = await trx('whatsapp_messages').insert(
      {
        document_id: crypto.randomBytes(12).toString('hex'),
        conversation_id: conversation.id,
        number_id: number.id,
        direction: 'in',
        type: event.type,
        text: event.text,
        payload: JSON.stringify(event.raw),
        media_provider_id: event.media?.id ?? event.media?.url ?? null,
        media_mime_type: event.media?.mimeType ?? null,
        media_state: event.media ? 'pending' : 'none',
        provider_message_id: event.providerMessageId,
        idempotency_key: `${number.provider}:${number.id}:${event.key}`,
        status: 'received',
        source: 'customer',
        reply_to_provider_id: event.context?.providerMessageId ?? event.reaction?.providerMessageId ?? null,
        provider_timestamp: event.timestamp,
        attempts: 0,
        created_at: now,
        updated_at: now,
        published_at: now,
      },
      ['id']
    );
    const message = { id: Number(typeof inserted === 'object' ? inserted.id : inserted) };

    // Providers time messages to the second and our replies to the millisecond: a customer message
    // in the same second as a reply came after it (it is being applied now), so it is the newest.
    const newest = !conversation.lastMessageAt || Math.floor(new Date(conversation.lastMessageAt).getTime() / 1000) <= Math.floor(event.timestamp.getTime() / 1000);
    // A reaction is shown on the message it reacts to: it is not something new to read, and a
    // removed reaction (no emoji) says nothing at all.
    const reaction = event.type === 'reaction';
    const preview = reaction ? (event.reaction?.emoji ? `Reacted ${event.reaction.emoji}` : null) : (event.text ?? `[${event.type}]`);
    const windowExpiresAt = later(conversation.windowExpiresAt, new Date(event.timestamp.getTime() + DAY_MS));
    await trx('whatsapp_conversations')
      .where({ id: conversation.id })
      .update({
        ...(crm ? { crm_kind: crm.crmKind, crm_uid: crm.crmUid, crm_document_id: crm.crmDocumentId, crm_name: crm.name } : {}),
        customer_name: event.from.name ?? conversation.customerName ?? null,
        customer_phone: conversation.customerPhone ?? e164,
        last_inbound_at: later(conversation.lastInboundAt, event.timestamp),
        last_message_at: later(conversation.lastMessageAt, event.timestamp),
        ...(newest && preview ? { last_message_preview: preview.slice(0, 200) } : {}),
        window_expires_at: windowExpiresAt,
        template_only: windowExpiresAt.getTime() <= Date.now(),
        unread: reaction ? trx.raw('coalesce(unread, 0)') : trx.raw('coalesce(unread, 0) + 1'),
        state: 'open',
        updated_at: now,
      });
    published.push(
      { type: 'message.created', conversationId: conversation.id, numberId: number.id, messageId: message.id },
      { type: 'conversation.updated', conversationId: conversation.id, numberId: number.id }
    );
  };

  const { applyStatus, applyTemplate, applyNumberHealth } = createUpdateAppliers(strapi);

  const applyEvent = async (number: NumberRow, event: CanonicalEvent, webhookEventId: number, mayWait: () => Promise<boolean>) => {
    const published: RealtimeEvent[] = [];
    let needsSync = false;
    let receiptUnmatched = false;
    await strapi.db.transaction(async ({ trx }) => {
      const key = `${number.provider}:${number.id}:${event.key}`;
      if (!(await claimKey(trx, key, webhookEventId, event.kind))) return;
      if (event.kind === 'status') {
        // Kept claimed: the receipt is recorded once and a redelivery of it is a no-op.
        receiptUnmatched = (await applyStatus(number, event, published, mayWait)) === 'unmatched';
        if (receiptUnmatched) await trx('whatsapp_applied_events').where({ key }).update({ outcome: 'unmatched' });
      } else if (event.kind === 'message') {
        await applyMessage(trx, number, event, published);
        // In the same transaction: a STOP is never lost between the message and the opt-out.
        if (event.text) await getService('opt-out', { strapi }).fromMessage(number, event);
      } else if (event.kind === 'template') needsSync = !(await applyTemplate(number, event));
      else if (event.kind === 'number' || event.kind === 'error') await applyNumberHealth(number, event);
    });
    const realtime = getService('realtime', { strapi });
    for (const e of published) realtime.publish(e);
    await getService('out-of-hours', { strapi }).afterInbound(number, event, published);
    if (event.kind === 'message' && event.media) getService('media', { strapi }).kick();
    // A template the plugin has not stored yet (created at the provider): fetch the number's list.
    if (needsSync) {
      getService('templates', { strapi })
        .sync(number.id)
        .catch((error: Error) => strapi.log.warn(`[whatsapp] template sync after a webhook failed: ${error.message}`));
    }
    return receiptUnmatched;
  };

  // updateMany is one UPDATE; update() would read the row before and after.
  const finish = (row: WebhookRow, data: Record<string, unknown>) => q(UID.webhookEvent).updateMany({ where: { id: row.id }, data: { lockedUntil: null, ...data } });

  const parseRow = (row: WebhookRow) => {
    // Ingest stores only UTF-8 JSON now; rows kept as base64 before that still parse.
    const text = row.bodyEncoding === 'base64' ? Buffer.from(row.rawBody, 'base64').toString('utf8') : row.rawBody;
    return adapterFor(row.provider).parse(parseWebhookJson(text));
  };

  /** What a row's earlier turns found, so its last turn can say it; lost on a restart, which only shortens a note. */
  const carried = new Map<number, { problems: string[]; retry: boolean; failed: boolean }>();

  /**
   * Applies the row's events from `turn.from`, at most `turn.max` of them; returns where the next
   * turn starts, or null when the row is finished (done, dead, or back to pending for a retry).
   * `parsed`: the row already parsed by the caller, to spare a second parse.
   */
  const processRow = async (row: WebhookRow, parsed?: CanonicalEvent[], turn: Turn = { from: 0, max: Infinity }): Promise<number | null> => {
    const number = await numbers().findRowCached(row.numberId);
    if (!number || number.deletedAt) return finish(row, { state: 'ignored', lastError: 'the number was deleted', processedAt: new Date() }).then(() => null);
    let events: CanonicalEvent[];
    try {
      events = parsed ?? parseRow(row);
    } catch (error) {
      return finish(row, { state: 'dead', lastError: `cannot parse the stored body: ${(error as Error).message}`, processedAt: new Date() }).then(() => null);
    }

    const targetOf = routerFor(strapi, number);
    const sending = new Map<number, Promise<boolean>>();
    const mayWait = (target: NumberRow) => async () => {
      if (row.attempts >= RACE_ATTEMPTS) return false;
      if (!sending.has(target.id)) sending.set(target.id, q(UID.message).count({ where: { numberId: target.id, direction: 'out', status: 'sending' } }).then((n: number) => n > 0));
      return sending.get(target.id)!;
    };

    const state = turn.from > 0 ? carried.get(row.id) ?? { problems: [], retry: false, failed: false } : { problems: [], retry: false, failed: false };
    carried.delete(row.id);
    const end = Math.min(events.length, turn.from + turn.max);
    for (const event of events.slice(turn.from, end)) {
      const target = await targetOf(event.businessId);
      if (!target) {
        state.problems.push(`${event.key}: addressed to ${event.businessId}, not this number`);
        continue;
      }
      try {
        await applyEvent(target, event, row.id, mayWait(target));
      } catch (error) {
        if (error instanceof RetryLater) state.retry = true;
        else state.failed = true;
        state.problems.push(`${event.key}: ${(error as Error).message}`);
      }
    }
    if (end < events.length) {
      // Another row's turn: released without counting an attempt, resumed from `end`.
      carried.set(row.id, state);
      await finish(row, { state: 'pending', attempts: row.attempts - 1 });
      return end;
    }

    const receipts = await q(UID.appliedEvent).count({ where: { webhookEventId: row.id, outcome: 'unmatched' } });
    const notes = [...(receipts ? [`unmatched: ${receipts} (statuses of messages this number never sent, kept as unmatched receipts)`] : []), ...state.problems];
    const lastError = notes.length ? notes.join('\n').slice(0, 4000) : null;
    if ((state.retry || state.failed) && row.attempts < MAX_ATTEMPTS) {
      await finish(row, { state: 'pending', lockedUntil: new Date(Date.now() + backoffMs(row.attempts)), lastError });
      return null;
    }
    await finish(row, { state: state.failed ? 'dead' : 'done', lastError, processedAt: new Date() });
    return null;
  };

  const due = (now: Date, afterId: number) =>
    q(UID.webhookEvent).findMany({
      where: { state: 'pending', id: { $gt: afterId }, $or: [{ lockedUntil: { $null: true } }, { lockedUntil: { $lte: now } }] },
      orderBy: { id: 'asc' },
      limit: BATCH,
    }) as Promise<WebhookRow[]>;

  /** A conditional update makes the claim safe across workers: only one of them moves `attempts` on. */
  const claim = async (row: WebhookRow) => {
    const now = new Date();
    const { count } = await q(UID.webhookEvent).updateMany({
      where: { id: row.id, state: 'pending', attempts: row.attempts, $or: [{ lockedUntil: { $null: true } }, { lockedUntil: { $lte: now } }] },
      data: { attempts: row.attempts + 1, lockedUntil: new Date(now.getTime() + LEASE_MS) },
    });
    return count === 1 ? { ...row, attempts: row.attempts + 1 } : null;
  };

  /**
   * The people a row's events are about. Rows sharing one are applied one after another, in row
   * order: one customer's messages in the order they came, a STOP before a later START, one lead
   * per person even when they write to two numbers at once.
   */
  const peopleOf = (events: CanonicalEvent[]) =>
    events.map((event) => {
      if (event.kind === 'message') return `person:${event.from.waId ?? event.from.userId}`;
      if (event.kind === 'status') return `person:${event.recipient.waId ?? event.recipient.userId ?? event.providerMessageId}`;
      return `${event.kind}:${event.businessId ?? ''}`;
    });

  const concurrency = () => {
    const configured = getConfig(strapi, 'inboundConcurrency');
    if (configured) return configured;
    return strapi.db.dialect.client === 'sqlite' ? 1 : 4;
  };

  /** Claims and applies one turn of a row; never rejects (a database error leaves the row for the next sweep). */
  const handle = async (candidate: WebhookRow, events: CanonicalEvent[] | undefined, turn: Turn) => {
    try {
      const row = await claim(candidate);
      return row ? await processRow(row, events, turn) : null;
    } catch (error) {
      strapi.log.error(`[whatsapp] webhook event ${candidate.id} could not be processed: ${(error as Error).message}`);
      return null;
    }
  };

  const parseOrNothing = (row: WebhookRow) => {
    try {
      return parseRow(row);
    } catch {
      return undefined; // processRow records why.
    }
  };

  const pass = createTurns({ due, parse: parseOrNothing, peopleOf, concurrency, handle, again: () => loop.kick() });
  const loop = createWorkerLoop(strapi, 'inbound worker', pass, SWEEP_MS);

  return {
    ...loop,
    processRow,
    /** A CRM record was written: a phone nobody had may be someone's now. */
    forgetUnknownSenders: () => unmatched.clear(),
  };
};
