/**
 * The pure logic of CRM-event rules: the events a Document Service call makes, whether a rule
 * matches, firing keys and rows, rendered parameters and reminder days in the business's time
 * zone. Nothing here touches Strapi or the database, so it is unit-tested on its own.
 */
import type { NotificationRule, NotificationRuleInput, RuleParameter } from '../../contracts/notifications';
import type { TemplateParam, TemplateParams } from '../../contracts/templates';
import { addDays, localDate } from '../business-hours';
import { firingKey as keyOf, recordKey, reminderKey } from '../keys';

export type Row = Record<string, any>;

/** A firing row as the middleware and reminders record it (attribute names of notification-firing). */
export interface FiringRow {
  ruleId: number;
  contentType: string;
  recordDocumentId: string;
  locale?: string;
  event: string;
  key: string;
  state: 'pending' | 'queued' | 'skipped' | 'not-matched' | 'failed';
  trace: Row | null;
  error?: string;
}

// A record created with the field already set counts as that field changing (from nothing): a
// payment recorded with its paidAt is "paidAt changed" as much as one paid later.
// A clone (the Content Manager's "Duplicate") creates a record: the call's result names the copy.
export const ACTIONS: Record<string, string[]> = { create: ['created'], clone: ['created'], update: ['updated'], publish: ['published'], delete: ['deleted'] };

/**
 * The events one Document Service call makes. A create or update with `status: 'published'` (the
 * REST API's default on draft & publish types, GraphQL, the Content Manager) publishes inside the
 * call, where no middleware sees it: the call is also a publish.
 */
export const eventsOf = (action: string, params: Row | undefined, draftAndPublish: boolean) => {
  const events = ACTIONS[action] ?? [];
  const publishes = (action === 'create' || action === 'update') && params?.status === 'published' && draftAndPublish;
  return publishes ? [...events, 'published'] : events;
};

export const listensTo = (rule: Row, events: string[]) => (rule.event === 'fieldChanged' ? events.includes('created') || events.includes('updated') : events.includes(rule.event));

/** A value at a dotted path (`contact.phone`) of a populated record. */
export const at = (record: Row | null | undefined, path: string): unknown =>
  path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Row)[key] : undefined), record);

// An object (a related record, a list) is never text: rules bind scalars only, and an old rule's relation renders empty.
export const text = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return typeof value === 'object' ? '' : String(value);
};

export const same = (a: unknown, b: unknown) => text(a) === text(b);

/** Bookkeeping every write changes: an update that changes nothing else (a Save then Publish, a sync that PUTs the same data) is no update. */
const BOOKKEEPING = new Set(['updatedAt', 'updatedBy', 'publishedAt', 'firstPublishedAt']);
const content = (record: Row) => Object.fromEntries(Object.entries(record).filter(([key]) => !BOOKKEEPING.has(key)));
export const changedBetween = (before: Row | null, after: Row | null) => !before || !after || JSON.stringify(content(before)) !== JSON.stringify(content(after));

/**
 * A rule's "changed to" value is kept in a json column, which PostgreSQL refuses a bare text
 * (`won`) for: it is stored as `{ equals: value }` and read back as the value. Rows saved before
 * as a bare scalar read back unchanged.
 */
export const storedValue = (value: unknown) => (value === undefined || value === null ? value : { equals: value });
export const valueOf = (stored: unknown) => (stored && typeof stored === 'object' && 'equals' in stored ? (stored as { equals: unknown }).equals : stored);
export const ruleOut = (row: Row): NotificationRule => (row ? ({ ...row, value: valueOf(row.value) } as NotificationRule) : row);
export const ruleData = (input: Partial<NotificationRuleInput>) => ('value' in input ? { ...input, value: storedValue(input.value) } : input);

/** How the editor names a template parameter: `body {{2}}`, `header {{name}}`. */
export const slotName = (p: RuleParameter) => `${p.component} {{${p.name ?? (p.index ?? 0) + 1}}}`;

/** The first parameter read from a field the record leaves empty (the provider would refuse it later and less clearly). */
export const emptyParameter = (rule: Row, record: Row): RuleParameter | undefined =>
  (rule.parameters ?? []).find((p: RuleParameter) => p.from === 'field' && text(at(record, p.value ?? '')).trim() === '');

/** The template parameters a rule sends for a record; `link` is the record's address in the admin panel. */
export const render = (rule: Row, record: Row, link: string): TemplateParams => {
  const value = (p: RuleParameter) => (p.from === 'constant' ? p.value ?? '' : p.from === 'link' ? link : text(at(record, p.value ?? '')));
  const sorted = [...(rule.parameters ?? [])].sort((a: RuleParameter, b: RuleParameter) => (a.index ?? 0) - (b.index ?? 0));
  const param = (p: RuleParameter): TemplateParam => ({ type: 'text', text: value(p), ...(p.name ? { name: p.name } : {}) });
  const header = sorted.filter((p: RuleParameter) => p.component === 'header').map(param);
  const body = sorted.filter((p: RuleParameter) => p.component === 'body').map(param);
  const buttons = sorted.filter((p: RuleParameter) => p.component === 'button').map((p: RuleParameter) => ({ index: p.index ?? 0, subType: 'url' as const, params: [param(p)] }));
  return { ...(header.length ? { header } : {}), ...(body.length ? { body } : {}), ...(buttons.length ? { buttons } : {}) };
};

/** The phone a rule sends to, as written (a constant, or read from the record). */
export const recipientOf = (rule: Row, record: Row) => (rule.recipient.from === 'constant' ? rule.recipient.value : text(at(record, rule.recipient.value)));

