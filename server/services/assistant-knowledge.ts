import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { KnowledgeSource } from '../../contracts/assistant';
import { chunkText } from '../assistant/chunk';
import { buildIndex, type KnowledgeIndex } from '../assistant/knowledge-index';
import { UID } from '../constants';
import { toId } from '../ids';

const out = (row: any): KnowledgeSource => ({
  id: row.id,
  title: row.title,
  kind: row.kind === 'file' ? 'file' : 'text',
  filename: row.filename ?? null,
  chunks: row.chunkCount ?? 0,
  createdAt: new Date(row.createdAt).toISOString(),
});

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

  const writeChunks = async (source: any) => {
    const parts = chunkText(source.text);
    await strapi.db.transaction(async () => {
      await chunks().deleteMany({ where: { sourceId: source.id } });
      if (parts.length) await chunks().createMany({ data: parts.map((p, position) => ({ sourceId: source.id, position, heading: p.heading?.slice(0, 255) ?? null, text: p.text })) });
      await sources().update({ where: { id: source.id }, data: { chunkCount: parts.length } });
    });
    return parts.length;
  };

  return {
    async list() {
      return (await sources().findMany({ select: ['id', 'title', 'kind', 'filename', 'chunkCount', 'createdAt'], orderBy: { id: 'desc' } })).map(out);
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
      const rows = await sources().findMany({ select: ['id', 'text'] });
      for (const row of rows) total += await writeChunks(row);
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
