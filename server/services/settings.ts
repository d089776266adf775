import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { DEFAULT_SETTINGS, WEEKDAYS, type BusinessHours, type Settings } from '../../contracts/settings';
import { PLUGIN_ID, UID } from '../constants';
import { ownAttribute } from '../host-attributes';
import { validateSettings } from '../validation/settings';

const KEY = 'settings';

/** Settings are read for every inbound message; a short cache spares the store, and writes clear it. */
const CACHE_MS = 5_000;

/** `{ mon: null }` and `{}` both say closed: keep only the open days. */
const withoutClosedDays = (hours: BusinessHours | null): BusinessHours | null =>
  hours && { timezone: hours.timezone, days: Object.fromEntries(WEEKDAYS.filter((d) => hours.days[d]).map((d) => [d, hours.days[d]])) };

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const store = () => strapi.store({ type: 'plugin', name: PLUGIN_ID, key: KEY });
  let cached: { value: Settings; until: number } | null = null;

  const invalid = (path: string | string[], message: string) => {
    const parts = typeof path === 'string' ? path.split('.') : path;
    return new errors.ValidationError(`${parts.join('.')}: ${message}`, { errors: [{ path: parts, message, name: 'ValidationError', value: null }] });
  };

  /**
   * A field named in settings must exist on the host type, or matching would silently find nothing.
   * Errors name the setting (`autoLead.statusField`) so the settings page can show them beside it.
   */
  const assertFields = (base: string, uid: string, fields: Record<string, string | null | undefined>) => {
    const ct = strapi.contentTypes[uid as keyof typeof strapi.contentTypes] as { attributes: Record<string, unknown>; kind?: string } | undefined;
    if (!ct || !uid.startsWith('api::')) throw invalid(`${base}.uid`, `no content type ${uid} in this app`);
    if (ct.kind !== 'collectionType') throw invalid(`${base}.uid`, `${uid} is a single type; choose a collection type`);
    for (const [key, f] of Object.entries(fields)) if (f && !ownAttribute(strapi, uid, f)) throw invalid(`${base}.${key}`, `${uid} has no field ${f}`);
  };

  /** A status written into an enumeration must be one of its values, or every create would fail. */
  const assertEnumValue = (base: string, uid: string, field: string | null, key: string, value: string | null) => {
    const attr = ownAttribute(strapi, uid, field);
    if (attr?.type === 'enumeration' && value && !attr.enum.includes(value)) {
      throw invalid(`${base}.${key}`, `must be one of ${attr.enum.join(', ')}`);
    }
  };

  const assertBoolean = (uid: string, name: string | null | undefined, path: string) => {
    const attribute = ownAttribute(strapi, uid, name);
    if (name && attribute?.type !== 'boolean') throw invalid(`${path}.optOutField`, `${uid}.${name} must be a boolean field`);
  };

  return {
    async get(): Promise<Settings> {
      if (cached && cached.until > Date.now()) return structuredClone(cached.value);
      const stored = ((await store().get({})) ?? {}) as Partial<Settings>;
      const value: Settings = {
        ...DEFAULT_SETTINGS,
        ...stored,
        autoLead: { ...DEFAULT_SETTINGS.autoLead, ...stored.autoLead },
        ticket: { ...DEFAULT_SETTINGS.ticket, ...stored.ticket },
      };
      cached = { value, until: Date.now() + CACHE_MS };
      return structuredClone(value);
    },

    /** The default number for outgoing messages, when it is still there and switched on. */
    async defaultNumberId(): Promise<number | null> {
      const { defaultNumberId } = await this.get();
      if (!defaultNumberId) return null;
      const number = await strapi.db.query(UID.number).findOne({ where: { id: defaultNumberId, deletedAt: null, active: true }, select: ['id'] });
      return number ? defaultNumberId : null;
    },

    async update(body: unknown): Promise<Settings> {
      const input = (await validateSettings(body)) as Partial<Settings>;
      const next = await this.get();
      if (input.identitySources) next.identitySources = input.identitySources;
      if (input.autoLead) next.autoLead = { ...next.autoLead, ...input.autoLead };
      if (input.ticket) next.ticket = { ...next.ticket, ...input.ticket };
      if (input.defaultNumberId !== undefined) next.defaultNumberId = input.defaultNumberId;
      if (input.notificationFields) {
        // An empty list is "no limit" for that type, as the settings page shows it.
        next.notificationFields = Object.fromEntries(Object.entries(input.notificationFields).filter(([, paths]) => paths.length));
        for (const [uid, paths] of Object.entries(next.notificationFields)) {
          const ct = strapi.contentTypes[uid as keyof typeof strapi.contentTypes] as { attributes: Record<string, unknown> } | undefined;
          // The uid holds dots of its own: the path keeps it whole.
          if (!ct) throw invalid(['notificationFields', uid], `no content type ${uid} in this app`);
          const unknown = paths.filter((path) => !ownAttribute(strapi, uid, path.split('.')[0]));
          if (unknown.length) throw invalid(['notificationFields', uid], `${uid} has no field ${unknown.join(', ')}`);
        }
      }
      if (input.businessHours !== undefined) next.businessHours = withoutClosedDays(input.businessHours);
      if (input.outOfHoursReply !== undefined) next.outOfHoursReply = input.outOfHoursReply?.trim() || null;

      if (input.defaultNumberId) {
        const number = await strapi.db.query(UID.number).findOne({ where: { id: input.defaultNumberId, deletedAt: null }, select: ['id'] });
        if (!number) throw invalid('defaultNumberId', 'no WhatsApp number with this id');
      }

      if (input.autoLead?.assigneeId) {
        const user = await strapi.db.query('admin::user').findOne({ where: { id: input.autoLead.assigneeId, isActive: true }, select: ['id'] });
        if (!user) throw invalid('autoLead.assigneeId', 'no active admin user with this id');
      }

      next.identitySources.forEach((s, i) => {
        assertFields(`identitySources.${i}`, s.uid, { phoneField: s.phoneField, nameField: s.nameField, optOutField: s.optOutField });
        assertBoolean(s.uid, s.optOutField, `identitySources.${i}`);
      });
      const a = next.autoLead;
      if (a.enabled) {
        const { nameField, phoneField, statusField, sourceField, assigneeField } = a;
        assertFields('autoLead', a.uid, { nameField, phoneField, statusField, sourceField, assigneeField });
        assertEnumValue('autoLead', a.uid, statusField, 'status', a.status);
      }
      // Only checked when sent: an app without a ticket type can still save its other settings.
      const tk = next.ticket;
      if (input.ticket) {
        const { subjectField, descriptionField, statusField, conversationField } = tk;
        assertFields('ticket', tk.uid, { subjectField, descriptionField, statusField, conversationField });
        assertEnumValue('ticket', tk.uid, statusField, 'status', tk.status);
      }
      await store().set({ value: next });
      cached = null;
      return next;
    },
  };
};
