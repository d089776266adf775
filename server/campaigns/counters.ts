/**
 * A page of campaigns' counters by aggregate: one grouped count of recipients by occurrence, row
 * state and message status, and one query for the recipients a customer answered (only those), so
 * a list never loads every recipient. Gives what `countersOf(recipientOut(...))` gives row by row.
 */
import type { Core } from '@strapi/strapi';
import type { CampaignCounters, RecipientStatus } from '../../contracts/campaigns';
import { UID } from '../constants';
import { replyWindowMs } from './rows';
import { emptyCounters, toDate, withFirstReply } from './status';

type Row = Record<string, any>;
const SENT = new Set(['sent', 'delivered', 'read']);

/** The status of a group (row state + message status) before replies are counted, as `statusOf` decides it. */
const groupStatus = (state: string, msgStatus: string | null): RecipientStatus => {
  if (state === 'skipped') return 'skipped';
  if (!msgStatus) return state === 'failed' ? 'failed' : 'queued';
  if (msgStatus === 'failed' || msgStatus === 'review') return 'failed';
  return SENT.has(msgStatus) ? (msgStatus as RecipientStatus) : 'queued';
};

/** Counters per occurrence id of these campaigns. */
export const countersByOccurrence = async (strapi: Core.Strapi, campaigns: Row[]): Promise<Map<number, CampaignCounters>> => {
  const out = new Map<number, CampaignCounters>();
  if (!campaigns.length) return out;
  const knex = strapi.db.connection;
  const r = strapi.db.metadata.get(UID.campaignRecipient as any).tableName;
  const m = strapi.db.metadata.get(UID.message as any).tableName;
  const ids = campaigns.map((c) => c.id);
  const of = (occurrenceId: number) => out.get(occurrenceId) ?? out.set(occurrenceId, emptyCounters()).get(occurrenceId)!;
  const groups: Row[] = await knex(`${r} as r`)
    .leftJoin(`${m} as m`, 'm.id', 'r.message_id')
    .whereIn('r.campaign_id', ids)
    .groupBy('r.occurrence_id', 'r.state', 'm.status')
    .select('r.occurrence_id', 'r.state', 'm.status', knex.raw('count(*) as n'));
  for (const g of groups) {
    const c = of(Number(g.occurrence_id));
    const n = Number(g.n);
    c.total += n;
    c[groupStatus(g.state, g.status ?? null)] += n;
  }
  // Replied: a customer message after ours within the campaign's reply window (read only for recipients that have one).
  const windows = new Map(campaigns.map((c) => [c.id, replyWindowMs(c)]));
  const answered: Row[] = await withFirstReply(
    strapi,
    knex(`${r} as r`)
      .join(`${m} as m`, 'm.id', 'r.message_id')
      .whereIn('r.campaign_id', ids)
      .whereNot('r.state', 'skipped')
      .whereNotIn('m.status', ['failed', 'review']),
    ['r.campaign_id', 'r.occurrence_id', 'r.state', 'm.status', 'm.sent_at', 'm.updated_at', 'm.created_at']
  );
  for (const a of answered) {
    const start = toDate(a.sent_at) ?? (SENT.has(a.status) ? toDate(a.updated_at) : null) ?? toDate(a.created_at);
    const repliedAt = toDate(a.replied_at);
    if (!start || !repliedAt || repliedAt.getTime() - start.getTime() > windows.get(Number(a.campaign_id))!) continue;
    const c = of(Number(a.occurrence_id));
    c[groupStatus(a.state, a.status)] -= 1;
    c.replied += 1;
  }
  return out;
};

/** The sum of some occurrences' counters. */
export const sumCounters = (list: CampaignCounters[]): CampaignCounters => {
  const sum = emptyCounters();
  for (const c of list) for (const k of Object.keys(sum) as (keyof CampaignCounters)[]) sum[k] += c[k];
  return sum;
};
