/** The applied-event keys that make each provider event apply once (README: Receiving messages). */
import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { chunksOf } from '../claims';
import { rowInserter, type Db } from '../db-rows';
import { appliedEventKey } from '../keys';
import type { NumberRow } from '../number-rows';

export interface KeyRow {
  key: string;
  webhookEventId: number | null;
  outcome: string;
  /** An unmatched receipt's message, `<number id>:<provider id>` (and the provider's other id): a send recorded later finds it. */
  aboutId?: string | null;
  aboutAltId?: string | null;
}

/** The event key the worker stores: provider and number first, so two numbers' ids never meet (built in server/keys.ts). */
export const eventKey = (number: { provider: NumberRow['provider']; id: number }, key: string) => appliedEventKey(number.provider, number.id, key);

export const createKeys = (strapi: Core.Strapi) => {
  const rows = rowInserter(strapi, UID.appliedEvent);

  /**
   * Inserts the keys in one statement per 500 and answers those that were new: the events to
   * apply now. A key already there (applied before, or twice in `keys`) is skipped, never an error.
   */
  const claim = async (trx: Db, keys: KeyRow[]): Promise<Set<string>> => {
    const fresh = new Set<string>();
    const unique = [...new Map(keys.map((k) => [k.key, k])).values()];
    for (const part of chunksOf(unique, 500)) {
      for (const key of await rows.insertIfNoneReturning(trx, part.map((k) => ({ ...k })), ['key'], 'key')) fresh.add(String(key));
    }
    return fresh;
  };

  return { claim, claimOne: async (trx: Db, key: KeyRow) => (await claim(trx, [key])).has(key.key) };
};

export type Keys = ReturnType<typeof createKeys>;
