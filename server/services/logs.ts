import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { ApiLogEntry, Pagination, WebhookLogDetail, WebhookLogEntry } from '../../contracts/logs';
import { UID } from '../constants';
import { getService } from '../utils';
import { toId } from '../ids';

interface ListQuery {
  numberId?: string;
  state?: string;
  from?: string;
  to?: string;
  call?: string;
  page?: string;
  pageSize?: string;
}

const EXCERPT = 300;

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

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);

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
    excerpt: row.rawBody ? String(row.rawBody).slice(0, EXCERPT) : null,
  });

  const list = async (uid: string, where: Record<string, unknown>, query: ListQuery, orderBy: Record<string, 'desc'>) => {
    const { page, pageSize, offset } = paging(query);
    const [rows, total] = await Promise.all([q(uid).findMany({ where, orderBy, offset, limit: pageSize }), q(uid).count({ where })]);
    const pagination: Pagination = { page, pageSize, total, pageCount: Math.ceil(total / pageSize) };
    return { rows, pagination };
  };

  const replayWhere = async (where: Record<string, unknown>) => {
    const { count } = await q(UID.webhookEvent).updateMany({
      where: { ...where, state: { $in: REPLAYABLE } },
      data: { state: 'pending', attempts: 0, lockedUntil: null, lastError: null, processedAt: null },
    });
    if (count > 0) getService('inbound', { strapi }).kick();
    return count as number;
  };

  return {
    async webhooks(query: ListQuery): Promise<{ data: WebhookLogEntry[]; meta: { pagination: Pagination } }> {
      const where = {
        ...(query.numberId ? { numberId: Number(query.numberId) } : {}),
        ...(query.state ? { state: query.state } : {}),
        ...timeRange('receivedAt', query.from, query.to),
      };
      const { rows, pagination } = await list(UID.webhookEvent, where, query, { id: 'desc' });
      return { data: rows.map(entry), meta: { pagination } };
    },

    async webhook(id: unknown): Promise<WebhookLogDetail> {
      const n = toId(id);
      const row = n ? await q(UID.webhookEvent).findOne({ where: { id: n } }) : null;
      if (!row) throw new errors.NotFoundError('No webhook call with this id');
      return { ...entry(row), rawBody: row.rawBody ?? null, bodyEncoding: row.bodyEncoding ?? 'utf8', headers: row.headers ?? {} };
    },

    async replay(id: unknown): Promise<WebhookLogDetail> {
      const row = await this.webhook(id);
      if (!REPLAYABLE.includes(row.state)) {
        throw new errors.ValidationError('This call failed authentication when it arrived and cannot be replayed');
      }
      await replayWhere({ id: row.id });
      return this.webhook(row.id);
    },

    async replayRange(input: { from: string; to: string; numberId?: number; state?: string }) {
      const where = {
        ...timeRange('receivedAt', input.from, input.to),
        ...(input.numberId ? { numberId: input.numberId } : {}),
        ...(input.state ? { state: input.state } : {}),
      };
      return { replayed: await replayWhere(where) };
    },

    async apiCalls(query: ListQuery): Promise<{ data: ApiLogEntry[]; meta: { pagination: Pagination } }> {
      const where = {
        ...(query.numberId ? { numberId: Number(query.numberId) } : {}),
        ...(query.call ? { call: query.call } : {}),
        ...timeRange('createdAt', query.from, query.to),
      };
      const { rows, pagination } = await list(UID.apiLog, where, query, { id: 'desc' });
      // Deleted numbers too: their old calls still name the provider they went to.
      const ids = [...new Set(rows.map((r: any) => r.numberId).filter(Boolean))];
      const numbers = ids.length ? await q(UID.number).findMany({ where: { id: { $in: ids } }, select: ['id', 'provider'] }) : [];
      const providerOf = new Map(numbers.map((n: any) => [n.id, n.provider as string]));
      return {
        data: rows.map((r: any) => ({ id: r.id, numberId: r.numberId ?? null, provider: providerOf.get(r.numberId) ?? null, call: r.call, method: r.method ?? null, url: r.url ?? null, status: r.status ?? null, latencyMs: r.latencyMs ?? null, errorCode: r.errorCode ?? null, errorText: r.errorText ?? null, createdAt: r.createdAt })),
        meta: { pagination },
      };
    },
  };
};
