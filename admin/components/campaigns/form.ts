import type { Campaign, CampaignInput, CampaignParameter, CampaignSchedule } from '../../../contracts/campaigns';
import type { HostContentType, HostField } from '../../../contracts/host';
import type { FormErrors } from '../../hooks/useFormState';
import { slotKey, templateKey, type Slot } from '../notifications/form';

export const OPERATORS = ['$eq', '$ne', '$contains', '$notContains', '$in', '$gt', '$lt', '$null', '$notNull'] as const;
export type Operator = (typeof OPERATORS)[number];
/** Operators that take no value. */
export const NO_VALUE: Operator[] = ['$null', '$notNull'];

export interface FilterRow {
  field: string;
  operator: Operator;
  value: string;
}

export interface Binding {
  from: CampaignParameter['from'];
  value: string;
  fallback: string;
}

export interface CampaignFormValues {
  name: string;
  numberId: string;
  /** `name|language`. */
  template: string;
  bindings: Record<string, Binding>;
  useRecords: boolean;
  contentType: string;
  phoneField: string;
  consentField: string;
  match: '$and' | '$or';
  filters: FilterRow[];
  useCsv: boolean;
  /** CSV text read in the browser; null keeps the saved one. */
  csv: string | null;
  csvName: string;
  /** What the saved CSV holds. */
  csvSaved: { rows: number; columns: string[] } | null;
  phoneColumn: string;
  scheduleType: CampaignSchedule['type'];
  /** `YYYY-MM-DDTHH:mm` read in `timeZone`. */
  at: string;
  timeZone: string;
  frequency: 'daily' | 'weekly' | 'monthly' | 'cron';
  cron: string;
  until: string;
  quietStart: string;
  quietEnd: string;
  /** Quiet hours read in each recipient's own zone (record field, CSV column, phone's country). */
  quietPerRecipient: boolean;
  contactedWithinHours: string;
  replyWindowHours: string;
  ecosystemRetries: string;
  autoPause: boolean;
  autoPauseWindow: string;
  /** Percent. */
  autoPauseRate: string;
}

export const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export const emptyCampaignValues = (numberId = ''): CampaignFormValues => ({
  name: '',
  numberId,
  template: '',
  bindings: {},
  useRecords: true,
  contentType: '',
  phoneField: '',
  consentField: '',
  match: '$and',
  filters: [],
  useCsv: false,
  csv: null,
  csvName: '',
  csvSaved: null,
  phoneColumn: 'phone',
  scheduleType: 'now',
  at: '',
  timeZone: browserTimeZone(),
  frequency: 'daily',
  cron: '',
  until: '',
  quietStart: '',
  quietEnd: '',
  quietPerRecipient: false,
  contactedWithinHours: '',
  replyWindowHours: '24',
  ecosystemRetries: '1',
  autoPause: true,
  autoPauseWindow: '50',
  autoPauseRate: '20',
});

/** A string field named like a phone: what the audience's phone field defaults to. */
export const phoneLike = (f: HostField) => ['string', 'text', 'biginteger'].includes(f.type) && /phone|mobile|whats|tel|msisdn/i.test(f.name);

/** Host types with a phone-like field: the types an audience can be drawn from. */
export const audienceTypes = (types: HostContentType[]) => types.filter((ty) => ty.fields.some(phoneLike));

