import { isDeepStrictEqual } from 'node:util';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import {
  DEFAULT_SETTINGS,
  WEEKDAYS,
  kindLabel,
  type AutoLeadSettings,
  type BusinessHours,
  type IdentitySource,
  type Settings,
  type SettingsMeta,
  type TicketSettings,
} from '../../contracts/settings';
import { PLUGIN_ID, UID } from '../constants';
import { ownAttribute } from '../host-attributes';
import { validateSettings } from '../validation/settings';
import { getService } from '../utils';

const KEY = 'settings';

/** Settings are read for every inbound message; a short cache spares the store, and writes clear it. */
const CACHE_MS = 5_000;

type HostType = { attributes: Record<string, { type?: string; enum?: string[] }>; kind?: string };

/** `{ mon: null }` and `{}` both say closed: keep only the open days. */
const withoutClosedDays = (hours: BusinessHours | null): BusinessHours | null =>
  hours && { timezone: hours.timezone, days: Object.fromEntries(WEEKDAYS.filter((d) => hours.days[d]).map((d) => [d, hours.days[d]])) };

/** Equal as JSON, whatever the key order (a parsed request's objects are not plain enough for isDeepStrictEqual alone). */
const same = (a: unknown, b: unknown) => isDeepStrictEqual(JSON.parse(JSON.stringify(a ?? null)), JSON.parse(JSON.stringify(b ?? null)));

