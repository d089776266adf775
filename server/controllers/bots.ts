import type { Core } from '@strapi/strapi';
import { BOT_PRECEDENCE } from '../../contracts/bots';
import { getService } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const bots = () => getService('bots', { strapi });
  return {
    async find(ctx: any) {
      const data = await bots().list(ctx.state.user, ctx.query.numberId);
      ctx.body = { data, meta: { total: data.length, precedence: BOT_PRECEDENCE } };
    },
    async create(ctx: any) {
      ctx.created({ data: await bots().create(ctx.state.user, ctx.request.body, ctx.state.userAbility) });
    },
    async update(ctx: any) {
      ctx.body = { data: await bots().update(ctx.state.user, ctx.params.id, ctx.request.body, ctx.state.userAbility) };
    },
    async delete(ctx: any) {
      ctx.body = { data: await bots().remove(ctx.state.user, ctx.params.id) };
    },
    async order(ctx: any) {
      ctx.body = { data: await bots().order(ctx.state.user, ctx.request.body) };
    },
    async test(ctx: any) {
      ctx.body = { data: await bots().test(ctx.state.user, ctx.request.body) };
    },
    async numberSettings(ctx: any) {
      ctx.body = { data: await bots().numberSettings(ctx.state.user, ctx.params.numberId) };
    },
    async setNumberSettings(ctx: any) {
      ctx.body = { data: await bots().setNumberSettings(ctx.state.user, ctx.params.numberId, ctx.request.body) };
    },
  };
};
