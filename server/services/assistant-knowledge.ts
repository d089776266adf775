import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { CollectionKnowledge, KnowledgeSource } from '../../contracts/assistant';
import { chunkSource, type Chunk } from '../assistant/chunk';
import { capChunks, checkCollection, collectionChunks } from '../assistant/collection-source';
import { buildIndex, type KnowledgeIndex } from '../assistant/knowledge-index';
import { reindexSchedule } from '../assistant/reindex-schedule';
import { KNOWLEDGE_MAX_CHARS, KNOWLEDGE_REINDEX_DEBOUNCE_MS, KNOWLEDGE_REINDEX_THROTTLE_MS, KNOWLEDGE_WATCHED_TTL_MS, UID } from '../constants';
import { activeAbility } from '../content-manager-scope';
import { toId } from '../ids';
import { getService } from '../utils';
import type { ScopedUser } from './scope';

const KINDS = new Set(['text', 'file', 'collection']);
const out = (row: any): KnowledgeSource => ({
  id: row.id,
  title: row.title,
  kind: KINDS.has(row.kind) ? row.kind : 'text',
  filename: row.filename ?? null,
  chunks: row.chunkCount ?? 0,
  createdAt: new Date(row.createdAt).toISOString(),
  ...(row.kind === 'collection' ? { collection: row.config ?? null, error: row.error ?? null } : {}),
  numberIds: numbersOf(row),
});
const SELECT = ['id', 'title', 'kind', 'filename', 'chunkCount', 'createdAt', 'config', 'error', 'ownerId', 'numberIds'];
/** The numbers a source answers on; empty: every number. */
const numbersOf = (row: { numberIds?: unknown }): number[] => (Array.isArray(row.numberIds) ? row.numberIds.filter((n): n is number => typeof n === 'number') : []);
const invalid = (path: string[], message: string) =>
  new errors.ValidationError(`${path.join('.')}: ${message}`, { errors: [{ path, message, name: 'ValidationError', value: null }] });
/** Host writes that change what a collection source holds. */
const RECORD_ACTIONS = new Set(['create', 'update', 'delete', 'clone', 'publish', 'unpublish', 'discardDraft']);

