/**
 * The claim/lease pattern of the database-backed workers, written once: find due rows, claim a
 * batch of them with one conditional UPDATE (safe across workers and instances), put back or
 * finish them, and back off between attempts.
 */
import type { Core } from '@strapi/strapi';
import { lazyColumns } from './db-rows';

export interface Claimable {
  id: number;
  attempts: number;
}

/** A claim this worker holds: the lease it wrote is its proof, so a claim another worker took over after it ran out is not ours to end. */
export interface Held {
  id: number;
  claimedUntil: Date;
}

export interface ClaimOptions {
  uid: string;
  /** How long a claim holds a row; a worker that dies mid-row gives it up when this runs out. */
  leaseMs: number;
  /** Equality filters (attribute names) a row must match to be due, e.g. `{ state: 'pending' }`. */
  pending: Record<string, string | number | boolean>;
  /** Attributes `due` reads (all when unset): a worker that reads a few spares converting the rest. */
  select?: string[];
  /** The date attribute holding the lease, and a retry's next attempt (`lockedUntil` when unset). */
  leaseField?: string;
  /** False when the worker counts attempts itself (e.g. only failed ones): a claim then leaves `attempts` alone. */
  countsAttempts?: boolean;
}

export interface Backoff {
  firstMs?: number;
  factor?: number;
  capMs?: number;
}

/** Exponential backoff: `firstMs` times `factor` to the attempt's power (one second, doubling), capped (five minutes). */
export const backoffMs = (attempt: number, { firstMs = 1000, factor = 2, capMs = 5 * 60_000 }: Backoff = {}) => Math.min(factor ** attempt * firstMs, capMs);

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

export const createClaims = <R extends Claimable>(strapi: Core.Strapi, { uid, leaseMs, pending, select, leaseField = 'lockedUntil', countsAttempts = true }: ClaimOptions) => {
  const { table, column } = lazyColumns(strapi, uid);
  const db = () => strapi.db.connection;

  /** Rows due now (never claimed, or their lease ran out), oldest first, with an id above `afterId`. */
  const free = (builder: any, now: Date) => builder.where((w: any) => w.whereNull(column(leaseField)).orWhere(column(leaseField), '<=', now));
  const pendingWhere = (builder: any) => {
    for (const [name, value] of Object.entries(pending)) builder.where(column(name), value);
    return builder;
  };

  return {
    column,

    /** `skip` leaves out rows whose attribute holds one of the values (e.g. numbers whose turn in this pass is spent). */
    due(afterId: number, limit: number, { now = new Date(), skip }: { now?: Date; skip?: Record<string, number[]> } = {}): Promise<R[]> {
      const skipped = Object.entries(skip ?? {}).filter(([, values]) => values.length).map(([name, values]) => ({ [name]: { $notIn: values } }));
      return strapi.db.query(uid as any).findMany({
        ...(select ? { select: ['id', 'attempts', ...select] } : {}),
        where: { ...pending, id: { $gt: afterId }, $or: [{ [leaseField]: { $null: true } }, { [leaseField]: { $lte: now } }], ...(skipped.length ? { $and: skipped } : {}) },
        orderBy: { id: 'asc' },
        limit,
      }) as Promise<R[]>;
    },

    /**
     * Ids of pending rows below `beforeId` whatever their lease (due later after a backoff, held by
     * a worker, or given back a moment ago), a page at a time: those above `afterId`, in id order, at
     * most `limit`, each saying whether it is free now; `skip` leaves out free rows whose attribute
     * holds one of the values.
     */
    async pendingBefore(beforeId: number, { afterId = 0, limit = IN_LIMIT, now = new Date(), skip }: { afterId?: number; limit?: number; now?: Date; skip?: Record<string, number[]> } = {}): Promise<{ id: number; free: boolean }[]> {
      const lease = column(leaseField);
      // Compared in SQL, as the due test is: the column's stored form differs between databases.
      const query = pendingWhere(db()(table()).select('id', db().raw('CASE WHEN ?? IS NULL OR ?? <= ? THEN 1 ELSE 0 END AS free', [lease, lease, now])))
        .where('id', '>', afterId)
        .where('id', '<', beforeId);
      for (const [name, values] of Object.entries(skip ?? {})) if (values.length) query.where((w: any) => w.whereNotIn(column(name), values).orWhere(lease, '>', now));
      const rows = await query.orderBy('id', 'asc').limit(limit);
      return rows.map((r: { id: unknown; free: unknown }) => ({ id: Number(r.id), free: Number(r.free) === 1 }));
    },

    /**
     * Claims the rows in one UPDATE per 500: each gets a lease (and one more attempt). The WHERE
     * repeats the due test, so of two workers racing for a row only one's UPDATE matches it. Each
     * claimed row carries its lease (`claimedUntil`), which ending the claim must name.
     */
    async claim(rows: R[], now = new Date()): Promise<(R & Held)[]> {
      const returned: { id: unknown; attempts: unknown }[] = [];
      const attempts = column('attempts');
      const counted = countsAttempts ? { [attempts]: db().raw('coalesce(??, 0) + 1', [attempts]) } : {};
      const claimedUntil = new Date(now.getTime() + leaseMs);
      for (const part of chunksOf(rows, IN_LIMIT)) {
        const query = db()(table()).whereIn('id', part.map((r) => r.id));
        const updated = await free(pendingWhere(query), now)
          .update({ ...counted, [column(leaseField)]: claimedUntil })
          .returning(['id', attempts]);
        for (const r of updated) returned.push({ id: r.id, attempts: r[attempts] });
      }
      return claimedRows(rows, returned).map((row) => ({ ...row, claimedUntil }));
    },

    /** Gives claimed rows back without counting the attempt (claimed but not worked on), where the lease is still this claim's. Answers how many. */
    async unclaim(held: Held[]): Promise<number> {
      const attempts = column('attempts');
      const uncounted = countsAttempts ? { [attempts]: db().raw('?? - 1', [attempts]) } : {};
      let given = 0;
      for (const [claimedUntil, part] of byLease(held)) {
        given += Number(await db()(table()).whereIn('id', part).where(column(leaseField), claimedUntil).update({ ...uncounted, [column(leaseField)]: null }));
      }
      return given;
    },

    /**
     * Ends the claim of these rows, writing `data` (attribute names) to each, one UPDATE per 500,
     * only where the lease is still the one this claim wrote. Answers how many it ended.
     */
    async release(held: Held[], data: Record<string, unknown>): Promise<number> {
      let ended = 0;
      for (const [claimedUntil, part] of byLease(held)) {
        ended += (await strapi.db.query(uid as any).updateMany({ where: { id: { $in: part }, [leaseField]: claimedUntil }, data: { [leaseField]: null, ...data } })).count;
      }
      return ended;
    },
  };
};

