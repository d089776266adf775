import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { ConsentStatus, ListConsents } from '../../contracts/consent';
import { csvLine } from '../campaigns/csv';
import { toId } from '../ids';
import { getService } from '../utils';
import { validateConsentQuery, validateSetConsent } from '../validation/consents';

const CSV_COLUMNS = ['numberId', 'phone', 'status', 'source', 'at', 'detail'] as const;

const query = async (ctx: any): Promise<ListConsents.Query> => {
  const q = ((await validateConsentQuery(ctx.query ?? {})) ?? {}) as Record<string, string | undefined>;
  const num = (v?: string) => (v === undefined ? undefined : Number(v));
  return { status: q.status as ListConsents.Query['status'], source: q.source as ListConsents.Query['source'], numberId: num(q.numberId), search: q.search, page: num(q.page), pageSize: num(q.pageSize) };
};

const numberIdOf = (ctx: any) => {
  const id = toId(ctx.params.numberId);
  if (!id) throw new errors.NotFoundError('No WhatsApp number with this id');
  return id;
};

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const consents = () => getService('consents', { strapi });
  return {
    async list(ctx: any) {
      ctx.body = await consents().list(ctx.state.user, await query(ctx));
    },
    async exportCsv(ctx: any) {
      const asked = await query(ctx);
      let body = csvLine([...CSV_COLUMNS]);
      for await (const rows of consents().exportRows(ctx.state.user, asked)) body += rows.map((r) => csvLine(CSV_COLUMNS.map((c) => r[c]))).join('');
      ctx.set('Content-Type', 'text/csv; charset=utf-8');
      ctx.set('Content-Disposition', 'attachment; filename="whatsapp-consents.csv"');
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.body = body;
    },
    async get(ctx: any) {
      ctx.body = { data: await consents().get(ctx.state.user, numberIdOf(ctx), String(ctx.params.phone)) };
    },
    async set(ctx: any) {
      const body = (await validateSetConsent(ctx.request.body)) as { status: ConsentStatus; note?: string | null };
      ctx.body = { data: await consents().set(ctx.state.user, numberIdOf(ctx), String(ctx.params.phone), body) };
    },
  };
};
