import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { chunksOf } from '../claims';
import { insertConversationsIfNone, type CrmLink } from '../conversation-row';
import type { Db } from '../db-rows';
import { regionOf } from '../phone';
import { getService } from '../utils';

type OpeningNumber = { id: number; phone: string; region?: string | null };

/** The CRM record the identity sources match to each phone, as a conversation's link (null: none). */
export const matchCrms = async (strapi: Core.Strapi, number: OpeningNumber, e164s: string[]): Promise<Map<string, CrmLink | null>> => {
  const found = await getService('identity', { strapi }).matchMany(e164s, regionOf(number));
  return new Map([...found].map(([e164, match]) => [e164, match ? { crmKind: match.kind, crmUid: match.uid, crmDocumentId: match.documentId, crmName: match.name } : null]));
};

/** Matches each opening's phone (matchCrms), by WhatsApp id. */
const matchOpenings = async (strapi: Core.Strapi, number: OpeningNumber, people: Opening[]) => {
  const crms = await matchCrms(strapi, number, people.flatMap((person) => (person.e164 ? [person.e164] : [])));
  return new Map(people.map((person) => [person.waId, person.e164 ? crms.get(person.e164) ?? null : null]));
};

export interface Opening {
  /** The customer's WhatsApp id (their phone's digits, or a provider's user id). */
  waId: string;
  e164: string | null;
  name?: string | null;
  /** The record the caller already knows this customer by; else `match` (the identity sources) is asked. */
  crmHint?: CrmLink | null;
}

/**
 * The conversations between a number and these customers (by WhatsApp id), opened where there are
 * none: one read, one insert-or-nothing of the missing ones (linked to their hint, else to the
 * record `match` finds, by WhatsApp id), one read of those. Insert-or-nothing on (number, customer), so openers at
 * once (a start, a notification, the customer's first messages, in any instance) share one row.
 */
export const openConversations = async (
  strapi: Core.Strapi,
  number: OpeningNumber,
  people: Opening[],
  options: { db?: Db; match?: (people: Opening[]) => Promise<Map<string, CrmLink | null>> } = {}
): Promise<Map<string, Record<string, any>>> => {
  const read = async (waIds: string[]) => {
    const found = new Map<string, Record<string, any>>();
    for (const part of chunksOf(waIds, 500)) {
      for (const row of await strapi.db.query(UID.conversation as any).findMany({ where: { numberId: number.id, customerWaId: { $in: part } } })) found.set(row.customerWaId, row);
    }
    return found;
  };
  const byWaId = new Map(people.map((person) => [person.waId, person]));
  const found = await read([...byWaId.keys()]);
  const missing = [...byWaId.values()].filter((person) => !found.has(person.waId));
  if (!missing.length) return found;
  const unhinted = missing.filter((person) => !person.crmHint);
  const matched = unhinted.length ? await (options.match ?? ((people: Opening[]) => matchOpenings(strapi, number, people)))(unhinted) : new Map<string, CrmLink | null>();
  const rows = missing.map((person) => ({ numberId: number.id, waId: person.waId, phone: person.e164, name: person.name ?? null, crm: person.crmHint ?? matched.get(person.waId) ?? null }));
  await insertConversationsIfNone(options.db ?? strapi.db.connection, rows, strapi);
  for (const [waId, row] of await read(missing.map((person) => person.waId))) found.set(waId, row);
  return found;
};

/** One customer's conversation with a number (by E.164 phone), opened if there is none (openConversations). */
export const openConversation = async (
  strapi: Core.Strapi,
  number: OpeningNumber,
  e164: string,
  crmHint?: CrmLink | null,
  options: { db?: Db; name?: string | null } = {}
): Promise<Record<string, any>> => {
  const waId = e164.replace(/\D/g, '');
  const found = await openConversations(strapi, number, [{ waId, e164, name: options.name ?? null, crmHint }], { db: options.db });
  return found.get(waId)!;
};
