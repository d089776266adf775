/**
 * A number's golden set run through the engine that suggests and answers automatically: each
 * question must be answered, grounded, confident enough and cite its expected sources. The
 * latest run per number is stored; auto mode needs it passed.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { EvaluatedQuestion, Evaluation } from '../../contracts/assistant';
import { ASSISTANT_AUTO_THRESHOLD, PLUGIN_ID, UID } from '../constants';
import type { createEngine, Stored } from './engine';

const KEY = 'assistant-evaluations';

export const createEvaluation = (strapi: Core.Strapi, engine: ReturnType<typeof createEngine>, read: () => Promise<Stored>) => {
  const store = () => strapi.store({ type: 'plugin', name: PLUGIN_ID, key: KEY });
  const all = async () => ((await store().get({})) as Record<string, Evaluation> | null) ?? {};

  return {
    all,
    async latest(numberId: number): Promise<Evaluation | null> {
      return (await all())[String(numberId)] ?? null;
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
      const evaluation: Evaluation = { numberId, passed: passedCount === results.length, passedCount, total: results.length, at: new Date().toISOString(), results };
      await store().set({ value: { ...(await all()), [String(numberId)]: evaluation } });
      return evaluation;
    },
  };
};
