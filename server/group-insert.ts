/**
 * Group commit for the webhook route: calls answered at the same moment are stored with one
 * multi-row INSERT (one statement and one commit instead of one each), and each call still waits
 * for its own row to be stored before it is answered.
 */
import { reasonOf } from './db-rows';
import { createGroupCommit } from './group-commit';

/** Rows one statement carries at most (bind limits: about 15 columns a row). */
const MAX_ROWS = 200;
/** Bytes one statement carries at most, as `weigh` counts them (a webhook body may be 4 MB). */
const MAX_WEIGHT = 1 << 22;

/** A row refused without trying the database: too much is waiting already, or the database cannot be reached. */
export class StoreUnavailableError extends Error {}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_FULL', '53300', '57P01', '57P02', '57P03']);

/** Whether an error is about the database (unreachable, busy, shutting down) rather than the row: no row of the group would fare better alone. */
export const isConnectionError = (error: unknown): boolean => {
  const e = error as { code?: unknown; name?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const code = String(e.code ?? '');
  if (CONNECTION_CODES.has(code) || code.startsWith('08') || code.startsWith('SQLITE_IOERR')) return true;
  return e.name === 'KnexTimeoutError' || /Timeout acquiring a connection|Connection terminated|connection is closed|pool is probably full/i.test(String(e.message ?? ''));
};

export interface GroupInsertLimits {
  /** Rows added and not yet stored (waiting or being written) at most; past it `add` refuses at once. */
  maxRows: number;
  /** Their weight (`weigh`) at most. */
  maxWeight: number;
}

export const createGroupInsert = <R>(insertMany: (rows: R[]) => Promise<number[]>, weigh: (row: R) => number = () => 0, limits: GroupInsertLimits = { maxRows: Infinity, maxWeight: Infinity }) => {
  type Entry = { row: R; resolve: (id: number) => void; reject: (error: unknown) => void };
  /** Rows added and not yet settled, and their weight: what a slow database holds in memory. */
  let held = 0;
  let heldWeight = 0;

  const groups = createGroupCommit<Entry>({
    maxRows: MAX_ROWS,
    maxWeight: MAX_WEIGHT,
    async commit(group) {
      try {
        const ids = await insertMany(group.map((g) => g.row));
        group.forEach((g, i) => g.resolve(ids[i]));
      } catch (error) {
        if (isConnectionError(error)) {
          // The database, not a row: trying each row alone would only keep the callers waiting longer.
          const refused = new StoreUnavailableError(`the database cannot store calls now: ${reasonOf(error)}`);
          for (const g of group) g.reject(refused);
          return;
        }
        // One bad row must not fail the others: each is stored (or refused) on its own.
        for (const g of group) await insertMany([g.row]).then(([id]) => g.resolve(id), g.reject);
      }
    },
  });

  return {
    /** Rows added and not yet stored, and their weight. */
    held: () => ({ rows: held, weight: heldWeight }),

    /** Stores the row with whatever else is waiting; resolves to its id once it is committed. */
    add(row: R): Promise<number> {
      const weight = weigh(row);
      if (held + 1 > limits.maxRows || heldWeight + weight > limits.maxWeight) {
        return Promise.reject(new StoreUnavailableError(`too many calls waiting to be stored (${held} calls, ${heldWeight} bytes)`));
      }
      held += 1;
      heldWeight += weight;
      const settle = () => {
        held -= 1;
        heldWeight -= weight;
      };
      // Calls arriving in the same turn of the event loop, or while a group is being written, join the next group.
      return new Promise<number>((resolve, reject) => groups.add({ row, resolve, reject }, weight)).finally(settle);
    },
  };
};
