import type { Core } from '@strapi/strapi';
import type { NotificationRuleInput } from '../../contracts/notifications';
import { getService } from '../utils';
import { validateFiringsQuery, validateRuleCreate, validateRuleUpdate, validateTestSend } from '../validation/notifications';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const rules = () => getService('notifications', { strapi });
  return {
    async find(ctx: any) {
      const data = await rules().list();
      ctx.body = { data, meta: { total: data.length } };
    },
    async findOne(ctx: any) {
      ctx.body = { data: await rules().get(ctx.params.id) };
    },
    async create(ctx: any) {
      ctx.created({ data: await rules().create((await validateRuleCreate(ctx.request.body)) as NotificationRuleInput) });
    },
    async update(ctx: any) {
      ctx.body = { data: await rules().update(ctx.params.id, (await validateRuleUpdate(ctx.request.body)) as Partial<NotificationRuleInput>) };
    },
    async delete(ctx: any) {
      ctx.body = { data: await rules().remove(ctx.params.id) };
    },
    async test(ctx: any) {
      const { documentId } = (await validateTestSend(ctx.request.body)) as { documentId: string };
      ctx.body = { data: await rules().testSend(ctx.params.id, documentId) };
    },
    async firings(ctx: any) {
      const { limit } = ((await validateFiringsQuery(ctx.query ?? {})) ?? {}) as { limit?: string };
      ctx.body = { data: await rules().firings(ctx.params.id, limit ? Number(limit) : undefined) };
    },
  };
};
