import type { Core } from '@strapi/strapi';
import { PERMISSION_ACTIONS } from './constants';
import { getConfig, getService } from './utils';
import { consentFieldMiddleware } from './consent-field';

type MiddlewareEntry = string | { name?: string; resolve?: string; config?: Record<string, unknown> };

export const WEBHOOK_BODY_MIDDLEWARE = 'plugin::whatsapp.webhook-body';

/**
 * Webhook signatures are computed over the exact bytes the provider sent, and Meta's batches reach
 * 3 MB. The plugin's own middleware, placed just before `strapi::body`, reads those bytes on the
 * webhook routes only (see middlewares/webhook-body.ts), so `strapi::body` and its limits stay as
 * the host configured them. Middlewares are read from config only in bootstrap, so inserting the
 * entry here is early enough. With `rawBody: false` the middleware only keeps the webhook URL's key
 * out of the request log, and the host's `strapi::body` (with `includeUnparsed`) provides the bytes.
 */
const insertWebhookBody = (strapi: Core.Strapi) => {
  const middlewares = strapi.config.get<MiddlewareEntry[]>('middlewares', []);
  const isBody = (entry: MiddlewareEntry) => entry === 'strapi::body' || (typeof entry === 'object' && entry?.name === 'strapi::body');
  const isOurs = (entry: MiddlewareEntry) => typeof entry === 'object' && entry?.name === WEBHOOK_BODY_MIDDLEWARE;
  if (middlewares.some(isOurs)) return;
  const entry = { name: WEBHOOK_BODY_MIDDLEWARE, config: { readBody: getConfig(strapi, 'rawBody') !== false } };
  const at = middlewares.findIndex(isBody);
  strapi.config.set('middlewares', at === -1 ? [...middlewares, entry] : [...middlewares.slice(0, at), entry, ...middlewares.slice(at)]);
};

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  insertWebhookBody(strapi);
  // Outermost, so it sees the host's write after it committed: conversations follow CRM edits.
  strapi.documents.use(getService('crm-links', { strapi }).middleware() as any);
  // CRM events: firing rows are written inside the host's own write (see server/notifications/middleware).
  strapi.documents.use(getService('notifications', { strapi }).middleware() as any);
  // The CRM's opt-out field, changed by staff, becomes the customer's consent (after the write committed).
  strapi.documents.use(consentFieldMiddleware(strapi) as any);
  // Collection knowledge sources re-index when their type's records change (after the write committed).
  strapi.documents.use(getService('assistant-knowledge', { strapi }).middleware() as any);
  await strapi.service('admin::permission').actionProvider.registerMany(PERMISSION_ACTIONS);
};
