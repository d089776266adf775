/**
 * Receipts that outwait the worker's race window (their send not yet recorded) are kept as
 * unmatched, naming the message they are about. When a send with that provider id is recorded,
 * their webhook rows are applied again: the unmatched keys are dropped and the rows put back to
 * pending in one transaction, and every other event of those rows is a no-op by its own key.
 */
import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { chunksOf } from '../claims';
import { lazyColumns } from '../db-rows';
import { aboutKey } from '../keys';
import { getService } from '../utils';

/** Webhook rows in these states are put back; a dead row keeps its failure for an admin to see. */
const AGAIN = ['done', 'pending'];

export const createLateReceipts = (strapi: Core.Strapi) => {
  const applied = lazyColumns(strapi, UID.appliedEvent);
  const hooks = lazyColumns(strapi, UID.webhookEvent);

  /** Puts back the webhook rows of unmatched receipts about these sends; answers how many rows. */
  return async (sent: { numberId: number; providerMessageId: string | null }[]): Promise<number> => {
    const abouts = [...new Set(sent.flatMap((s) => (s.providerMessageId ? [aboutKey(s.numberId, s.providerMessageId)] : [])))];
    const a = applied.column;
    let requeued = 0;
    for (const part of chunksOf(abouts, 250)) {
      const found: { id: number; webhookEventId: number | null }[] = await strapi.db
        .connection(applied.table())
        .where(a('outcome'), 'unmatched')
        .where((w: any) => w.whereIn(a('aboutId'), part).orWhereIn(a('aboutAltId'), part))
        .select('id', `${a('webhookEventId')} as webhookEventId`);
      if (!found.length) continue;
      const rows = [...new Set(found.flatMap((f) => (f.webhookEventId ? [Number(f.webhookEventId)] : [])))];
      await strapi.db.transaction(async ({ trx }) => {
        await trx(applied.table()).whereIn('id', found.map((f) => f.id)).where(a('outcome'), 'unmatched').del();
        // Attempts 1: the worker's next claim makes it 2, so the row's note counts its receipts still unmatched.
        if (rows.length) requeued += Number(await trx(hooks.table()).whereIn('id', rows).whereIn(hooks.column('state'), AGAIN).update({ [hooks.column('state')]: 'pending', [hooks.column('attempts')]: 1, [hooks.column('lockedUntil')]: null, [hooks.column('processedAt')]: null }));
      });
    }
    if (requeued) getService('inbound', { strapi }).kick();
    return requeued;
  };
};
