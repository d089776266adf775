/** The webhook routes' own middleware: exact bytes for signatures under a 4 MB limit the host's other routes do not get, and the URL key kept out of the request log. */
import type { Core } from '@strapi/strapi';
import { REJECTED_BODY_KEPT_BYTES, WEBHOOK_PATH } from '../constants';

/** Meta batches up to 3 MB into one webhook; Strapi's default JSON limit (1 MB) stays the host's for every other route. */
export const WEBHOOK_BODY_LIMIT = 4 * 1024 * 1024;

/** What this middleware hands the webhook controller: the exact bytes, or why they could not be read. */
export interface WebhookBody {
  raw: Buffer | null;
  contentType: string | undefined;
  error: { status: number; message: string } | null;
}

export const webhookPrefix = (strapi: Core.Strapi) => `${strapi.config.get('api.rest.prefix', '/api')}${WEBHOOK_PATH.replace(/^\/api/, '')}/`;

const readRaw = async (ctx: any): Promise<WebhookBody> => {
  const contentType = ctx.req.headers['content-type'];
  const declared = Number(ctx.req.headers['content-length']);
  if (Number.isFinite(declared) && declared > WEBHOOK_BODY_LIMIT) {
    return { raw: null, contentType, error: { status: 413, message: `${declared} bytes declared, over ${WEBHOOK_BODY_LIMIT}` } };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of ctx.req) {
      size += chunk.length;
      if (size > WEBHOOK_BODY_LIMIT) {
        const head = Buffer.concat(chunks).subarray(0, REJECTED_BODY_KEPT_BYTES);
        return { raw: head, contentType, error: { status: 413, message: `over ${WEBHOOK_BODY_LIMIT} bytes` } };
      }
      chunks.push(chunk);
    }
  } catch (error) {
    return { raw: null, contentType, error: { status: 400, message: `the body could not be read: ${(error as Error).message}` } };
  }
  return { raw: Buffer.concat(chunks), contentType, error: null };
};

/**
 * Runs just before `strapi::body`, on the plugin's webhook routes only. It reads a POST's exact bytes
 * itself (signatures are computed over them) with the webhook limit, then hides the consumed body
 * from `strapi::body`, so the host's parser keeps its own limits everywhere else. On the way out it
 * replaces the URL's key and query with placeholders: `strapi::logger` logs `ctx.url` after the
 * route answered, and the key (and Meta's verify token) are credentials.
 */
export default (config: { readBody?: boolean } | undefined, { strapi }: { strapi: Core.Strapi }) => {
  const prefix = webhookPrefix(strapi);
  const readBody = config?.readBody !== false;
  return async (ctx: any, next: () => Promise<void>) => {
    // The router matches paths whatever their case (`/API/WhatsApp/...` reaches the webhook too), so this must as well.
    if (typeof ctx.path !== 'string' || !ctx.path.toLowerCase().startsWith(prefix.toLowerCase())) return next();
    if (readBody && ctx.method === 'POST') {
      ctx.state.whatsappWebhookBody = await readRaw(ctx);
      delete ctx.req.headers['content-type'];
    }
    try {
      await next();
    } finally {
      ctx.url = `${prefix}:numberKey${ctx.querystring ? '?[redacted]' : ''}`;
    }
  };
};
