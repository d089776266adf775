import type { Core } from '@strapi/strapi';
import { getService } from '../utils';
import { validateQuickReplyCreate, validateQuickReplyUpdate } from '../validation/inbox';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const replies = () => getService('quick-replies', { strapi });
  return {
    async find(ctx: any) {
      const data = await replies().list();
      ctx.body = { data, meta: { total: data.length } };
    },
    async create(ctx: any) {
      ctx.created({ data: await replies().create((await validateQuickReplyCreate(ctx.request.body)) as { name: string; text: string }) });
    },
    async update(ctx: any) {
      ctx.body = { data: await replies().update(ctx.params.id, await validateQuickReplyUpdate(ctx.request.body)) };
    },
    async delete(ctx: any) {
      ctx.body = { data: await replies().remove(ctx.params.id) };
    },
  };
};
