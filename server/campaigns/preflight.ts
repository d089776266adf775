/**
 * Pre-flight: who launching now would send to and who is left out, by reason; the template's
 * status and quality; the duration at the number's rate; the number's daily budget. The same
 * evaluation makes each occurrence's snapshot, so what the admin saw is what runs.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { EXCLUSION_REASONS, type CampaignParameter, type ExclusionReason, type MessagingTier, type PreflightResult } from '../../contracts/campaigns';
import type { TemplateParams } from '../../contracts/templates';
import { UID } from '../constants';
import type { NumberRow } from '../number-rows';
import { dailyLimitOf, usedToday } from '../outbox/daily-budget';
import { perSecond } from '../outbox/driver';
import { recordE164, regionOf, samePersonKey } from '../phone';
import { parameterSchemaOf } from '../template-schema';
import { getService } from '../utils';
import { candidates, type Candidate, type StoredAudience } from './audience';
import { renderFor } from './bind';

type Row = Record<string, any>;

export interface Evaluated extends Candidate {
  params: TemplateParams | null;
  /** Which parameter was empty, for `missing-parameter`. */
  detail?: string;
}

export interface Evaluation {
  number: NumberRow;
  template: Row | null;
  recipients: Evaluated[];
}

/** Phones (same-person keys) opted out on this number's consent records or any identity source's record, read once per evaluation. */
const optedOutKeys = async (strapi: Core.Strapi, numberId: number, region: string | null) => {
  const keys = new Set<string>(((await strapi.db.query(UID.consent as any).findMany({ where: { numberId, status: 'opted-out' }, select: ['personKey'] })) as Row[]).map((r) => r.personKey));
  for (const source of (await getService('settings', { strapi }).get()).identitySources) {
    if (!source.optOutField || !strapi.contentTypes[source.uid as keyof typeof strapi.contentTypes]) continue;
    const rows = await strapi.db.query(source.uid as any).findMany({ where: { [source.optOutField]: true }, select: [source.phoneField] });
    for (const r of rows as Row[]) {
      const e164 = recordE164(r[source.phoneField], region);
      if (e164) keys.add(samePersonKey(e164));
    }
  }
  return keys;
};

/** Customers (wa ids) the provider said cannot be reached from this number. */
const unreachableIds = async (strapi: Core.Strapi, numberId: number) =>
  new Set(((await strapi.db.query(UID.conversation as any).findMany({ where: { numberId, unreachable: true }, select: ['customerWaId'] })) as Row[]).map((r) => r.customerWaId));

/** Customers (wa ids) another campaign sent to within the last `hours`. */
const recentlyContacted = async (strapi: Core.Strapi, campaignId: number, hours: number) => {
  const knex = strapi.db.connection;
  const m = strapi.db.metadata.get(UID.message as any).tableName;
  const c = strapi.db.metadata.get(UID.conversation as any).tableName;
  const rows: Row[] = await knex(`${m} as m`)
    .join(`${c} as c`, 'c.id', 'm.conversation_id')
    .where('m.source', 'campaign')
    .andWhere('m.direction', 'out')
    .andWhere('m.created_at', '>', new Date(Date.now() - hours * 3600_000))
    .andWhere('m.source_ref', 'not like', `campaign:${campaignId}:%`)
    .whereNotIn('m.status', ['failed'])
    .distinct('c.customer_wa_id');
  return new Set(rows.map((r) => r.customer_wa_id));
};

/** Every candidate of a campaign with its exclusion (or its rendered parameters). */
export const evaluate = async (strapi: Core.Strapi, campaign: Row): Promise<Evaluation> => {
  const q = (uid: string) => strapi.db.query(uid as any);
  const number = (await q(UID.number).findOne({ where: { id: campaign.numberId } })) as NumberRow;
  const template = await q(UID.template).findOne({ where: { numberId: campaign.numberId, name: campaign.template?.name, language: campaign.template?.language, removedAt: null } });
  const region = regionOf(number);
  const audience = (campaign.audience ?? {}) as StoredAudience;
  const optOutField = audience.contentType ? (await getService('opt-out', { strapi }).fields())[audience.contentType] : undefined;
  const parameters = (campaign.parameters ?? []) as CampaignParameter[];
  // The CSV text lives in its own column, left out of list and get (older rows kept it inside `csv`).
  const csvText = !campaign.csv ? null : campaign.csvText ?? campaign.csv.text ?? (await strapi.db.query(UID.campaign as any).findOne({ where: { id: campaign.id }, select: ['csvText'] }))?.csvText ?? null;
  const list = await candidates(strapi, audience, csvText, parameters, region, optOutField).catch((error: Error) => {
    // An audience the query engine cannot read is the campaign's problem, named on its field, never a 500.
    const message = `the audience cannot be read: ${error.message}`;
    throw new errors.ValidationError(message, { errors: [{ path: ['audience'], message, name: 'ValidationError', value: null }] });
  });
  const optedOut = await optedOutKeys(strapi, number.id, region);
  const unreachable = await unreachableIds(strapi, number.id);
  const hours = Number(campaign.options?.contactedWithinHours ?? 0);
  const recent = hours > 0 ? await recentlyContacted(strapi, campaign.id, hours) : new Set<string>();
  const schema = template ? template.parameterSchema ?? parameterSchemaOf(template.components ?? []) : null;
  const marketing = String(template?.category ?? '').toUpperCase() === 'MARKETING';
  const recipients = list.map((c): Evaluated => {
    const exclude = (reason: ExclusionReason): Evaluated => ({ ...c, excluded: reason, params: null });
    if (c.excluded) return exclude(c.excluded);
    const waId = c.phone.slice(1);
    if (optedOut.has(samePersonKey(c.phone))) return exclude('opted-out');
    if (unreachable.has(waId)) return exclude('unreachable');
    if (marketing && c.phone.startsWith('+1')) return exclude('marketing-to-us');
    if (recent.has(waId)) return exclude('recently-contacted');
    const { params, missing } = renderFor(parameters, schema, c);
    if (missing) return { ...c, excluded: 'missing-parameter', params: null, detail: missing };
    return { ...c, params };
  });
  return { number, template, recipients };
};

