/**
 * Feeding the outbox: each running occurrence hands its recipients to the one door (enqueueMany,
 * source `campaign`, a key per recipient) in bounded batches, a few seconds' worth at the number's
 * rate, so the outbox never holds a whole campaign and a pause takes back only what is not sending.
 * Crash-safe: a recipient fed again finds the message its key already queued.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { UID } from '../constants';
import { campaignSourceRef } from '../keys';
import { dailyLimitOf, usedToday, type DailyTally } from '../outbox/daily-budget';
import type { CrmHint } from '../outbox/enqueue';
import { perSecond } from '../outbox/driver';
import { getService } from '../utils';
import { ECOSYSTEM_CODE, ECOSYSTEM_DELAY_MS } from './errors';
import { perRecipient, quietUntil } from './quiet-hours';
import { createStatistics } from '../db-statistics';
import { createSliceFeeder } from './feed-slice';
import { CAMPAIGN_FIELDS } from './rows';
import { snapshot } from './snapshot';
import { toDate } from './status';

type Row = Record<string, any>;
/** Seconds of sends at the number's rate kept in the outbox at once (at least MIN_WINDOW rows). */
const WINDOW_SECONDS = 3;
const MIN_WINDOW = 20;
const MAX_WINDOW = 2000;
/** Recipients through the door in one batch; the campaign's state is read again before each. */
const SLICE = 50;
/** Campaign states whose running occurrences are fed (a recurring campaign waiting for its next run may finish a retried one). */
const FEEDING = new Set(['running', 'scheduled']);

export interface FeedHooks {
  pause: (campaignId: number, reason: string) => Promise<unknown>;
  finish: (campaign: Row, occurrence: Row) => Promise<unknown>;
  takeBack: (campaign: Row, occurrenceIds: number[]) => Promise<unknown>;
}

