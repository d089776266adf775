import type { Core } from '@strapi/strapi';
import { getService } from '../utils';
import { validateSyncBody, validateTemplateQuery } from '../validation/templates';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  // Every template route stays within the numbers the caller's teams see.
  const visibleNumberIds = (ctx: any) => getService('scope', { strapi }).visibleNumberIds(ctx.state.user);
  return {
    async find(ctx: any) {
      const query = await validateTemplateQuery(ctx.query ?? {});
      const data = await getService('templates', { strapi }).list(query, await visibleNumberIds(ctx));
      ctx.body = { data, meta: { total: data.length } };
    },
    /** For those who may send: their numbers and approved templates, without templates.read or numbers.read. */
    async sendOptions(ctx: any) {
      ctx.body = { data: await getService('templates', { strapi }).sendOptions(await visibleNumberIds(ctx)) };
    },
    async sync(ctx: any) {
      const body = ((await validateSyncBody(ctx.request.body ?? {})) ?? {}) as { numberId?: number };
      ctx.body = { data: await getService('templates', { strapi }).sync(body.numberId, await visibleNumberIds(ctx)) };
    },
  };
};
