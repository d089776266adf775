import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { CollectionKnowledge, KnowledgeSource } from '../../contracts/assistant';
import { chunkSource, type Chunk } from '../assistant/chunk';
import { checkCollection, collectionChunks } from '../assistant/collection-source';
import { buildIndex, type KnowledgeIndex } from '../assistant/knowledge-index';
import { KNOWLEDGE_REINDEX_DEBOUNCE_MS, UID } from '../constants';
import { toId } from '../ids';

const KINDS = new Set(['text', 'file', 'collection']);
const out = (row: any): KnowledgeSource => ({
  id: row.id,
  title: row.title,
  kind: KINDS.has(row.kind) ? row.kind : 'text',
  filename: row.filename ?? null,
  chunks: row.chunkCount ?? 0,
  createdAt: new Date(row.createdAt).toISOString(),
  ...(row.kind === 'collection' ? { collection: row.config ?? null, error: row.error ?? null } : {}),
});
const SELECT = ['id', 'title', 'kind', 'filename', 'chunkCount', 'createdAt', 'config', 'error', 'ownerId'];
const invalid = (path: string[], message: string) =>
  new errors.ValidationError(`${path.join('.')}: ${message}`, { errors: [{ path, message, name: 'ValidationError', value: null }] });
/** Host writes that change what a collection source holds. */
const RECORD_ACTIONS = new Set(['create', 'update', 'delete', 'publish', 'unpublish', 'discardDraft']);

