import type { Core } from '@strapi/strapi';
import { PERMISSION_ACTIONS, WEBHOOK_PATH } from './constants';
import { getConfig, getService } from './utils';

type MiddlewareEntry = string | { name?: string; resolve?: string; config?: Record<string, unknown> };

/** Meta batches up to 3 MB into one webhook; Strapi's default JSON limit is 1 MB. */
const WEBHOOK_JSON_LIMIT = '4mb';

/**
 * Webhook signatures are computed over the exact bytes the provider sent, which Strapi's body
 * parser throws away unless `includeUnparsed` is on. A body the parser cannot read (bad JSON, too
 * large) must still reach the webhook route, which answers it with a reason and a log row, so the
 * parser's errors on that path are handed over instead of thrown. Middlewares are read from config
 * only in bootstrap, so rewriting the entry here is early enough. Opt out with `rawBody: false`.
 */
const enableRawBody = (strapi: Core.Strapi) => {
  if (getConfig(strapi, 'rawBody') === false) return;
  const webhookPrefix = `${strapi.config.get('api.rest.prefix', '/api')}${WEBHOOK_PATH.replace(/^\/api/, '')}/`;
  const adjust = (config: Record<string, any> = {}) => {
    const hostOnError = config.onError;
    return {
      ...config,
      includeUnparsed: true,
      jsonLimit: config.jsonLimit ?? WEBHOOK_JSON_LIMIT,
      onError(error: Error & { status?: number }, ctx: any) {
        if (typeof ctx.path === 'string' && ctx.path.startsWith(webhookPrefix)) {
          ctx.state.whatsappBodyError = { status: error.status ?? 400, message: error.message };
          return;
        }
        if (typeof hostOnError === 'function') return hostOnError(error, ctx);
        throw error;
      },
    };
  };
  const middlewares = strapi.config.get<MiddlewareEntry[]>('middlewares', []);
  const next = middlewares.map((entry) => {
    if (entry === 'strapi::body') return { name: 'strapi::body', config: adjust() };
    if (typeof entry === 'object' && entry?.name === 'strapi::body') return { ...entry, config: adjust(entry.config) };
    return entry;
  });
  strapi.config.set('middlewares', next);
};

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  enableRawBody(strapi);
  // Outermost, so it sees the host's write after it committed: conversations follow CRM edits.
  strapi.documents.use(getService('crm-links', { strapi }).middleware() as any);
  // CRM events: firing rows are written inside the host's own write (see services/notifications).
  strapi.documents.use(getService('notifications', { strapi }).middleware() as any);
  await strapi.service('admin::permission').actionProvider.registerMany(PERMISSION_ACTIONS);
};
