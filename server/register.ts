import type { Core } from '@strapi/strapi';
import { PERMISSION_ACTIONS } from './constants';
import { getConfig } from './utils';

type MiddlewareEntry = string | { name?: string; resolve?: string; config?: Record<string, unknown> };

/**
 * Webhook signatures are computed over the exact bytes the provider sent, which Strapi's body
 * parser throws away unless `includeUnparsed` is on. Middlewares are read from config only in
 * bootstrap, so switching it on here is early enough. Opt out with `rawBody: false` and set it in
 * the host's config/middlewares instead.
 */
const enableRawBody = (strapi: Core.Strapi) => {
  if (getConfig(strapi, 'rawBody') === false) return;
  const middlewares = strapi.config.get<MiddlewareEntry[]>('middlewares', []);
  const next = middlewares.map((entry) => {
    if (entry === 'strapi::body') return { name: 'strapi::body', config: { includeUnparsed: true } };
    if (typeof entry === 'object' && entry?.name === 'strapi::body') {
      return { ...entry, config: { ...entry.config, includeUnparsed: true } };
    }
    return entry;
  });
  strapi.config.set('middlewares', next);
};

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  enableRawBody(strapi);
  await strapi.service('admin::permission').actionProvider.registerMany(PERMISSION_ACTIONS);
};
