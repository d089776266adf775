/** What changes a campaign's state: launch, the scheduler tick, pause (by hand or automatic), resume, cancel, finish, retry failed, test sends. */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Campaign, CampaignRecipient } from '../../contracts/campaigns';
import { CANCELLED_REASON, UID } from '../constants';
import type { ReadScope } from '../content-manager-scope';
import { campaignSourceRef } from '../keys';
import { getService } from '../utils';
import { recordE164, regionOf } from '../phone';
import { renderFor } from './bind';
import { audienceIssues } from './audience';
import { evaluate, preflightOf } from './preflight';
import { checkAuthor } from './author';
import { auditEntry, withAudit } from './rows';
import { nextRun } from './schedule';
import { occurrenceFor, snapshot } from './snapshot';

type Row = Record<string, any>;
type User = { id: number; firstname?: string; lastname?: string; email?: string } | null;

/** Occurrence states that are not ended. */
const OPEN = ['running', 'paused', 'pending'];
/** The key time of a `now` campaign's one occurrence: fixed, so the launch and the crash repair make the same one. */
const NOW_KEY = new Date(0);

const refuse = (path: string[], message: string): never => {
  throw new errors.ValidationError(message, { errors: [{ path, message, name: 'ValidationError', value: null }] });
};

export const campaignActions = (strapi: Core.Strapi, { row, kick }: { row: (id: unknown) => Promise<Row>; kick: () => void }) => {
  const q = (uid: string) => strapi.db.query(uid as any);

  /** Moves the campaign from one of `from` to `to` (one caller wins), with an audit entry; answers the updated row or null. */
  const move = async (campaign: Row, from: string[], data: Row, entry: ReturnType<typeof auditEntry>) => {
    const { count } = await q(UID.campaign).updateMany({ where: { id: campaign.id, state: { $in: from } }, data: { ...data, audit: withAudit(campaign, entry), updatedAt: new Date() } });
    return count === 1 ? q(UID.campaign).findOne({ where: { id: campaign.id } }) : null;
  };

  /**
   * Takes back the occurrences' messages still queued (not `sending`): each is deleted only while
   * still queued, so a row the outbox claimed meanwhile goes out and keeps its recipient.
   */
  const takeBack = async (campaign: Row, occurrenceIds: number[]) => {
    for (const occurrenceId of occurrenceIds) {
      const queued = (await q(UID.message).findMany({ where: { sourceRef: campaignSourceRef(campaign.id, occurrenceId), status: 'queued' }, select: ['id'] })) as Row[];
      for (const m of queued) {
        const { count } = await q(UID.message).deleteMany({ where: { id: m.id, status: 'queued' } });
        if (count) await q(UID.campaignRecipient).updateMany({ where: { messageId: m.id, occurrenceId }, data: { state: 'pending', messageId: null, queuedAt: null } });
      }
    }
    if ((await q(UID.campaign).findOne({ where: { id: campaign.id }, select: ['state'] }))?.state === 'cancelled') await skipCancelled(occurrenceIds);
  };

  /** Pending recipients, and queued ones whose message was taken back, are skipped with the reason. */
  const skipCancelled = async (occurrenceIds: number[]) => {
    await q(UID.campaignRecipient).updateMany({ where: { occurrenceId: { $in: occurrenceIds }, state: 'pending' }, data: { state: 'skipped', reason: CANCELLED_REASON } });
    const table = (uid: string) => strapi.db.metadata.get(uid as any).tableName;
    const gone = (
      await strapi.db.connection(`${table(UID.campaignRecipient)} as r`)
        .leftJoin(`${table(UID.message)} as m`, 'm.id', 'r.message_id')
        .whereIn('r.occurrence_id', occurrenceIds)
        .where('r.state', 'queued')
        .whereNull('m.id')
        .select('r.id')
    ).map((r: Row) => r.id);
    if (gone.length) await q(UID.campaignRecipient).updateMany({ where: { id: { $in: gone }, state: 'queued' }, data: { state: 'skipped', messageId: null, queuedAt: null, reason: CANCELLED_REASON } });
  };

  /** A tick's occurrence whose campaign was paused or cancelled before the tick moved it: no run, so no occurrence. */
  const dropUnclaimed = async (campaignId: number, dueAt: Date, occurrence: Row) => {
    const fresh = await q(UID.campaign).findOne({ where: { id: campaignId }, select: ['state', 'nextRunAt'] });
    const claimed = fresh && (fresh.state === 'scheduled' || !fresh.nextRunAt || new Date(fresh.nextRunAt).getTime() !== dueAt.getTime());
    if (!claimed) await q(UID.campaignOccurrence).deleteMany({ where: { id: occurrence.id, snapshotDone: false } });
  };

  const openOccurrences = async (campaignId: number, states: string[]) => (await q(UID.campaignOccurrence).findMany({ where: { campaignId, state: { $in: states } } })) as Row[];

  /** An occurrence due now: created once, its recipients snapshotted, handed to the feed. */
  const start = async (campaign: Row, dueAt: Date, spreadOverDays: boolean, keyAt = dueAt) => {
    const occurrence = await occurrenceFor(strapi, campaign, dueAt, spreadOverDays, keyAt);
    await snapshot(strapi, campaign, occurrence).catch((error) => {
      // An audience that cannot be read: the feed tries the snapshot again and pauses the campaign with the reason.
      if (!(error instanceof errors.ValidationError)) throw error;
    });
    kick();
    return occurrence;
  };

  /**
   * A running campaign always has an open occurrence: one a crash kept from being created is
   * created (the key of a `now` run is fixed, so a launch still under way makes the same one),
   * one whose occurrences all ended is finished, and one a pause/resume race left paused goes on.
   */
  const repairRunning = async () => {
    const running = (await q(UID.campaign).findMany({ where: { state: 'running' } })) as Row[];
    for (const campaign of running) {
      const occurrences = (await q(UID.campaignOccurrence).findMany({ where: { campaignId: campaign.id }, select: ['id', 'state'] })) as Row[];
      if (!occurrences.length) {
        await start(campaign, new Date(campaign.updatedAt ?? Date.now()), Boolean(campaign.options?.spreadOverDays), NOW_KEY);
        continue;
      }
      if (occurrences.some((o) => o.state === 'paused')) {
        await q(UID.campaignOccurrence).updateMany({ where: { campaignId: campaign.id, state: 'paused' }, data: { state: 'running' } });
        kick();
      }
      if (!occurrences.some((o) => OPEN.includes(o.state))) await actions.finish(campaign, { id: null });
    }
  };

  const actions = {
    takeBack,

    async launch(id: unknown, user: User, body: { spreadOverDays?: boolean }, scope: ReadScope | undefined, out: (row: Row) => Promise<Campaign>) {
      const campaign = await row(id);
      if (campaign.state !== 'draft') refuse(['state'], `the campaign is ${campaign.state}; only a draft can be launched`);
      if (scope) {
        const denied = await audienceIssues(strapi, campaign.audience ?? {}, campaign.parameters ?? [], scope);
        if (denied.length) throw new errors.PolicyError(denied.map((i) => i.message).join('; '), { errors: denied.map((i) => ({ ...i, name: 'PolicyError' })) });
      }
      const spread = Boolean(body.spreadOverDays ?? campaign.options?.spreadOverDays);
      const type = campaign.schedule?.type ?? 'now';
      const now = new Date();
      const preflight = await preflightOf(strapi, campaign, await evaluate(strapi, campaign), spread);
      // A scheduled campaign's audience is read when it runs: only the template, the number and the budget must hold now.
      const blocking = type === 'now' ? preflight.problems : preflight.problems.filter((p) => p.path[0] !== 'audience' && p.path[0] !== 'spreadOverDays');
      if (blocking.length) throw new errors.ValidationError(blocking.length === 1 ? blocking[0].message : `${blocking.length} errors occurred`, { errors: blocking.map((p) => ({ ...p, name: 'ValidationError', value: null })), preflight } as any);
      const next = type === 'now' ? null : nextRun(campaign.schedule, now);
      if (type !== 'now' && !next) refuse(['schedule'], 'the schedule has no future run');
      const options = { ...(campaign.options ?? {}), spreadOverDays: spread };
      // The launcher vouches for the campaign: its runs read with the launcher's row filters and are checked against the launcher's rights.
      const contentType = campaign.audience?.contentType;
      const audience = scope && contentType ? { ...campaign.audience, scopeFilters: (await scope(contentType))?.filters ?? null } : campaign.audience;
      const author = { authorId: user?.id ?? campaign.authorId ?? null, audience };
      const moved = await move(campaign, ['draft'], type === 'now' ? { state: 'running', options, nextRunAt: null, ...author } : { state: 'scheduled', options, nextRunAt: next, ...author }, auditEntry(type === 'now' ? 'launched' : 'scheduled', user, next ? `next run ${next.toISOString()}` : null));
      if (!moved) refuse(['state'], 'the campaign was launched meanwhile');
      if (type === 'now') await start(moved, now, spread, NOW_KEY);
      return { data: await out(moved), meta: { preflight } };
    },

    /** Scheduled campaigns that are due: one occurrence each (a second tick finds it), then the next run. */
    async tick(now = new Date()) {
      await repairRunning();
      const due = (await q(UID.campaign).findMany({ where: { state: 'scheduled', nextRunAt: { $lte: now } } })) as Row[];
      for (const campaign of due) {
        const dueAt = new Date(campaign.nextRunAt);
        // Runs missed while down are skipped: this one stands for them all, the next is after now.
        const next = nextRun(campaign.schedule, dueAt > now ? dueAt : now);
        const spread = Boolean(campaign.options?.spreadOverDays);
        const author = await checkAuthor(strapi, campaign);
        if ('refused' in author) {
          // Nothing is sent: the run is recorded as failed with the reason, and the campaign waits for an admin.
          const reason = `not run: ${author.refused}`;
          await occurrenceFor(strapi, campaign, dueAt, spread, dueAt, { state: 'failed', reason, snapshotDone: true, finishedAt: new Date() });
          await move(campaign, ['scheduled'], { state: 'paused', pausedReason: `automatic pause: ${reason}`, nextRunAt: next }, auditEntry('auto-paused', null, `scheduled run of ${dueAt.toISOString()} ${reason}`));
          strapi.log.warn(`[whatsapp] campaign ${campaign.id}: scheduled run ${reason}`);
          continue;
        }
        // The author's row filters as of now, stored before the occurrence exists so its snapshot reads with them.
        const audience = { ...(campaign.audience ?? {}), scopeFilters: author.scopeFilters };
        await q(UID.campaign).updateMany({ where: { id: campaign.id, state: 'scheduled' }, data: { audience } });
        // The occurrence before the state change (its key makes a second tick find it), so a crash between them loses nothing.
        const occurrence = await occurrenceFor(strapi, campaign, dueAt, spread);
        const moved = await move({ ...campaign, audience }, ['scheduled'], { state: 'running', nextRunAt: next }, auditEntry('launched', null, `scheduled run of ${dueAt.toISOString()}`));
        if (moved) await start(moved, dueAt, spread);
        else await dropUnclaimed(campaign.id, dueAt, occurrence);
      }
      return due.length;
    },

    /** An occurrence with nothing left to send: done; the campaign waits for its next run or is done. */
    async finish(campaign: Row, occurrence: Row) {
      if (occurrence.id !== null) await q(UID.campaignOccurrence).updateMany({ where: { id: occurrence.id, state: 'running' }, data: { state: 'done', finishedAt: new Date() } });
      if ((await openOccurrences(campaign.id, ['running'])).length) return;
      const fresh = await q(UID.campaign).findOne({ where: { id: campaign.id } });
      if (fresh?.state !== 'running') return;
      await move(fresh, ['running'], fresh.nextRunAt ? { state: 'scheduled' } : { state: 'done' }, auditEntry(fresh.nextRunAt ? 'scheduled' : 'done', null, fresh.nextRunAt ? `next run ${new Date(fresh.nextRunAt).toISOString()}` : null));
    },

    async pause(id: unknown, user: User, reason: string | null, automatic = false) {
      const campaign = await row(id);
      const moved = await move(campaign, ['running', 'scheduled'], { state: 'paused', pausedReason: reason ?? (user ? 'paused by an admin' : null) }, auditEntry(automatic ? 'auto-paused' : 'paused', user, reason));
      if (!moved) {
        if (automatic) return campaign;
        refuse(['state'], `the campaign is ${campaign.state}; only a running or scheduled campaign can be paused`);
      }
      const running = await openOccurrences(campaign.id, ['running']);
      await q(UID.campaignOccurrence).updateMany({ where: { campaignId: campaign.id, state: 'running' }, data: { state: 'paused' } });
      await takeBack(campaign, running.map((o) => o.id));
      if (automatic) strapi.log.warn(`[whatsapp] campaign ${campaign.id} paused: ${reason}`);
      return moved!;
    },

    async resume(id: unknown, user: User) {
      const campaign = await row(id);
      // Any occurrence not ended (a pause racing the feed may have left one running) means running; a campaign
      // with none and no next run goes back to running too, where the sweep starts its run or finishes it with its audit.
      const open = await openOccurrences(campaign.id, OPEN);
      const to = open.length || !campaign.nextRunAt ? 'running' : 'scheduled';
      // Resuming vouches for the runs to come, as launching does: the next scheduled run is checked against the resumer.
      const moved = await move(campaign, ['paused'], { state: to, pausedReason: null, ...(user ? { authorId: user.id } : {}) }, auditEntry('resumed', user));
      if (!moved) refuse(['state'], `the campaign is ${campaign.state}; only a paused campaign can be resumed`);
      await q(UID.campaignOccurrence).updateMany({ where: { campaignId: campaign.id, state: 'paused' }, data: { state: 'running' } });
      if (!open.length && to === 'running') await repairRunning();
      kick();
      return moved!;
    },

    async cancel(id: unknown, user: User) {
      const campaign = await row(id);
      const moved = await move(campaign, ['draft', 'scheduled', 'running', 'paused'], { state: 'cancelled', nextRunAt: null }, auditEntry('cancelled', user));
      if (!moved) refuse(['state'], `the campaign is already ${campaign.state}`);
      const open = await openOccurrences(campaign.id, OPEN);
      await takeBack(campaign, open.map((o) => o.id));
      await q(UID.campaignOccurrence).updateMany({ where: { id: { $in: open.map((o) => o.id) } }, data: { state: 'cancelled', finishedAt: new Date() } });
      return moved!;
    },

    /** Failed recipients whose failure is retryable go back to the feed as a new attempt (a new message). */
    async retryFailed(id: unknown, user: User, recipients: CampaignRecipient[]) {
      const campaign = await row(id);
      if (!['running', 'paused', 'done', 'scheduled'].includes(campaign.state)) refuse(['state'], `a ${campaign.state} campaign has nothing to retry`);
      const retry: CampaignRecipient[] = [];
      for (const r of recipients.filter((x) => x.status === 'failed' && x.retryable)) {
        const current = await q(UID.campaignRecipient).findOne({ where: { id: r.id }, select: ['attempt', 'state'] });
        if (!current || !['queued', 'failed'].includes(current.state)) continue;
        // Only the row as read (same message, same attempt) is reset: of two concurrent clicks one changes it, one counts nothing.
        const { count } = await q(UID.campaignRecipient).updateMany({
          where: { id: r.id, state: current.state, attempt: current.attempt ?? { $null: true }, messageId: r.messageId === null ? { $null: true } : r.messageId },
          data: { state: 'pending', attempt: (current.attempt ?? 0) + 1, messageId: null, notBefore: null, reason: null },
        });
        if (count) retry.push(r);
      }
      const occurrenceIds = [...new Set(retry.map((r) => r.occurrenceId))];
      if (occurrenceIds.length) {
        await q(UID.campaignOccurrence).updateMany({ where: { id: { $in: occurrenceIds }, state: 'done' }, data: { state: 'running', finishedAt: null } });
        const fresh = await row(campaign.id);
        const entry = auditEntry('retried', user, `${retry.length} recipient(s)`);
        const moved = fresh.state === 'done' ? await move(fresh, ['done'], { state: 'running' }, entry) : null;
        if (!moved) await q(UID.campaign).update({ where: { id: campaign.id }, data: { audit: withAudit(fresh, entry) } });
        kick();
      }
      return { retried: retry.length };
    },

    /** Sends the template to chosen phones now, with the first sendable recipient's values; no recipient rows, so not in the figures. */
    async testSend(id: unknown, user: User, phones: string[]) {
      const campaign = await row(id);
      const { number, template, recipients } = await evaluate(strapi, campaign);
      const schema = template?.parameterSchema ?? null;
      const params = recipients.find((r) => !r.excluded)?.params ?? renderFor(campaign.parameters ?? [], schema, {}).params;
      const results = [];
      for (const raw of phones) {
        const e164 = recordE164(raw, regionOf(number));
        if (!e164) {
          results.push({ phone: raw, messageId: null, error: 'not a valid phone number; use the international format, e.g. +15550001111' });
          continue;
        }
        try {
          const message = await getService('outbox', { strapi }).enqueue(
            { numberId: campaign.numberId, phone: e164 },
            { type: 'template', template: { name: campaign.template.name, language: campaign.template.language, params } },
            { id: user?.id ?? null, source: 'campaign', sourceRef: campaignSourceRef(campaign.id, 'test') }
          );
          results.push({ phone: e164, messageId: message.id as number, error: null });
        } catch (error) {
          results.push({ phone: e164, messageId: null, error: (error as Error).message });
        }
      }
      await q(UID.campaign).update({ where: { id: campaign.id }, data: { audit: withAudit(campaign, auditEntry('test-sent', user, phones.join(', '))) } });
      return results;
    },
  };
  return actions;
};
