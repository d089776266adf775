import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Firing, NotificationRule, NotificationRuleInput, RuleParameter } from '../../contracts/notifications';
import { UID } from '../constants';
import type { TemplateParam, TemplateParams } from '../providers';
import { addDays, localDate, zoneMidnight } from '../business-hours';
import { recordE164, regionOf } from '../phone';
import { assertTemplateParams } from '../template-params';
import { parameterSchemaOf } from '../template-schema';
import { recordAdminPath, type ReadScope } from '../content-manager-scope';
import { boundPaths, memoScope, pathIssues, populateFor as populateTree } from '../notification-paths';
import { firingOut, sourcesOf } from '../notification-trace';
import { getService } from '../utils';
import { toId } from '../ids';
import { createWorkerLoop } from '../worker-loop';
import { NotAdmittedError } from '../outbox/enqueue';

type Row = Record<string, any>;

const RULES_CACHE_MS = 5_000;
const REMINDER_PAGE = 500;
const SWEEP_MS = 5_000;
/** Longer than any send takes: a claim this old was left by a process that stopped. */
const STALE_CLAIM_MS = 5 * 60_000;
// A record created with the field already set counts as that field changing (from nothing): a
// payment recorded with its paidAt is "paidAt changed" as much as one paid later.
// A clone (the Content Manager's "Duplicate") creates a record: the call's result names the copy.
const ACTIONS: Record<string, string[]> = { create: ['created'], clone: ['created'], update: ['updated'], publish: ['published'], delete: ['deleted'] };

/**
 * The events one Document Service call makes. A create or update with `status: 'published'` (the
 * REST API's default on draft & publish types, GraphQL, the Content Manager) publishes inside the
 * call, where no middleware sees it: the call is also a publish.
 */
const eventsOf = (ctx: { action: string; params: Row }, contentType: { options?: { draftAndPublish?: boolean } } | undefined) => {
  const events = ACTIONS[ctx.action] ?? [];
  const publishes = (ctx.action === 'create' || ctx.action === 'update') && ctx.params?.status === 'published' && contentType?.options?.draftAndPublish === true;
  return publishes ? [...events, 'published'] : events;
};

const listensTo = (rule: Row, events: string[]) => (rule.event === 'fieldChanged' ? events.includes('created') || events.includes('updated') : events.includes(rule.event));

/** A value at a dotted path (`contact.phone`) of a populated record. */
const at = (record: Row | null | undefined, path: string): unknown =>
  path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Row)[key] : undefined), record);

// An object (a related record, a list) is never text: rules bind scalars only, and an old rule's relation renders empty.
const text = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return typeof value === 'object' ? '' : String(value);
};

const same = (a: unknown, b: unknown) => text(a) === text(b);

const attempt = async <T>(load: () => Promise<T>): Promise<{ value: T | null; error?: Error }> => {
  try {
    return { value: await load() };
  } catch (error) {
    return { value: null, error: error as Error };
  }
};

/** Bookkeeping every write changes: an update that changes nothing else (a Save then Publish, a sync that PUTs the same data) is no update. */
const BOOKKEEPING = new Set(['updatedAt', 'updatedBy', 'publishedAt', 'firstPublishedAt']);
const content = (record: Row) => Object.fromEntries(Object.entries(record).filter(([key]) => !BOOKKEEPING.has(key)));
const changedBetween = (before: Row | null, after: Row | null) => !before || !after || JSON.stringify(content(before)) !== JSON.stringify(content(after));

/**
 * A rule's "changed to" value is kept in a json column, which PostgreSQL refuses a bare text
 * (`won`) for: it is stored as `{ equals: value }` and read back as the value. Rows saved before
 * as a bare scalar read back unchanged.
 */
const storedValue = (value: unknown) => (value === undefined || value === null ? value : { equals: value });
const valueOf = (stored: unknown) => (stored && typeof stored === 'object' && 'equals' in stored ? (stored as { equals: unknown }).equals : stored);
const ruleOut = (row: Row): NotificationRule => (row ? ({ ...row, value: valueOf(row.value) } as NotificationRule) : row);
const ruleData = (input: Partial<NotificationRuleInput>) => ('value' in input ? { ...input, value: storedValue(input.value) } : input);

