/** One UPDATE that writes each row its own values, for the inbound worker's batches and the outbox's sent records (README: Receiving messages). */
import type { Db } from './db-rows';
import { chunksOf } from './claims';

/** Adds `by` to the column's current value (null counts as 0) instead of overwriting it. */
export interface Increment {
  increment: number;
}

export type ColumnValue = unknown | Increment;

const isIncrement = (v: unknown): v is Increment => typeof v === 'object' && v !== null && !(v instanceof Date) && 'increment' in v;

/**
 * Writes `set` (column names) to each row by id, 200 rows per statement:
 * `column = CASE id WHEN ? THEN ? … ELSE column END`. A column a row does not name keeps its value;
 * `common` (column names) is written to every row; `only` narrows the rows written.
 */
export const updateEach = async (
  trx: Db,
  raw: (sql: string, bindings: unknown[]) => unknown,
  table: string,
  rows: { id: number; set: Record<string, ColumnValue> }[],
  common: Record<string, unknown> = {},
  /** Only rows that still match these columns' values are written (a state they must be in). */
  only: Record<string, unknown> = {}
) => {
  for (const part of chunksOf(rows, 200)) {
    const columns = [...new Set(part.flatMap((r) => Object.keys(r.set)))];
    const set: Record<string, unknown> = { ...common };
    for (const column of columns) {
      const having = part.filter((r) => column in r.set);
      const cases = having.map((r) => (isIncrement(r.set[column]) ? 'WHEN ? THEN coalesce(??, 0) + ?' : 'WHEN ? THEN ?')).join(' ');
      const bindings = having.flatMap((r) => {
        const value = r.set[column];
        return isIncrement(value) ? [r.id, column, value.increment] : [r.id, value];
      });
      set[column] = raw(`CASE ?? ${cases} ELSE ?? END`, ['id', ...bindings, column]);
    }
    await trx(table).whereIn('id', part.map((r) => r.id)).where(only).update(set);
  }
};
