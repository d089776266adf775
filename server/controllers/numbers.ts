import type { Core } from '@strapi/strapi';
import { actionId } from '../constants';
import { toId } from '../ids';
import { getService } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const numbers = () => getService('numbers', { strapi });
  const scope = () => getService('scope', { strapi });
  // Webhook URLs carry the number's key (Gupshup's only credential): shown to those who may manage numbers.
  const shown = (ctx: any) => ({ webhookUrl: Boolean(ctx.state.userAbility?.can(actionId('numbersManage'))) });
  // Another team's number is answered like one that does not exist.
  const visible = (ctx: any) => scope().assertNumberVisible(ctx.state.user, toId(ctx.params.id));

  return {
    async find(ctx: any) {
      const data = await numbers().list(await scope().visibleNumberIds(ctx.state.user), shown(ctx));
      ctx.body = { data, meta: { total: data.length } };
    },

    async findOne(ctx: any) {
      await visible(ctx);
      ctx.body = { data: await numbers().get(ctx.params.id, shown(ctx)) };
    },

    async create(ctx: any) {
      ctx.created({ data: await numbers().create(ctx.request.body, ctx.state.user) });
    },

    async update(ctx: any) {
      await visible(ctx);
      ctx.body = { data: await numbers().update(ctx.params.id, ctx.request.body, ctx.state.user) };
    },

    async delete(ctx: any) {
      await visible(ctx);
      ctx.body = { data: await numbers().remove(ctx.params.id) };
    },

    async check(ctx: any) {
      await visible(ctx);
      ctx.body = { data: await numbers().check(ctx.params.id) };
    },

    async teams(ctx: any) {
      ctx.body = { data: await scope().teams(ctx.state.user) };
    },
  };
};