export const createFeed = (strapi: Core.Strapi, hooks: FeedHooks) => {
  const q = (uid: string) => strapi.db.query(uid as any);
  const knex = () => strapi.db.connection;
  const table = (uid: string) => strapi.db.metadata.get(uid as any).tableName;

  /** The occurrence's messages still waiting in the outbox or being sent. */
  const inOutbox = async (campaign: Row, occurrence: Row) =>
    q(UID.message).count({ where: { sourceRef: campaignSourceRef(campaign.id, occurrence.id), status: { $in: ['queued', 'sending'] } } }) as Promise<number>;

  /**
   * 131049 failures go back to pending no sooner than a day later, while the campaign's retries
   * last. The failure arrives by webhook, often after the occurrence finished: it is reopened.
   */
  const reschedule = async () => {
    const rows: Row[] = await knex()(`${table(UID.campaignRecipient)} as r`)
      .join(`${table(UID.message)} as m`, 'm.id', 'r.message_id')
      .join(`${table(UID.campaignOccurrence)} as o`, 'o.id', 'r.occurrence_id')
      .where({ 'r.state': 'queued', 'm.status': 'failed', 'm.error_code': ECOSYSTEM_CODE })
      .whereIn('o.state', ['running', 'paused', 'done'])
      .select('r.id', 'r.attempt', 'r.campaign_id', 'r.occurrence_id', 'm.failed_at', 'm.updated_at');
    for (const r of rows) {
      const campaign = await q(UID.campaign).findOne({ where: { id: r.campaign_id }, select: ['id', 'state', 'options'] });
      if (!campaign || campaign.state === 'cancelled' || Number(r.attempt) >= Number(campaign.options?.ecosystemRetries ?? 1)) continue;
      const failedAt = toDate(r.failed_at) ?? toDate(r.updated_at) ?? new Date();
      await q(UID.campaignRecipient).updateMany({ where: { id: r.id, state: 'queued' }, data: { state: 'pending', attempt: Number(r.attempt) + 1, messageId: null, notBefore: new Date(failedAt.getTime() + ECOSYSTEM_DELAY_MS) } });
      await q(UID.campaignOccurrence).updateMany({ where: { id: r.occurrence_id, state: 'done' }, data: { state: 'running', finishedAt: null } });
      await q(UID.campaign).updateMany({ where: { id: campaign.id, state: 'done' }, data: { state: 'running' } });
    }
  };

  /**
   * A recipient whose message a pause took back just as the feed recorded it points at no message:
   * it goes back to pending (one query; no feed of this process is running while a pass starts).
   */
  const repair = async (occurrence: Row) => {
    const orphans: Row[] = await knex()(`${table(UID.campaignRecipient)} as r`)
      .leftJoin(`${table(UID.message)} as m`, 'm.id', 'r.message_id')
      .where({ 'r.occurrence_id': occurrence.id, 'r.state': 'queued' })
      .whereNull('m.id')
      .select('r.id');
    if (orphans.length) await q(UID.campaignRecipient).updateMany({ where: { id: { $in: orphans.map((o) => o.id) }, state: 'queued' }, data: { state: 'pending', messageId: null, queuedAt: null } });
  };

  /** Pauses when the template stopped being sendable or too many of the last sends failed. */
  const autoPauseReason = async (campaign: Row): Promise<string | null> => {
    const t = await q(UID.template).findOne({ where: { numberId: campaign.numberId, name: campaign.template?.name, language: campaign.template?.language } });
    if (!t || t.removedAt) return `template ${campaign.template?.name} no longer exists`;
    if (t.status !== 'APPROVED') return `template ${t.name} is ${t.status}`;
    if (String(t.quality ?? '').toUpperCase() === 'RED') return `template ${t.name} quality is RED`;
    const rule = campaign.options?.autoPause;
    if (!rule?.window) return null;
    const last: Row[] = await q(UID.message).findMany({ where: { sourceRef: { $startsWith: `campaign:${campaign.id}:occ:` }, status: { $in: ['sent', 'delivered', 'read', 'failed'] } }, select: ['status'], orderBy: { id: 'desc' }, limit: rule.window });
    if (last.length < rule.window) return null;
    const failed = last.filter((m) => m.status === 'failed').length;
    return failed / last.length > rule.failureRate ? `${failed} of the last ${last.length} sends failed (threshold ${Math.round(rule.failureRate * 100)}%)` : null;
  };

  /**
   * The records the recipients were read from, so the outbox checks each record's own opt-out flag
   * (and consent) as it is now: one query per content type of the page, every version of a record
   * (a flag set on a draft or the published one counts).
   */
  const recordHints = async (campaign: Row, due: Row[]): Promise<Map<number, CrmHint['recipientOf']>> => {
    const hints = new Map<number, CrmHint['recipientOf']>();
    const path = campaign.audience?.phoneField;
    const fromRecords = due.filter((r) => r.source?.contentType && r.source?.documentId);
    if (!path || !fromRecords.length) return hints;
    const optOutFields = await getService('opt-out', { strapi }).fields();
    for (const uid of new Set(fromRecords.map((r) => r.source.contentType as string))) {
      const fields = [optOutFields[uid], uid === campaign.audience?.contentType ? campaign.audience?.consentField : null].filter((f): f is string => Boolean(f));
      const ids = fromRecords.filter((r) => r.source.contentType === uid).map((r) => r.source.documentId as string);
      const byId = new Map<string, Row>(ids.map((id) => [id, { documentId: id }]));
      if (fields.length) {
        const versions: Row[] = await q(uid).findMany({ where: { documentId: { $in: ids } }, select: ['documentId', ...fields] });
        for (const v of versions) for (const f of fields) byId.get(v.documentId)![f] = byId.get(v.documentId)![f] === true || v[f] === true;
      }
      for (const r of fromRecords) if (r.source.contentType === uid) hints.set(r.id, { uid, record: byId.get(r.source.documentId)!, path });
    }
    return hints;
  };

  /**
   * Per-recipient quiet hours: a page's recipients inside their own quiet hours get notBefore at
   * its end (one update per end) so the next page moves past them; answers the others.
   */
  const waitQuiet = async (campaign: Row, page: Row[]) => {
    if (!perRecipient(campaign.schedule)) return page;
    const now = new Date();
    const endOf = new Map<string, Date | null>();
    const waiting = new Map<number, number[]>();
    const due = page.filter((r) => {
      const zone = r.timeZone || '';
      if (!endOf.has(zone)) endOf.set(zone, quietUntil(campaign.schedule, now, zone || null));
      const end = endOf.get(zone);
      if (end) waiting.set(end.getTime(), [...(waiting.get(end.getTime()) ?? []), r.id]);
      return !end;
    });
    for (const [end, ids] of waiting) await q(UID.campaignRecipient).updateMany({ where: { id: { $in: ids }, state: 'pending' }, data: { notBefore: new Date(end) } });
    return due;
  };

  const feedSlice = createSliceFeeder(strapi);
  const analyze = createStatistics(strapi, [UID.campaignRecipient, UID.message, UID.conversation]);
  /** Occurrences this process has fed (their statistics were refreshed once they had their recipients). */
  const seen = new Set<number>();

  /** Feeds one occurrence up to its window; answers whether it is finished. */
  const feedOccurrence = async (campaign: Row, occurrence: Row, stopped: () => boolean) => {
    try {
      await snapshot(strapi, campaign, occurrence);
      // An occurrence seen for the first time has just stored its recipients (here or at launch).
      if (!seen.has(occurrence.id)) {
        seen.add(occurrence.id);
        await analyze(true);
      }
    } catch (error) {
      // An audience that cannot be read fails the same way every pass: paused with the reason, not an error a second.
      if (!(error instanceof errors.ValidationError)) throw error;
      await hooks.pause(campaign.id, `automatic pause: ${error.message}`);
      return;
    }
    await repair(occurrence);
    const reason = await autoPauseReason(campaign);
    if (reason) {
      await hooks.pause(campaign.id, `automatic pause: ${reason}`);
      return;
    }
    const quietEnd = perRecipient(campaign.schedule) ? null : quietUntil(campaign.schedule);
    if (quietEnd) {
      // Quiet now: every recipient still to send waits, queued, until the quiet hours end.
      await q(UID.campaignRecipient).updateMany({ where: { occurrenceId: occurrence.id, state: 'pending', $or: [{ notBefore: { $null: true } }, { notBefore: { $lt: quietEnd } }] }, data: { notBefore: quietEnd } });
      return;
    }
    const number = await q(UID.number).findOne({ where: { id: campaign.numberId } });
    const rate = perSecond(number ?? {});
    let room = Math.min(MAX_WINDOW, Math.max(MIN_WINDOW, rate * WINDOW_SECONDS)) - (await inOutbox(campaign, occurrence));
    const limit = number ? dailyLimitOf(number) : null;
    // Past the daily budget, a spread campaign waits for tomorrow's (its admission refused otherwise).
    if (limit !== null && occurrence.spreadOverDays) room = Math.min(room, limit - (await usedToday(strapi, campaign.numberId)));
    // The campaign's state is read before each slice: a pause or cancel seen then takes back all fed so far.
    const stillFeeding = async () => {
      const current = await q(UID.campaign).findOne({ where: { id: campaign.id }, select: ['state'] });
      if (FEEDING.has(current?.state)) return true;
      await hooks.takeBack(campaign, [occurrence.id]);
      return false;
    };
    while (room > 0 && !stopped()) {
      const page: Row[] = await q(UID.campaignRecipient).findMany({
        where: { occurrenceId: occurrence.id, state: 'pending', $or: [{ notBefore: { $null: true } }, { notBefore: { $lte: new Date() } }] },
        orderBy: { id: 'asc' },
        limit: Math.min(room, 200),
      });
      if (!page.length) break;
      const due = await waitQuiet(campaign, page);
      if (!due.length) continue;
      const hints = await recordHints(campaign, due);
      // One daily-budget count per page, raised by each conversation the page opens.
      const tally: DailyTally = new Map();
      for (let at = 0; at < due.length; at += SLICE) {
        if (!(await stillFeeding())) return;
        const outcomes = await feedSlice(campaign, occurrence, due.slice(at, at + SLICE), hints, tally);
        room -= outcomes.filter((o) => o === 'fed').length;
        const stop = outcomes.find((o): o is { stop: string } => typeof o === 'object');
        if (stop) {
          await hooks.pause(campaign.id, `automatic pause: ${stop.stop}`);
          return;
        }
        if (outcomes.includes('wait')) {
          getService('outbox', { strapi }).kick();
          return;
        }
      }
      // Paused or cancelled while the last slice went through the door: its messages are taken back too.
      if (!(await stillFeeding())) return;
      getService('outbox', { strapi }).kick();
    }
    const left = await q(UID.campaignRecipient).count({ where: { occurrenceId: occurrence.id, state: 'pending' } });
    if (!left && !(await inOutbox(campaign, occurrence))) await hooks.finish(campaign, occurrence);
  };

  /** One pass over every running occurrence of a running campaign. */
  return async (stopped: () => boolean) => {
    await analyze();
    await reschedule();
    const occurrences: Row[] = await q(UID.campaignOccurrence).findMany({ where: { state: 'running' }, orderBy: { id: 'asc' } });
    for (const occurrence of occurrences) {
      if (stopped()) return;
      const campaign = await q(UID.campaign).findOne({ where: { id: occurrence.campaignId }, select: CAMPAIGN_FIELDS });
      if (!campaign || !FEEDING.has(campaign.state)) continue;
      try {
        await feedOccurrence(campaign, occurrence, stopped);
      } catch (error) {
        strapi.log.error(`[whatsapp] campaign ${campaign.id}, occurrence ${occurrence.id}: ${(error as Error).message}`);
      }
    }
  };
};
