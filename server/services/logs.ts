import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { ApiLogEntry, Pagination, WebhookLogDetail, WebhookLogEntry } from '../../contracts/logs';
import { DEFAULT_LOG_RETENTION_DAYS, UID } from '../constants';
import { getConfig, getService } from '../utils';
import { toId } from '../ids';
import type { ScopedUser } from './scope';

interface ListQuery {
  numberId?: string;
  state?: string;
  from?: string;
  to?: string;
  call?: string;
  page?: string;
  pageSize?: string;
}

/** What a list row carries: never the body or the headers (customer text, possibly megabytes), only the detail does. */
const WEBHOOK_LIST_FIELDS = ['id', 'numberId', 'provider', 'receivedAt', 'state', 'signatureOk', 'attempts', 'eventCount', 'lastError', 'processedAt'];
const API_LIST_FIELDS = ['id', 'numberId', 'call', 'method', 'url', 'status', 'latencyMs', 'errorCode', 'errorText', 'createdAt'];

/** Rows deleted per statement when pruning, so a huge table is never locked for long. */
const PRUNE_BATCH = 500;
const DAY_MS = 24 * 60 * 60_000;

const paging = (query: ListQuery) => {
  const page = Math.max(1, Number(query.page ?? 1));
  const pageSize = Math.min(200, Math.max(1, Number(query.pageSize ?? 25)));
  return { page, pageSize, offset: (page - 1) * pageSize };
};

const timeRange = (field: string, from?: string, to?: string) => ({
  ...(from || to ? { [field]: { ...(from ? { $gte: new Date(from) } : {}), ...(to ? { $lte: new Date(to) } : {}) } } : {}),
});

/** Rejected calls failed authentication: their bytes were never trusted, so they are never applied. */
const REPLAYABLE = ['done', 'failed', 'dead', 'ignored', 'pending'];

