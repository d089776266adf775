import type { Row } from './deliver';

/** Meta allows about one message every 6 s to one person with short bursts; stay well under it. */
export const PAIR_LIMIT = 10;
export const PAIR_WINDOW_MS = 60_000;
export { numberRateKey as numberKey, pairRateKey as pairKey } from '../keys';
/** The number's messages per second, as configured (Meta's default 80). */
export const perSecond = (number: { throughputMps?: number | null }) => Math.max(1, Math.floor(number.throughputMps ?? 80));

/**
 * What carries queued rows to `deliver`: the single-instance loop or the BullMQ queue shared by
 * several instances. One is chosen when the plugin starts; nothing else asks which.
 */
export interface OutboxDriver {
  /** Picks up what a previous process left (mid-send rows go to review), then works until stopped. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Look for due rows now. */
  kick(): void;
  /** Resolves when no pass of this instance's worker is running. */
  idle(): Promise<void>;
  /** Rows just queued (committed): hand them to the worker. */
  schedule(rows: Row[]): Promise<void>;
}
