import type { Core } from '@strapi/strapi';
import { getService } from '../utils';

const UNPARSED = Symbol.for('unparsedBody');
const READ_LIMIT = 8 * 1024 * 1024;

/** The body's exact bytes: kept by Strapi's parser for JSON, or read here for other content types. */
const rawBodyOf = async (ctx: any): Promise<string | Buffer | null> => {
  const parsed = ctx.request.body;
  if (parsed && typeof parsed === 'object' && typeof parsed[UNPARSED] === 'string') return parsed[UNPARSED];
  if (ctx.request.rawBody !== undefined) return ctx.request.rawBody;
  if (typeof parsed === 'string') return parsed;
  if (!ctx.req.readable || ctx.req.readableEnded) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += chunk.length;
    if (size > READ_LIMIT) throw Object.assign(new Error(`over ${READ_LIMIT} bytes`), { status: 413 });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
};

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async handshake(ctx: any) {
    const answer = await getService('webhooks', { strapi }).handshake(ctx.params.numberKey, ctx.query ?? {});
    ctx.status = answer.status;
    ctx.type = 'text/plain';
    ctx.body = answer.body;
  },

  async receive(ctx: any) {
    let raw: string | Buffer | null = null;
    let bodyError = ctx.state.whatsappBodyError ?? null;
    if (!bodyError) {
      try {
        raw = await rawBodyOf(ctx);
      } catch (error) {
        bodyError = { status: (error as { status?: number }).status ?? 400, message: (error as Error).message };
      }
    }
    const answer = await getService('webhooks', { strapi }).receive({
      key: ctx.params.numberKey,
      raw,
      headers: ctx.request.headers,
      bodyError,
    });
    ctx.status = answer.status;
    ctx.body = answer.body;
  },
});
