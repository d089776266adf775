/**
 * A slice of a campaign occurrence's recipients through the outbox's door in one batch
 * (`enqueueMany`): each recipient row records its message, or why it was skipped, failed or waits.
 */
import type { Core } from '@strapi/strapi';
import { CANCELLED_REASON, DAILY_LIMIT_REASON, UID } from '../constants';
import { rowInserter } from '../db-rows';
import { campaignMessageKey, campaignSourceRef } from '../keys';
import type { DailyTally } from '../outbox/daily-budget';
import { NotAdmittedError, type CrmHint } from '../outbox/enqueue';
import { updateEach } from '../update-each';
import { getService } from '../utils';

type Row = Record<string, any>;
/** Refusals that say something about this customer: the recipient is skipped, the campaign goes on. */
const SKIPS = new Set(['opted-out', 'unreachable', 'no-consent']);
/** Refusals that stop every send of the campaign: it pauses with the reason. */
const STOPS = new Set(['number-removed', 'number-off', 'template-missing', 'template-not-approved']);

export type SliceOutcome = 'fed' | 'skipped' | 'failed' | 'wait' | { stop: string };

export const createSliceFeeder = (strapi: Core.Strapi) => {
  const q = (uid: string) => strapi.db.query(uid as any);
  const knex = () => strapi.db.connection;

  /**
   * A cancel that ran between the door and the recipient's update skipped a recipient whose message
   * it could not take back (the outbox had claimed it): the recipient records that message instead.
   */
  const relink = async (recipientId: number, messageId: number) => {
    const { count } = await q(UID.campaignRecipient).updateMany({ where: { id: recipientId, state: 'skipped', reason: { $startsWith: 'cancelled:' } }, data: { state: 'queued', messageId, queuedAt: new Date(), reason: null } });
    // Taken back meanwhile after all: the recipient stays skipped.
    if (count && !(await q(UID.message).count({ where: { id: messageId } })))
      await q(UID.campaignRecipient).updateMany({ where: { id: recipientId, messageId }, data: { state: 'skipped', messageId: null, queuedAt: null, reason: CANCELLED_REASON } });
  };


  /** A recipient the door did not take: skipped, failed or waiting with the reason, or the campaign stops. */
  const refused = async (campaign: Row, occurrence: Row, r: Row, error: unknown): Promise<SliceOutcome> => {
    const set = (data: Row) => q(UID.campaignRecipient).updateMany({ where: { id: r.id, state: 'pending' }, data });
    const refusal = error instanceof NotAdmittedError ? error.refusal : null;
    if (refusal && SKIPS.has(refusal.reason)) {
      await set({ state: 'skipped', reason: `${refusal.reason}: ${refusal.message}` });
      return 'skipped';
    }
    if (refusal && STOPS.has(refusal.reason)) return { stop: refusal.message };
    // Past the number's daily budget: a spread campaign waits for the budget to free up, any other fails the recipient (retry failed sends it later).
    if (refusal?.reason === DAILY_LIMIT_REASON) {
      if (occurrence.spreadOverDays) return 'wait';
      await set({ state: 'failed', reason: `${DAILY_LIMIT_REASON}: ${refusal.message}` });
      return 'failed';
    }
    // An error after the message was stored: the row records that message, never failed (retry would send a second copy).
    const key = campaignMessageKey(occurrence.id, r.id, r.attempt ?? 0);
    const stored = refusal ? null : await q(UID.message).findOne({ where: { sourceRef: campaignSourceRef(campaign.id, occurrence.id), idempotencyKey: { $endsWith: `:${key}` } }, select: ['id'] });
    if (stored) {
      await set({ state: 'queued', messageId: stored.id, queuedAt: new Date() });
      return 'fed';
    }
    const details = (error as { details?: { errors?: { message: string }[] } }).details?.errors?.map((e) => e.message).join('; ');
    await set({ state: 'failed', reason: details ? `${(error as Error).message}: ${details}` : (error as Error).message });
    return 'failed';
  };

  /** The recipients whose messages the door stored: one update, and a relink for any a cancel skipped meanwhile. */
  const recordFed = async (fed: { id: number; messageId: number }[]) => {
    if (!fed.length) return;
    const rows = rowInserter(strapi, UID.campaignRecipient);
    const c = rows.column;
    await updateEach(
      knex(),
      (sql, bindings) => knex().raw(sql, bindings as any[]),
      rows.table,
      fed.map((f) => ({ id: f.id, set: { [c('messageId')]: f.messageId } })),
      { [c('state')]: 'queued', [c('queuedAt')]: new Date(), [c('reason')]: null },
      { [c('state')]: 'pending' }
    );
    const now: Row[] = await q(UID.campaignRecipient).findMany({ where: { id: { $in: fed.map((f) => f.id) } }, select: ['id', 'messageId'] });
    const linked = new Map(now.map((r) => [r.id, r.messageId]));
    for (const f of fed) if (linked.get(f.id) !== f.messageId) await relink(f.id, f.messageId);
  };

  /**
   * A slice of recipients through the door in one batch; each recipient row records its message,
   * or why it was skipped. A batch that fails as a whole is fed again one recipient at a time.
   */
  const feedSlice = async (campaign: Row, occurrence: Row, slice: Row[], hints: Map<number, CrmHint['recipientOf']>, dailyTally: DailyTally): Promise<SliceOutcome[]> => {
    const outbox = getService('outbox', { strapi });
    const author = { id: null, source: 'campaign' as const, sourceRef: campaignSourceRef(campaign.id, occurrence.id) };
    const items = slice.map((r) => ({
      phone: r.phone,
      template: { name: campaign.template.name, language: campaign.template.language, params: r.params ?? {} },
      idempotencyKey: campaignMessageKey(occurrence.id, r.id, r.attempt ?? 0),
      recipientOf: hints.get(r.id),
    }));
    let results: Awaited<ReturnType<typeof outbox.enqueueMany>>;
    try {
      results = await outbox.enqueueMany(campaign.numberId, items, author, dailyTally);
    } catch (error) {
      strapi.log.warn(`[whatsapp] campaign ${campaign.id}: a batch of ${slice.length} was refused as a whole (${(error as Error).message}); feeding it one by one`);
      const outcomes: SliceOutcome[] = [];
      for (const [i, r] of slice.entries()) {
        try {
          const message = await outbox.enqueue({ numberId: campaign.numberId, phone: r.phone, crmHint: items[i].recipientOf ? { recipientOf: items[i].recipientOf } : null, dailyTally }, { type: 'template', template: items[i].template, idempotencyKey: items[i].idempotencyKey }, author);
          await recordFed([{ id: r.id, messageId: message.id }]);
          outcomes.push('fed');
        } catch (one) {
          outcomes.push(await refused(campaign, occurrence, r, one));
        }
      }
      return outcomes;
    }
    await recordFed(slice.flatMap((r, i) => ('row' in results[i] ? [{ id: r.id as number, messageId: (results[i] as { row: Row }).row.id as number }] : [])));
    const outcomes: SliceOutcome[] = [];
    for (const [i, r] of slice.entries()) {
      const result = results[i];
      outcomes.push('row' in result ? 'fed' : await refused(campaign, occurrence, r, result.error));
    }
    return outcomes;
  };

  return feedSlice;
};
