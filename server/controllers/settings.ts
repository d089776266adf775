import type { Core } from '@strapi/strapi';
import { getService } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async find(ctx: any) {
    ctx.body = { data: await getService('settings', { strapi }).get() };
  },
  async defaultNumber(ctx: any) {
    ctx.body = { data: { numberId: await getService('settings', { strapi }).defaultNumberId() } };
  },
  async update(ctx: any) {
    ctx.body = { data: await getService('settings', { strapi }).update(ctx.request.body) };
  },
});
