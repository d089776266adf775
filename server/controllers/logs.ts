import type { Core } from '@strapi/strapi';
import { getService } from '../utils';
import { validateListQuery, validateReplayRange } from '../validation/logs';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const logs = () => getService('logs', { strapi });
  return {
    async webhooks(ctx: any) {
      ctx.body = await logs().webhooks(ctx.state.user, await validateListQuery(ctx.query ?? {}));
    },
    async webhook(ctx: any) {
      ctx.body = { data: await logs().webhook(ctx.state.user, ctx.params.id) };
    },
    async replay(ctx: any) {
      ctx.body = { data: await logs().replay(ctx.state.user, ctx.params.id) };
    },
    async replayRange(ctx: any) {
      ctx.body = { data: await logs().replayRange(ctx.state.user, await validateReplayRange(ctx.request.body)) };
    },
    async apiCalls(ctx: any) {
      ctx.body = await logs().apiCalls(ctx.state.user, await validateListQuery(ctx.query ?? {}));
    },
  };
};