/** Whether a rule fires for these events on a record (`before`: the record before an update). */
export const matches = (rule: Row, events: string[], record: Row, before: Row | null) => {
  if (rule.event === 'fieldChanged') {
    const event = events[0];
    if ((event !== 'updated' && event !== 'created') || !rule.field) return false;
    const changed = event === 'created' ? text(at(record, rule.field)) !== '' : !before || !same(at(before, rule.field), at(record, rule.field));
    const want = valueOf(rule.value);
    return changed && (want === undefined || want === null || same(at(record, rule.field), want));
  }
  return events.includes(rule.event);
};

export const conditionHolds = (rule: Row, record: Row) => Object.entries(rule.condition ?? {}).every(([path, want]) => same(at(record, path), want));

export const notMatchedTrace = (rule: Row) => ({ matched: false, reason: `condition ${JSON.stringify(rule.condition)} does not hold` });

/** Which occurrence of an event this is: created and deleted happen once, the others once per write (its timestamp). */
export const occurrenceOf = (rule: Row, events: string[], when: unknown, now = Date.now()) => {
  const event = rule.event === 'fieldChanged' ? events[0] : rule.event;
  return event === 'created' || event === 'deleted' ? event : `${event}:${text(when ?? now)}`;
};

/** The unique key of a firing (rule + record + event + occurrence): a repeated call records it once. */
export const firingKey = (rule: Row, documentId: string, locale: string | undefined, events: string[], when: unknown, now?: number) =>
  keyOf(rule.id, recordKey(documentId, locale), rule.event, occurrenceOf(rule, events, when, now));

export const firingRow = (rule: Row, uid: string, documentId: string, locale: string | undefined, events: string[], current: Row, now?: number): FiringRow => {
  const holds = conditionHolds(rule, current);
  return {
    ruleId: rule.id,
    contentType: uid,
    recordDocumentId: documentId,
    locale,
    event: rule.event,
    key: firingKey(rule, documentId, locale, events, current.updatedAt ?? current.publishedAt, now),
    state: holds ? 'pending' : 'not-matched',
    // A deleted record can only be rendered from what it was.
    trace: holds ? (rule.event === 'deleted' ? { snapshot: current } : null) : notMatchedTrace(rule),
  };
};

/** The firing of a rule that threw: kept under the key its firing would have had, so a retried write records it once. */
export const failedRow = (rule: Row, uid: string, documentId: string, locale: string | undefined, events: string[], result: Row | null, error: Error, now?: number): FiringRow => ({
  ruleId: rule.id,
  contentType: uid,
  recordDocumentId: documentId,
  locale,
  event: rule.event,
  key: firingKey(rule, documentId, locale, events, result?.updatedAt ?? result?.entries?.[0]?.updatedAt, now),
  state: 'failed',
  error: `the rule failed: ${error.message}`,
  trace: { matched: false, reason: 'rule error' },
});

/** A dateOffset rule's firing for a record whose date is `day`: one per rule, record and date. */
export const reminderRow = (rule: Row, record: Row, day: string): FiringRow => {
  const holds = conditionHolds(rule, record);
  return {
    ruleId: rule.id,
    contentType: rule.contentType,
    recordDocumentId: record.documentId,
    event: 'dateOffset',
    key: reminderKey(rule.id, record.documentId, day),
    state: holds ? 'pending' : 'not-matched',
    trace: holds ? null : notMatchedTrace(rule),
  };
};

/**
 * The dates a dateOffset rule reminds about at `now`: today's target (today minus the offset) and
 * yesterday's, for a record created after yesterday's last run or a day whose runs did not happen.
 * "Today" is the calendar day in the business's time zone.
 */
export const reminderDays = (now: Date, timeZone: string, offsetDays: number) => {
  const today = localDate(now, timeZone);
  return [today, addDays(today, -1)].map((base) => addDays(base, -offsetDays));
};

const offsetAt = (instant: number, timeZone: string) => {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value])
  );
  return Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second) - Math.floor(instant / 1000) * 1000;
};

/**
 * The first instant of a calendar day in a time zone. Around a DST change the offset at local
 * midnight can differ from the one at UTC midnight, and where clocks jump at midnight the day
 * starts at the jump: each offset the zone has near that day is tried, the earliest start wins.
 */
export const zoneMidnight = (day: string, timeZone: string) => {
  const utc = Date.parse(`${day}T00:00:00Z`);
  const startsDay = (t: number) => localDate(new Date(t), timeZone) === day && localDate(new Date(t - 1), timeZone) !== day;
  const offsets = [...new Set([-14, 0, 14].map((hours) => offsetAt(utc + hours * 3600_000, timeZone)))];
  const starts = offsets.map((offset) => utc - offset).filter(startsDay);
  if (starts.length) return new Date(Math.min(...starts));
  // A jump at another time than midnight (none known today): the first minute that falls on the day.
  let t = utc - Math.max(...offsets);
  while (localDate(new Date(t), timeZone) !== day) t += 60_000;
  return new Date(t);
};

/** The Document Service filter for records whose date (or datetime, in the time zone) is `day`. */
export const dayFilter = (field: string, type: 'date' | 'datetime', day: string, timeZone: string) =>
  type === 'date' ? { [field]: day } : { [field]: { $gte: zoneMidnight(day, timeZone).toISOString(), $lt: zoneMidnight(addDays(day, 1), timeZone).toISOString() } };
