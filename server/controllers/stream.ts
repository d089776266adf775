import type { Core } from '@strapi/strapi';
import { getService } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const stream = () => getService('stream', { strapi });
  return {
    /** `GET /whatsapp/stream` with the admin bearer token (fetch-based clients such as the admin panel). */
    async open(ctx: any) {
      await stream().open(ctx, ctx.state.user, ctx.get('last-event-id') || undefined);
    },
    /** `POST /whatsapp/stream/ticket`: a single-use, one-minute ticket for an EventSource. */
    async ticket(ctx: any) {
      ctx.body = { data: await stream().issueTicket(ctx.state.user) };
    },
    /** `GET /api/whatsapp/stream?ticket=…`: the EventSource way in (it cannot send headers). */
    async openWithTicket(ctx: any) {
      const user = await stream().redeemTicket(ctx.query.ticket);
      await stream().open(ctx, user, ctx.get('last-event-id') || ctx.query.lastEventId || undefined);
    },
  };
};
