import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { NotificationRuleInput } from '../../contracts/notifications';
import { getService } from '../utils';
import { contentManagerScope } from '../content-manager-scope';
import { validateFiringsQuery, validateRuleCreate, validateRuleUpdate, validateTestSend } from '../validation/notifications';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const rules = () => getService('notification-rules', { strapi });
  const teams = () => getService('scope', { strapi });
  /** A rule sends from its number: a rule of another team's number is answered like a missing one. */
  const visibleRule = async (ctx: any) => {
    const rule = await rules().get(ctx.params.id);
    await teams().assertNumberVisible(ctx.state.user, rule.numberId, 'No notification rule with this id');
    return rule;
  };
  /** A rule may be pointed only at a number the caller sees, answered as the service answers an unknown one. */
  const assertMayUseNumber = async (ctx: any, numberId: number | undefined) => {
    if (numberId === undefined || (await teams().canSeeNumber(ctx.state.user, numberId))) return;
    const message = 'no WhatsApp number with this id';
    throw new errors.ValidationError(message, { errors: [{ path: ['numberId'], message, name: 'ValidationError', value: numberId }] });
  };
  // What the caller may read in the Content Manager: all a rule may read, and all a trace shows them.
  const scope = (ctx: any) => contentManagerScope(strapi, ctx.state.userAbility);
  return {
    async find(ctx: any) {
      const allowed = await teams().visibleNumberIds(ctx.state.user);
      const data = (await rules().list()).filter((rule) => allowed === 'all' || allowed.includes(rule.numberId));
      ctx.body = { data, meta: { total: data.length } };
    },
    async findOne(ctx: any) {
      ctx.body = { data: await visibleRule(ctx) };
    },
    async create(ctx: any) {
      const input = (await validateRuleCreate(ctx.request.body)) as NotificationRuleInput;
      await assertMayUseNumber(ctx, input.numberId);
      ctx.created({ data: await rules().create(input, scope(ctx)) });
    },
    async update(ctx: any) {
      await visibleRule(ctx);
      const input = (await validateRuleUpdate(ctx.request.body)) as Partial<NotificationRuleInput>;
      await assertMayUseNumber(ctx, input.numberId);
      ctx.body = { data: await rules().update(ctx.params.id, input, scope(ctx)) };
    },
    async delete(ctx: any) {
      await visibleRule(ctx);
      ctx.body = { data: await rules().remove(ctx.params.id) };
    },
    async test(ctx: any) {
      await visibleRule(ctx);
      const { documentId } = (await validateTestSend(ctx.request.body)) as { documentId: string };
      ctx.body = { data: await rules().testSend(ctx.params.id, documentId, scope(ctx)) };
    },
    async firings(ctx: any) {
      await visibleRule(ctx);
      const { limit } = ((await validateFiringsQuery(ctx.query ?? {})) ?? {}) as { limit?: string };
      ctx.body = { data: await rules().firings(ctx.params.id, scope(ctx), limit ? Number(limit) : undefined) };
    },
  };
};
