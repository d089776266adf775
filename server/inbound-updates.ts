/** What the inbound worker applies besides customer messages (receipts, template and number updates), apart so inbound.ts stays one concern. */
import type { Core } from '@strapi/strapi';
import { UID } from './constants';
import { adapterFor, type NumberEvent, type ProviderErrorEvent, type StatusEvent, type TemplateEvent } from './providers';
import type { NumberRow } from './services/numbers';
import type { RealtimeEvent } from './services/realtime';
import { getService } from './utils';
import { signsBodies } from './webhook-routing';

/** Forward-only delivery order; `failed` is terminal and outranks everything. */
const RANK: Record<string, number> = { received: 0, queued: 0, sending: 0, review: 0, enqueued: 0, sent: 1, delivered: 2, read: 3, played: 3, failed: 9 };

/** A status for a message whose send has not recorded its provider id yet: try again shortly. */
export class RetryLater extends Error {}

/** The inbound worker's appliers for what is not a customer message: receipts, template and number updates. */
export const createUpdateAppliers = (strapi: Core.Strapi) => {
  const q = (uid: string) => strapi.db.query(uid as any);
  const numbers = () => getService('numbers', { strapi });

  /** Returns 'unmatched' for a status of a message this number never sent (nor is sending now). */
  const applyStatus = async (number: NumberRow, event: StatusEvent, published: RealtimeEvent[], mayWait: () => Promise<boolean>) => {
    const ids = [event.providerMessageId, event.altMessageId].filter(Boolean);
    const message = await q(UID.message).findOne({ where: { numberId: number.id, providerMessageId: { $in: ids } } });
    if (!message) {
      if (await mayWait()) throw new RetryLater(`no message ${event.providerMessageId} yet`);
      return 'unmatched' as const;
    }

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
    return 'applied' as const;
  };

  const numbersOwning = async (number: NumberRow, businessId: string | null) => {
    // An unsigned call speaks for the number whose URL it came to, never for its siblings.
    if (!signsBodies(number)) return [number];
    const adapter = adapterFor(number.provider);
    const secretOf = (row: NumberRow) => numbers().toProviderNumber(row).credentials.appSecret ?? null;
    const secret = secretOf(number);
    const rows = await numbers().listRows(number.provider);
    // Only siblings signed for with the same app secret: another app's number naming the same WABA is not this call's to change.
    return rows.filter((row) => row.id === number.id || (businessId !== null && secret !== null && secretOf(row) === secret && adapter.owns(numbers().toProviderNumber(row), businessId)));
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

  return { applyStatus, applyTemplate, applyNumberHealth };
};
