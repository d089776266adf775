/**
 * Who a campaign goes to: records of a host collection type narrowed by a Content Manager filter
 * (read only as the author could read them, never private fields), and/or CSV rows. Phones are
 * normalised to E.164 and de-duplicated; each candidate keeps what its parameters are read from.
 */
import type { Core } from '@strapi/strapi';
import type { CampaignAudienceInput, CampaignParameter, ExclusionReason } from '../../contracts/campaigns';
import { BINDABLE_OUTSIDE_API } from '../constants';
import type { ReadScope } from '../content-manager-scope';
import { ownAttribute } from '../host-attributes';
import { at, text } from '../notifications/logic';
import { pathIssues, populateFor } from '../notifications/paths';
import { recordE164 } from '../phone';
import type { Source } from './bind';
import { zoneOfValue } from './country-zones';
import { parseCsv } from './csv';

type Row = Record<string, any>;
const PAGE = 500;
/** Filter operators the Content Manager writes; any other `$` key is refused. */
const OPERATORS = new Set(['$and', '$or', '$not', '$eq', '$eqi', '$ne', '$nei', '$lt', '$lte', '$gt', '$gte', '$in', '$notIn', '$contains', '$notContains', '$containsi', '$notContainsi', '$startsWith', '$startsWithi', '$endsWith', '$endsWithi', '$null', '$notNull', '$between']);

/** A stored audience: what was sent, plus the author's Content Manager row filters (applied at every run) and the parsed CSV. */
export interface StoredAudience extends Omit<CampaignAudienceInput, 'csv'> {
  scopeFilters?: Record<string, unknown> | null;
}

export interface Candidate extends Source {
  /** E.164, or the raw value when it is no phone. */
  phone: string;
  excluded: ExclusionReason | null;
  origin: { contentType: string; documentId: string } | { csvRow: number };
  /** The zone the record's time-zone field or the CSV's `timezone`/`time_zone` column names (a valid IANA zone), else null. */
  timeZone?: string | null;
}

/** The zone a CSV row's `timezone` or `time_zone` column names, if it is a real one. */
const csvZone = (row?: Record<string, string> | null) => (row ? zoneOfValue(row.timezone ?? row.time_zone ?? row.timeZone) : null);

/** A field read like a parameter's (the author must be able to read it). */
const asParameter = (field: string) => ({ component: 'body', index: 0, from: 'field', value: field });

/** The paths of an audience a rule-like check reads: its parameters' fields (and the time-zone field unless left out) and the phone and consent fields. */
const asRule = (audience: StoredAudience, parameters: CampaignParameter[], { timeZone = true } = {}) => ({
  contentType: audience.contentType,
  parameters: [...parameters.filter((p) => p.from === 'field'), ...(timeZone && audience.timeZoneField ? [asParameter(audience.timeZoneField)] : [])].map((p) => ({ ...p, from: 'field' })),
  recipient: audience.phoneField ? { from: 'field', value: audience.phoneField } : undefined,
  condition: audience.consentField ? { [audience.consentField]: true } : {},
});

/** Every attribute path a filter names (`{ company: { name: { $eq } } }` → `company.name`), or the first unknown operator. */
const filterPaths = (filter: unknown, prefix = ''): { paths: string[]; bad?: string } => {
  const paths: string[] = [];
  const walk = (node: unknown, path: string): string | undefined => {
    if (Array.isArray(node)) {
      for (const n of node) {
        const bad = walk(n, path);
        if (bad) return bad;
      }
      return undefined;
    }
    if (!node || typeof node !== 'object') {
      if (path) paths.push(path);
      return undefined;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith('$')) {
        if (!OPERATORS.has(key)) return key;
        if (path && !['$and', '$or', '$not'].includes(key)) paths.push(path);
        const bad = ['$and', '$or', '$not'].includes(key) ? walk(value, path) : undefined;
        if (bad) return bad;
      } else {
        const bad = walk(value, path ? `${path}.${key}` : key);
        if (bad) return bad;
      }
    }
    return undefined;
  };
  const bad = walk(filter, prefix);
  return { paths: [...new Set(paths)], bad };
};

/**
 * Every problem with an audience for this author, each under the request field it belongs to:
 * the type, the phone and consent fields, the filter's fields and the parameters' fields must
 * exist, be bindable and be readable by the author in the Content Manager.
 */
