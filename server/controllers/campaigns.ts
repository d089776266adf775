import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { CampaignInput } from '../../contracts/campaigns';
import type { ListRecipients } from '../../contracts/campaign-api';
import { contentManagerScope } from '../content-manager-scope';
import { exportName, recipientsCsv } from '../campaigns/export';
import { getService } from '../utils';
import { validateAction, validateCampaignCreate, validateCampaignUpdate, validateLaunch, validateListQuery, validateRecipientsQuery, validateTestSend } from '../validation/campaigns';

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const campaigns = () => getService('campaigns', { strapi });
  const teams = () => getService('scope', { strapi });
  // What the caller may read in the Content Manager: all a campaign's audience and parameters may read.
  const scope = (ctx: any) => contentManagerScope(strapi, ctx.state.userAbility);
  /** A campaign sends from its number: another team's campaign is answered like a missing one. */
  const visible = async (ctx: any) => {
    const campaign = await campaigns().row(ctx.params.id);
    await teams().assertNumberVisible(ctx.state.user, campaign.numberId, 'No campaign with this id');
    return campaign;
  };
  /** A campaign may be pointed only at a number the caller sees, answered as an unknown one. */
  const assertMayUseNumber = async (ctx: any, numberId: number | undefined) => {
    if (numberId === undefined || (await teams().canSeeNumber(ctx.state.user, numberId))) return;
    const message = 'no WhatsApp number with this id';
    throw new errors.ValidationError(message, { errors: [{ path: ['numberId'], message, name: 'ValidationError', value: numberId }] });
  };
  const user = (ctx: any) => ctx.state.user ?? null;

  return {
    async find(ctx: any) {
      const query = ((await validateListQuery(ctx.query ?? {})) ?? {}) as Record<string, string | undefined>;
      // The caller's numbers only; the filters narrow within them.
      const where = { $and: [await teams().numberWhere(ctx.state.user), ...(query.state ? [{ state: query.state }] : []), ...(query.numberId ? [{ numberId: Number(query.numberId) }] : [])] };
      ctx.body = await campaigns().list(where, num(query.page), num(query.pageSize));
    },
    async findOne(ctx: any) {
      await visible(ctx);
      ctx.body = { data: await campaigns().get(ctx.params.id) };
    },
    async create(ctx: any) {
      const input = (await validateCampaignCreate(ctx.request.body)) as CampaignInput;
      await assertMayUseNumber(ctx, input.numberId);
      ctx.created({ data: await campaigns().create(input, user(ctx), scope(ctx)) });
    },
    async update(ctx: any) {
      await visible(ctx);
      const input = (await validateCampaignUpdate(ctx.request.body)) as Partial<CampaignInput>;
      await assertMayUseNumber(ctx, input.numberId);
      ctx.body = { data: await campaigns().update(ctx.params.id, input, user(ctx), scope(ctx)) };
    },
    async delete(ctx: any) {
      await visible(ctx);
      ctx.body = { data: await campaigns().remove(ctx.params.id) };
    },
    async preflight(ctx: any) {
      const campaign = await visible(ctx);
      const body = ((await validateLaunch(ctx.request.body ?? {})) ?? {}) as { spreadOverDays?: boolean };
      await campaigns().assertReadable(campaign, scope(ctx));
      ctx.body = { data: await campaigns().preflight(ctx.params.id, body.spreadOverDays) };
    },
    async launch(ctx: any) {
      await visible(ctx);
      const body = ((await validateLaunch(ctx.request.body ?? {})) ?? {}) as { spreadOverDays?: boolean };
      ctx.body = await campaigns().launch(ctx.params.id, user(ctx), body, scope(ctx));
    },
    async pause(ctx: any) {
      await visible(ctx);
      const body = ((await validateAction(ctx.request.body ?? {})) ?? {}) as { reason?: string };
      ctx.body = { data: await campaigns().pause(ctx.params.id, user(ctx), body.reason) };
    },
    async resume(ctx: any) {
      await visible(ctx);
      await validateAction(ctx.request.body ?? {});
      ctx.body = { data: await campaigns().resume(ctx.params.id, user(ctx)) };
    },
    async cancel(ctx: any) {
      await visible(ctx);
      await validateAction(ctx.request.body ?? {});
      ctx.body = { data: await campaigns().cancel(ctx.params.id, user(ctx)) };
    },
    async testSend(ctx: any) {
      const campaign = await visible(ctx);
      const { phones } = (await validateTestSend(ctx.request.body)) as { phones: string[] };
      await campaigns().assertReadable(campaign, scope(ctx));
      ctx.body = { data: await campaigns().testSend(ctx.params.id, user(ctx), phones) };
    },
    async retryFailed(ctx: any) {
      await visible(ctx);
      ctx.body = { data: await campaigns().retryFailed(ctx.params.id, user(ctx)) };
    },
    // Recipients hold the audience's phones and record ids: only for who may read them in the Content Manager.
    async recipients(ctx: any) {
      await campaigns().assertReadable(await visible(ctx), scope(ctx));
      const query = ((await validateRecipientsQuery(ctx.query ?? {})) ?? {}) as Record<string, string | undefined>;
      ctx.body = await campaigns().recipients(ctx.params.id, { status: query.status as ListRecipients.Query['status'], occurrenceId: num(query.occurrenceId), page: num(query.page), pageSize: num(query.pageSize) });
    },
    async recipientsCsv(ctx: any) {
      await campaigns().assertReadable(await visible(ctx), scope(ctx));
      const { campaign, rows } = await campaigns().allRecipients(ctx.params.id);
      ctx.set('Content-Type', 'text/csv; charset=utf-8');
      ctx.set('Content-Disposition', `attachment; filename="${exportName(campaign.name, campaign.id)}"`);
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.body = recipientsCsv(rows);
    },
  };
};
