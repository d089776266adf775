import type { Core } from '@strapi/strapi';
import { getService } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async contentTypes(ctx: any) {
    ctx.body = { data: getService('host-schema', { strapi }).contentTypes() };
  },
});
