import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import type { ApiCall, ProviderContext } from '../providers';
import { originOf } from '../providers/media-fetch';
import { getConfig } from '../utils';
import type { NumberRow } from './numbers';

/**
 * What adapters need from the plugin for one number: the provider's base URL (configurable, so
 * tests and the demo use the simulator) and an API-log writer. Log rows are written without
 * waiting: a slow log must never slow a send.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  contextFor(number: Pick<NumberRow, 'id' | 'provider'>): ProviderContext {
    const providers = getConfig(strapi, 'providers') ?? {};
    const settings = providers[number.provider] ?? {};
    const media = getConfig(strapi, 'media') ?? {};
    return {
      baseUrl: String(settings.baseUrl ?? '').replace(/\/+$/, ''),
      // Only the configured provider origins may be private (the simulator in tests and the demo); matched exactly.
      media: { allowedOrigins: Object.values(providers).map((p) => originOf(p?.baseUrl)).filter((o): o is string => Boolean(o)), maxBytes: media.maxBytes, deadlineMs: media.deadlineMs },
      graphVersion: number.provider === 'meta' ? providers.meta?.graphVersion : undefined,
      timeoutMs: 15_000,
      log: (entry: ApiCall) => {
        strapi.db
          .query(UID.apiLog)
          .create({ data: { ...entry, numberId: number.id } })
          .catch((error: Error) => strapi.log.warn(`[whatsapp] could not write the API log: ${error.message}`));
      },
    };
  },
});