/**
 * What the number's provider does not do for a campaign, said rather than faked: AiSensy sends a
 * template only through an API campaign of the same name, lists no templates, takes header media only
 * by public link, and its receipts come only by the webhook set up in its dashboard.
 */
const providerWarnings = (number: Row, template: Row | null): PreflightResult['warnings'] => {
  if (number.provider !== 'aisensy') return [];
  const name = template?.name ?? 'the template';
  const warnings = [
    { path: ['template'], message: `AiSensy sends ${name} only through a live API campaign named ${name} in AiSensy's dashboard; its templates cannot be synced from AiSensy` },
    { path: ['numberId'], message: "AiSensy reports delivered and read only through the webhook set up in AiSensy's dashboard; without it the funnel stops at sent" },
  ];
  const header = (template?.components ?? []).find((c: Row) => String(c.type).toUpperCase() === 'HEADER');
  if (header && ['IMAGE', 'VIDEO', 'DOCUMENT'].includes(String(header.format).toUpperCase()))
    warnings.push({ path: ['parameters'], message: 'AiSensy takes header media only by public link: a Media Library file cannot be uploaded to it' });
  return warnings;
};

/** The pre-flight answer for an evaluation; `spreadOverDays` lets a launch go past today's budget. */
export const preflightOf = async (strapi: Core.Strapi, campaign: Row, evaluation: Evaluation, spreadOverDays = Boolean(campaign.options?.spreadOverDays)): Promise<PreflightResult> => {
  const { number, template, recipients } = evaluation;
  const sendable = recipients.filter((r) => !r.excluded);
  const exclusions = EXCLUSION_REASONS.map((reason) => {
    const left = recipients.filter((r) => r.excluded === reason);
    return { reason, count: left.length, sample: left.slice(0, 5).map((r) => r.phone || ('documentId' in r.origin ? r.origin.documentId : `row ${r.origin.csvRow}`)) };
  }).filter((e) => e.count > 0);
  const dailyLimit = dailyLimitOf(number);
  const used = await usedToday(strapi, number.id);
  const remaining = dailyLimit === null ? null : Math.max(0, dailyLimit - used);
  const days = remaining === null || sendable.length <= remaining ? 1 : 1 + Math.ceil((sendable.length - remaining) / dailyLimit!);
  const problems: PreflightResult['problems'] = [];
  const templateOk = Boolean(template && template.status === 'APPROVED' && String(template.quality ?? '').toUpperCase() !== 'RED');
  if (!template) problems.push({ path: ['template'], message: `this number has no template ${campaign.template?.name} (${campaign.template?.language}); sync templates first` });
  else if (!templateOk) problems.push({ path: ['template'], message: `template ${template.name} is ${template.status}${template.quality ? `, quality ${template.quality}` : ''}; only an approved template that is not RED can be sent` });
  if (!number.active || number.deletedAt) problems.push({ path: ['numberId'], message: 'the number is switched off or removed' });
  if (!sendable.length) problems.push({ path: ['audience'], message: 'nobody to send to: every recipient is left out' });
  if (days > 1 && !spreadOverDays) problems.push({ path: ['spreadOverDays'], message: `${sendable.length} recipients exceed the number’s remaining daily budget (${remaining} of ${dailyLimit}); launch with spreadOverDays to send over ${days} days` });
  return {
    audience: recipients.length,
    sendable: sendable.length,
    exclusions,
    template: { name: campaign.template?.name, language: campaign.template?.language, status: template?.status ?? null, quality: template?.quality ?? null, category: template?.category ?? null, sendable: templateOk },
    number: { id: number.id, throughputMps: perSecond(number), messagingTier: (number.messagingTier as MessagingTier) ?? null, dailyLimit, usedToday: used, remainingToday: remaining },
    estimatedSeconds: Math.ceil(sendable.length / perSecond(number)),
    days,
    canLaunch: problems.length === 0,
    problems,
    warnings: providerWarnings(number, template),
    sample: sendable.slice(0, 3).map((r) => ({ phone: r.phone, parameters: r.params })),
  };
};
