import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { rowInserter } from '../db-rows';
import { createGroupCommit } from '../group-commit';
import { createLateReceipts } from '../inbound/late-receipts';
import { lowerThan } from '../status-order';
import { updateEach } from '../update-each';
import type { Row } from './deliver';

/** Answers recorded by one statement at most, and how long an answer waits for others to share it. */
const MAX_ROWS = 200;
const GATHER_MS = 5;
const TRIES = 3;
/** The statuses our own write may move a row from (below `sent`: still ours, or put to review by the stalled sweep); a receipt's delivered, read or failed stays. */
const UNMOVED = lowerThan('sent');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Entry = { row: Row; providerMessageId: string | null; done: () => void };

/**
 * Group commit for the provider's answers: rows answered within a few ms are recorded `sent` (each
 * with its own provider message id) by one UPDATE, and each send still waits for its own row. The
 * provider has these messages, so a database error never queues one again: each row is retried
 * alone as a record-only write, and after that it is put up for review with the reason.
 */
export const createSentRecorder = (strapi: Core.Strapi, published: (row: Row) => void) => {
  const messages = rowInserter(strapi, UID.message);
  const col = messages.column;
  const lateReceipts = createLateReceipts(strapi);

  /** Receipts that came before these sends were recorded, and outwaited the worker, are applied now. */
  const matchLate = (entries: Entry[]) =>
    lateReceipts
      .sent(entries.map((e) => ({ numberId: e.row.numberId as number, providerMessageId: e.providerMessageId }))).catch((error: Error) =>
      strapi.log.warn(`[whatsapp] receipts that came before their sends were recorded could not be applied again: ${error.message}`)
    );

  /** `value` only while the row is below `sent`: a receipt that got there first keeps its status and its reason. */
  const ifUnmoved = (column: string, value: unknown) =>
    strapi.db.connection.raw(`CASE WHEN ?? IN (${UNMOVED.map(() => '?').join(', ')}) THEN ? ELSE ?? END`, [col('status'), ...UNMOVED, value, column]);

  /** Forward-only like the receipts (server/inbound/apply/status.ts, by server/status-order.ts): the provider's id is always kept, the status only moves up. */
  const write = (entries: Entry[], status = 'sent', errorText: string | null = null) =>
    updateEach(
      strapi.db.connection,
      (sql, bindings) => strapi.db.connection.raw(sql, bindings as any[]),
      messages.table,
      entries.map((e) => ({ id: e.row.id as number, set: { [col('providerMessageId')]: e.providerMessageId } })),
      {
        [col('status')]: ifUnmoved(col('status'), status),
        [col('errorClass')]: ifUnmoved(col('errorClass'), status === 'sent' ? null : 'permanent'),
        [col('errorCode')]: ifUnmoved(col('errorCode'), null),
        [col('errorText')]: ifUnmoved(col('errorText'), errorText),
        updated_at: new Date(),
      }
    );

  /** One row on its own, a few tries; then review with the reason (should that fail too, the stalled check puts the row there once its lease runs out). */
  const alone = async (entry: Entry) => {
    const { row, providerMessageId } = entry;
    for (let attempt = 1; attempt <= TRIES; attempt += 1) {
      try {
        await write([entry]);
        published(row);
        entry.done();
        await matchLate([entry]);
        return;
      } catch (error) {
        if (attempt < TRIES) {
          await sleep(500 * attempt);
          continue;
        }
        const reason = `accepted by the provider (${providerMessageId}) but not recorded: ${(error as Error).message}`;
        strapi.log.error(`[whatsapp] message ${row.id} was ${reason}`);
        await write([entry], 'review', `${reason}; not resent automatically, check with the customer before sending again`).catch(() => undefined);
      }
    }
    entry.done();
  };

  const groups = createGroupCommit<Entry>({
    maxRows: MAX_ROWS,
    gatherMs: GATHER_MS,
    async commit(group) {
      try {
        await write(group);
        for (const entry of group) published(entry.row);
      } catch {
        await Promise.all(group.map(alone));
        return;
      }
      // The sends go on; the late receipts are looked for after (the sends are recorded, so nothing waits on it).
      for (const entry of group) entry.done();
      await matchLate(group);
    },
  });

  return {
    /** Records the row `sent` with whatever else was answered meanwhile; resolves once it is written (or given up on). */
    add(row: Row, providerMessageId: string | null): Promise<void> {
      return new Promise<void>((done) => groups.add({ row, providerMessageId, done }));
    },
  };
};
