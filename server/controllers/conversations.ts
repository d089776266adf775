import type { Core } from '@strapi/strapi';
import type { MessagesQuery, ReplyRequest } from '../../contracts/inbox';
import { contentManagerScope } from '../content-manager-scope';
import { getService } from '../utils';
import { validateAssign, validateAssigneesQuery, validateConversationQuery, validateMessagesQuery, validateReply, validateStart, validateTicket } from '../validation/inbox';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const inbox = () => getService('inbox', { strapi });
  // The caller, with what they may read of the host's records: CRM names and summaries follow the Content Manager.
  const viewer = (ctx: any) => ({ ...ctx.state.user, scope: contentManagerScope(strapi, ctx.state.userAbility) });
  return {
    async find(ctx: any) {
      ctx.body = await inbox().list(viewer(ctx), await validateConversationQuery(ctx.query ?? {}));
    },
    async findOne(ctx: any) {
      ctx.body = { data: await inbox().get(viewer(ctx), ctx.params.id) };
    },
    async messages(ctx: any) {
      ctx.body = await inbox().messages(ctx.state.user, ctx.params.id, (await validateMessagesQuery(ctx.query ?? {})) as MessagesQuery);
    },
    async start(ctx: any) {
      ctx.created({ data: await inbox().start(viewer(ctx), (await validateStart(ctx.request.body)) as any) });
    },
    async assignees(ctx: any) {
      const { numberId } = (await validateAssigneesQuery(ctx.query ?? {})) as { numberId?: string };
      ctx.body = { data: await inbox().assignees(ctx.state.user, numberId === undefined ? undefined : Number(numberId)) };
    },
    async assign(ctx: any) {
      const { assigneeId } = (await validateAssign(ctx.request.body)) as { assigneeId: number | null };
      ctx.body = { data: await inbox().assign(viewer(ctx), ctx.params.id, assigneeId) };
    },
    async close(ctx: any) {
      ctx.body = { data: await inbox().setState(viewer(ctx), ctx.params.id, 'closed') };
    },
    async reopen(ctx: any) {
      ctx.body = { data: await inbox().setState(viewer(ctx), ctx.params.id, 'open') };
    },
    async read(ctx: any) {
      ctx.body = { data: await inbox().markRead(viewer(ctx), ctx.params.id) };
    },
    async ticket(ctx: any) {
      const body = ((await validateTicket(ctx.request.body ?? {})) ?? {}) as { subject?: string; description?: string };
      ctx.created({ data: await inbox().createTicket(viewer(ctx), ctx.params.id, body) });
    },
    async reply(ctx: any) {
      const body = (await validateReply(ctx.request.body)) as ReplyRequest;
      ctx.created({ data: await inbox().reply(ctx.state.user, ctx.params.id, body, ctx.state.userAbility) });
    },
  };
};
