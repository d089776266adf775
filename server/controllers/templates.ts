import type { Core } from '@strapi/strapi';
import { getService } from '../utils';
import { validateSyncBody, validateTemplateQuery } from '../validation/templates';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async find(ctx: any) {
    const data = await getService('templates', { strapi }).list(await validateTemplateQuery(ctx.query ?? {}));
    ctx.body = { data, meta: { total: data.length } };
  },
  /** For those who may send: their numbers and approved templates, without templates.read or numbers.read. */
  async sendOptions(ctx: any) {
    const numberIds = await getService('inbox', { strapi }).visibleNumberIds(ctx.state.user);
    ctx.body = { data: await getService('templates', { strapi }).sendOptions(numberIds) };
  },
  async sync(ctx: any) {
    const body = ((await validateSyncBody(ctx.request.body ?? {})) ?? {}) as { numberId?: number };
    ctx.body = { data: await getService('templates', { strapi }).sync(body.numberId) };
  },
});
