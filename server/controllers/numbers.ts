import type { Core } from '@strapi/strapi';
import { getService } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const numbers = () => getService('numbers', { strapi });

  return {
    async find(ctx: any) {
      const data = await numbers().list();
      ctx.body = { data, meta: { total: data.length } };
    },

    async findOne(ctx: any) {
      ctx.body = { data: await numbers().get(ctx.params.id) };
    },

    async create(ctx: any) {
      ctx.created({ data: await numbers().create(ctx.request.body) });
    },

    async update(ctx: any) {
      ctx.body = { data: await numbers().update(ctx.params.id, ctx.request.body) };
    },

    async delete(ctx: any) {
      ctx.body = { data: await numbers().remove(ctx.params.id) };
    },

    async check(ctx: any) {
      ctx.body = { data: await numbers().check(ctx.params.id) };
    },

    async teams(ctx: any) {
      ctx.body = { data: await numbers().teams() };
    },
  };
};
