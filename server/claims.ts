/**
 * The claim/lease pattern of the database-backed workers, written once: find due rows, claim a
 * batch of them with one conditional UPDATE (safe across workers and instances), put back or
 * finish them, and back off between attempts.
 */
import type { Core } from '@strapi/strapi';

export interface Claimable {
  id: number;
  attempts: number;
}

export interface ClaimOptions {
  uid: string;
  /** How long a claim holds a row; a worker that dies mid-row gives it up when this runs out. */
  leaseMs: number;
  /** Equality filters (attribute names) a row must match to be due, e.g. `{ state: 'pending' }`. */
  pending: Record<string, string | number | boolean>;
  /** Attributes `due` reads (all when unset): a worker that reads a few spares converting the rest. */
  select?: string[];
}

/** Exponential backoff from one second, capped at five minutes. */
export const backoffMs = (attempt: number, baseMs = 1000, capMs = 5 * 60_000) => Math.min(2 ** attempt * baseMs, capMs);

/** The rows whose claim succeeded, with the attempt count the claim wrote; rows another worker holds are dropped. */
export const claimedRows = <R extends Claimable>(rows: R[], returned: { id: unknown; attempts: unknown }[]): R[] => {
  const attempts = new Map(returned.map((r) => [Number(r.id), Number(r.attempts)]));
  return rows.filter((row) => attempts.has(row.id)).map((row) => ({ ...row, attempts: attempts.get(row.id)! }));
};

/** Splits `items` into runs of at most `size`: IN lists stay under every database's bind limit. */
export const chunksOf = <T>(items: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

const IN_LIMIT = 500;

export const createClaims = <R extends Claimable>(strapi: Core.Strapi, { uid, leaseMs, pending, select }: ClaimOptions) => {
  const meta = strapi.db.metadata.get(uid as any) as { tableName: string; attributes: Record<string, { columnName?: string }> };
  const column = (name: string) => meta.attributes[name]?.columnName ?? name;
  const db = () => strapi.db.connection;
  const lockedUntil = column('lockedUntil');

  /** Rows due now (never claimed, or their lease ran out), oldest first, with an id above `afterId`. */
  const free = (builder: any, now: Date) => builder.where((w: any) => w.whereNull(lockedUntil).orWhere(lockedUntil, '<=', now));
  const pendingWhere = (builder: any) => {
    for (const [name, value] of Object.entries(pending)) builder.where(column(name), value);
    return builder;
  };

  return {
    column,

    due(afterId: number, limit: number, now = new Date()): Promise<R[]> {
      return strapi.db.query(uid as any).findMany({
        ...(select ? { select: ['id', 'attempts', ...select] } : {}),
        where: { ...pending, id: { $gt: afterId }, $or: [{ lockedUntil: { $null: true } }, { lockedUntil: { $lte: now } }] },
        orderBy: { id: 'asc' },
        limit,
      }) as Promise<R[]>;
    },

    /** Ids of rows below `beforeId` that are due later (a backoff) or held by another worker's lease. */
    async lockedBefore(beforeId: number, now = new Date()): Promise<number[]> {
      const rows = await pendingWhere(db()(meta.tableName).select('id'))
        .where('id', '<', beforeId)
        .where(lockedUntil, '>', now);
      return rows.map((r: { id: unknown }) => Number(r.id));
    },

    /**
     * Claims the rows in one UPDATE per 500: each gets one more attempt and a lease. The WHERE
     * repeats the due test, so of two workers racing for a row only one's UPDATE matches it.
     */
    async claim(rows: R[], now = new Date()): Promise<R[]> {
      const returned: { id: unknown; attempts: unknown }[] = [];
      for (const part of chunksOf(rows, IN_LIMIT)) {
        const query = db()(meta.tableName).whereIn('id', part.map((r) => r.id));
        const updated = await free(pendingWhere(query), now)
          .update({ [column('attempts')]: db().raw('coalesce(??, 0) + 1', [column('attempts')]), [lockedUntil]: new Date(now.getTime() + leaseMs) })
          .returning(['id', column('attempts')]);
        for (const r of updated) returned.push({ id: r.id, attempts: r[column('attempts')] });
      }
      return claimedRows(rows, returned);
    },

    /** Gives claimed rows back without counting the attempt: they were claimed but not worked on. */
    async unclaim(ids: number[]) {
      for (const part of chunksOf(ids, IN_LIMIT)) {
        await db()(meta.tableName).whereIn('id', part).update({ [column('attempts')]: db().raw('?? - 1', [column('attempts')]), [lockedUntil]: null });
      }
    },

    /** Ends the claim of these rows, writing `data` (attribute names) to each; one UPDATE per 500. */
    async release(ids: number[], data: Record<string, unknown>) {
      for (const part of chunksOf(ids, IN_LIMIT)) {
        await strapi.db.query(uid as any).updateMany({ where: { id: { $in: part } }, data: { lockedUntil: null, ...data } });
      }
    },
  };
};

export type Claims<R extends Claimable> = ReturnType<typeof createClaims<R>>;