/** `"a","b c",d` → ['a', 'b c', 'd']: the header row of an uploaded CSV. */
export const csvColumns = (csv: string) => {
  const header = csv.replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '';
  return header.split(/[,;](?=(?:[^"]*"[^"]*")*[^"]*$)/).map((c) => c.trim().replace(/^"|"$/g, '')).filter(Boolean);
};
export const csvRows = (csv: string) => Math.max(0, csv.split(/\r?\n/).filter((l) => l.trim()).length - 1);

const wrap = (path: string, condition: unknown): Record<string, unknown> =>
  path.split('.').reduceRight<unknown>((inner, key) => ({ [key]: inner }), condition) as Record<string, unknown>;

const operand = (row: FilterRow, field: HostField | undefined): unknown => {
  if (NO_VALUE.includes(row.operator)) return true;
  if (row.operator === '$in') return row.value.split(',').map((v) => v.trim()).filter(Boolean);
  if (field?.type === 'boolean') return row.value === 'true';
  return row.value;
};

/** The rows as the Content Manager's filter shape: `{ $and: [{ status: { $eq: 'new' } }] }`; null without rows. */
export const filtersOf = (rows: FilterRow[], match: '$and' | '$or', type: HostContentType | undefined): Record<string, unknown> | null => {
  const used = rows.filter((r) => r.field);
  if (!used.length) return null;
  return { [match]: used.map((r) => wrap(r.field, { [r.operator]: operand(r, type?.fields.find((f) => f.name === r.field)) })) };
};

/** A saved filter back as rows (one field and one operator per condition, as the builder writes them). */
export const rowsOf = (filters: Record<string, unknown> | null | undefined): { match: '$and' | '$or'; rows: FilterRow[] } => {
  const match = filters && '$or' in filters ? '$or' : '$and';
  const list = (filters?.[match] as Record<string, unknown>[] | undefined) ?? [];
  const rows = list.flatMap((cond) => {
    const path: string[] = [];
    let node: unknown = cond;
    while (node && typeof node === 'object' && !Array.isArray(node)) {
      const [key, inner] = Object.entries(node as Record<string, unknown>)[0] ?? [];
      if (!key) return [];
      if (key.startsWith('$')) {
        const value = Array.isArray(inner) ? inner.join(', ') : NO_VALUE.includes(key as Operator) ? '' : String(inner);
        return [{ field: path.join('.'), operator: key as Operator, value }];
      }
      path.push(key);
      node = inner;
    }
    return [];
  });
  return { match, rows };
};

/** An ISO instant as `YYYY-MM-DDTHH:mm` on the wall clock of `timeZone` (what a datetime-local input shows). */
export const wallTime = (iso: string | null | undefined, timeZone: string) => {
  if (!iso) return '';
  if (!/[zZ]|[+-]\d\d:?\d\d$/.test(iso)) return iso.slice(0, 16);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value])
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
};

const num = (s: string) => (s.trim() === '' ? null : Number(s));

export const valuesFromCampaign = (c: Campaign): CampaignFormValues => {
  const base = emptyCampaignValues(String(c.numberId));
  const tz = c.schedule.timeZone || 'UTC';
  const { match, rows } = rowsOf(c.audience.filters);
  return {
    ...base,
    name: c.name,
    template: templateKey(c.template),
    bindings: Object.fromEntries(c.parameters.map((p) => [slotKey(p.component, p.index ?? 0), { from: p.from, value: p.value, fallback: p.fallback ?? '' }])),
    useRecords: Boolean(c.audience.contentType),
    contentType: c.audience.contentType ?? '',
    phoneField: c.audience.phoneField ?? '',
    consentField: c.audience.consentField ?? '',
    match,
    filters: rows,
    useCsv: Boolean(c.audience.csv),
    csvSaved: c.audience.csv,
    phoneColumn: c.audience.phoneColumn ?? 'phone',
    scheduleType: c.schedule.type,
    at: wallTime(c.schedule.at, tz),
    timeZone: tz,
    frequency: c.schedule.cron ? 'cron' : c.schedule.frequency ?? 'daily',
    cron: c.schedule.cron ?? '',
    until: wallTime(c.schedule.until, tz),
    quietStart: c.schedule.quietHours?.start ?? '',
    quietEnd: c.schedule.quietHours?.end ?? '',
    quietPerRecipient: Boolean(c.schedule.quietHours?.perRecipient),
    contactedWithinHours: c.options.contactedWithinHours ? String(c.options.contactedWithinHours) : '',
    replyWindowHours: String(c.options.replyWindowHours),
    ecosystemRetries: String(c.options.ecosystemRetries),
    autoPause: Boolean(c.options.autoPause),
    autoPauseWindow: String(c.options.autoPause?.window ?? base.autoPauseWindow),
    autoPauseRate: String(Math.round((c.options.autoPause?.failureRate ?? 0.2) * 100)),
  };
};

/** The request body: parameters only for the template's slots, the CSV only when a new one was read or it was removed. */
export const toCampaignBody = (v: CampaignFormValues, slots: Slot[], type: HostContentType | undefined): CampaignInput => {
  const [name, language] = v.template.split('|');
  const recurring = v.scheduleType === 'recurring';
  const audience: CampaignInput['audience'] = v.useRecords
    ? { contentType: v.contentType || null, phoneField: v.phoneField || null, consentField: v.consentField || null, filters: filtersOf(v.filters, v.match, type) }
    : { contentType: null, phoneField: null, consentField: null, filters: null };
  if (!v.useCsv) audience.csv = null;
  else if (v.csv !== null) audience.csv = v.csv;
  if (v.useCsv) audience.phoneColumn = v.phoneColumn || 'phone';
  return {
    name: v.name.trim(),
    numberId: Number(v.numberId),
    template: { name: name ?? '', language: language ?? '' },
    parameters: slots.map((slot) => {
      const b = v.bindings[slot.key] ?? { from: 'field', value: '', fallback: '' };
      return { component: slot.component as CampaignParameter['component'], index: slot.index, ...(slot.name ? { name: slot.name } : {}), from: b.from, value: b.value, fallback: b.fallback.trim() || null };
    }),
    audience,
    schedule: {
      type: v.scheduleType,
      at: v.scheduleType === 'now' ? null : v.at || null,
      timeZone: v.timeZone || null,
      frequency: recurring && v.frequency !== 'cron' ? v.frequency : null,
      cron: recurring && v.frequency === 'cron' ? v.cron.trim() : null,
      until: recurring ? v.until || null : null,
      quietHours: v.quietStart && v.quietEnd ? { start: v.quietStart, end: v.quietEnd, ...(v.quietPerRecipient ? { perRecipient: true } : {}) } : null,
    },
    options: {
      contactedWithinHours: num(v.contactedWithinHours),
      replyWindowHours: num(v.replyWindowHours) ?? undefined,
      ecosystemRetries: num(v.ecosystemRetries) ?? undefined,
      autoPause: v.autoPause ? { window: Number(v.autoPauseWindow) || 0, failureRate: (Number(v.autoPauseRate) || 0) / 100 } : null,
    },
  };
};

/** The server's ValidationError by field path (`audience.phoneField`, `parameters.0.value`); `form` when it names none. */
export const campaignErrorsOf = (error: { name?: string; message?: string; details?: { errors?: { path?: (string | number)[]; message?: string }[] } } | undefined): FormErrors => {
  const out: FormErrors = {};
  for (const issue of error?.details?.errors ?? []) {
    if (!issue.message) continue;
    const key = (issue.path ?? []).join('.') || 'form';
    out[key] = out[key] && out[key] !== issue.message ? `${out[key]}; ${issue.message}` : issue.message;
  }
  if (!Object.keys(out).length && error?.message) out.form = error.message;
  return out;
};

/** Errors under `prefix` that no field of the form shows: listed at the top of their section. */
export const leftoverErrors = (errors: FormErrors, prefix: string, shown: string[]) =>
  Object.entries(errors)
    .filter(([key, msg]) => msg && (key === prefix || key.startsWith(`${prefix}.`)) && !shown.includes(key))
    .map(([, msg]) => msg as string);
