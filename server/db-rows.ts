import crypto from 'node:crypto';
import type { Core } from '@strapi/strapi';

/** Strapi's knex connection, or a transaction of it. */
export type Db = (table: string) => any;
export type RowData = Record<string, unknown>;

/** A database error's reason without the statement knex puts before it (which would log a row's body). */
export const reasonOf = (error: unknown) => {
  const message = String((error as Error)?.message ?? error);
  const cut = message.lastIndexOf(' - ');
  return (cut >= 0 ? message.slice(cut + 3) : message).slice(0, 300);
};

/**
 * A content type's table and its columns by attribute name, read on first use (a worker may be made
 * in register(), before the database is loaded); a name that is no attribute is taken as the column.
 */
export const lazyColumns = (strapi: Core.Strapi, uid: string) => {
  type Meta = { tableName: string; attributes: Record<string, { columnName?: string }> };
  let meta: Meta | null = null;
  const metaOf = () => (meta ??= strapi.db.metadata.get(uid as any) as Meta);
  return { table: () => metaOf().tableName, column: (name: string) => metaOf().attributes[name]?.columnName ?? name };
};

const JSON_TYPES = new Set(['json']);

/**
 * A plain INSERT for the plugin's own hot paths, written with attribute names: columns come from
 * the content type's schema (so a renamed column cannot drift) and Strapi's bookkeeping columns
 * (document id, created/updated/published at) are filled the way the query engine would.
 */
export const rowInserter = (strapi: Core.Strapi, uid: string) => {
  const meta = strapi.db.metadata.get(uid as any) as { tableName: string; attributes: Record<string, { type: string; columnName?: string }> };
  const column = (name: string) => {
    const attribute = meta.attributes[name];
    if (!attribute || attribute.type === 'relation') throw new Error(`${uid} has no scalar attribute ${name}`);
    return attribute.columnName ?? name;
  };

  /** The database row for `data`: attribute names mapped to columns, JSON encoded, bookkeeping filled. */
  const toColumns = (data: RowData, now: Date) => {
    const row: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(data)) {
      if (value === undefined) continue;
      const isJson = JSON_TYPES.has(meta.attributes[name]?.type);
      row[column(name)] = isJson && value !== null && typeof value !== 'string' ? JSON.stringify(value) : value;
    }
    row.document_id ??= crypto.randomBytes(12).toString('hex');
    row.created_at ??= now;
    row.updated_at ??= now;
    if ('publishedAt' in meta.attributes) row.published_at ??= now;
    return row;
  };

  /** INSERT … ON CONFLICT DO NOTHING, answering the column `returning` of the rows that were new. */
  const insertIgnoring = async (db: Db, rows: RowData[], conflict: string[], returning: string): Promise<unknown[]> => {
    if (!rows.length) return [];
    const now = new Date();
    const inserted = await db(meta.tableName)
      .insert(rows.map((r) => toColumns(r, now)))
      .onConflict(conflict.map(column))
      .ignore()
      .returning(returning);
    return Array.isArray(inserted) ? inserted.map((r) => (typeof r === 'object' && r !== null ? (r as Record<string, unknown>)[returning] : r)) : [];
  };

  return {
    table: meta.tableName,
    column,
    toColumns,

    /** Inserts the rows and answers their ids (in order). */
    async insert(db: Db, rows: RowData[]): Promise<number[]> {
      if (!rows.length) return [];
      const now = new Date();
      const inserted = await db(meta.tableName).insert(rows.map((r) => toColumns(r, now)), ['id']);
      return (inserted as unknown[]).map((r) => Number(typeof r === 'object' && r !== null ? (r as { id: unknown }).id : r));
    },

    /**
     * Inserts the rows unless the unique key `conflict` (attribute names) already holds them; answers
     * the ids of the rows that were new. Never throws on a duplicate, so it is safe inside a transaction.
     */
    async insertIfNone(db: Db, rows: RowData[], conflict: string[]): Promise<number[]> {
      return (await insertIgnoring(db, rows, conflict, 'id')).map(Number);
    },

    /** As `insertIfNone`, answering the attribute `returning` of the rows that were new (a key rather than an id). */
    async insertIfNoneReturning(db: Db, rows: RowData[], conflict: string[], returning: string): Promise<unknown[]> {
      return insertIgnoring(db, rows, conflict, column(returning));
    },
  };
};
