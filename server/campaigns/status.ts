/**
 * A recipient's status, derived when read from its outbox message (one join), so receipts need no
 * extra work on the inbound path: queued until the message is sent, then sent / delivered / read,
 * replied when the customer wrote within the reply window after it, failed with the provider's reason.
 */
import type { Core } from '@strapi/strapi';
import type { CampaignCounters, CampaignFunnel, CampaignRecipient, RecipientStatus, TimelineBucket } from '../../contracts/campaigns';
import { UID } from '../constants';
import { adviceFor, isRetryable } from './errors';

type Row = Record<string, any>;

/** What one recipient row holds once joined with its message and the first reply after it. */
export interface JoinedRecipient {
  id: number;
  occurrenceId: number;
  phone: string;
  state: string;
  reason: string | null;
  source: unknown;
  messageId: number | null;
  queuedAt: Date | null;
  notBefore: Date | null;
  msgStatus: string | null;
  errorCode: string | null;
  errorClass: string | null;
  errorText: string | null;
  msgCreatedAt: Date | null;
  sentAt: Date | null;
  deliveredAt: Date | null;
  readAt: Date | null;
  failedAt: Date | null;
  repliedAt: Date | null;
}

/** SQLite answers datetimes as epoch milliseconds (number or digits), PostgreSQL as Date objects. */
export const toDate = (v: unknown): Date | null => {
  if (v === null || v === undefined || v === '') return null;
  if (v instanceof Date) return v;
  if (typeof v === 'number' || /^\d+$/.test(String(v))) return new Date(Number(v));
  const d = new Date(String(v));
  return Number.isNaN(d.getTime()) ? null : d;
};
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v ?? null);

/**
 * Of a query of recipients joined to their message (`m`), the `columns` (named without their
 * table) of those a customer answered, with `replied_at`: the customer's first message after ours
 * in the conversation. A scalar subquery is looked up once per recipient (in a materialized CTE)
 * on the conversation's index, so the plan stays a lookup even where the database's statistics are
 * stale (a campaign's tables grow fast; a join was planned as a scan).
 */
export const withFirstReply = (strapi: Core.Strapi, query: any, columns: string[]) => {
  const knex = strapi.db.connection;
  const m = strapi.db.metadata.get(UID.message as any).tableName;
  const first = knex(`${m} as i`).min('i.created_at').where('i.conversation_id', knex.ref('m.conversation_id')).andWhere('i.direction', 'in').andWhere('i.created_at', '>', knex.ref('m.created_at'));
  // Materialized: a plain derived table is merged back into the query, and the lookup then runs in the filter and again in the select.
  return knex.withMaterialized('answered', query.select(...columns, first.as('replied_at'))).select('*').from('answered').whereNotNull('replied_at');
};

/** Loads an occurrence's recipients (or some of them) with their message's state and first reply. */
export const loadJoined = async (strapi: Core.Strapi, occurrenceIds: number[], where: { ids?: number[] } = {}): Promise<JoinedRecipient[]> => {
  if (!occurrenceIds.length) return [];
  const knex = strapi.db.connection;
  const r = strapi.db.metadata.get(UID.campaignRecipient as any).tableName;
  const m = strapi.db.metadata.get(UID.message as any).tableName;
  let query = knex(`${r} as r`)
    .leftJoin(`${m} as m`, 'm.id', 'r.message_id')
    .whereIn('r.occurrence_id', occurrenceIds)
    .select('r.id', 'r.occurrence_id', 'r.phone', 'r.state', 'r.reason', 'r.source', 'r.message_id', 'r.queued_at', 'r.not_before', 'm.status', 'm.error_code', 'm.error_class', 'm.error_text', 'm.created_at as m_created_at', 'm.sent_at', 'm.delivered_at', 'm.read_at', 'm.failed_at', 'm.conversation_id', 'm.updated_at as m_updated_at')
    .orderBy('r.id', 'asc');
  if (where.ids) query = query.whereIn('r.id', where.ids);
  const rows: Row[] = await query;
  // The first customer message after ours in the same conversation: one query, not one per recipient.
  let replyQuery = knex(`${r} as r`).join(`${m} as m`, 'm.id', 'r.message_id').whereIn('r.occurrence_id', occurrenceIds);
  if (where.ids) replyQuery = replyQuery.whereIn('r.id', where.ids);
  const replies: Row[] = await withFirstReply(strapi, replyQuery, ['r.id']);
  const replied = new Map(replies.map((x) => [Number(x.id), toDate(x.replied_at)]));
  return rows.map((x) => {
    const sent = x.status && ['sent', 'delivered', 'read'].includes(x.status);
    return {
      id: Number(x.id),
      occurrenceId: Number(x.occurrence_id),
      phone: x.phone,
      state: x.state,
      reason: x.reason ?? null,
      source: json(x.source),
      messageId: x.message_id ? Number(x.message_id) : null,
      queuedAt: toDate(x.queued_at),
      notBefore: toDate(x.not_before),
      msgStatus: x.status ?? null,
      errorCode: x.error_code ?? null,
      errorClass: x.error_class ?? null,
      errorText: x.error_text ?? null,
      msgCreatedAt: toDate(x.m_created_at),
      // The provider's `sent` receipt sets the time; until it arrives, when we recorded the send.
      sentAt: toDate(x.sent_at) ?? (sent ? toDate(x.m_updated_at) : null),
      deliveredAt: toDate(x.delivered_at),
      readAt: toDate(x.read_at),
      failedAt: toDate(x.failed_at),
      repliedAt: replied.get(Number(x.id)) ?? null,
    };
  });
};