/** How the editor names a template parameter: `body {{2}}`, `header {{name}}`. */
const slotName = (p: RuleParameter) => `${p.component} {{${p.name ?? (p.index ?? 0) + 1}}}`;

/**
 * CRM events that send templates. A Document Service middleware writes a firing row in the same
 * transaction as the host's write (unique key: rule + record + event + occurrence), so a rolled-back
 * write sends nothing and a repeated call sends once; a worker renders and queues each firing on
 * the dispatcher after commit and keeps a trace.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);
  let cache: { rules: Row[]; until: number } | null = null;

  const activeRules = async () => {
    if (cache && cache.until > Date.now()) return cache.rules;
    const rules = await q(UID.notificationRule).findMany({ where: { active: true } });
    cache = { rules, until: Date.now() + RULES_CACHE_MS };
    return rules;
  };

  /**
   * Related records carry only the fields the rule names: nothing else of them can reach a trace or
   * a message. The recipient's record also carries its opt-out flag, read only by the opt-out check.
   */
  const populateFor = async (uid: string, rule: Row) => populateTree(strapi, uid, rule, await getService('opt-out', { strapi }).fields());

  /** Why no one may send what a rule reads (a rule saved before the paths were checked), or null. */
  const refusalOf = async (rule: Row) => {
    const [issue] = await pathIssues(strapi, rule);
    return issue ? `${issue.where}: ${issue.message}` : null;
  };

  const loadRecord = async (uid: string, documentId: string, rule: Row, locale?: string | null) =>
    (await strapi.documents(uid as any).findOne({ documentId, ...(locale ? { locale } : {}), populate: (await populateFor(uid, rule)) as any })) as Row | null;

  /** A record with its first-level relations, for telling whether an update changed anything. */
  const loadState = async (uid: string, documentId: string, locale?: string) =>
    (await strapi.documents(uid as any).findOne({ documentId, ...(locale ? { locale } : {}), populate: '*' as any })) as Row | null;

  const render = (rule: Row, record: Row, uid: string): TemplateParams => {
    const value = (p: RuleParameter) =>
      p.from === 'constant'
        ? p.value ?? ''
        : p.from === 'link'
          ? `${getService('numbers', { strapi }).adminUrl()}${recordAdminPath(uid, record.documentId)}`
          : text(at(record, p.value ?? ''));
    const sorted = [...(rule.parameters ?? [])].sort((a: RuleParameter, b: RuleParameter) => (a.index ?? 0) - (b.index ?? 0));
    const param = (p: RuleParameter): TemplateParam => ({ type: 'text', text: value(p), ...(p.name ? { name: p.name } : {}) });
    const header = sorted.filter((p: RuleParameter) => p.component === 'header').map(param);
    const body = sorted.filter((p: RuleParameter) => p.component === 'body').map(param);
    const buttons = sorted.filter((p: RuleParameter) => p.component === 'button').map((p: RuleParameter) => ({ index: p.index ?? 0, subType: 'url' as const, params: [param(p)] }));
    return { ...(header.length ? { header } : {}), ...(body.length ? { body } : {}), ...(buttons.length ? { buttons } : {}) };
  };

  const fire = async (firing: Row) => {
    const finish = (data: Row) => q(UID.notificationFiring).update({ where: { id: firing.id }, data: { attempts: (firing.attempts ?? 0) + 1, ...data } });
    const rule = await q(UID.notificationRule).findOne({ where: { id: firing.ruleId } });
    if (!rule) return finish({ state: 'skipped', error: 'the rule was deleted', trace: { matched: false, reason: 'rule deleted' } });
    const refused = await refusalOf(rule);
    if (refused) return finish({ state: 'skipped', error: refused, trace: { matched: false, reason: 'the rule reads a field no rule may send' } });
    const record = firing.trace?.snapshot ?? (await loadRecord(firing.contentType, firing.recordDocumentId, rule, firing.locale));
    if (!record) return finish({ state: 'skipped', error: 'the record no longer exists', trace: { matched: false, reason: 'record gone' } });
    // The provider refuses an empty parameter only later and less clearly; say which one it is.
    const empty = (rule.parameters ?? []).find((p: RuleParameter) => p.from === 'field' && text(at(record, p.value ?? '')).trim() === '');
    if (empty) {
      const reason = `${slotName(empty)}: ${empty.value} is empty`;
      return finish({ state: 'skipped', error: reason, trace: { matched: true, reason } });
    }
    const parameters = render(rule, record, firing.contentType);
    // Which field each value came from, so a trace can be redacted for a viewer who may not read it.
    const sources = sourcesOf(rule);
    const rawPhone = rule.recipient.from === 'constant' ? rule.recipient.value : text(at(record, rule.recipient.value));
    const number = await q(UID.number).findOne({ where: { id: rule.numberId, deletedAt: null } });
    if (!number || !number.active) return finish({ state: 'failed', error: 'the rule’s number is removed or switched off', trace: { matched: true, sources, parameters, recipient: rawPhone } });
    const e164 = rawPhone ? recordE164(rawPhone, regionOf(number)) : null;
    if (!e164) return finish({ state: 'skipped', error: rawPhone ? `not a valid phone number: ${rawPhone}` : `no phone at ${rule.recipient.value}`, trace: { matched: true, sources, parameters, recipient: rawPhone || null } });
    try {
      // The outbox decides (opt-out, unreachable, template) and opens the conversation, linked to the customer's CRM record.
      const message = await getService('dispatcher', { strapi }).enqueue(
        { numberId: number.id, phone: e164, crmHint: rule.recipient.from === 'field' ? { recipientOf: { uid: firing.contentType, record, path: rule.recipient.value } } : null },
        { type: 'template', template: { name: rule.template.name, language: rule.template.language, params: parameters }, idempotencyKey: `firing:${firing.id}` },
        { id: null, source: 'notification', sourceRef: `rule:${rule.id}:firing:${firing.id}` }
      );
      return finish({ state: 'queued', messageId: message.id, error: null, trace: { matched: true, sources, parameters, recipient: e164, messageId: message.id } });
    } catch (error) {
      const refusal = error instanceof NotAdmittedError ? error.refusal : null;
      if (refusal?.reason === 'opted-out') return finish({ state: 'skipped', error: refusal.message, trace: { matched: true, reason: 'opted out', sources, parameters, recipient: e164 } });
      if (refusal?.reason === 'unreachable') return finish({ state: 'skipped', error: refusal.message, trace: { matched: true, sources, parameters, recipient: e164 } });
      const details = (error as { details?: { errors?: { message: string }[] } }).details?.errors?.map((e) => e.message).join('; ');
      return finish({ state: 'failed', error: details ? `${(error as Error).message}: ${details}` : (error as Error).message, trace: { matched: true, sources, parameters, recipient: e164 } });
    }
  };

  /** Firings for the records of a dateOffset rule whose date is `day`, a page at a time. */
  const remindOn = async (rule: Row, day: string, timeZone: string) => {
    const refused = await refusalOf(rule);
    if (refused) {
      strapi.log.warn(`[whatsapp] reminder rule ${rule.id} (${rule.name}) skipped: ${refused}`);
      return 0;
    }
    const ct = strapi.contentTypes[rule.contentType as keyof typeof strapi.contentTypes] as { attributes: Record<string, any>; options?: { draftAndPublish?: boolean } } | undefined;
    const type = ct?.attributes[rule.field]?.type;
    if (type !== 'date' && type !== 'datetime') {
      strapi.log.warn(`[whatsapp] reminder rule ${rule.id} (${rule.name}) skipped: ${rule.contentType} has no date field ${rule.field}`);
      return 0;
    }
    const filters = type === 'date' ? { [rule.field]: day } : { [rule.field]: { $gte: zoneMidnight(day, timeZone).toISOString(), $lt: zoneMidnight(addDays(day, 1), timeZone).toISOString() } };
    // findMany reads drafts unless told otherwise: a reminder is about what the business published.
    const status = ct?.options?.draftAndPublish ? { status: 'published' } : {};
    let created = 0;
    const populate = await populateFor(rule.contentType, rule);
    for (let start = 0; ; start += REMINDER_PAGE) {
      const records = (await strapi.documents(rule.contentType as any).findMany({ filters: filters as any, ...status, populate: populate as any, sort: 'id:asc', start, limit: REMINDER_PAGE } as any)) as Row[];
      const rows = records.map((r) => {
        const holds = conditionHolds(rule, r);
        return {
          ruleId: rule.id,
          contentType: rule.contentType,
          recordDocumentId: r.documentId,
          event: 'dateOffset',
          key: `${rule.id}:${r.documentId}:dateOffset:${day}`,
          state: holds ? 'pending' : 'not-matched',
          trace: holds ? null : { matched: false, reason: `condition ${JSON.stringify(rule.condition)} does not hold` },
        };
      });
      await strapi.db.transaction(async ({ trx }) => record(trx, rows));
      created += rows.length;
      if (records.length < REMINDER_PAGE) return created;
    }
  };

  const pass = async (stopped: () => boolean) => {
    for (let rows = await q(UID.notificationFiring).findMany({ where: { state: 'pending' }, orderBy: { id: 'asc' }, limit: 50 }); rows.length && !stopped(); rows = await q(UID.notificationFiring).findMany({ where: { state: 'pending' }, orderBy: { id: 'asc' }, limit: 50 })) {
      for (const firing of rows) {
        // updateMany leaves updatedAt alone: set it, it tells a claim a stopped process left behind from one in progress.
        const { count } = await q(UID.notificationFiring).updateMany({ where: { id: firing.id, state: 'pending' }, data: { state: 'queued', updatedAt: new Date() } });
        if (count !== 1) continue;
        await fire(firing).catch((error) => q(UID.notificationFiring).update({ where: { id: firing.id }, data: { state: 'failed', error: (error as Error).message } }));
      }
    }
  };
  const loop = createWorkerLoop(strapi, 'notification worker', pass, SWEEP_MS);

  /**
   * A firing claimed (`queued`) but never given its message was being sent when a process stopped:
   * it goes back to pending. Sending it again is safe: the dispatcher's idempotency key is the
   * firing's own (`firing:<id>` in its conversation), so a message already queued is found, not sent twice.
   */
  const recoverClaims = async () => {
    const { count } = await q(UID.notificationFiring).updateMany({ where: { state: 'queued', messageId: null, updatedAt: { $lt: new Date(Date.now() - STALE_CLAIM_MS) } }, data: { state: 'pending' } });
    if (count) strapi.log.warn(`[whatsapp] ${count} notification firing(s) were being sent when a process stopped; sending them again`);
  };

  const matches = (rule: Row, events: string[], record: Row, before: Row | null) => {
    if (rule.event === 'fieldChanged') {
      const event = events[0];
      if ((event !== 'updated' && event !== 'created') || !rule.field) return false;
      const changed = event === 'created' ? text(at(record, rule.field)) !== '' : !before || !same(at(before, rule.field), at(record, rule.field));
      const want = valueOf(rule.value);
      return changed && (want === undefined || want === null || same(at(record, rule.field), want));
    }
    return events.includes(rule.event);
  };

  const conditionHolds = (rule: Row, record: Row) => Object.entries(rule.condition ?? {}).every(([path, want]) => same(at(record, path), want));

  const occurrenceOf = (rule: Row, events: string[], at: unknown) => {
    const event = rule.event === 'fieldChanged' ? events[0] : rule.event;
    return event === 'created' || event === 'deleted' ? event : `${event}:${text(at ?? Date.now())}`;
  };

  /** One record is one document in one locale: `<documentId>@<locale>` on localized types. */
  const recordKey = (documentId: string, locale?: string | null) => (locale ? `${documentId}@${locale}` : documentId);

  const firingRow = (rule: Row, uid: string, documentId: string, locale: string | undefined, events: string[], current: Row): Row => {
    const holds = conditionHolds(rule, current);
    return {
      ruleId: rule.id,
      contentType: uid,
      recordDocumentId: documentId,
      locale,
      event: rule.event,
      key: `${rule.id}:${recordKey(documentId, locale)}:${rule.event}:${occurrenceOf(rule, events, current.updatedAt ?? current.publishedAt)}`,
      state: holds ? 'pending' : 'not-matched',
      // A deleted record can only be rendered from what it was.
      trace: holds ? (rule.event === 'deleted' ? { snapshot: current } : null) : { matched: false, reason: `condition ${JSON.stringify(rule.condition)} does not hold` },
    };
  };

  /** The firing of a rule that threw: kept under the key its firing would have had, so a retried write records it once. */
  const failedRow = (rule: Row, uid: string, documentId: string, locale: string | undefined, events: string[], result: Row | null, error: Error): Row => ({
    ruleId: rule.id,
    contentType: uid,
    recordDocumentId: documentId,
    locale,
    event: rule.event,
    key: `${rule.id}:${recordKey(documentId, locale)}:${rule.event}:${occurrenceOf(rule, events, result?.updatedAt ?? result?.entries?.[0]?.updatedAt)}`,
    state: 'failed',
    error: `the rule failed: ${error.message}`,
    trace: { matched: false, reason: 'rule error' },
  });

  /** Inserts firing rows in the current transaction; a duplicate key is a no-op, never an error that would abort the host's write. */
  const record = async (trx: any, rows: Row[]) => {
    for (const row of rows) {
      const now = new Date();
      await trx('whatsapp_notification_firings')
        .insert({
          document_id: `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 14)}`.slice(0, 24),
          rule_id: row.ruleId,
          content_type: row.contentType,
          record_document_id: row.recordDocumentId,
          locale: row.locale ?? null,
          event: row.event,
          key: row.key,
          state: row.state,
          trace: JSON.stringify(row.trace ?? null),
          error: row.error ?? null,
          attempts: 0,
          created_at: now,
          updated_at: now,
          published_at: now,
        })
        .onConflict('key')
        .ignore();
    }
  };

  return {
    ...loop,

    start() {
      return recoverClaims()
        .catch((error) => strapi.log.error(`[whatsapp] notification firings left behind not recovered: ${(error as Error).message}`))
        .then(() => loop.start());
    },

    /**
     * The Document Service middleware (registered in the plugin's register()). Each rule is
     * evaluated on its own: one that throws gets a `failed` firing with the error, the others still
     * fire, and the host's write goes through whatever the rules do.
     */
    middleware() {
      return async (ctx: { uid: string; action: string; params: Row }, next: () => Promise<unknown>) => {
        if (!ctx.uid.startsWith('api::') || !ACTIONS[ctx.action]) return next();
        const events = eventsOf(ctx, strapi.contentTypes[ctx.uid as keyof typeof strapi.contentTypes] as any);
        let rules: Row[];
        try {
          rules = (await activeRules()).filter((r) => r.contentType === ctx.uid && listensTo(r, events));
        } catch (error) {
          strapi.log.error(`[whatsapp] notification rules could not be read for ${ctx.uid}: ${(error as Error).message}`);
          return next();
        }
        if (!rules.length) return next();
        // On localized types each locale is a record of its own; without a locale Strapi means the default one.
        const localized = (strapi.contentTypes[ctx.uid as keyof typeof strapi.contentTypes] as any)?.pluginOptions?.i18n?.localized === true;
        const asked = localized && typeof ctx.params.locale === 'string' && ctx.params.locale !== '*' ? (ctx.params.locale as string) : undefined;
        const needsBefore = ctx.action === 'update' && rules.some((r) => r.event === 'fieldChanged' || r.event === 'updated');
        const before = needsBefore && ctx.params.documentId ? await attempt(() => loadState(ctx.uid, ctx.params.documentId, asked)) : { value: null };
        // A deleted record can only be read, and later rendered, from what it was before the delete.
        const snapshots = ctx.action === 'delete' && ctx.params.documentId ? await Promise.all(rules.map((r) => attempt(() => loadRecord(ctx.uid, ctx.params.documentId, r, asked)))) : [];

        return strapi.db.transaction(async ({ trx, onCommit }) => {
          const result = (await next()) as Row | null;
          const documentId = result?.documentId ?? ctx.params.documentId;
          if (!documentId) return result;
          const locale: string | undefined = asked ?? (localized ? result?.locale ?? result?.entries?.[0]?.locale ?? undefined : undefined);
          const after = needsBefore && !before.error ? await attempt(() => loadState(ctx.uid, documentId, locale)) : { value: null };
          const stateError = before.error ?? after.error;
          const unchanged = needsBefore && !stateError && !changedBetween(before.value, after.value);
          const rows: Row[] = [];
          for (const [i, rule] of rules.entries()) {
            if (unchanged && rule.event === 'updated') continue;
            try {
              // Recorded as skipped, with why, before anything of the record is read for it.
              const refused = await refusalOf(rule);
              if (refused) {
                rows.push({ ...failedRow(rule, ctx.uid, documentId, locale, events, result, new Error(refused)), state: 'skipped', error: refused, trace: { matched: false, reason: 'the rule reads a field no rule may send' } });
                continue;
              }
              if (stateError && (rule.event === 'updated' || rule.event === 'fieldChanged')) throw stateError;
              if (snapshots[i]?.error) throw snapshots[i].error;
              const current = ctx.action === 'delete' ? snapshots[i].value : await loadRecord(ctx.uid, documentId, rule, locale);
              const row = current && matches(rule, events, current, before.value) ? firingRow(rule, ctx.uid, documentId, locale, events, current) : null;
              if (row) rows.push(row);
            } catch (error) {
              strapi.log.error(`[whatsapp] notification rule ${rule.id} (${rule.name}) on ${ctx.uid} ${documentId}: ${(error as Error).message}`);
              rows.push(failedRow(rule, ctx.uid, documentId, locale, events, result, error as Error));
            }
          }
          try {
            // In a savepoint: on PostgreSQL a failed insert would otherwise abort the host's transaction.
            await trx.transaction((savepoint: any) => record(savepoint, rows));
            if (rows.some((r) => r.state === 'pending')) onCommit(() => loop.kick());
          } catch (error) {
            strapi.log.error(`[whatsapp] notification firings for ${ctx.uid} ${documentId} not recorded: ${(error as Error).message}`);
          }
          return result;
        });
      };
    },

    /**
     * Date-relative reminders ("3 days before dueDate"): records whose date is today minus the
     * offset get a firing, and so do yesterday's, for a record created after yesterday's last run
     * or a day whose runs did not happen. "Today" is the business's day (the business hours' time
     * zone, else UTC). Run by the cron job; the key (rule, record, date) makes a second run, or a
     * second instance, a no-op. One broken rule is logged and the others still run.
     */
    async remind(now = new Date()) {
      const rules = (await q(UID.notificationRule).findMany({ where: { active: true, event: 'dateOffset' }, orderBy: { id: 'asc' } })) as Row[];
      const timeZone = (await getService('settings', { strapi }).get()).businessHours?.timezone ?? 'UTC';
      const today = localDate(now, timeZone);
      let created = 0;
      for (const rule of rules) {
        try {
          for (const base of [today, addDays(today, -1)]) created += await remindOn(rule, addDays(base, -rule.offsetDays), timeZone);
        } catch (error) {
          strapi.log.error(`[whatsapp] reminder rule ${rule.id} (${rule.name}): ${(error as Error).message}`);
        }
      }
      if (created) loop.kick();
      return created;
    },

    async list(): Promise<NotificationRule[]> {
      return (await q(UID.notificationRule).findMany({ orderBy: { id: 'asc' } })).map(ruleOut);
    },

    async get(id: unknown) {
      const n = toId(id);
      const rule = n ? await q(UID.notificationRule).findOne({ where: { id: n } }) : null;
      if (!rule) throw new errors.NotFoundError('No notification rule with this id');
      return ruleOut(rule);
    },

    /**
     * Every problem with a rule at once, each under the form field it belongs to, so the editor
     * can show them all. The template and its parameters are checked when they are set (`template`
     * false: an update that leaves them alone, e.g. switching off a rule whose template was paused).
     */
    async check(input: Partial<NotificationRuleInput>, { template: checkTemplate = true, scope }: { template?: boolean; scope?: ReadScope } = {}) {
      const issues: { path: string[]; message: string }[] = [];
      const issue = (path: string, message: string) => {
        issues.push({ path: [path], message });
      };
      const ct = input.contentType ? (strapi.contentTypes[input.contentType as keyof typeof strapi.contentTypes] as { kind?: string; attributes: Record<string, any> } | undefined) : undefined;
      if (input.contentType && (!ct || ct.kind !== 'collectionType')) issue('contentType', `no collection type ${input.contentType} in this app`);
      for (const p of input.parameters ?? []) {
        if (p.from === 'field' && !p.value?.trim()) issue('parameters', `${slotName(p)}: choose the field it is filled from`);
        if (p.from === 'constant' && !p.value?.trim()) issue('parameters', `${slotName(p)}: enter the text to send`);
      }
      if (ct && ct.kind === 'collectionType') {
        const allowed = (await getService('settings', { strapi }).get()).notificationFields[input.contentType!];
        // Each path once: the first problem with it, under the form field it is set in.
        for (const problem of await pathIssues(strapi, input as Row, scope)) issue(problem.where, problem.message);
        for (const { path, where, sent } of boundPaths(input as Row)) {
          // A value that goes out to a phone must also be among the fields the settings allow.
          if (sent && allowed?.length && !allowed.includes(path) && !issues.some((i) => i.path[0] === where && i.message.includes(path))) issue(where, `${path} is not among the fields allowed for ${input.contentType} in the settings`);
        }
        if (input.event === 'published' && !(ct as { options?: { draftAndPublish?: boolean } }).options?.draftAndPublish) {
          issue('event', `${input.contentType} has no draft & publish, so its records are never published; choose created or updated`);
        }
      }
      if (input.event === 'fieldChanged' && !input.field) issue('field', 'a fieldChanged rule needs the field');
      if (input.event === 'dateOffset') {
        if (!input.field) issue('field', 'a dateOffset rule needs the date field');
        else if (!['date', 'datetime'].includes(ct?.attributes[input.field]?.type)) issue('field', `${input.field} is not a date field of ${input.contentType}`);
        if (input.offsetDays === undefined || input.offsetDays === null) issue('offsetDays', 'a dateOffset rule needs offsetDays (negative: days before the date)');
      }
      const number = input.numberId ? await q(UID.number).findOne({ where: { id: input.numberId, deletedAt: null } }) : null;
      if (input.numberId && !number) issue('numberId', 'no WhatsApp number with this id');
      if (number && input.recipient?.from === 'constant' && !recordE164(input.recipient.value, regionOf(number))) {
        issue('recipient', `${input.recipient.value} is not a valid phone number; use the international format, e.g. +15550001111`);
      }
      if (number && input.template && checkTemplate) {
        const { name, language } = input.template;
        const row = await q(UID.template).findOne({ where: { numberId: number.id, name, language, removedAt: null } });
        if (!row) issue('template', `this number has no template ${name} (${language}); sync templates first`);
        else if (row.status !== 'APPROVED') issue('template', `template ${name} is ${row.status}; only approved templates can be sent`);
        else {
          // What the firings will send, with empty texts: the same check a send makes.
          try {
            assertTemplateParams(row.parameterSchema ?? parameterSchemaOf(row.components ?? []), row.parameterFormat ?? 'positional', render(input as Row, { documentId: '' }, input.contentType ?? ''));
          } catch (error) {
            const details = (error as { details?: { errors?: { message: string }[] } }).details?.errors ?? [{ message: (error as Error).message }];
            for (const d of details) issue('parameters', `template ${name}: ${d.message}`);
          }
        }
      }
      if (issues.length) {
        throw new errors.ValidationError(issues.length === 1 ? issues[0].message : `${issues.length} errors occurred`, {
          errors: issues.map((i) => ({ ...i, name: 'ValidationError', value: null })),
        });
      }
    },

    /** `scope`: the author's Content Manager read scope; every field the rule reads must be theirs to read. */
    async create(input: NotificationRuleInput, scope?: ReadScope) {
      await this.check(input, { scope });
      cache = null;
      return ruleOut(await q(UID.notificationRule).create({ data: { active: true, ...ruleData(input) } }));
    },

    async update(id: unknown, input: Partial<NotificationRuleInput>, scope?: ReadScope) {
      const rule = await this.get(id);
      // Switching a rule off must work even when what it points at (number, field, template) is gone.
      const switchingOff = input.active === false && Object.keys(input).every((key) => key === 'active' || key === 'name');
      if (!switchingOff) await this.check({ ...rule, ...input }, { template: Boolean(input.template || input.parameters), scope });
      cache = null;
      return ruleOut(await q(UID.notificationRule).update({ where: { id: rule.id }, data: ruleData(input) }));
    },

    async remove(id: unknown) {
      const rule = await this.get(id);
      cache = null;
      await q(UID.notificationRule).delete({ where: { id: rule.id } });
      return rule;
    },

    /**
     * Runs a rule against a chosen record now (condition included) and answers with the trace. The
     * caller must be able to read every field the rule reads, and the record, in the Content Manager.
     */
    async testSend(id: unknown, documentId: string, scope: ReadScope): Promise<Firing> {
      const rule = await this.get(id);
      const read = memoScope(scope);
      // The record itself is checked against the caller's conditions below; related records are not, so those types must be wholly readable.
      const denied = (await pathIssues(strapi, rule, read, { recordChecked: true })).filter((i) => i.kind === 'permission');
      if (denied.length) {
        // A PolicyError is the 403 whose message Strapi passes on (a plain ForbiddenError becomes a bare "Forbidden").
        throw new errors.PolicyError(denied.map((i) => i.message).join('; '), { errors: denied.map((i) => ({ path: [i.where], message: i.message, name: 'PolicyError' })) });
      }
      const visible = await read(rule.contentType);
      const filters = visible?.filters ? { $and: [{ documentId }, visible.filters] } : { documentId };
      const found = visible ? await strapi.documents(rule.contentType as any).findFirst({ filters: filters as any, fields: ['documentId'] as any }) : null;
      const current = found ? await loadRecord(rule.contentType, documentId, rule) : null;
      if (!current) throw new errors.NotFoundError(`No ${rule.contentType} with documentId ${documentId}`);
      const holds = conditionHolds(rule, current);
      const firing = await q(UID.notificationFiring).create({
        data: { ruleId: rule.id, contentType: rule.contentType, recordDocumentId: documentId, event: 'test', key: `${rule.id}:${documentId}:test:${Date.now()}:${Math.random()}`, state: holds ? 'queued' : 'not-matched', trace: holds ? null : { matched: false, reason: `condition ${JSON.stringify(rule.condition)} does not hold` } },
      });
      if (holds) await fire(firing);
      return this.firing(firing.id, read);
    },

    async firing(id: number, scope: ReadScope): Promise<Firing> {
      const row = await q(UID.notificationFiring).findOne({ where: { id } });
      const message = row.messageId ? await q(UID.message).findOne({ where: { id: row.messageId } }) : null;
      const rule = await q(UID.notificationRule).findOne({ where: { id: row.ruleId } });
      return firingOut(strapi, row, message, rule, scope);
    },

    /** Newest first; the list page asks for one per rule, the trace view for a page (every 2 s while open: two queries, whatever the count). */
    async firings(ruleId: unknown, scope: ReadScope, limit = 200) {
      const rule = await this.get(ruleId);
      const rows = await q(UID.notificationFiring).findMany({ where: { ruleId: rule.id }, orderBy: { id: 'desc' }, limit });
      const messageIds = rows.map((r: Row) => r.messageId).filter(Boolean);
      const messages = messageIds.length ? await q(UID.message).findMany({ where: { id: { $in: messageIds } }, select: ['id', 'status', 'providerMessageId', 'errorClass', 'errorCode', 'errorText'] }) : [];
      const byId = new Map<number, Row>(messages.map((m: Row) => [m.id, m]));
      const read = memoScope(scope);
      return Promise.all(rows.map((r: Row) => firingOut(strapi, r, r.messageId ? byId.get(r.messageId) ?? null : null, rule, read)));
    },
  };
};
