import MiniSearch from 'minisearch';

export interface IndexedChunk {
  id: number;
  sourceId: number;
  title: string;
  heading: string | null;
  text: string;
}

export interface Hit extends IndexedChunk {
  score: number;
  /** Share (0–1) of the question's words the chunk matched. */
  coverage: number;
}

/** Words that say nothing about what is asked: they neither match nor count toward coverage. */
const STOP = new Set(
  'a an and are as at be but by can could do does for from have how i if in is it me my of on or our please so that the their there this to us was we what when where which who why will with would you your hi hello thanks thank'.split(' ')
);
const processTerm = (term: string) => {
  const t = term.toLowerCase();
  return STOP.has(t) ? null : t;
};

/** The knowledge chunks, ranked by MiniSearch (BM25 with prefix and fuzzy matching), headings weighing double. */
export const buildIndex = (chunks: IndexedChunk[]) => {
  const search = new MiniSearch<IndexedChunk>({
    fields: ['heading', 'text'],
    storeFields: ['sourceId', 'title', 'heading', 'text'],
    processTerm,
    searchOptions: { boost: { heading: 2 }, prefix: true, fuzzy: 0.2, combineWith: 'OR' },
  });
  search.addAll(chunks.map((c) => ({ ...c, heading: c.heading ?? '' })));
  return {
    size: chunks.length,
    /** The best `limit` chunks for the question, among those whose source `keep` accepts (all without it). */
    query(question: string, limit: number, keep?: (sourceId: number) => boolean): Hit[] {
      const words = new Set((MiniSearch.getDefault('tokenize') as (s: string) => string[])(question).map(processTerm).filter((t): t is string => Boolean(t)));
      if (!words.size) return [];
      return search
        .search(question, keep ? { filter: (r) => keep(r.sourceId) } : undefined)
        .slice(0, limit)
        .map((r) => ({
          id: Number(r.id),
          sourceId: r.sourceId,
          title: r.title,
          heading: r.heading || null,
          text: r.text,
          score: r.score,
          coverage: Math.min(1, new Set(r.queryTerms).size / words.size),
        }));
    },
  };
};

export type KnowledgeIndex = ReturnType<typeof buildIndex>;

/**
 * How sure the built-in engine is of its best hit: how much of the question it covers, discounted
 * when the runner-up scores nearly as well (two sections answering alike mean the question is vague).
 */
export const confidenceOf = (hits: Hit[]) => {
  const [top, next] = hits;
  if (!top) return 0;
  const margin = next ? (top.score - next.score) / top.score : 1;
  return Math.round(top.coverage * (0.6 + 0.4 * margin) * 100) / 100;
};