/**
 * The webhook and API logs, each caller seeing only the rows of the numbers the scope service
 * lets them see (rows of no number: super admins only), and kept `logRetentionDays` days.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);
  const scope = () => getService('scope', { strapi });

  const entry = (row: any): WebhookLogEntry => ({
    id: row.id,
    numberId: row.numberId ?? null,
    provider: row.provider ?? null,
    receivedAt: row.receivedAt,
    state: row.state,
    signatureOk: row.signatureOk ?? null,
    attempts: row.attempts ?? 0,
    eventCount: row.eventCount ?? null,
    lastError: row.lastError ?? null,
    processedAt: row.processedAt ?? null,
  });

  /** The filters a caller asked for, inside the rows their teams allow. */
  const scoped = async (user: ScopedUser, where: Record<string, unknown>) => {
    const allowed = await scope().numberWhere(user);
    return Object.keys(allowed).length ? { $and: [allowed, where] } : where;
  };

  const list = async (uid: string, where: Record<string, unknown>, query: ListQuery, select: string[]) => {
    const { page, pageSize, offset } = paging(query);
    const [rows, total] = await Promise.all([q(uid).findMany({ where, select, orderBy: { id: 'desc' }, offset, limit: pageSize }), q(uid).count({ where })]);
    const pagination: Pagination = { page, pageSize, total, pageCount: Math.ceil(total / pageSize) };
    return { rows, pagination };
  };

  const replayWhere = async (where: Record<string, unknown>) => {
    const { count } = await q(UID.webhookEvent).updateMany({
      where: { $and: [where, { state: { $in: REPLAYABLE } }] },
      data: { state: 'pending', attempts: 0, lockedUntil: null, lastError: null, processedAt: null },
    });
    if (count > 0) getService('inbound', { strapi }).kick();
    return count as number;
  };

  /** Deletes rows matching `where` older than `cutoff` (in `field`), a batch at a time; answers how many. */
  const pruneTable = async (uid: string, field: string, cutoff: Date, where: Record<string, unknown> = {}) => {
    let deleted = 0;
    for (;;) {
      const ids = (await q(uid).findMany({ where: { ...where, [field]: { $lt: cutoff } }, select: ['id'], orderBy: { id: 'asc' }, limit: PRUNE_BATCH })).map((r: any) => r.id);
      if (!ids.length) return deleted;
      const { count } = await q(uid).deleteMany({ where: { id: { $in: ids } } });
      deleted += count;
      if (ids.length < PRUNE_BATCH) return deleted;
      // Lets queued queries (webhooks arriving, the inbox) through between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  return {
    async webhooks(user: ScopedUser, query: ListQuery): Promise<{ data: WebhookLogEntry[]; meta: { pagination: Pagination } }> {
      const where = await scoped(user, {
        ...(query.numberId ? { numberId: Number(query.numberId) } : {}),
        ...(query.state ? { state: query.state } : {}),
        ...timeRange('receivedAt', query.from, query.to),
      });
      const { rows, pagination } = await list(UID.webhookEvent, where, query, WEBHOOK_LIST_FIELDS);
      return { data: rows.map(entry), meta: { pagination } };
    },

    async webhook(user: ScopedUser, id: unknown): Promise<WebhookLogDetail> {
      const n = toId(id);
      const row = n ? await q(UID.webhookEvent).findOne({ where: { id: n } }) : null;
      // Another team's call answers like a missing one: its existence is not the caller's to know.
      if (!row || !(await scope().canSeeNumber(user, row.numberId))) throw new errors.NotFoundError('No webhook call with this id');
      return { ...entry(row), rawBody: row.rawBody ?? null, bodyEncoding: row.bodyEncoding ?? 'utf8', headers: row.headers ?? {} };
    },

    async replay(user: ScopedUser, id: unknown): Promise<WebhookLogDetail> {
      const row = await this.webhook(user, id);
      if (!REPLAYABLE.includes(row.state)) {
        throw new errors.ValidationError('This call failed authentication when it arrived and cannot be replayed');
      }
      await replayWhere({ id: row.id });
      return this.webhook(user, row.id);
    },

    async replayRange(user: ScopedUser, input: { from: string; to: string; numberId?: number; state?: string }) {
      const where = await scoped(user, {
        ...timeRange('receivedAt', input.from, input.to),
        ...(input.numberId ? { numberId: input.numberId } : {}),
        ...(input.state ? { state: input.state } : {}),
      });
      return { replayed: await replayWhere(where) };
    },

    async apiCalls(user: ScopedUser, query: ListQuery): Promise<{ data: ApiLogEntry[]; meta: { pagination: Pagination } }> {
      await getService('provider-calls', { strapi }).flushLog();
      const where = await scoped(user, {
        ...(query.numberId ? { numberId: Number(query.numberId) } : {}),
        ...(query.call ? { call: query.call } : {}),
        ...timeRange('createdAt', query.from, query.to),
      });
      const { rows, pagination } = await list(UID.apiLog, where, query, API_LIST_FIELDS);
      // Deleted numbers too: their old calls still name the provider they went to.
      const ids = [...new Set(rows.map((r: any) => r.numberId).filter(Boolean))];
      const numbers = ids.length ? await q(UID.number).findMany({ where: { id: { $in: ids } }, select: ['id', 'provider'] }) : [];
      const providerOf = new Map(numbers.map((n: any) => [n.id, n.provider as string]));
      return {
        data: rows.map((r: any) => ({ id: r.id, numberId: r.numberId ?? null, provider: providerOf.get(r.numberId) ?? null, call: r.call, method: r.method ?? null, url: r.url ?? null, status: r.status ?? null, latencyMs: r.latencyMs ?? null, errorCode: r.errorCode ?? null, errorText: r.errorText ?? null, createdAt: r.createdAt })),
        meta: { pagination },
      };
    },

    /**
     * Deletes webhook calls and API calls older than `logRetentionDays` (the daily cron job runs it).
     * Calls still waiting to be applied stay whatever their age: they are work, not history.
     */
    async prune(now = new Date()) {
      const days = getConfig(strapi, 'logRetentionDays') ?? DEFAULT_LOG_RETENTION_DAYS;
      const cutoff = new Date(now.getTime() - days * DAY_MS);
      const webhookEvents = await pruneTable(UID.webhookEvent, 'receivedAt', cutoff, { state: { $ne: 'pending' } });
      const apiLogs = await pruneTable(UID.apiLog, 'createdAt', cutoff);
      return { cutoff: cutoff.toISOString(), webhookEvents, apiLogs };
    },
  };
};
