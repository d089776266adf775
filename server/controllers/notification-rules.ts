import type { Core } from '@strapi/strapi';
import type { NotificationRuleInput } from '../../contracts/notifications';
import { getService } from '../utils';
import { contentManagerScope } from '../content-manager-scope';
import { validateFiringsQuery, validateRuleCreate, validateRuleUpdate, validateTestSend } from '../validation/notifications';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const rules = () => getService('notifications', { strapi });
  // What the caller may read in the Content Manager: all a rule may read, and all a trace shows them.
  const scope = (ctx: any) => contentManagerScope(strapi, ctx.state.userAbility);
  return {
    async find(ctx: any) {
      const data = await rules().list();
      ctx.body = { data, meta: { total: data.length } };
    },
    async findOne(ctx: any) {
      ctx.body = { data: await rules().get(ctx.params.id) };
    },
    async create(ctx: any) {
      ctx.created({ data: await rules().create((await validateRuleCreate(ctx.request.body)) as NotificationRuleInput, scope(ctx)) });
    },
    async update(ctx: any) {
      ctx.body = { data: await rules().update(ctx.params.id, (await validateRuleUpdate(ctx.request.body)) as Partial<NotificationRuleInput>, scope(ctx)) };
    },
    async delete(ctx: any) {
      ctx.body = { data: await rules().remove(ctx.params.id) };
    },
    async test(ctx: any) {
      const { documentId } = (await validateTestSend(ctx.request.body)) as { documentId: string };
      ctx.body = { data: await rules().testSend(ctx.params.id, documentId, scope(ctx)) };
    },
    async firings(ctx: any) {
      const { limit } = ((await validateFiringsQuery(ctx.query ?? {})) ?? {}) as { limit?: string };
      ctx.body = { data: await rules().firings(ctx.params.id, scope(ctx), limit ? Number(limit) : undefined) };
    },
  };
};
