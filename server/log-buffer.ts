/**
 * The API log's write buffer: rows wait a moment and go in one insert, so at a number's full rate
 * a send does not cost an insert of its own. Rows still in memory when the process crashes (at most
 * `flushMs` of log rows, never a message) are lost: a log is not worth a write per call.
 */
import { reasonOf } from './db-rows';

export interface LogBufferOptions {
  flushMs: number;
  /** Rows one insert carries at most. */
  batch: number;
  /** Rows held at most while the database is slow; past it the oldest are dropped and counted. */
  maxRows: number;
}

export interface LogBufferDeps<R> {
  insert: (rows: R[]) => Promise<unknown>;
  warn: (message: string) => void;
}

export const createLogBuffer = <R>({ insert, warn }: LogBufferDeps<R>, { flushMs, batch, maxRows }: LogBufferOptions) => {
  let pending: R[] = [];
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> | null = null;
  let dropped = 0;

  /** Writes a group; when it fails, each row alone, so only a row the database refuses is lost. */
  const writeGroup = async (rows: R[]) => {
    try {
      await insert(rows);
      return;
    } catch (error) {
      if (rows.length === 1) return warn(`[whatsapp] an API log row could not be written and is dropped: ${reasonOf(error)}`);
    }
    for (const row of rows) {
      await insert([row]).catch((error: unknown) => warn(`[whatsapp] an API log row could not be written and is dropped: ${reasonOf(error)}`));
    }
  };

  const drain = async () => {
    while (pending.length) {
      if (dropped) {
        warn(`[whatsapp] the database is slow: ${dropped} oldest API log row(s) dropped to keep the buffer under ${maxRows}`);
        dropped = 0;
      }
      const rows = pending.slice(0, batch);
      pending = pending.slice(batch);
      await writeGroup(rows);
    }
  };

  /** Writes what is waiting; resolves once everything added so far is written (or dropped). */
  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = null;
    writing ??= drain().finally(() => {
      writing = null;
    });
    return writing;
  };

  return {
    flush,
    /** Rows waiting in memory (not yet being written). */
    size: () => pending.length,
    add(row: R) {
      pending.push(row);
      if (pending.length > maxRows) {
        pending.shift();
        dropped += 1;
      }
      // While a group is being written the writer takes the row next; the timer covers a writer just ending.
      if (pending.length >= batch && !writing) void flush();
      else timer ??= setTimeout(() => void flush(), flushMs);
    },
  };
};
