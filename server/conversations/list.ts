import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { countUpTo } from '../bounded-count';
import { rowInserter } from '../db-rows';

export interface ListFilters {
  /** Numbers the caller may see ('all' for super admins); always applied. */
  allowed: number[] | 'all';
  userId: number;
  numberId?: string;
  state?: string;
  crm?: string;
  assignee?: string;
  q?: string;
  /** Identity sources whose CRM names the caller may read (and so search). */
  readableCrmUids: string[];
}

/** `%`, `_` and `\` in what staff type match themselves, on every Strapi version and database. */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The conversations a list asks for as a knex query (filters, team scope, search), written in SQL
 * so each condition matches an index of server/db-indexes.ts exactly and LIKE patterns are escaped.
 */
export const conversationsQuery = (strapi: Core.Strapi, f: ListFilters) => {
  const { table, column } = rowInserter(strapi, UID.conversation);
  const pg = strapi.db.dialect.client === 'postgres';
  // The same expression as the trigram index on PostgreSQL (which needs the cast to index it).
  const lower = (attribute: string) => (pg ? `lower(${column(attribute)}::varchar)` : `lower(${column(attribute)})`);
  const like = (expression: string, lowered = false) => `${expression} LIKE ${lowered ? 'lower(?)' : '?'} ESCAPE '\\'`;
  const qb = strapi.db.connection(table);
  if (f.allowed !== 'all') qb.whereIn(column('numberId'), f.allowed);
  if (f.numberId) qb.where(column('numberId'), f.allowed === 'all' || f.allowed.includes(Number(f.numberId)) ? Number(f.numberId) : -1);
  if (f.state) qb.where(column('state'), f.state);
  if (f.crm) qb.where(column('crmKind'), f.crm);
  if (f.assignee === 'me') qb.where(column('assigneeId'), f.userId);
  else if (f.assignee === 'unassigned') qb.whereNull(column('assigneeId'));
  else if (f.assignee) qb.where(column('assigneeId'), Number(f.assignee));
  if (f.q) {
    const pattern = `%${escapeLike(f.q)}%`;
    // A phone typed or pasted as people write it ("+1 555-000 2222"): its digits, against the wa id.
    const digits = f.q.replace(/\D/g, '');
    const phoneLike = /^[\d\s()+.\-]+$/.test(f.q) && digits.length >= 3;
    qb.where((or: any) => {
      or.whereRaw(like(lower('customerName'), true), [pattern])
        .orWhereRaw(like(column('customerPhone')), [pattern])
        .orWhereRaw(like(column('customerWaId')), [pattern]);
      // CRM names only in the types whose names the caller may read (role conditions on single records aside).
      if (f.readableCrmUids.length) or.orWhere((crm: any) => crm.whereRaw(like(lower('crmName'), true), [pattern]).whereIn(column('crmUid'), f.readableCrmUids));
      if (phoneLike) or.orWhereRaw(like(column('customerWaId')), [`%${digits}%`]);
    });
  }
  return { qb, column };
};

/** One page of conversation ids, most recent first, with the bounded total and unread counts. */
export const listPage = async (strapi: Core.Strapi, f: ListFilters, offset: number, pageSize: number) => {
  const { qb, column } = conversationsQuery(strapi, f);
  const recent = [{ column: column('lastMessageAt'), order: 'desc' }, { column: 'id', order: 'desc' }];
  const [rows, count, unread] = await Promise.all([
    qb.clone().select('id').orderBy(recent).offset(offset).limit(pageSize),
    countUpTo(strapi, qb, offset + pageSize),
    countUpTo(strapi, qb.clone().where(column('unread'), '>', 0), 0),
  ]);
  return { ids: rows.map((r: { id: number | string }) => Number(r.id)), count, unread };
};
