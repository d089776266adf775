/** What the assistant did per number: outcomes of suggestions, automatic answers, handoffs, speed and tokens. */
import type { Core } from '@strapi/strapi';
import type { AssistantFigures } from '../../contracts/assistant';
import { UID } from '../constants';

type Row = Record<string, any>;

const median = (values: number[]) => {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
};

/** The first answer's delay per customer message: later suggestions on the same message are not first answers. */
const firstAnswers = (rows: Row[]) => {
  const first = new Map<string, number>();
  rows.forEach((r, i) => {
    if (typeof r.latencyMs !== 'number') return;
    const key = r.messageId ? `m:${r.messageId}` : `row:${i}`;
    first.set(key, Math.min(first.get(key) ?? Infinity, r.latencyMs));
  });
  return [...first.values()];
};

export const figuresOf = async (strapi: Core.Strapi, numberIds: number[]): Promise<AssistantFigures[]> => {
  if (!numberIds.length) return [];
  const rows: Row[] = await strapi.db.query(UID.assistantSuggestion as any).findMany({ where: { numberId: { $in: numberIds } }, select: ['numberId', 'messageId', 'kind', 'outcome', 'sent', 'handoffReason', 'latencyMs', 'tokens'] });
  return numberIds.map((numberId) => {
    const mine = rows.filter((r) => r.numberId === numberId);
    // A draft an automatic answer kept for staff waits like a suggestion; a sent one is no suggestion.
    const drafts = mine.filter((r) => !r.sent && r.handoffReason !== 'human-took-over');
    const count = (outcome: string) => drafts.filter((r) => r.outcome === outcome).length;
    return {
      numberId,
      accepted: count('accepted'),
      edited: count('edited'),
      rejected: count('rejected'),
      pending: count('pending'),
      automatic: mine.filter((r) => r.kind === 'auto' && r.sent).length,
      handoffs: mine.filter((r) => r.handoffReason && r.handoffReason !== 'human-took-over').length,
      medianFirstAnswerMs: median(firstAnswers(mine)),
      tokens: mine.reduce((sum, r) => sum + (r.tokens ?? 0), 0),
    };
  });
};
