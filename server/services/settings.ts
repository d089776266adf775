import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { DEFAULT_SETTINGS, type Settings } from '../../contracts/settings';
import { PLUGIN_ID } from '../constants';
import { validateSettings } from '../validation/settings';

const KEY = 'settings';

/** Settings are read for every inbound message; a short cache spares the store, and writes clear it. */
const CACHE_MS = 5_000;

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const store = () => strapi.store({ type: 'plugin', name: PLUGIN_ID, key: KEY });
  let cached: { value: Settings; until: number } | null = null;

  /** A field named in settings must exist on the host type, or matching would silently find nothing. */
  const assertFields = (uid: string, fields: (string | null | undefined)[], path: string) => {
    const ct = strapi.contentTypes[uid as keyof typeof strapi.contentTypes] as { attributes: Record<string, unknown> } | undefined;
    const fail = (message: string) => {
      throw new errors.ValidationError(message, { errors: [{ path: path.split('.'), message, name: 'ValidationError', value: null }] });
    };
    if (!ct) fail(`${path}: no content type ${uid} in this app`);
    for (const f of fields) if (f && !(f in ct!.attributes)) fail(`${path}: ${uid} has no field ${f}`);
  };

  const assertBoolean = (uid: string, name: string | null | undefined, path: string) => {
    const attribute = (strapi.contentTypes[uid as keyof typeof strapi.contentTypes] as { attributes: Record<string, { type?: string }> } | undefined)?.attributes[name ?? ''];
    if (name && attribute?.type !== 'boolean') {
      const message = `${path}.optOutField: ${uid}.${name} must be a boolean field`;
      throw new errors.ValidationError(message, { errors: [{ path: [...path.split('.'), 'optOutField'], message, name: 'ValidationError', value: null }] });
    }
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

    async update(body: unknown): Promise<Settings> {
      const input = (await validateSettings(body)) as Partial<Settings>;
      const next = await this.get();
      if (input.identitySources) next.identitySources = input.identitySources;
      if (input.autoLead) next.autoLead = { ...next.autoLead, ...input.autoLead };
      if (input.ticket) next.ticket = { ...next.ticket, ...input.ticket };
      if (input.defaultNumberId !== undefined) next.defaultNumberId = input.defaultNumberId;
      if (input.notificationFields) next.notificationFields = input.notificationFields;

      next.identitySources.forEach((s, i) => {
        assertFields(s.uid, [s.phoneField, s.nameField, s.optOutField], `identitySources.${i}`);
        assertBoolean(s.uid, s.optOutField, `identitySources.${i}`);
      });
      const a = next.autoLead;
      if (a.enabled) assertFields(a.uid, [a.nameField, a.phoneField, a.statusField, a.sourceField, a.assigneeField], 'autoLead');
      await store().set({ value: next });
      cached = null;
      return next;
    },
  };
};
