import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { SendOption, SyncResult, WhatsAppTemplate } from '../../contracts/templates';
import { UID } from '../constants';
import { UnsupportedByProviderError } from '../providers';
import { parameterSchemaOf } from '../template-schema';
import { getService } from '../utils';
import type { NumberRow } from '../number-rows';

const format = (row: any): WhatsAppTemplate => ({
  id: row.id,
  numberId: row.numberId,
  name: row.name,
  language: row.language,
  category: row.category ?? null,
  status: row.status ?? null,
  quality: row.quality ?? null,
  rejectionReason: row.rejectionReason ?? null,
  parameterFormat: row.parameterFormat ?? 'positional',
  parameterSchema: row.parameterSchema ?? parameterSchemaOf(row.components ?? []),
  components: row.components ?? [],
  syncedAt: row.syncedAt ?? null,
  removedAt: row.removedAt ?? null,
});

/**
 * Templates kept in step with each number's provider: on demand, hourly, and from template
 * webhooks. Keyed by (number, name, language); a template the provider no longer lists is marked
 * removed, not deleted, so messages that used it keep their history.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = () => strapi.db.query(UID.template);
  // Syncs run one after another, never two at once (a manual sync during the hourly one waits).
  let chain: Promise<unknown> = Promise.resolve();

  const syncNumber = async (number: NumberRow): Promise<SyncResult> => {
    const result: SyncResult = { numberId: number.id, synced: 0, removed: 0, error: null };
    const provider = getService('provider-calls', { strapi }).for(number);
    try {
      const listed = await provider.listTemplates();
      const now = new Date();
      const seen = new Set<string>();
      for (const t of listed) {
        seen.add(`${t.name}\u0000${t.language}`);
        const data = {
          providerTemplateId: t.providerTemplateId,
          category: t.category,
          status: t.status,
          components: t.components,
          parameterFormat: t.parameterFormat,
          parameterSchema: parameterSchemaOf(t.components),
          quality: t.quality,
          rejectionReason: t.rejectionReason,
          syncedAt: now,
          removedAt: null,
        };
        const where = { numberId: number.id, name: t.name, language: t.language };
        const existing = await q().findOne({ where, select: ['id'] });
        if (existing) await q().update({ where: { id: existing.id }, data });
        else await q().create({ data: { ...where, ...data } });
        result.synced += 1;
      }
      const stored = await q().findMany({ where: { numberId: number.id, removedAt: null }, select: ['id', 'name', 'language'] });
      const gone = stored.filter((row: any) => !seen.has(`${row.name}\u0000${row.language}`)).map((row: any) => row.id);
      if (gone.length) await q().updateMany({ where: { id: { $in: gone } }, data: { removedAt: now } });
      result.removed = gone.length;
    } catch (error) {
      result.error = error instanceof UnsupportedByProviderError ? error.message : `${(error as Error).message}`;
      if (!(error instanceof UnsupportedByProviderError)) {
        const classified = provider.classify(error);
        result.error = `${classified.class}${classified.code ? ` (${classified.code})` : ''}: ${classified.text}`;
      }
    }
    return result;
  };

  const runSync = async (numberId: number | undefined, numberIds: number[] | 'all'): Promise<SyncResult[]> => {
    const where = { deletedAt: null, active: true, ...(numberId ? { id: numberId } : numberIds === 'all' ? {} : { id: { $in: numberIds } }) };
    const numbers = (await strapi.db.query(UID.number).findMany({ where, orderBy: { id: 'asc' } })) as NumberRow[];
    const results: SyncResult[] = [];
    for (const number of numbers) results.push(await syncNumber(number));
    return results;
  };

  return {
    /** Templates of the numbers among `numberIds` (the caller's, from the scope service), or of all. */
    async list(filter: { numberId?: string; status?: string; includeRemoved?: string }, numberIds: number[] | 'all' = 'all'): Promise<WhatsAppTemplate[]> {
      const where: Record<string, unknown> = {};
      if (numberIds !== 'all') where.numberId = { $in: numberIds };
      if (filter.numberId) where.numberId = numberIds === 'all' || numberIds.includes(Number(filter.numberId)) ? Number(filter.numberId) : -1;
      if (filter.status) where.status = filter.status.toUpperCase();
      if (filter.includeRemoved !== 'true') where.removedAt = null;
      return (await q().findMany({ where, orderBy: [{ numberId: 'asc' }, { name: 'asc' }, { language: 'asc' }] })).map(format);
    },

    /** The active numbers among `numberIds` (or all), each with its approved, current templates. */
    async sendOptions(numberIds: number[] | 'all'): Promise<SendOption[]> {
      const where: Record<string, unknown> = { deletedAt: null, active: true };
      if (numberIds !== 'all') where.id = { $in: numberIds };
      const numbers = (await strapi.db.query(UID.number).findMany({ where, orderBy: { id: 'asc' } })) as NumberRow[];
      if (!numbers.length) return [];
      const templates = await q().findMany({ where: { numberId: { $in: numbers.map((n) => n.id) }, status: 'APPROVED', removedAt: null }, orderBy: [{ name: 'asc' }, { language: 'asc' }] });
      return numbers.map((n) => ({
        numberId: n.id,
        label: n.label,
        phone: n.phone,
        provider: n.provider,
        freeForm: getService('provider-calls', { strapi }).for(n).capabilities.freeForm,
        templates: templates.filter((t: any) => t.numberId === n.id).map(format),
      }));
    },

    /** Syncs one number, or every number among `numberIds` (the caller's; the hourly job: all). */
    /**
     * A template entered by hand, only for a number whose provider cannot list templates: stored
     * approved (the provider approved it in its own dashboard), upserted by name and language.
     */
    async register(input: { numberId: number; name: string; language: string; category: string; body: string }, numberIds: number[] | 'all' = 'all'): Promise<WhatsAppTemplate> {
      const number = (await strapi.db.query(UID.number).findOne({ where: { id: input.numberId } })) as NumberRow | null;
      const field = (message: string) => new errors.ValidationError(message, { errors: [{ path: ['numberId'], message, name: 'ValidationError' }] });
      if (!number || number.deletedAt || (numberIds !== 'all' && !numberIds.includes(number.id))) throw field('no number with this id');
      if (getService('provider-calls', { strapi }).for(number).capabilities.templateSync) throw field("this number's templates come from its provider: sync them instead");
      const components = [{ type: 'BODY', text: input.body }];
      const where = { numberId: number.id, name: input.name, language: input.language };
      const data = { category: input.category, status: 'APPROVED', components, parameterFormat: 'positional', parameterSchema: parameterSchemaOf(components), removedAt: null, syncedAt: null };
      const existing = await q().findOne({ where, select: ['id'] });
      return format(existing ? await q().update({ where: { id: existing.id }, data }) : await q().create({ data: { ...where, ...data } }));
    },
    async sync(numberId?: number, numberIds: number[] | 'all' = 'all'): Promise<SyncResult[]> {
      if (numberId !== undefined) {
        const number = await strapi.db.query(UID.number).findOne({ where: { id: numberId, deletedAt: null } });
        if (!number || (numberIds !== 'all' && !numberIds.includes(number.id))) throw new errors.NotFoundError('No WhatsApp number with this id');
      }
      const run = chain.then(() => runSync(numberId, numberIds));
      chain = run.catch(() => undefined);
      return run;
    },
  };
};
