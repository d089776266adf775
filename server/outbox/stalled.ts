/**
 * The stalled-send check of both drivers (like BullMQ's stalled jobs): a row left `sending` that no
 * send owns any more (a database error after the provider took it, a claim whose answer was lost,
 * an instance that stopped) may or may not have gone, so it is put up for review, never resent.
 */
import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { getService } from '../utils';
import type { Row } from './deliver';

/** How long a claim to send holds its row: far longer than its slot, the provider's answer (15 s at most) and recording it take. */
export const SENDING_LEASE_MS = 2 * 60_000;
/** Rows looked at per sweep. */
const PAGE = 1000;

export const STALLED = {
  status: 'review',
  errorClass: 'maybe-sent',
  errorText: 'left mid-send (its send was interrupted, e.g. by a database error): it may have been sent; not resent automatically, check with the customer before sending again',
};

export interface StalledCheck {
  /** Whether a send of this process holds the row now: never stalled, however long it takes. */
  ownedHere: (id: number) => boolean;
  /** Several instances: this one's id, and which of the others still beat (their sends are theirs to judge). */
  cluster?: { self: string; alive: (ids: string[]) => Promise<Set<string>> };
}

/** Puts this sweep's stalled rows up for review; answers how many. */
export const reviewStalled = async (strapi: Core.Strapi, { ownedHere, cluster }: StalledCheck): Promise<number> => {
  const q = strapi.db.query(UID.message as any);
  const rows: Row[] = await q.findMany({ where: { direction: 'out', status: 'sending' }, select: ['id', 'attempts', 'dispatchedBy', 'lockedUntil', 'conversationId', 'numberId'], orderBy: { id: 'asc' }, limit: PAGE });
  if (!rows.length) return 0;
  const others = cluster ? rows.map((r) => r.dispatchedBy as string | null).filter((id): id is string => !!id && id !== cluster.self) : [];
  const alive = cluster && others.length ? await cluster.alive([...new Set(others)]) : new Set<string>();
  const now = Date.now();
  const stalled = rows.filter((r) => {
    if (ownedHere(r.id)) return false;
    // Another instance's claim: it judges its own while it beats; once it stopped, nothing is sending it.
    if (cluster && r.dispatchedBy && r.dispatchedBy !== cluster.self) return !alive.has(r.dispatchedBy);
    return !r.lockedUntil || new Date(r.lockedUntil).getTime() <= now;
  });
  let count = 0;
  for (const r of stalled) {
    // Only the claim that was seen (its attempt count is the claim's version): a row claimed anew since is not stalled.
    const where = { id: r.id, status: 'sending', attempts: r.attempts ?? { $null: true }, dispatchedBy: r.dispatchedBy ?? { $null: true } };
    if ((await q.updateMany({ where, data: STALLED })).count) {
      count += 1;
      getService('realtime', { strapi }).publish({ type: 'message.status', conversationId: r.conversationId, numberId: r.numberId, messageId: r.id, status: 'review' });
    }
  }
  if (count) strapi.log.warn(`[whatsapp] ${count} message(s) were left mid-send; marked for review (maybe sent)`);
  return count;
};