/** The status a row shows; `replyWindowMs`: how long after ours a customer message counts as a reply. */
export const statusOf = (row: JoinedRecipient, replyWindowMs: number): RecipientStatus => {
  if (row.state === 'skipped') return 'skipped';
  if (!row.messageId || !row.msgStatus) return row.state === 'failed' ? 'failed' : 'queued';
  if (row.msgStatus === 'failed' || row.msgStatus === 'review') return 'failed';
  const start = row.sentAt ?? row.msgCreatedAt;
  if (row.repliedAt && start && row.repliedAt.getTime() - start.getTime() <= replyWindowMs) return 'replied';
  if (row.msgStatus === 'read') return 'read';
  if (row.msgStatus === 'delivered') return 'delivered';
  if (row.msgStatus === 'sent') return 'sent';
  return 'queued';
};

/** A recipient as the API answers it. */
export const recipientOut = (row: JoinedRecipient, replyWindowMs: number): CampaignRecipient => {
  const status = statusOf(row, replyWindowMs);
  const failed = status === 'failed';
  const errorClass = row.msgStatus === 'review' ? 'maybe-sent' : row.errorClass;
  return {
    id: row.id,
    occurrenceId: row.occurrenceId,
    phone: row.phone,
    status,
    reason: status === 'skipped' ? row.reason : failed ? adviceFor(row.errorCode, errorClass, row.errorText ?? row.reason) : null,
    errorCode: failed ? row.errorCode : null,
    errorClass: failed ? errorClass : null,
    retryable: failed && isRetryable(row.errorCode, errorClass),
    source: (row.source as CampaignRecipient['source']) ?? null,
    messageId: row.messageId,
    queuedAt: iso(row.queuedAt),
    sentAt: iso(row.sentAt),
    deliveredAt: iso(row.deliveredAt ?? (row.readAt && row.msgStatus === 'read' ? row.readAt : null)),
    readAt: iso(row.readAt),
    repliedAt: status === 'replied' ? iso(row.repliedAt) : null,
    failedAt: failed ? iso(row.failedAt) : null,
    nextAttemptAt: row.state === 'pending' ? iso(row.notBefore) : null,
  };
};

export const emptyCounters = (): CampaignCounters => ({ total: 0, queued: 0, sent: 0, delivered: 0, read: 0, replied: 0, failed: 0, skipped: 0 });

export const countersOf = (rows: CampaignRecipient[]): CampaignCounters => {
  const c = emptyCounters();
  for (const r of rows) {
    c.total += 1;
    c[r.status] += 1;
  }
  return c;
};

/** Each step counts those that reached it or went further. */
export const funnelOf = (c: CampaignCounters): CampaignFunnel => ({
  audience: c.total - c.skipped,
  sent: c.sent + c.delivered + c.read + c.replied,
  delivered: c.delivered + c.read + c.replied,
  read: c.read + c.replied,
  replied: c.replied,
  failed: c.failed,
});

/** The chart: buckets sized so a run fits in about 60 of them (at least a minute each). */
export const timelineOf = (rows: CampaignRecipient[]): { bucketSeconds: number; buckets: TimelineBucket[] } => {
  const events: [keyof Omit<TimelineBucket, 'at'>, string | null][] = rows.flatMap((r) => [
    ['sent', r.sentAt],
    ['delivered', r.deliveredAt],
    ['read', r.readAt],
    ['replied', r.repliedAt],
    ['failed', r.failedAt],
  ] as [keyof Omit<TimelineBucket, 'at'>, string | null][]).filter(([, at]) => at);
  if (!events.length) return { bucketSeconds: 60, buckets: [] };
  const times = events.map(([, at]) => Date.parse(at!));
  const first = times.reduce((a, b) => Math.min(a, b));
  const span = times.reduce((a, b) => Math.max(a, b)) - first;
  const bucketSeconds = Math.max(60, Math.ceil(span / 60 / 1000 / 60) * 60);
  const start = Math.floor(first / (bucketSeconds * 1000)) * bucketSeconds * 1000;
  const buckets = new Map<number, TimelineBucket>();
  events.forEach(([kind], i) => {
    const slot = start + Math.floor((times[i] - start) / (bucketSeconds * 1000)) * bucketSeconds * 1000;
    if (!buckets.has(slot)) buckets.set(slot, { at: new Date(slot).toISOString(), sent: 0, delivered: 0, read: 0, replied: 0, failed: 0 });
    buckets.get(slot)![kind] += 1;
  });
  return { bucketSeconds, buckets: [...buckets.values()].sort((a, b) => a.at.localeCompare(b.at)) };
};