/** Every key present, so a source sent back as read compares equal to the stored one. */
const normalSource = (s: IdentitySource): IdentitySource => ({
  kind: s.kind,
  label: kindLabel(s),
  uid: s.uid,
  phoneField: s.phoneField,
  nameField: s.nameField ?? null,
  optOutField: s.optOutField ?? null,
});

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const store = () => strapi.store({ type: 'plugin', name: PLUGIN_ID, key: KEY });
  let cached: { value: Settings; until: number } | null = null;

  const typeOf = (uid: string) => (strapi.contentTypes as unknown as Record<string, HostType | undefined>)[uid];
  const attribute = (uid: string, name: string | null | undefined) => ownAttribute(strapi, uid, name);

  const invalid = (path: string | string[], message: string) => {
    const parts = typeof path === 'string' ? path.split('.') : path;
    return new errors.ValidationError(`${parts.join('.')}: ${message}`, { errors: [{ path: parts, message, name: 'ValidationError', value: null }] });
  };

  /**
   * A field named in settings must exist on the host type, or matching would silently find nothing.
   * Errors name the setting (`autoLead.statusField`) so the settings page can show them beside it.
   */
  const assertFields = (base: string, uid: string, fields: Record<string, string | null | undefined>) => {
    const ct = typeOf(uid);
    if (!ct || !uid.startsWith('api::')) throw invalid(`${base}.uid`, `no content type ${uid} in this app`);
    if (ct.kind !== 'collectionType') throw invalid(`${base}.uid`, `${uid} is a single type; choose a collection type`);
    for (const [key, f] of Object.entries(fields)) if (f && !attribute(uid, f)) throw invalid(`${base}.${key}`, `${uid} has no field ${f}`);
  };

  /** A status written into an enumeration must be one of its values, or every create would fail. */
  const assertEnumValue = (base: string, uid: string, field: string | null, key: string, value: string | null) => {
    const attr = attribute(uid, field);
    if (attr?.type === 'enumeration' && value && !attr.enum?.includes(value)) throw invalid(`${base}.${key}`, `must be one of ${attr.enum?.join(', ')}`);
  };

  const checkSources = (sources: IdentitySource[]) =>
    sources.forEach((s, i) => {
      assertFields(`identitySources.${i}`, s.uid, { phoneField: s.phoneField, nameField: s.nameField, optOutField: s.optOutField });
      if (s.optOutField && attribute(s.uid, s.optOutField)?.type !== 'boolean') throw invalid(`identitySources.${i}.optOutField`, `${s.uid}.${s.optOutField} must be a boolean field`);
    });
  // Switched-off auto-lead is not checked: it writes nothing.
  const checkAutoLead = (a: AutoLeadSettings | null) => {
    if (!a?.enabled) return;
    const { nameField, phoneField, statusField, sourceField, assigneeField } = a;
    assertFields('autoLead', a.uid, { nameField, phoneField, statusField, sourceField, assigneeField });
    assertEnumValue('autoLead', a.uid, statusField, 'status', a.status);
  };
  const checkTicket = (t: TicketSettings | null) => {
    if (!t) return;
    const { subjectField, descriptionField, statusField, conversationField } = t;
    assertFields('ticket', t.uid, { subjectField, descriptionField, statusField, conversationField });
    assertEnumValue('ticket', t.uid, statusField, 'status', t.status);
  };
  const checkNotificationFields = (limits: Record<string, string[]>) => {
    for (const [uid, paths] of Object.entries(limits)) {
      // The uid holds dots of its own: the path keeps it whole.
      if (!typeOf(uid)) throw invalid(['notificationFields', uid], `no content type ${uid} in this app`);
      const unknown = paths.filter((path) => !attribute(uid, path.split('.')[0]));
      if (unknown.length) throw invalid(['notificationFields', uid], `${uid} has no field ${unknown.join(', ')}`);
    }
  };

  /** The example CRM's defaults, kept only where the host app has the type and its fields. */
  const defaults = () => {
    const optional = (uid: string, f: string | null | undefined) => (f && attribute(uid, f) ? f : null);
    const identitySources = DEFAULT_SETTINGS.identitySources
      .filter((s) => typeOf(s.uid) && attribute(s.uid, s.phoneField))
      .map((s) => ({ ...s, nameField: optional(s.uid, s.nameField), optOutField: attribute(s.uid, s.optOutField)?.type === 'boolean' ? s.optOutField : null }));
    const a = DEFAULT_SETTINGS.autoLead!;
    const autoLead = typeOf(a.uid) && attribute(a.uid, a.nameField) && attribute(a.uid, a.phoneField)
      ? { ...a, statusField: optional(a.uid, a.statusField), sourceField: optional(a.uid, a.sourceField) }
      : null;
    const t = DEFAULT_SETTINGS.ticket!;
    const ticket = typeOf(t.uid) && attribute(t.uid, t.subjectField)
      ? { ...t, descriptionField: optional(t.uid, t.descriptionField), statusField: optional(t.uid, t.statusField), conversationField: optional(t.uid, t.conversationField) }
      : null;
    return { identitySources, autoLead, ticket };
  };

  /** Each stored section checked on its own; what no longer fits the app is reported, not refused. */
  const problems = (s: Settings): SettingsMeta['problems'] => {
    const found: SettingsMeta['problems'] = [];
    for (const check of [() => checkSources(s.identitySources), () => checkAutoLead(s.autoLead), () => checkTicket(s.ticket), () => checkNotificationFields(s.notificationFields)]) {
      try {
        check();
      } catch (error) {
        if (!(error instanceof errors.ValidationError)) throw error;
        for (const e of (error.details as { errors: { path: string[]; message: string }[] }).errors) found.push({ path: e.path, message: e.message });
      }
    }
    return found;
  };

  let rematching: Promise<unknown> = Promise.resolve();

  return {
    async get(): Promise<Settings> {
      if (cached && cached.until > Date.now()) return structuredClone(cached.value);
      const stored = ((await store().get({})) ?? {}) as Partial<Settings>;
      const fitted = defaults();
      const section = <T>(value: T | null | undefined, base: T, fallback: T | null): T | null =>
        value === null ? null : value ? { ...base, ...value } : fallback;
      const value: Settings = {
        ...DEFAULT_SETTINGS,
        ...stored,
        identitySources: (stored.identitySources ?? fitted.identitySources).map(normalSource),
        autoLead: section(stored.autoLead, DEFAULT_SETTINGS.autoLead!, fitted.autoLead),
        ticket: section(stored.ticket, DEFAULT_SETTINGS.ticket!, fitted.ticket),
      };
      cached = { value, until: Date.now() + CACHE_MS };
      return structuredClone(value);
    },

    /** Whether identity still needs setting up, the app's types that could be sources, and what no longer fits. */
    async meta(settings?: Settings): Promise<SettingsMeta> {
      const s = settings ?? (await this.get());
      return { needsSetup: s.identitySources.length === 0, suggestions: getService('host-schema', { strapi }).suggestedSources(s.identitySources), problems: problems(s) };
    },

    /** The default number for outgoing messages, when it is still there and switched on. */
    async defaultNumberId(): Promise<number | null> {
      const { defaultNumberId } = await this.get();
      if (!defaultNumberId) return null;
      const number = await strapi.db.query(UID.number).findOne({ where: { id: defaultNumberId, deletedAt: null, active: true }, select: ['id'] });
      return number ? defaultNumberId : null;
    },

    /**
     * Saves the sections sent, each validated on its own. A section sent as it is stored is not
     * checked again, so a GET put straight back is accepted even when a type has gone since (GET's
     * `meta.problems` reports it); a changed section is checked whole against the app.
     */
    async update(body: unknown): Promise<Settings> {
      const input = (await validateSettings(body)) as Partial<Settings>;
      const current = await this.get();
      const next = structuredClone(current);
      if (input.identitySources) {
        next.identitySources = input.identitySources.map(normalSource);
        if (!same(next.identitySources, current.identitySources)) checkSources(next.identitySources);
      }
      if (input.autoLead !== undefined) {
        next.autoLead = input.autoLead && { ...(current.autoLead ?? DEFAULT_SETTINGS.autoLead!), ...input.autoLead };
        if (!same(next.autoLead, current.autoLead)) checkAutoLead(next.autoLead);
      }
      if (input.ticket !== undefined) {
        next.ticket = input.ticket && { ...(current.ticket ?? DEFAULT_SETTINGS.ticket!), ...input.ticket };
        if (!same(next.ticket, current.ticket)) checkTicket(next.ticket);
      }
      if (input.defaultNumberId !== undefined) next.defaultNumberId = input.defaultNumberId;
      if (input.notificationFields) {
        // An empty list is "no limit" for that type, as the settings page shows it.
        next.notificationFields = Object.fromEntries(Object.entries(input.notificationFields).filter(([, paths]) => paths.length));
        if (!same(next.notificationFields, current.notificationFields)) checkNotificationFields(next.notificationFields);
      }
      if (input.businessHours !== undefined) next.businessHours = withoutClosedDays(input.businessHours);
      if (input.outOfHoursReply !== undefined) next.outOfHoursReply = input.outOfHoursReply?.trim() || null;
      if (input.consentKeywords) next.consentKeywords = input.consentKeywords;
      if (input.consentReplies) next.consentReplies = { optOut: input.consentReplies.optOut?.trim() || null, optIn: input.consentReplies.optIn?.trim() || null };
      if (input.requireMarketingOptIn !== undefined) next.requireMarketingOptIn = input.requireMarketingOptIn;

      if (input.defaultNumberId) {
        const number = await strapi.db.query(UID.number).findOne({ where: { id: input.defaultNumberId, deletedAt: null }, select: ['id'] });
        if (!number) throw invalid('defaultNumberId', 'no WhatsApp number with this id');
      }
      if (input.autoLead?.assigneeId) {
        const user = await strapi.db.query('admin::user').findOne({ where: { id: input.autoLead.assigneeId, isActive: true }, select: ['id'] });
        if (!user) throw invalid('autoLead.assigneeId', 'no active admin user with this id');
      }

      await store().set({ value: next });
      cached = null;
      if (!same(next.identitySources, current.identitySources)) {
        // Waiting conversations are matched again under the new sources, without holding the answer.
        const before = current.identitySources;
        rematching = rematching.then(() => getService('crm-links', { strapi }).rematch(before)).catch((error: Error) => strapi.log.error(`[whatsapp] re-matching conversations: ${error.message}`));
      }
      return next;
    },

    /** Drops the cached copy, for when the store was written by other means (a migration, a test). */
    forget() {
      cached = null;
    },

    /** Resolves when the re-matching started by identity changes so far has finished. */
    rematched: () => rematching,
  };
};
