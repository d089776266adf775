import crypto from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import {
  adapterFor,
  type CanonicalEvent,
  type InboundMessageEvent,
  type NumberEvent,
  type ProviderErrorEvent,
  type StatusEvent,
  type TemplateEvent,
} from '../providers';
import { customerE164, regionOf, samePersonKey } from '../phone';
import { createKeyedQueue } from '../keyed-queue';
import { getConfig, getService } from '../utils';
import { createWorkerLoop } from '../worker-loop';
import { insertConversationIfNone } from '../conversation-row';
import type { NumberRow } from './numbers';
import type { RealtimeEvent } from './realtime';

/** A status for a message whose send has not recorded its provider id yet: try again shortly. */
class RetryLater extends Error {}

const LEASE_MS = 60_000;
const MAX_ATTEMPTS = 6;
const SWEEP_MS = 5_000;
const BATCH = 25;
const DAY_MS = 24 * 3600_000;
/** How long "no CRM record has this phone" is believed before the identity sources are asked again. */
const NO_MATCH_TTL_MS = 15_000;
const backoffMs = (attempt: number) => Math.min(2 ** attempt * 1000, 5 * 60_000);

/** Forward-only delivery order; `failed` is terminal and outranks everything. */
const RANK: Record<string, number> = { received: 0, queued: 0, sending: 0, review: 0, enqueued: 0, sent: 1, delivered: 2, read: 3, played: 3, failed: 9 };