/**
 * The assistant's knowledge: sources stored whole, cut into chunks stored beside them, and an
 * in-memory index built from the stored chunks. Every instance rebuilds its index when the stored
 * chunks changed (another instance added a source), so none answers from a stale one.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const sources = () => strapi.db.query(UID.assistantSource);
  const chunks = () => strapi.db.query(UID.assistantChunk);
  let built: { index: KnowledgeIndex; signature: string } | null = null;

  /** Changes whenever a chunk is added or removed: a count and the highest id. */
  const signature = async () => {
    const [count, last] = await Promise.all([chunks().count(), chunks().findOne({ select: ['id'], orderBy: { id: 'desc' } })]);
    return `${count}:${last?.id ?? 0}`;
  };

  const build = async () => {
    const sig = await signature();
    const titles = new Map<number, string>((await sources().findMany({ select: ['id', 'title'] })).map((s: any) => [s.id, s.title]));
    const rows = await chunks().findMany({ select: ['id', 'sourceId', 'heading', 'text'], orderBy: [{ sourceId: 'asc' }, { position: 'asc' }] });
    const index = buildIndex(rows.filter((r: any) => titles.has(r.sourceId)).map((r: any) => ({ id: r.id, sourceId: r.sourceId, title: titles.get(r.sourceId)!, heading: r.heading ?? null, text: r.text })));
    built = { index, signature: sig };
    return index;
  };

  const storeChunks = async (sourceId: number, parts: Chunk[], extra: Record<string, unknown> = {}) => {
    await strapi.db.transaction(async () => {
      await chunks().deleteMany({ where: { sourceId } });
      if (parts.length) await chunks().createMany({ data: parts.map((p, position) => ({ sourceId, position, heading: p.heading?.slice(0, 255) ?? null, text: p.text })) });
      await sources().update({ where: { id: sourceId }, data: { chunkCount: parts.length, ...extra } });
    });
    return parts.length;
  };
  const writeChunks = (source: any) => storeChunks(source.id, chunkSource(source));

  /** The saver's rights as they are now: an account removed, blocked or stripped of a permission indexes nothing. */
  const abilityOf = async (userId: number | null) => {
    const user = userId ? await strapi.db.query('admin::user').findOne({ where: { id: userId }, populate: ['roles'] }) : null;
    if (!user || user.isActive !== true || user.blocked === true) return null;
    return strapi.service('admin::permission').engine.generateUserAbility(user);
  };

  /** A collection source's records read again with its saver's rights; a lost right leaves it empty with the reason. */
  const indexCollection = async (row: any) => {
    const config = row.config as CollectionKnowledge;
    const ability = await abilityOf(row.ownerId);
    const checked = ability ? await checkCollection(strapi, ability, config) : { problem: { path: [], message: 'the admin who added it is no longer active' } };
    if ('problem' in checked) {
      await storeChunks(row.id, [], { error: `Not indexed: ${checked.problem.message}` });
      return 0;
    }
    const { chunks: parts } = await collectionChunks(strapi, config, checked.filters);
    return storeChunks(row.id, parts, { error: null, text: parts.map((p) => `# ${p.heading}\n${p.text}`).join('\n\n') || '-' });
  };

  /** Record edits gather for a moment, so a bulk import re-indexes a source once. */
  const pending = new Map<number, NodeJS.Timeout>();
  const schedule = (sourceId: number) => {
    clearTimeout(pending.get(sourceId));
    const timer = setTimeout(() => {
      pending.delete(sourceId);
      void (async () => {
        const row = await sources().findOne({ where: { id: sourceId }, select: SELECT });
        if (row?.kind === 'collection') await indexCollection(row);
      })().catch((error: Error) => strapi.log.error(`[whatsapp] knowledge source ${sourceId} re-index: ${error.message}`));
    }, KNOWLEDGE_REINDEX_DEBOUNCE_MS);
    timer.unref();
    pending.set(sourceId, timer);
  };

  return {
    async list() {
      return (await sources().findMany({ select: SELECT, orderBy: { id: 'desc' } })).map(out);
    },

    /** A host collection type, checked against the saving admin's Content Manager rights (each problem names its field). */
    async addCollection(user: { id: number }, userAbility: unknown, config: CollectionKnowledge) {
      const checked = await checkCollection(strapi, userAbility, config);
      if ('problem' in checked) throw invalid(checked.problem.path, checked.problem.message);
      const ct = (strapi.contentTypes as Record<string, any>)[config.contentType];
      const title = String(ct.info?.displayName ?? config.contentType).slice(0, 200);
      // Read once before storing, so filters the database refuses are the caller's 400 and leave no source behind.
      await collectionChunks(strapi, config, checked.filters).catch((error: Error) => {
        throw invalid(['filters'], `cannot be applied: ${error.message}`);
      });
      const row = await sources().create({ data: { title, text: '-', kind: 'collection', config, ownerId: user.id, chunkCount: 0 } });
      await indexCollection(row);
      return out(await sources().findOne({ where: { id: row.id }, select: SELECT }));
    },

    /** A Document Service middleware: once a host write committed, the collection sources of its type re-index (debounced). */
    middleware() {
      return async (ctx: { uid: string; action: string }, next: () => Promise<unknown>) => {
        const result = await next();
        if (!ctx.uid.startsWith('api::') || !RECORD_ACTIONS.has(ctx.action)) return result;
        const run = async () => {
          const rows = await sources().findMany({ where: { kind: 'collection' }, select: ['id', 'config'] });
          for (const row of rows) if ((row.config as CollectionKnowledge | null)?.contentType === ctx.uid) schedule(row.id);
        };
        const safely = () => run().catch((error: Error) => strapi.log.error(`[whatsapp] knowledge after ${ctx.uid} ${ctx.action}: ${error.message}`));
        if (strapi.db.inTransaction()) await strapi.db.transaction(async ({ onCommit }) => onCommit(() => void safely()));
        else await safely();
        return result;
      };
    },

    stop() {
      pending.forEach((t) => clearTimeout(t));
      pending.clear();
    },

    async add(input: { title: string; text: string; kind?: 'text' | 'file'; filename?: string | null }) {
      const row = await sources().create({ data: { title: input.title, text: input.text, kind: input.kind ?? 'text', filename: input.filename ?? null, chunkCount: 0 } });
      const count = await writeChunks(row);
      return out({ ...row, chunkCount: count });
    },

    async remove(id: unknown) {
      const n = toId(id);
      const row = n ? await sources().findOne({ where: { id: n } }) : null;
      if (!row) throw new errors.NotFoundError('No knowledge source with this id');
      await strapi.db.transaction(async () => {
        await chunks().deleteMany({ where: { sourceId: row.id } });
        await sources().delete({ where: { id: row.id } });
      });
      return out(row);
    },

    /** Every source cut again from its stored text (the chunking may have changed) and the index rebuilt. */
    async reindex() {
      let total = 0;
      const rows = await sources().findMany({ select: [...SELECT, 'text'] });
      for (const row of rows) total += row.kind === 'collection' ? await indexCollection(row) : await writeChunks(row);
      await build();
      return { sources: rows.length, chunks: total };
    },

    /** The index as the stored chunks are now (rebuilt when they changed since it was built). */
    async index() {
      if (built && built.signature === (await signature())) return built.index;
      return build();
    },

    /** Built at boot so the first question does not wait for it. */
    async warm() {
      await build();
    },
  };
};
