import type { Core } from '@strapi/strapi';
import type { WebhookBody } from '../middlewares/webhook-body';
import { getService } from '../utils';

const UNPARSED = Symbol.for('unparsedBody');

/**
 * The body's exact bytes: read by the plugin's webhook-body middleware, or (with `rawBody: false`)
 * kept by the host's `strapi::body` with `includeUnparsed`.
 */
const bodyOf = (ctx: any): WebhookBody => {
  const read: WebhookBody | undefined = ctx.state.whatsappWebhookBody;
  if (read) return read;
  const parsed = ctx.request.body;
  const contentType = ctx.request.headers['content-type'];
  if (parsed && typeof parsed === 'object' && typeof parsed[UNPARSED] === 'string') return { raw: Buffer.from(parsed[UNPARSED], 'utf8'), contentType, error: null };
  if (typeof parsed === 'string') return { raw: Buffer.from(parsed, 'utf8'), contentType, error: null };
  return { raw: null, contentType, error: { status: 400, message: 'the body was not kept: switch on includeUnparsed for strapi::body, or leave rawBody on' } };
};

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async handshake(ctx: any) {
    const answer = await getService('webhooks', { strapi }).handshake(ctx.params.numberKey, ctx.query ?? {});
    ctx.status = answer.status;
    ctx.type = 'text/plain';
    ctx.body = answer.body;
  },

  async receive(ctx: any) {
    const body = bodyOf(ctx);
    // Counted in flight from here: on SQLite the inbound worker gives way to calls being answered.
    const answer = await getService('inbound', { strapi }).acknowledging(
      getService('webhooks', { strapi }).receive({
        key: ctx.params.numberKey,
        raw: body.raw,
        headers: { ...ctx.request.headers, 'content-type': body.contentType },
        bodyError: body.error,
      })
    );
    ctx.status = answer.status;
    if (answer.retryAfter) ctx.set('Retry-After', String(answer.retryAfter));
    ctx.body = answer.body;
  },
});
