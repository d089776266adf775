/**
 * The API log's write buffer: rows wait a moment and go in one insert, so at a number's full rate
 * a send does not cost an insert of its own. Rows still in memory when the process crashes (at most
 * `flushMs` of log rows, never a message) are lost: a log is not worth a write per call.
 */
import { reasonOf } from './db-rows';
import { createGroupCommit } from './group-commit';

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
  let dropped = 0;
  const dropLine = (error: unknown) => warn(`[whatsapp] an API log row could not be written and is dropped: ${reasonOf(error)}`);

  /** Writes a group; when it fails, each row alone, so only a row the database refuses is lost. */
  const writeGroup = async (rows: R[]) => {
    if (dropped) {
      warn(`[whatsapp] the database is slow: ${dropped} oldest API log row(s) dropped to keep the buffer under ${maxRows}`);
      dropped = 0;
    }
    try {
      await insert(rows);
      return;
    } catch (error) {
      if (rows.length === 1) return dropLine(error);
    }
    for (const row of rows) await insert([row]).catch(dropLine);
  };

  const groups = createGroupCommit<R>({ commit: writeGroup, maxRows: batch, gatherMs: flushMs });

  return {
    /** Writes what is waiting; resolves once everything added so far is written (or dropped). */
    flush: () => groups.drain(),
    /** Rows waiting in memory (not yet being written). */
    size: groups.size,
    add(row: R) {
      groups.add(row);
      if (groups.size() > maxRows) {
        groups.dropOldest();
        dropped += 1;
      }
    },
  };
};
