/**
 * Receipts that outwait the worker's race window (their send not yet recorded) are kept as
 * unmatched, naming the message they are about. Once that send is recorded their webhook row is
 * applied again: put back to pending and its unmatched keys dropped, in one transaction, and every
 * other event of the row is a no-op by its own key. Only a `done` row is put back (no worker holds
 * it); both sides write first and look second (the outbox after recording its sends, the worker
 * after finishing a row), so whichever comes last sees the other.
 */
import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { chunksOf } from '../claims';
import { lazyColumns } from '../db-rows';
import { aboutKey } from '../keys';
import { getService } from '../utils';

type Found = { id: number; webhookEventId: number | null };

export const createLateReceipts = (strapi: Core.Strapi) => {
  const applied = lazyColumns(strapi, UID.appliedEvent);
  const hooks = lazyColumns(strapi, UID.webhookEvent);
  const knex = () => strapi.db.connection;

  /** Puts the `done` rows of these unmatched keys back to pending and drops their keys; answers how many rows. */
  const requeue = async (found: Found[]) => {
    const rowIds = [...new Set(found.flatMap((f) => (f.webhookEventId ? [Number(f.webhookEventId)] : [])))];
    if (!rowIds.length) return 0;
    const h = hooks.column;
    let requeued: number[] = [];
    await strapi.db.transaction(async ({ trx }) => {
      // The rows first (a row no longer `done` is not ours to touch, nor are its keys), then only their keys.
      // Attempts 1: the worker's next claim makes it 2, so the row's note counts its receipts still unmatched.
      const moved = await trx(hooks.table()).whereIn('id', rowIds).where(h('state'), 'done').update({ [h('state')]: 'pending', [h('attempts')]: 1, [h('lockedUntil')]: null, [h('processedAt')]: null })
        .returning(['id']);
      requeued = (moved as unknown[]).map((r) => Number(typeof r === 'object' && r !== null ? (r as { id: unknown }).id : r));
      const keys = found.filter((f) => f.webhookEventId && requeued.includes(Number(f.webhookEventId))).map((f) => f.id);
      for (const part of chunksOf(keys, 500)) await trx(applied.table()).whereIn('id', part).where(applied.column('outcome'), 'unmatched').del();
    });
    if (requeued.length) getService('inbound', { strapi }).kick();
    return requeued.length;
  };

  const unmatched = () => knex()(applied.table()).where(applied.column('outcome'), 'unmatched');

  return {
    /** After the outbox recorded these sends: the rows of unmatched receipts about them are applied again. */
    async sent(sent: { numberId: number; providerMessageId: string | null }[]): Promise<number> {
      const abouts = [...new Set(sent.flatMap((s) => (s.providerMessageId ? [aboutKey(s.numberId, s.providerMessageId)] : [])))];
      const a = applied.column;
      let requeued = 0;
      for (const part of chunksOf(abouts, 250)) {
        const found: Found[] = await unmatched()
          .where((w: any) => w.whereIn(a('aboutId'), part).orWhereIn(a('aboutAltId'), part))
          .select('id', `${a('webhookEventId')} as webhookEventId`);
        if (found.length) requeued += await requeue(found);
      }
      return requeued;
    },

    /** After the worker finished a row `done` with unmatched receipts: any whose send is recorded by now is applied again. */
    async finished(rowId: number): Promise<number> {
      const a = applied.column;
      const found: (Found & { aboutId: string | null; aboutAltId: string | null })[] = await unmatched()
        .where(a('webhookEventId'), rowId)
        .select('id', `${a('webhookEventId')} as webhookEventId`, `${a('aboutId')} as aboutId`, `${a('aboutAltId')} as aboutAltId`);
      // An about key is `<number id>:<provider id>` (server/keys.ts): the sends are looked up per number.
      const byNumber = new Map<number, Set<string>>();
      for (const key of found.flatMap((f) => [f.aboutId, f.aboutAltId])) {
        const cut = key ? key.indexOf(':') : -1;
        if (cut <= 0) continue;
        const numberId = Number(key!.slice(0, cut));
        byNumber.set(numberId, (byNumber.get(numberId) ?? new Set()).add(key!.slice(cut + 1)));
      }
      const known = new Set<string>();
      for (const [numberId, ids] of byNumber) {
        for (const part of chunksOf([...ids], 500)) {
          for (const m of await strapi.db.query(UID.message as any).findMany({ where: { numberId, providerMessageId: { $in: part } }, select: ['providerMessageId'] })) known.add(aboutKey(numberId, m.providerMessageId));
        }
      }
      const late = found.filter((f) => (f.aboutId && known.has(f.aboutId)) || (f.aboutAltId && known.has(f.aboutAltId)));
      return late.length ? requeue(late) : 0;
    },
  };
};
