import type { Core } from '@strapi/strapi';
import { getService } from '../utils';

/**
 * A message's file for staff: served so that nothing in it can run on the CRM's origin (no
 * sniffing, a sandboxing CSP) and saved rather than shown unless a browser shows its type inline.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async download(ctx: any) {
    const file = await getService('media-access', { strapi }).open(ctx.state.user, ctx.params.id);
    ctx.attachment(file.filename, { type: file.inline ? 'inline' : 'attachment' });
    ctx.type = file.mime;
    if (file.size !== null) ctx.length = file.size;
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Content-Security-Policy', "default-src 'none'; sandbox");
    ctx.set('Cache-Control', 'private, no-store');
    ctx.set('Cross-Origin-Resource-Policy', 'same-origin');
    ctx.body = file.body;
  },
});
