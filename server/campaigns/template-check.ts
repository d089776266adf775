/** A campaign's template and parameters checked as a send would check them (the same schema check as the outbox). */
import type { Core } from '@strapi/strapi';
import type { CampaignParameter } from '../../contracts/campaigns';
import { UID } from '../constants';
import { assertTemplateParams } from '../template-params';
import { parameterSchemaOf } from '../template-schema';
import { renderFor } from './bind';

type Row = Record<string, any>;

export const templateIssues = async (strapi: Core.Strapi, number: Row, data: Row) => {
  const issues: { path: string[]; message: string }[] = [];
  if (!data.template) return issues;
  const { name, language } = data.template;
  const t = await strapi.db.query(UID.template as any).findOne({ where: { numberId: number.id, name, language, removedAt: null } });
  if (!t) return [{ path: ['template'], message: `this number has no template ${name} (${language}); sync templates first` }];
  if (t.status !== 'APPROVED') return [{ path: ['template'], message: `template ${name} is ${t.status}; only approved templates can be sent` }];
  const schema = t.parameterSchema ?? parameterSchemaOf(t.components ?? []);
  // Fields and columns stand in with a sample value: what matters here is the count, names and kinds.
  const sample = ((data.parameters ?? []) as CampaignParameter[]).map((p) => (p.from === 'constant' ? p : { ...p, from: 'constant' as const, value: p.component === 'button' && schema.buttons.find((b: Row) => b.index === (p.index ?? 0))?.subType === 'copy_code' ? 'CODE' : 'sample' }));
  try {
    assertTemplateParams(schema, t.parameterFormat ?? 'positional', renderFor(sample, schema, {}).params);
  } catch (error) {
    const details = (error as { details?: { errors?: { message: string }[] } }).details?.errors ?? [{ message: (error as Error).message }];
    for (const d of details) issues.push({ path: ['parameters'], message: `template ${name}: ${d.message}` });
  }
  return issues;
};