type Trx = any;
type WebhookRow = { id: number; numberId: number; provider: NumberRow['provider']; rawBody: string; attempts: number; lockedUntil: string | null };

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
      if (!match && autoLead.enabled && (await claimKey(trx, `autolead:${samePersonKey(e164)}`, null, 'lead'))) {
        match = await identity.createLead(e164, event.from.name ?? null);
      }
      if (match) crm = { crmKind: match.kind, crmUid: match.uid, crmDocumentId: match.documentId, name: match.name };
      else if (!autoLead.enabled) unmatched.set(e164, Date.now() + NO_MATCH_TTL_MS);
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

  const applyStatus = async (number: NumberRow, event: StatusEvent, published: RealtimeEvent[]) => {
    const ids = [event.providerMessageId, event.altMessageId].filter(Boolean);
    const message = await q(UID.message).findOne({ where: { numberId: number.id, providerMessageId: { $in: ids } } });
    if (!message) throw new RetryLater(`no message ${event.providerMessageId} yet`);

    const data: Record<string, unknown> = {};
    const at = event.timestamp;
    // Each state keeps the earliest time reported for it, whatever order the statuses came in.
    const earliest = (field: string) => {
      if (!message[field] || new Date(message[field]) > at) data[field] = at;
    };
    if (event.status === 'sent') earliest('sentAt');
    if (event.status === 'delivered') earliest('deliveredAt');
    if (event.status === 'read' || event.status === 'played') {
      earliest('readAt');
      // Meta may report read without delivered when both happen at once.
      earliest('deliveredAt');
    }
    if (event.status === 'failed' && !message.failedAt) {
      const detail = event.errors?.[0];
      const classified = detail ? adapterFor(number.provider).classifyDetail(detail) : null;
      Object.assign(data, { failedAt: at, errorClass: classified?.class ?? 'permanent', errorCode: classified?.code ?? null, errorText: classified?.text ?? 'failed without a reason' });
    }
    if (event.altMessageId && event.altMessageId !== message.providerMessageId && !message.payload?.whatsappId) {
      data.payload = { ...(message.payload ?? {}), whatsappId: event.altMessageId };
    }
    if (Object.keys(data).length) await q(UID.message).updateMany({ where: { id: message.id }, data });

    // The status moves only forward, checked in the UPDATE itself: two statuses of one message
    // applied at once (another instance, or a recipient id that differs) cannot move it back.
    const status = event.status === 'played' ? 'read' : event.status;
    const rank = RANK[status] ?? 0;
    if (rank <= (RANK[message.status] ?? 0)) return;
    const lower = Object.keys(RANK).filter((s) => RANK[s] < rank);
    const { count } = await q(UID.message).updateMany({ where: { id: message.id, status: { $in: lower } }, data: { status } });
    if (count) published.push({ type: 'message.status', conversationId: message.conversationId, numberId: number.id, messageId: message.id, status });
  };

  const numbersOwning = async (number: NumberRow, businessId: string | null) => {
    const adapter = adapterFor(number.provider);
    const rows = await numbers().listRows(number.provider);
    return rows.filter((row) => row.id === number.id || (businessId !== null && adapter.owns(numbers().toProviderNumber(row), businessId)));
  };

  /** Returns false when no stored template matched: the number's templates need a sync. */
  const applyTemplate = async (number: NumberRow, event: TemplateEvent) => {
    const ids = (await numbersOwning(number, event.businessId)).map((n) => n.id);
    const data: Record<string, unknown> = { syncedAt: new Date() };
    if (event.change === 'status') Object.assign(data, { status: event.status, rejectionReason: event.status === 'REJECTED' ? [event.reason, event.rejection?.reason].filter(Boolean).join(': ') || null : null });
    if (event.change === 'quality') data.quality = event.quality;
    if (event.change === 'category') data.category = event.category;
    const { count } = await q(UID.template).updateMany({ where: { numberId: { $in: ids }, name: event.name, ...(event.language ? { language: event.language } : {}) }, data });
    return count > 0;
  };

  const applyNumberHealth = async (number: NumberRow, event: NumberEvent | ProviderErrorEvent) => {
    const ids = (await numbersOwning(number, event.businessId)).map((n) => n.id);
    const detail = event.kind === 'error' ? { errors: event.errors, at: event.timestamp } : { field: event.field, event: event.event, limit: event.limit, at: event.timestamp };
    await q(UID.number).updateMany({ where: { id: { $in: ids } }, data: { health: event.kind === 'error' ? 'error' : event.event, healthDetail: detail } });
  };

  const applyEvent = async (number: NumberRow, event: CanonicalEvent, webhookEventId: number) => {
    const published: RealtimeEvent[] = [];
    let needsSync = false;
    await strapi.db.transaction(async ({ trx }) => {
      if (!(await claimKey(trx, `${number.provider}:${number.id}:${event.key}`, webhookEventId, event.kind))) return;
      if (event.kind === 'message') {
        await applyMessage(trx, number, event, published);
        // In the same transaction: a STOP is never lost between the message and the opt-out.
        if (event.text) await getService('opt-out', { strapi }).fromMessage(number, event);
      } else if (event.kind === 'status') await applyStatus(number, event, published);
      else if (event.kind === 'template') needsSync = !(await applyTemplate(number, event));
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
  };

  // updateMany is one UPDATE; update() would read the row before and after.
  const finish = (row: WebhookRow, data: Record<string, unknown>) => q(UID.webhookEvent).updateMany({ where: { id: row.id }, data: { lockedUntil: null, ...data } });

  const parseRow = (row: WebhookRow) => adapterFor(row.provider).parse(JSON.parse(row.rawBody));

  /** `events`: the row already parsed by the caller, to spare a second parse. */
  const processRow = async (row: WebhookRow, parsed?: CanonicalEvent[]) => {
    const number = await numbers().findRowCached(row.numberId);
    if (!number || number.deletedAt) return finish(row, { state: 'ignored', lastError: 'the number was deleted', processedAt: new Date() });
    let events: CanonicalEvent[];
    try {
      events = parsed ?? parseRow(row);
    } catch (error) {
      return finish(row, { state: 'dead', lastError: `cannot parse the stored body: ${(error as Error).message}`, processedAt: new Date() });
    }

    const targetOf = numbers().router(number);

    const problems: string[] = [];
    let retry = false;
    let failed = false;
    for (const event of events) {
      const target = await targetOf(event.businessId);
      if (!target) {
        problems.push(`${event.key}: addressed to ${event.businessId}, not this number`);
        continue;
      }
      try {
        await applyEvent(target, event, row.id);
      } catch (error) {
        if (error instanceof RetryLater) retry = true;
        else failed = true;
        problems.push(`${event.key}: ${(error as Error).message}`);
      }
    }

    const lastError = problems.length ? problems.join('\n').slice(0, 4000) : null;
    if ((retry || failed) && row.attempts < MAX_ATTEMPTS) {
      return finish(row, { state: 'pending', lockedUntil: new Date(Date.now() + backoffMs(row.attempts)), lastError });
    }
    const state = failed ? 'dead' : 'done';
    return finish(row, { state, lastError, processedAt: new Date() });
  };

  const due = (now: Date) =>
    q(UID.webhookEvent).findMany({
      where: { state: 'pending', $or: [{ lockedUntil: { $null: true } }, { lockedUntil: { $lte: now } }] },
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

  const exclusive = createKeyedQueue();
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

  /** Claims and applies one row; never rejects (a database error leaves the row for the next sweep). */
  const handle = async (candidate: WebhookRow, events: CanonicalEvent[] | undefined) => {
    try {
      const row = await claim(candidate);
      if (row) await processRow(row, events);
    } catch (error) {
      strapi.log.error(`[whatsapp] webhook event ${candidate.id} could not be processed: ${(error as Error).message}`);
    }
  };

  /**
   * Oldest first, a batch per query, up to `concurrency` rows in flight. Each row takes its people's
   * keys before anything awaits, so the order between rows of one person is the order of their ids.
   */
  const pass = async (stopped: () => boolean) => {
    const limit = concurrency();
    const inFlight = new Set<Promise<void>>();
    const seen = new Set<number>();
    try {
      for (let rows = await due(new Date()); !stopped(); rows = await due(new Date())) {
        const fresh = rows.filter((r) => !seen.has(r.id));
        if (!fresh.length && !inFlight.size) return;
        for (const candidate of fresh) {
          if (stopped()) break;
          seen.add(candidate.id);
          let events: CanonicalEvent[] | undefined;
          try {
            events = parseRow(candidate);
          } catch {
            events = undefined; // processRow records why.
          }
          const task: Promise<void> = exclusive(events ? peopleOf(events) : [], () => handle(candidate, events)).finally(() => inFlight.delete(task));
          inFlight.add(task);
          if (inFlight.size >= limit) await Promise.race(inFlight);
        }
        if (!fresh.length) await Promise.race(inFlight);
      }
    } finally {
      await Promise.allSettled(inFlight);
    }
  };

  return {
    ...createWorkerLoop(strapi, 'inbound worker', pass, SWEEP_MS),
    processRow,
    /** A CRM record was written: a phone nobody had may be someone's now. */
    forgetUnknownSenders: () => unmatched.clear(),
  };
};
