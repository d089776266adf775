import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Message, MessagesMeta, MessagesQuery } from '../../contracts/inbox';
import { UID } from '../constants';
import { countUpTo } from '../bounded-count';
import { rowInserter } from '../db-rows';
import { messageOut } from './out';

const MEDIA = { media: { select: ['url', 'mime', 'name', 'size'] } };
const NEWEST_FIRST = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

/** The thread's rows as a knex query. */
const threadQuery = (strapi: Core.Strapi, conversationId: number) => {
  const { table, column } = rowInserter(strapi, UID.message);
  return strapi.db.connection(table).where(column('conversationId'), conversationId);
};

/**
 * Ids of the thread's messages older than message `before` in (createdAt, id) order, newest
 * first: a row comparison against the cursor row read in SQL, so the thread index seeks to it
 * (no offset) and timestamps never round-trip through JavaScript's milliseconds.
 */
const idsBefore = async (strapi: Core.Strapi, conversationId: number, before: number, limit: number) => {
  const { table, column } = rowInserter(strapi, UID.message);
  const created = column('createdAt');
  if (!(await threadQuery(strapi, conversationId).where('id', before).first('id'))) {
    const message = 'before is not a message of this conversation';
    throw new errors.ValidationError(message, { errors: [{ path: ['before'], message, name: 'ValidationError', value: before }] });
  }
  const rows = await threadQuery(strapi, conversationId)
    .select('id')
    .whereRaw(`(??, id) < (SELECT c.??, c.id FROM ?? c WHERE c.id = ?)`, [created, created, table, before])
    .orderBy([{ column: created, order: 'desc' }, { column: 'id', order: 'desc' }])
    .limit(limit);
  return rows.map((r: { id: number | string }) => Number(r.id));
};

/** One page of a thread, newest first, by page number or by `before` cursor; one row more than the page tells whether older ones exist. */
export const threadPage = async (strapi: Core.Strapi, conversationId: number, query: MessagesQuery): Promise<{ data: Message[]; meta: MessagesMeta }> => {
  const q = strapi.db.query(UID.message as any);
  const pageSize = Math.min(200, Math.max(1, Number(query.pageSize ?? 50)));
  const nextOf = (rows: { id: number }[]) => (rows.length > pageSize ? rows[pageSize - 1].id : null);
  if (query.before !== undefined) {
    const before = Number(query.before);
    const ids = await idsBefore(strapi, conversationId, before, pageSize + 1);
    const found = ids.length ? await q.findMany({ where: { id: { $in: ids } }, populate: MEDIA }) : [];
    const byId = new Map<number, any>(found.map((r: any) => [r.id, r]));
    const rows = ids.map((id) => byId.get(id)).filter(Boolean);
    return { data: rows.slice(0, pageSize).map(messageOut), meta: { pagination: { pageSize, before }, nextBefore: nextOf(rows) } };
  }
  const page = Math.max(1, Number(query.page ?? 1));
  const where = { conversationId };
  const offset = (page - 1) * pageSize;
  const [rows, { total, capped }] = await Promise.all([
    q.findMany({ where, orderBy: NEWEST_FIRST, offset, limit: pageSize + 1, populate: MEDIA }),
    countUpTo(strapi, threadQuery(strapi, conversationId), offset + pageSize),
  ]);
  return {
    data: rows.slice(0, pageSize).map(messageOut),
    meta: { pagination: { page, pageSize, total, pageCount: Math.ceil(total / pageSize), ...(capped ? { capped: true } : {}) }, nextBefore: nextOf(rows) },
  };
};
