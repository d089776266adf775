import type { Core } from '@strapi/strapi';
import { getService } from '../utils';
import { contentManagerScope } from '../content-manager-scope';
import { validateRecipientQuery } from '../validation/host';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async contentTypes(ctx: any) {
    const { notificationFields } = await getService('settings', { strapi }).get();
    ctx.body = { data: await getService('host-schema', { strapi }).contentTypes(notificationFields, contentManagerScope(strapi, ctx.state.userAbility)) };
  },
  async recipients(ctx: any) {
    const { q } = (await validateRecipientQuery(ctx.query ?? {})) as { q: string };
    ctx.body = { data: await getService('identity', { strapi }).search(q, contentManagerScope(strapi, ctx.state.userAbility)) };
  },
});
