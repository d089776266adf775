import type { Core } from '@strapi/strapi';
import { getService } from '../utils';
import { validateRegisterBody, validateSyncBody, validateTemplateQuery } from '../validation/templates';

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
    /** A template entered by hand for a number whose provider cannot list its templates (AiSensy). */
    async register(ctx: any) {
      const body = (await validateRegisterBody(ctx.request.body ?? {})) as { numberId: number; name: string; language: string; category: string; body: string };
      ctx.status = 201;
      ctx.body = { data: await getService('templates', { strapi }).register(body, await visibleNumberIds(ctx)) };
    },
    async sync(ctx: any) {
      const body = ((await validateSyncBody(ctx.request.body ?? {})) ?? {}) as { numberId?: number };
      ctx.body = { data: await getService('templates', { strapi }).sync(body.numberId, await visibleNumberIds(ctx)) };
    },
  };
};
