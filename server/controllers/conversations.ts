import type { Core } from '@strapi/strapi';
import type { ReplyRequest } from '../../contracts/inbox';
import { getService } from '../utils';
import { validateConversationQuery, validateReply } from '../validation/inbox';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const inbox = () => getService('inbox', { strapi });
  return {
    async find(ctx: any) {
      ctx.body = await inbox().list(ctx.state.user, await validateConversationQuery(ctx.query ?? {}));
    },
    async findOne(ctx: any) {
      ctx.body = { data: await inbox().get(ctx.state.user, ctx.params.id) };
    },
    async messages(ctx: any) {
      ctx.body = await inbox().messages(ctx.state.user, ctx.params.id, ctx.query ?? {});
    },
    async reply(ctx: any) {
      const body = (await validateReply(ctx.request.body)) as ReplyRequest;
      ctx.created({ data: await inbox().reply(ctx.state.user, ctx.params.id, body) });
    },
  };
};
