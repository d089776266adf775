/**
 * Whom stored webhook rows are about, the inbound worker's ordering stage: rows sharing a person
 * are applied one after another, so a row still waiting (a backoff, another worker's lease) holds
 * back that person's later rows.
 */
import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { adapterFor, type CanonicalEvent } from '../providers';
import { parseWebhookJson } from '../providers/json';
import { personOrderKey } from '../keys';
import type { NumberRow } from '../number-rows';
import { chunksOf, type Claims } from '../claims';

/** Ids of waiting rows read at once, and bodies of them (a body may be 4 MB): bounded reads, under SQLite's variable limit. */
const LOCKED_PAGE = 1000;
const BODIES_PER_READ = 50;
/** Rows whose people are remembered: a stored body never changes, so a waiting row is parsed once. */
const PEOPLE_CACHE_MAX = 50_000;

export type WebhookRow = { id: number; numberId: number; provider: NumberRow['provider']; rawBody: string; bodyEncoding?: string | null; attempts: number; lockedUntil: string | null };

/**
 * The people a row's events are about. Rows sharing one are applied one after another, in row
 * order: one customer's messages in the order they came, a STOP before a later START, one lead
 * per person even when they write to two numbers at once.
 */
export const peopleOf = (events: CanonicalEvent[]) =>
  events.map((event) => {
    if (event.kind === 'message') return personOrderKey(event.from.waId ?? event.from.userId);
    if (event.kind === 'status') return personOrderKey(event.recipient.waId ?? event.recipient.userId ?? event.providerMessageId);
    if (event.kind === 'consent') return personOrderKey(event.customer.waId ?? event.customer.userId);
    return `${event.kind}:${event.businessId ?? ''}`;
  });

export const parseRow = (row: Pick<WebhookRow, 'provider' | 'rawBody' | 'bodyEncoding'>) => {
  // Ingest stores only UTF-8 JSON now; rows kept as base64 before that still parse.
  const text = row.bodyEncoding === 'base64' ? Buffer.from(row.rawBody, 'base64').toString('utf8') : row.rawBody;
  return adapterFor(row.provider).parse(parseWebhookJson(text));
};

export const parseOrNothing = (row: Pick<WebhookRow, 'provider' | 'rawBody' | 'bodyEncoding'>) => {
  try {
    return parseRow(row);
  } catch {
    return undefined; // the worker's finishing step records why.
  }
};

export const createWaitingPeople = (strapi: Core.Strapi, claims: Claims<WebhookRow>) => {
  /** Row id → the people its events are about. */
  const peopleCache = new Map<number, string[]>();

  /**
   * The people of pending rows below `beforeId` that this worker is not claiming now (`own`), whatever
   * their lease: a row on a backoff or another worker's lease, or one given back a moment ago (a
   * lease cannot tell that one from a row never claimed), holds back its people's later rows. Free
   * rows of `skip` numbers (their turn in this pass is spent) are left out: reading a campaign's
   * whole backlog for every batch would cost more than it guards. Read a page of ids at a time and
   * their bodies a few at a time, so neither memory nor a statement's variables grow with the rows
   * waiting. Answers the ids of those free now (due, but below the batch just read), so the worker
   * can look again.
   */
  return async (beforeId: number, into: Set<string>, own: Set<number> = new Set(), skip: number[] = []): Promise<number[]> => {
    const free: number[] = [];
    for (let afterId = 0; ; ) {
      const page = await claims.pendingBefore(beforeId, { afterId, limit: LOCKED_PAGE, skip: { numberId: skip } });
      if (!page.length) return free;
      afterId = page[page.length - 1].id;
      const waiting = page.filter((row) => !own.has(row.id));
      for (const row of waiting) if (row.free) free.push(row.id);
      const ids = waiting.map((row) => row.id);
      const unknown = ids.filter((id) => !peopleCache.has(id));
      if (peopleCache.size + unknown.length > PEOPLE_CACHE_MAX) peopleCache.clear();
      for (const part of chunksOf(unknown, BODIES_PER_READ)) {
        const rows = (await strapi.db.query(UID.webhookEvent as any).findMany({ select: ['id', 'provider', 'rawBody', 'bodyEncoding'], where: { id: { $in: part } } })) as WebhookRow[];
        for (const row of rows) {
          const events = parseOrNothing(row);
          peopleCache.set(row.id, events ? peopleOf(events) : []);
        }
      }
      for (const id of ids) for (const person of peopleCache.get(id) ?? []) into.add(person);
      if (page.length < LOCKED_PAGE) return free;
    }
  };
};
