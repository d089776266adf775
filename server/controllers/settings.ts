import type { Core } from '@strapi/strapi';
import { kindLabel } from '../../contracts/settings';
import { getService } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async find(ctx: any) {
    const settings = getService('settings', { strapi });
    const data = await settings.get();
    ctx.body = { data, meta: await settings.meta(data) };
  },
  async defaultNumber(ctx: any) {
    ctx.body = { data: { numberId: await getService('settings', { strapi }).defaultNumberId() } };
  },
  /** What inbox readers need: the kinds' labels, whether identity needs setting up, and what is switched on. */
  async inbox(ctx: any) {
    const { identitySources, ticket, autoLead } = await getService('settings', { strapi }).get();
    ctx.body = {
      data: {
        kinds: identitySources.map((s) => ({ kind: s.kind, label: kindLabel(s), uid: s.uid })),
        needsSetup: identitySources.length === 0,
        tickets: Boolean(ticket),
        autoLead: Boolean(autoLead?.enabled),
      },
    };
  },
  async update(ctx: any) {
    const settings = getService('settings', { strapi });
    const data = await settings.update(ctx.request.body);
    ctx.body = { data, meta: await settings.meta(data) };
  },
});
