import type { Core } from '@strapi/strapi';
import { getService } from '../utils';
import { validateRecipientQuery } from '../validation/host';

const CAN_READ = 'plugin::content-manager.explorer.read';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async contentTypes(ctx: any) {
    ctx.body = { data: getService('host-schema', { strapi }).contentTypes() };
  },
  async recipients(ctx: any) {
    const { q } = (await validateRecipientQuery(ctx.query ?? {})) as { q: string };
    const ability = ctx.state.userAbility;
    ctx.body = { data: await getService('identity', { strapi }).search(q, (uid) => Boolean(ability?.can(CAN_READ, uid))) };
  },
});
