import type { Core } from '@strapi/strapi';
import type { SaveAssistantSettings, SuggestionOutcome } from '../../contracts/assistant';
import { contentManagerScope } from '../content-manager-scope';
import { getService } from '../utils';
import { validateAssistantSettings, validateEvaluate, validateOutcome } from '../validation/assistant';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const assistant = () => getService('assistant', { strapi });
  // The caller with what they may read of the host's records: the CRM context follows the Content Manager.
  const viewer = (ctx: any) => ({ ...ctx.state.user, scope: contentManagerScope(strapi, ctx.state.userAbility) });
  return {
    async getSettings(ctx: any) {
      ctx.body = { data: await assistant().getSettings(ctx.state.user) };
    },
    async saveSettings(ctx: any) {
      ctx.body = { data: await assistant().saveSettings((await validateAssistantSettings(ctx.request.body)) as SaveAssistantSettings.Request, ctx.state.user) };
    },
    async suggest(ctx: any) {
      ctx.body = { data: await assistant().suggest(viewer(ctx), ctx.params.id) };
    },
    async evaluate(ctx: any) {
      const { numberId } = (await validateEvaluate(ctx.request.body)) as { numberId: number };
      ctx.body = { data: await assistant().evaluate(ctx.state.user, numberId) };
    },
    async evaluations(ctx: any) {
      ctx.body = { data: await assistant().evaluations(ctx.state.user) };
    },
    async figures(ctx: any) {
      ctx.body = { data: await assistant().figures(ctx.state.user) };
    },
    async outcome(ctx: any) {
      const { outcome } = (await validateOutcome(ctx.request.body)) as { outcome: SuggestionOutcome };
      ctx.body = { data: await assistant().recordOutcome(ctx.state.user, ctx.params.id, outcome) };
    },
  };
};