export const audienceIssues = async (strapi: Core.Strapi, audience: StoredAudience, parameters: CampaignParameter[], scope?: ReadScope) => {
  const issues: { path: string[]; message: string }[] = [];
  const uid = audience.contentType;
  if (!uid) return issues;
  const ct = strapi.contentTypes[uid as keyof typeof strapi.contentTypes] as { kind?: string } | undefined;
  if (!ct || ct.kind !== 'collectionType' || !uid.startsWith('api::')) return [{ path: ['audience', 'contentType'], message: `no collection type ${uid} of this app` }];
  if (!audience.phoneField) issues.push({ path: ['audience', 'phoneField'], message: 'choose the field holding the phone' });
  if (audience.consentField && ownAttribute(strapi, uid, audience.consentField)?.type !== 'boolean') issues.push({ path: ['audience', 'consentField'], message: `${audience.consentField} is not a true/false field of ${uid}` });
  const zoneIsText = !audience.timeZoneField || ['string', 'text', 'enumeration'].includes(ownAttribute(strapi, uid, audience.timeZoneField)?.type ?? '');
  if (!zoneIsText) issues.push({ path: ['audience', 'timeZoneField'], message: `${audience.timeZoneField} is not a text field of ${uid}` });
  const where = { recipient: ['audience', 'phoneField'], parameters: ['parameters'], condition: ['audience', 'consentField'], field: ['audience'] } as const;
  for (const i of await pathIssues(strapi, asRule(audience, parameters, { timeZone: false }), scope)) issues.push({ path: [...where[i.where]], message: i.message });
  // Checked on its own so its problem is named under its own field, not under `parameters`.
  if (audience.timeZoneField && zoneIsText)
    for (const i of await pathIssues(strapi, { contentType: uid, parameters: [asParameter(audience.timeZoneField)] }, scope)) issues.push({ path: ['audience', 'timeZoneField'], message: i.message });
  const { paths, bad } = filterPaths(audience.filters ?? {});
  if (bad) issues.push({ path: ['audience', 'filters'], message: `${bad} is not a filter operator` });
  for (const i of await pathIssues(strapi, { contentType: uid, condition: Object.fromEntries(paths.map((p) => [p, true])) }, scope)) {
    // Filtering may read relations' own fields the way the Content Manager does; sending them is a separate check above.
    if (!(i.kind === 'policy' && BINDABLE_OUTSIDE_API[uid])) issues.push({ path: ['audience', 'filters'], message: i.message });
  }
  if (!issues.length && audience.filters) {
    // The query engine is the judge of a filter's values: one it refuses is the caller's mistake, not a 500 at every run.
    try {
      await strapi.documents(uid as any).count({ filters: audience.filters as any });
    } catch (error) {
      issues.push({ path: ['audience', 'filters'], message: `the filter cannot be applied: ${(error as Error).message}` });
    }
  }
  return issues;
};

/** The record's own fields a run reads: the phone, the consent flag, the opt-out flag and the parameters' fields (a relation's come by populate). */
const fieldsOf = (audience: StoredAudience, parameters: CampaignParameter[], optOutField?: string) => {
  const own = [audience.phoneField, audience.consentField, audience.timeZoneField, optOutField, ...parameters.filter((p) => p.from === 'field').map((p) => p.value)];
  return ['documentId', ...new Set(own.filter((f): f is string => Boolean(f) && !f!.includes('.')))];
};

/** The audience's records, page by page (the author's filter and their Content Manager row filters both apply). */
async function* records(strapi: Core.Strapi, audience: StoredAudience, parameters: CampaignParameter[], optOutField?: string) {
  const uid = audience.contentType!;
  const filters = { $and: [audience.filters ?? {}, audience.scopeFilters ?? {}] };
  const draftAndPublish = Boolean((strapi.contentTypes[uid as keyof typeof strapi.contentTypes] as { options?: { draftAndPublish?: boolean } }).options?.draftAndPublish);
  const populate = populateFor(strapi, uid, asRule(audience, parameters));
  for (let start = 0; ; start += PAGE) {
    const page = (await strapi.documents(uid as any).findMany({ filters: filters as any, fields: fieldsOf(audience, parameters, optOutField) as any, populate: populate as any, sort: 'id:asc' as any, start, limit: PAGE, ...(draftAndPublish ? { status: 'published' } : {}) })) as Row[];
    yield page;
    if (page.length < PAGE) return;
  }
}

/**
 * The candidates before the outbox's own checks: every record and CSV row with its E.164 phone,
 * left out for no / invalid phone or a phone seen before (a CSV row with a record's phone adds its
 * columns to that record's recipient). `optOut`: the audience type's opt-out flag, read here.
 */
export const candidates = async (strapi: Core.Strapi, audience: StoredAudience, csvText: string | null, parameters: CampaignParameter[], region: string | null, optOutField?: string): Promise<Candidate[]> => {
  const out: Candidate[] = [];
  const byPhone = new Map<string, Candidate>();
  const add = (raw: string, origin: Candidate['origin'], source: Source, mergeCsv: boolean) => {
    const e164 = raw.trim() ? recordE164(raw, region) : null;
    const excluded: ExclusionReason | null = !raw.trim() ? 'no-phone' : !e164 ? 'invalid-phone' : null;
    const seen = e164 ? byPhone.get(e164) : undefined;
    if (seen && mergeCsv && 'documentId' in seen.origin && !seen.csv) {
      seen.csv = source.csv;
      seen.timeZone ??= csvZone(source.csv);
      return;
    }
    const candidate: Candidate = { phone: e164 ?? raw.trim(), excluded: excluded ?? (seen ? 'duplicate' : null), origin, timeZone: csvZone(source.csv), ...source };
    if (e164 && !seen) byPhone.set(e164, candidate);
    out.push(candidate);
  };
  if (audience.contentType && audience.phoneField) {
    for await (const page of records(strapi, audience, parameters, optOutField)) {
      for (const record of page) {
        add(text(at(record, audience.phoneField)), { contentType: audience.contentType, documentId: record.documentId }, { record }, false);
        const last = out[out.length - 1];
        if (audience.timeZoneField) last.timeZone = zoneOfValue(record[audience.timeZoneField]);
        if (!last.excluded && optOutField && record[optOutField] === true) last.excluded = 'opted-out';
        if (!last.excluded && audience.consentField && record[audience.consentField] !== true) last.excluded = 'no-marketing-consent';
      }
    }
  }
  if (csvText) {
    const column = audience.phoneColumn || 'phone';
    for (const row of parseCsv(csvText).rows) add(row[column] ?? '', { csvRow: Number(row.__row) }, { csv: row }, true);
  }
  return out;
};
