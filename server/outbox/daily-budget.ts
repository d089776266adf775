/**
 * The number's daily budget of business-initiated conversations (its Meta messaging tier), one
 * definition for the outbox's admission and the campaigns' pre-flight: the distinct conversations
 * that automated sends (campaigns, notifications) opened from the number in the last 24 hours,
 * failed sends left out. Meta's tier is a rolling 24-hour window, so "today" is the last 24 hours.
 */
import type { Core } from '@strapi/strapi';
import { MESSAGING_TIERS, type MessagingTier } from '../../contracts/campaigns';
import { BUDGET_SOURCES, UID } from '../constants';

type Row = Record<string, any>;
export const BUDGET_WINDOW_MS = 24 * 60 * 60_000;

/** The number's cap from its messaging tier, or null (no tier set, or unlimited). */
export const dailyLimitOf = (number: Row) => (number.messagingTier && number.messagingTier in MESSAGING_TIERS ? MESSAGING_TIERS[number.messagingTier as MessagingTier] : null);

const counted = (strapi: Core.Strapi) => {
  const m = strapi.db.metadata.get(UID.message as any).tableName;
  return strapi.db.connection(m).where({ direction: 'out' }).whereIn('source', [...BUDGET_SOURCES]).whereNot('status', 'failed').andWhere('created_at', '>', new Date(Date.now() - BUDGET_WINDOW_MS));
};

/** Business-initiated conversations this number opened in the last 24 hours (one count query). */
export const usedToday = async (strapi: Core.Strapi, numberId: number) => {
  const [row] = await counted(strapi).andWhere('number_id', numberId).countDistinct('conversation_id as n');
  return Number(row?.n ?? 0);
};

/** Which of these conversations are already counted today (a batch's sends to them open nothing new). */
export const countedConversations = async (strapi: Core.Strapi, conversationIds: number[]): Promise<Set<number>> => {
  const found = new Set<number>();
  for (let i = 0; i < conversationIds.length; i += 500) {
    const rows: Row[] = await counted(strapi).whereIn('conversation_id', conversationIds.slice(i, i + 500)).distinct('conversation_id');
    for (const r of rows) found.add(Number(r.conversation_id));
  }
  return found;
};

/**
 * The admission fact for one business-initiated send: the cap and what is used, or undefined when
 * the number has no cap or this conversation is already counted today (another send opens nothing new).
 */
export const dailyFact = async (strapi: Core.Strapi, number: Row, conversationId: number | null, tally?: DailyTally): Promise<{ limit: number; used: number } | undefined> => {
  const limit = dailyLimitOf(number);
  if (limit === null) return undefined;
  if (conversationId !== null && (await counted(strapi).andWhere('conversation_id', conversationId).first('id'))) return undefined;
  const known = tally?.get(number.id);
  const used = known ?? (await usedToday(strapi, number.id));
  tally?.set(number.id, used);
  return { limit, used };
};

/**
 * A batch sender's running count per number (a campaign feed's page): counted once, then raised by
 * each conversation the batch opens, so a send costs no count query. Sends by others meanwhile are
 * seen at the next batch.
 */
export type DailyTally = Map<number, number>;

/** Records one more conversation opened from the number, when the tally counted it. */
export const tallyOne = (tally: DailyTally | undefined, numberId: number) => {
  if (tally?.has(numberId)) tally.set(numberId, tally.get(numberId)! + 1);
};