/**
 * The outbox's claim: a row moves from one state to the next (`queued` → `sending`) only while it
 * still has the attempt count it was read with, which is the claim's version, so of two claims of a
 * row only one matches; one UPDATE per attempt count for the lot. Answers the rows claimed, by id,
 * with their new attempt count.
 */
export const claimByVersion = async <R extends Claimable>(
  strapi: Core.Strapi,
  uid: string,
  rows: R[],
  { from, to, leaseField = 'lockedUntil', leaseMs }: { from: Record<string, string>; to: Record<string, unknown>; leaseField?: string; leaseMs: number }
): Promise<Map<number, R>> => {
  const { table, column } = lazyColumns(strapi, uid);
  const claimed = new Map<number, R>();
  const byAttempts = new Map<number, R[]>();
  for (const row of rows) byAttempts.set(row.attempts ?? 0, [...(byAttempts.get(row.attempts ?? 0) ?? []), row]);
  const named = (data: Record<string, unknown>) => Object.fromEntries(Object.entries(data).map(([name, value]) => [column(name), value]));
  for (const [attempts, group] of byAttempts) {
    for (const part of chunksOf(group, IN_LIMIT)) {
      const query = strapi.db.connection(table()).whereIn('id', part.map((r) => r.id)).where(column('attempts'), attempts);
      for (const [name, value] of Object.entries(from)) query.where(column(name), value);
      const won: { id: unknown }[] = await query.update({ ...named(to), [column('attempts')]: attempts + 1, [column(leaseField)]: new Date(Date.now() + leaseMs), updated_at: new Date() }, ['id']);
      const byId = new Map(part.map((r) => [r.id, r]));
      for (const { id } of won) claimed.set(Number(id), { ...byId.get(Number(id))!, attempts: attempts + 1 });
    }
  }
  return claimed;
};

/** Held rows by the lease they carry (a claim writes one per call), in runs of at most 500 ids. */
const byLease = (held: Held[]): [Date, number[]][] => {
  const groups = new Map<number, number[]>();
  for (const h of held) groups.set(h.claimedUntil.getTime(), [...(groups.get(h.claimedUntil.getTime()) ?? []), h.id]);
  return [...groups].flatMap(([at, ids]) => chunksOf(ids, IN_LIMIT).map((part) => [new Date(at), part] as [Date, number[]]));
};

export type Claims<R extends Claimable> = ReturnType<typeof createClaims<R>>;