/**
 * The assistant's knowledge: sources stored whole, cut into chunks stored beside them, and an
 * in-memory index built from the stored chunks. Every instance rebuilds its index when the stored
 * chunks changed (another instance added a source), so none answers from a stale one.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const sources = () => strapi.db.query(UID.assistantSource);
  const chunks = () => strapi.db.query(UID.assistantChunk);
  const sourceTable = () => strapi.db.metadata.get(UID.assistantSource).tableName;
  let built: { index: KnowledgeIndex; signature: string; numbers: Map<number, number[]> } | null = null;
  const scope = () => getService('scope', { strapi });

  /** Whether the caller's teams see every number there is (super admins, or a team over all of them). */
  const seesEvery = async (user: ScopedUser) => {
    const allowed = await scope().visibleNumberIds(user);
    if (allowed === 'all') return true;
    const all = await strapi.db.query(UID.number).findMany({ where: { deletedAt: null }, select: ['id'] });
    return all.every((n: { id: number }) => allowed.includes(n.id));
  };

  /**
   * Each listed number must exist and be one the caller sees (a 400 naming `numberIds.<i>` otherwise,
   * the same for both); naming none (every number) is for those who see every number.
   */
  const checkNumbers = async (user: ScopedUser, numberIds: number[] = []) => {
    if (!numberIds.length) {
      if (await seesEvery(user)) return [];
      throw invalid(['numberIds'], 'name the numbers that answer from it: a source for every number needs an admin whose teams see every number');
    }
    const existing = new Set((await strapi.db.query(UID.number).findMany({ where: { id: { $in: [...new Set(numberIds)] }, deletedAt: null }, select: ['id'] })).map((n: { id: number }) => n.id));
    for (const [i, id] of numberIds.entries()) {
      if (!existing.has(id) || !(await scope().canSeeNumber(user, id))) throw invalid(['numberIds', String(i)], `no WhatsApp number with id ${id} that you may see`);
    }
    return [...new Set(numberIds)];
  };
  /** A source is the caller's to see when it answers on every number or on one they see; to delete, on none they do not see. */
  const visibleTo = (allowed: number[] | 'all', row: { numberIds?: unknown }, every = false) => {
    const ids = numbersOf(row);
    if (allowed === 'all' || !ids.length) return true;
    return every ? ids.every((id) => allowed.includes(id)) : ids.some((id) => allowed.includes(id));
  };

  /** Changes whenever a chunk is added or removed: a count and the highest id. */
  const signature = async () => {
    const [count, last] = await Promise.all([chunks().count(), chunks().findOne({ select: ['id'], orderBy: { id: 'desc' } })]);
    return `${count}:${last?.id ?? 0}`;
  };

  const build = async () => {
    const sig = await signature();
    const rowsOfSources = await sources().findMany({ select: ['id', 'title', 'numberIds'] });
    const titles = new Map<number, string>(rowsOfSources.map((s: any) => [s.id, s.title]));
    const numbers = new Map<number, number[]>(rowsOfSources.map((s: any) => [s.id, numbersOf(s)]));
    const rows = await chunks().findMany({ select: ['id', 'sourceId', 'heading', 'text'], orderBy: [{ sourceId: 'asc' }, { position: 'asc' }] });
    const index = buildIndex(rows.filter((r: any) => titles.has(r.sourceId)).map((r: any) => ({ id: r.id, sourceId: r.sourceId, title: titles.get(r.sourceId)!, heading: r.heading ?? null, text: r.text })));
    built = { index, signature: sig, numbers };
    return built;
  };

  /**
   * In one transaction that first locks the source's row: a removal running meanwhile either waits for it
   * (and then deletes these chunks too) or went first (and this stores nothing), so no chunk is orphaned.
   */
  const storeChunks = async (sourceId: number, parts: Chunk[], extra: Record<string, unknown> = {}) => {
    return strapi.db.transaction(async ({ trx }) => {
      if (!(await trx(sourceTable()).where({ id: sourceId }).forUpdate().first('id'))) return 0;
      await chunks().deleteMany({ where: { sourceId } });
      if (parts.length) await chunks().createMany({ data: parts.map((p, position) => ({ sourceId, position, heading: p.heading?.slice(0, 255) ?? null, text: p.text })) });
      await sources().update({ where: { id: sourceId }, data: { chunkCount: parts.length, ...extra } });
      return parts.length;
    });
  };
  const writeChunks = (source: any) => storeChunks(source.id, chunkSource(source));

  /** The saver's rights as they are now: an account removed, blocked or stripped of a permission indexes nothing. */
  const abilityOf = async (userId: number | null) => (await activeAbility(strapi, userId))?.ability ?? null;

  /** A collection source's records read again with its saver's rights; a lost right leaves it empty with the reason. */
  const indexCollection = async (row: any) => {
    const config = row.config as CollectionKnowledge;
    const ability = await abilityOf(row.ownerId);
    const checked = ability ? await checkCollection(strapi, ability, config) : { problem: { path: [], message: 'the admin who added it is no longer active' } };
    if ('problem' in checked) {
      await storeChunks(row.id, [], { error: `Not indexed: ${checked.problem.message}` });
      return 0;
    }
    const read = await collectionChunks(strapi, config, checked.filters);
    const { chunks: parts, truncated } = capChunks(read.chunks, KNOWLEDGE_MAX_CHARS);
    const note = truncated ? `Truncated to ${KNOWLEDGE_MAX_CHARS} characters: the records past it are not indexed` : null;
    return storeChunks(row.id, parts, { error: note, text: parts.map((p) => `# ${p.heading}\n${p.text}`).join('\n\n') || '-' });
  };

  /** Record edits gather for a moment and a source re-indexes at most once per throttle window, so a bulk import or a write storm costs little. */
  const reindexing = reindexSchedule(
    async (sourceId) => {
      const row = await sources().findOne({ where: { id: sourceId }, select: SELECT }).catch(() => null);
      if (row?.kind === 'collection') await indexCollection(row).catch((error: Error) => strapi.log.error(`[whatsapp] knowledge source ${sourceId} re-index: ${error.message}`));
    },
    { gatherMs: KNOWLEDGE_REINDEX_DEBOUNCE_MS, everyMs: KNOWLEDGE_REINDEX_THROTTLE_MS },
  );

  /** Which collection sources watch each content type, kept a while so a host write costs no query (another instance may add a source: hence the expiry). */
  let watched: { byType: Map<string, number[]>; at: number } | null = null;
  let generation = 0;
  const sourcesChanged = () => {
    watched = null;
    generation += 1;
  };
  const watchers = async (uid: string) => {
    if (!watched || Date.now() - watched.at > KNOWLEDGE_WATCHED_TTL_MS) {
      const reading = generation;
      const rows = await sources().findMany({ where: { kind: 'collection' }, select: ['id', 'config'] });
      const byType = new Map<string, number[]>();
      for (const row of rows) {
        const type = (row.config as CollectionKnowledge | null)?.contentType;
        if (type) byType.set(type, [...(byType.get(type) ?? []), row.id]);
      }
      // A source added or removed while this was read: the list is used once, not kept.
      if (reading !== generation) return byType.get(uid) ?? [];
      watched = { byType, at: Date.now() };
    }
    return watched.byType.get(uid) ?? [];
  };

  return {
    /** The sources the caller's teams may see (team scoping, as every list). */
    async list(user: ScopedUser) {
      const allowed = await scope().visibleNumberIds(user);
      return (await sources().findMany({ select: SELECT, orderBy: { id: 'desc' } })).filter((row: any) => visibleTo(allowed, row)).map(out);
    },

    /** A host collection type, checked against the saving admin's Content Manager rights (each problem names its field). */
    async addCollection(user: ScopedUser, userAbility: unknown, config: CollectionKnowledge, numberIds?: number[]) {
      const numbers = await checkNumbers(user, numberIds);
      const checked = await checkCollection(strapi, userAbility, config);
      if ('problem' in checked) throw invalid(checked.problem.path, checked.problem.message);
      const ct = (strapi.contentTypes as Record<string, any>)[config.contentType];
      const title = String(ct.info?.displayName ?? config.contentType).slice(0, 200);
      // Read once before storing, so filters the database refuses are the caller's 400 and leave no source behind.
      await collectionChunks(strapi, config, checked.filters).catch((error: Error) => {
        // The database's own words (SQL) stay in the log.
        strapi.log.warn(`[whatsapp] knowledge collection filters refused: ${error.message}`);
        throw invalid(['filters'], 'cannot be applied to this content type: check the field names, operators and values');
      });
      const row = await sources().create({ data: { title, text: '-', kind: 'collection', config, ownerId: user.id, chunkCount: 0, numberIds: numbers } });
      sourcesChanged();
      await indexCollection(row);
      return out(await sources().findOne({ where: { id: row.id }, select: SELECT }));
    },

    /** A Document Service middleware: once a host write committed, the collection sources of its type re-index (debounced). */
    middleware() {
      return async (ctx: { uid: string; action: string }, next: () => Promise<unknown>) => {
        const result = await next();
        if (!ctx.uid.startsWith('api::') || !RECORD_ACTIONS.has(ctx.action)) return result;
        const run = async () => {
          for (const id of await watchers(ctx.uid)) reindexing.schedule(id);
        };
        const safely = () => run().catch((error: Error) => strapi.log.error(`[whatsapp] knowledge after ${ctx.uid} ${ctx.action}: ${error.message}`));
        if (strapi.db.inTransaction()) await strapi.db.transaction(async ({ onCommit }) => onCommit(() => void safely()));
        else await safely();
        return result;
      };
    },

    stop() {
      reindexing.stop();
    },

    /** Checks the numbers before anything is stored: `checkNumbers` once for a batch of uploads. */
    checkNumbers,

    async add(input: { title: string; text: string; kind?: 'text' | 'file'; filename?: string | null; numberIds?: number[] }) {
      const row = await sources().create({ data: { title: input.title, text: input.text, kind: input.kind ?? 'text', filename: input.filename ?? null, chunkCount: 0, numberIds: input.numberIds ?? [] } });
      const count = await writeChunks(row);
      return out({ ...row, chunkCount: count });
    },

    async remove(user: ScopedUser, id: unknown) {
      const n = toId(id);
      const row = n ? await sources().findOne({ where: { id: n } }) : null;
      const allowed = await scope().visibleNumberIds(user);
      if (!row || !visibleTo(allowed, row)) throw new errors.NotFoundError('No knowledge source with this id');
      if (!visibleTo(allowed, row, true) || (!numbersOf(row).length && !(await seesEvery(user)))) throw new errors.ForbiddenError('This source also answers on numbers of teams you are not in');
      // The source's row first: it waits for a re-index storing chunks, whose chunks the next statement then sees.
      await strapi.db.transaction(async () => {
        await sources().delete({ where: { id: row.id } });
        await chunks().deleteMany({ where: { sourceId: row.id } });
      });
      reindexing.cancel(row.id);
      sourcesChanged();
      return out(row);
    },

    /** Every source cut again from its stored text (the chunking may have changed) and the index rebuilt. */
    async reindex() {
      sourcesChanged();
      let total = 0;
      const rows = await sources().findMany({ select: [...SELECT, 'text'] });
      for (const row of rows) total += row.kind === 'collection' ? await indexCollection(row) : await writeChunks(row);
      await build();
      return { sources: rows.length, chunks: total };
    },

    /** The best sections for `question` among the sources number `numberId` answers from, on the index as the stored chunks are now. */
    async search(question: string, limit: number, numberId: number) {
      const current = built && built.signature === (await signature()) ? built : await build();
      return current.index.query(question, limit, (sourceId) => {
        const ids = current.numbers.get(sourceId) ?? [];
        return !ids.length || ids.includes(numberId);
      });
    },

    /** Built at boot so the first question does not wait for it. */
    async warm() {
      await build();
    },
  };
};
