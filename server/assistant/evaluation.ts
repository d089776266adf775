/**
 * A number's golden set run through the engine that suggests and answers automatically: each
 * question must be answered, grounded, confident enough and cite its expected sources. The
 * latest run per number is stored with a fingerprint of what it ran on; auto mode needs it passed
 * and not stale (the fingerprint of the setup now is the same).
 */
import nodeCrypto from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { EvaluatedQuestion, Evaluation } from '../../contracts/assistant';

/** As stored: with the fingerprint of what it ran on, without the staleness judged when read. */
type StoredEvaluation = Omit<Evaluation, 'stale'> & { fingerprint?: string };
import { ASSISTANT_AUTO_THRESHOLD, PLUGIN_ID, UID } from '../constants';
import type { createEngine, Stored } from './engine';

const KEY = 'assistant-evaluations';

const sha = (value: unknown) => nodeCrypto.createHash('sha256').update(JSON.stringify(value)).digest('hex');

export const createEvaluation = (strapi: Core.Strapi, engine: ReturnType<typeof createEngine>, read: () => Promise<Stored>) => {
  const store = () => strapi.store({ type: 'plugin', name: PLUGIN_ID, key: KEY });
  const stored = async () => ((await store().get({})) as Record<string, StoredEvaluation> | null) ?? {};
  const sources = () => strapi.db.query(UID.assistantSource as any);

  /** The knowledge a number answers from as set up: files' text, collections' configuration (their records may change without a new evaluation). Re-hashed only when a source changed. */
  const knowledgeMemo = new Map<number, { mark: string; hash: string }>();
  const knowledgeHash = async (numberId: number) => {
    const mark = sha(await sources().findMany({ select: ['id', 'updatedAt'], orderBy: { id: 'asc' } }));
    const memo = knowledgeMemo.get(numberId);
    if (memo?.mark === mark) return memo.hash;
    const rows = await sources().findMany({ select: ['id', 'title', 'kind', 'text', 'config', 'numberIds'], orderBy: { id: 'asc' } });
    // A source for other numbers only is not this number's knowledge: adding one leaves its evaluation as it was.
    const mine = rows.filter((r: Record<string, any>) => !Array.isArray(r.numberIds) || !r.numberIds.length || r.numberIds.includes(numberId));
    const hash = sha(mine.map((r: Record<string, unknown>) => [r.id, r.title, r.kind, r.kind === 'collection' ? r.config : r.text]));
    knowledgeMemo.set(numberId, { mark, hash });
    return hash;
  };

  /** What a number's evaluation depends on: the engine, its address and model, redaction, the threshold, the golden set and the knowledge. */
  const fingerprint = async (settings: Stored, numberId: number) => {
    const entry = settings.numbers.find((n) => n.numberId === numberId);
    return sha({ engine: settings.engine, baseUrl: settings.baseUrl, model: settings.model, redact: settings.redact, threshold: entry?.threshold ?? null, golden: entry?.golden ?? [], knowledge: await knowledgeHash(numberId) });
  };

  /** An evaluation as answered: stale when the setup changed since it ran (one stored before fingerprints is stale too). */
  const withStale = async (evaluation: StoredEvaluation, settings: Stored): Promise<Evaluation> => {
    const { fingerprint: ran, ...rest } = evaluation;
    return { ...rest, stale: ran !== (await fingerprint(settings, evaluation.numberId)) };
  };

  return {
    fingerprint,
    async all(): Promise<Evaluation[]> {
      const settings = await read();
      return Promise.all(Object.values(await stored()).map((e) => withStale(e, settings)));
    },
    /** The number's latest evaluation, judged against `settings` (the saved ones unless given). */
    async latest(numberId: number, settings?: Stored): Promise<Evaluation | null> {
      const evaluation = (await stored())[String(numberId)];
      return evaluation ? withStale(evaluation, settings ?? (await read())) : null;
    },

    async run(numberId: number): Promise<Evaluation> {
      const settings = await read();
      const entry = settings.numbers.find((n) => n.numberId === numberId);
      if (!entry?.golden?.length) {
        const message = 'this number has no golden set: add questions to it in the assistant settings first';
        throw new errors.ValidationError(`numberId: ${message}`, { errors: [{ path: ['numberId'], message, name: 'ValidationError', value: numberId }] });
      }
      const threshold = entry.threshold ?? ASSISTANT_AUTO_THRESHOLD;
      const results: EvaluatedQuestion[] = [];
      for (const { question, expectedSources } of entry.golden) {
        const draft = await engine.draft(settings, { messages: [{ direction: 'in', text: question }], question, crm: null, windowOpen: true, numberId });
        const ids = [...new Set(draft.citations.map((c) => c.sourceId))];
        const sources = ids.length ? await strapi.db.query(UID.assistantSource as any).findMany({ where: { id: { $in: ids } }, select: ['id', 'title'] }) : [];
        const citedSources = sources.map((s: { title: string }) => s.title);
        // An expected source is named by its id or its title.
        const cited = new Set([...citedSources.map((t: string) => t.toLowerCase()), ...ids.map(String)]);
        const citesAll = expectedSources.every((s) => cited.has(s.trim().toLowerCase()));
        const passed = !draft.handoff && Boolean(draft.text) && draft.grounded && draft.confidence >= threshold && citesAll;
        results.push({ question, expectedSources, citedSources, passed, answer: draft.text, confidence: draft.confidence, grounded: draft.grounded, handoff: draft.handoff?.reason ?? null });
      }
      const passedCount = results.filter((r) => r.passed).length;
      const evaluation: StoredEvaluation = { numberId, passed: passedCount === results.length, passedCount, total: results.length, at: new Date().toISOString(), results, fingerprint: await fingerprint(settings, numberId) };
      await store().set({ value: { ...(await stored()), [String(numberId)]: evaluation } });
      return withStale(evaluation, settings);
    },
  };
};
