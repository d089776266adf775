/**
 * The campaigns service (the parts live in server/campaigns/, one stage a file): CRUD and its
 * checks, pre-flight, launch / pause / resume / cancel, test sends, "retry failed", the
 * scheduler tick and the feed worker, recipients and their export.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { CampaignInput, CampaignRecipient, PreflightResult } from '../../contracts/campaigns';
import type { ListRecipients } from '../../contracts/campaign-api';
import { UID } from '../constants';
import type { ReadScope } from '../content-manager-scope';
import { toId } from '../ids';
import { createWorkerLoop } from '../worker-loop';
import { audienceIssues } from '../campaigns/audience';
import { campaignActions } from '../campaigns/actions';
import { createFeed } from '../campaigns/feed';
import { evaluate, preflightOf } from '../campaigns/preflight';
import { auditEntry, CAMPAIGN_FIELDS, campaignData, campaignOut, occurrenceOut, replyWindowMs, withAudit } from '../campaigns/rows';
import { nextRun } from '../campaigns/schedule';
import { countersByOccurrence, sumCounters } from '../campaigns/counters';
import { countersOf, emptyCounters, funnelOf, loadJoined, recipientOut, timelineOf } from '../campaigns/status';
import { templateIssues } from '../campaigns/template-check';

type Row = Record<string, any>;
type User = { id: number; firstname?: string; lastname?: string; email?: string } | null;
const FEED_SWEEP_MS = 1_000;

const invalid = (issues: { path: string[]; message: string }[]) => {
  throw new errors.ValidationError(issues.length === 1 ? issues[0].message : `${issues.length} errors occurred`, { errors: issues.map((i) => ({ ...i, name: 'ValidationError', value: null })) });
};

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);

  const row = async (id: unknown): Promise<Row> => {
    const n = toId(id);
    const found = n ? await q(UID.campaign).findOne({ where: { id: n }, select: CAMPAIGN_FIELDS }) : null;
    if (!found) throw new errors.NotFoundError('No campaign with this id');
    return found;
  };

  /** Every recipient of the campaign's occurrences (the latest occurrence's when `latestOnly`), as answered. */
  const recipientsOf = async (campaign: Row, occurrenceIds?: number[]) => {
    const ids = occurrenceIds ?? ((await q(UID.campaignOccurrence).findMany({ where: { campaignId: campaign.id }, select: ['id'] })) as Row[]).map((o) => o.id);
    const window = replyWindowMs(campaign);
    return (await loadJoined(strapi, ids)).map((r) => recipientOut(r, window));
  };

  const latestOccurrence = async (campaignId: number) => (await q(UID.campaignOccurrence).findMany({ where: { campaignId }, orderBy: { id: 'desc' }, limit: 1 }))[0] ?? null;

  /** Campaigns as answered, their counters by aggregate (two grouped queries for the lot, not their recipients). */
  const outMany = async (campaigns: Row[]) => {
    if (!campaigns.length) return [];
    const counters = await countersByOccurrence(strapi, campaigns);
    const occurrences = (await q(UID.campaignOccurrence).findMany({ where: { campaignId: { $in: campaigns.map((c) => c.id) } }, orderBy: { id: 'desc' } })) as Row[];
    const of = (o: Row) => counters.get(o.id) ?? emptyCounters();
    return campaigns.map((campaign) => {
      const own = occurrences.filter((o) => o.campaignId === campaign.id);
      return campaignOut(campaign, sumCounters(own.map(of)), own[0] ? occurrenceOut(own[0], of(own[0])) : null);
    });
  };
  const out = async (campaign: Row) => (await outMany([campaign]))[0];

  /** Every problem with a campaign's content, each under the field it belongs to. */
  const check = async (data: Row, scope?: ReadScope, { template = true }: { template?: boolean } = {}) => {
    const issues = [...(await audienceIssues(strapi, data.audience ?? {}, data.parameters ?? [], scope))];
    const number = data.numberId ? await q(UID.number).findOne({ where: { id: data.numberId, deletedAt: null } }) : null;
    if (data.numberId && !number) issues.push({ path: ['numberId'], message: 'no WhatsApp number with this id' });
    if (number && template) issues.push(...(await templateIssues(strapi, number, data)));
    if (data.csv && !data.csv.columns.includes(data.audience?.phoneColumn || 'phone')) issues.push({ path: ['audience', 'csv'], message: `the CSV has no column ${data.audience?.phoneColumn || 'phone'} (its columns: ${data.csv.columns.join(', ')})` });
    for (const p of data.parameters ?? []) if (p.from === 'column' && data.csv && !data.csv.columns.includes(p.value)) issues.push({ path: ['parameters'], message: `the CSV has no column ${p.value}` });
    if (data.schedule?.type === 'once' && !nextRun(data.schedule, new Date())) issues.push({ path: ['schedule', 'at'], message: 'at is in the past' });
    if (issues.length) invalid(issues);
  };

  /** The caller's Content Manager row filters on the audience type, kept so scheduled runs read what they could. */
  const scopeFiltersOf = async (contentType: string | null | undefined, scope?: ReadScope) => (contentType && scope ? (await scope(contentType))?.filters ?? null : null);

  const loop = { current: null as ReturnType<typeof createWorkerLoop> | null };
  const kick = () => loop.current?.kick();
  const actions = campaignActions(strapi, { row, kick });
  const feed = createFeed(strapi, { pause: (id, reason) => actions.pause(id, null, reason, true), finish: actions.finish, takeBack: actions.takeBack });
  loop.current = createWorkerLoop(strapi, 'campaign feed', feed, FEED_SWEEP_MS);

  const service = {
    start: () => loop.current!.start(),
    stop: () => loop.current!.stop(),
    kick,
    idle: () => loop.current!.idle(),

    async list(where: Row, page = 1, pageSize = 25) {
      const [rows, total] = await Promise.all([q(UID.campaign).findMany({ where, select: CAMPAIGN_FIELDS, orderBy: { id: 'desc' }, offset: (page - 1) * pageSize, limit: pageSize }), q(UID.campaign).count({ where })]);
      return { data: await outMany(rows), meta: { pagination: { page, pageSize, total } } };
    },

    row,

    async get(id: unknown) {
      const campaign = await row(id);
      const all = await recipientsOf(campaign);
      const occurrences = (await q(UID.campaignOccurrence).findMany({ where: { campaignId: campaign.id }, orderBy: { id: 'desc' } })) as Row[];
      const latest = occurrences[0];
      const counters = countersOf(all);
      return {
        ...campaignOut(campaign, counters, latest ? occurrenceOut(latest, countersOf(all.filter((r) => r.occurrenceId === latest.id))) : null),
        funnel: funnelOf(counters),
        timeline: timelineOf(all),
        occurrences: occurrences.map((o) => occurrenceOut(o, countersOf(all.filter((r) => r.occurrenceId === o.id)))),
      };
    },

    async create(input: CampaignInput, user: User, scope?: ReadScope) {
      const data = campaignData(input, await scopeFiltersOf(input.audience?.contentType, scope));
      await check(data, scope);
      const created = await q(UID.campaign).create({ data: { ...data, state: 'draft', authorId: user?.id ?? null, audit: [auditEntry('created', user)] } });
      return out(created);
    },

    async update(id: unknown, input: Partial<CampaignInput>, user: User, scope?: ReadScope) {
      const campaign = await row(id);
      // What a run sends is fixed once it started: past draft and scheduled, only the name changes.
      const frozen = ['draft', 'scheduled'].includes(campaign.state) ? [] : Object.keys(input).filter((k) => k !== 'name');
      if (frozen.length) invalid(frozen.map((k) => ({ path: [k], message: `a ${campaign.state} campaign's ${k} cannot be changed; only a draft or scheduled campaign can be edited` })));
      const data = campaignData(input, input.audience ? await scopeFiltersOf(input.audience.contentType, scope) : campaign.audience?.scopeFilters);
      const merged = { ...campaign, ...data };
      if (!merged.audience?.contentType && !merged.csv) invalid([{ path: ['audience'], message: 'choose a content type or upload a CSV' }]);
      await check(merged, scope, { template: Boolean(input.template || input.parameters || input.numberId) });
      if (campaign.state === 'scheduled') {
        // A scheduled campaign switched to `now` is due at once (the next tick runs it), never left without a run.
        data.nextRunAt = merged.schedule?.type === 'now' ? new Date() : nextRun(merged.schedule, new Date());
        if (!data.nextRunAt) invalid([{ path: ['schedule'], message: 'the schedule has no future run' }]);
      }
      // Who changed what is sent, to whom or when vouches for it: scheduled runs are checked against their rights.
      if (user && Object.keys(input).some((k) => k !== 'name')) data.authorId = user.id;
      const changed = Object.keys(input).join(', ');
      // Only in the state it was read in: a tick that started the run meanwhile wins.
      const { count } = await q(UID.campaign).updateMany({ where: { id: campaign.id, state: campaign.state }, data: { ...data, audit: withAudit(campaign, auditEntry('edited', user, changed)), updatedAt: new Date() } });
      if (!count) invalid([{ path: ['state'], message: 'the campaign started or changed state meanwhile; reload it' }]);
      return out(await row(campaign.id));
    },

    async remove(id: unknown) {
      const campaign = await row(id);
      if (campaign.state === 'running') invalid([{ path: ['state'], message: 'a running campaign cannot be deleted; pause or cancel it first' }]);
      const answer = await out(campaign);
      const occurrences = (await q(UID.campaignOccurrence).findMany({ where: { campaignId: campaign.id }, select: ['id'] })) as Row[];
      await actions.takeBack(campaign, occurrences.map((o) => o.id));
      await q(UID.campaignRecipient).deleteMany({ where: { campaignId: campaign.id } });
      await q(UID.campaignOccurrence).deleteMany({ where: { campaignId: campaign.id } });
      await q(UID.campaign).delete({ where: { id: campaign.id } });
      return answer;
    },

    /** The caller must be able to read what the campaign reads (a PolicyError 403 naming each field otherwise). */
    async assertReadable(campaign: Row, scope: ReadScope) {
      const denied = await audienceIssues(strapi, campaign.audience ?? {}, campaign.parameters ?? [], scope);
      if (denied.length) throw new errors.PolicyError(denied.map((i) => i.message).join('; '), { errors: denied.map((i) => ({ ...i, name: 'PolicyError' })) });
    },

    async preflight(id: unknown, spreadOverDays?: boolean): Promise<PreflightResult> {
      const campaign = await row(id);
      return preflightOf(strapi, campaign, await evaluate(strapi, campaign), spreadOverDays);
    },

    launch: (id: unknown, user: User, body: { spreadOverDays?: boolean }, scope?: ReadScope) => actions.launch(id, user, body, scope, out),
    pause: async (id: unknown, user: User, reason?: string) => out(await actions.pause(id, user, reason ?? null)),
    resume: async (id: unknown, user: User) => out(await actions.resume(id, user)),
    cancel: async (id: unknown, user: User) => out(await actions.cancel(id, user)),
    testSend: actions.testSend,
    retryFailed: async (id: unknown, user: User) => actions.retryFailed(id, user, await recipientsOf(await row(id))),
    tick: actions.tick,

    async recipients(id: unknown, query: ListRecipients.Query): Promise<{ data: CampaignRecipient[]; meta: { pagination: { page: number; pageSize: number; total: number } } }> {
      const campaign = await row(id);
      // An occurrence of another campaign is answered like a missing one, never read.
      if (query.occurrenceId !== undefined && !(await q(UID.campaignOccurrence).findOne({ where: { id: query.occurrenceId, campaignId: campaign.id }, select: ['id'] })))
        invalid([{ path: ['occurrenceId'], message: 'no occurrence of this campaign with this id' }]);
      const occurrenceId = query.occurrenceId ?? (await latestOccurrence(campaign.id))?.id;
      const all = occurrenceId ? await recipientsOf(campaign, [occurrenceId]) : [];
      const matching = query.status ? all.filter((r) => r.status === query.status) : all;
      const page = query.page ?? 1;
      const pageSize = query.pageSize ?? 50;
      return { data: matching.slice((page - 1) * pageSize, page * pageSize), meta: { pagination: { page, pageSize, total: matching.length } } };
    },

    /** Every recipient of every occurrence, for the export. */
    async allRecipients(id: unknown) {
      const campaign = await row(id);
      return { campaign, rows: await recipientsOf(campaign) };
    },
  };
  return service;
};
