import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { chunksOf } from '../claims';
import { insertConversationsIfNone, type CrmLink } from '../conversation-row';
import type { Db } from '../db-rows';
import { regionOf } from '../phone';
import { getService } from '../utils';

type OpeningNumber = { id: number; phone: string; region?: string | null };

/** The CRM record the identity sources match to this phone, as a conversation's link, or null. */
export const matchCrm = async (strapi: Core.Strapi, number: OpeningNumber, e164: string): Promise<CrmLink | null> => {
  const match = await getService('identity', { strapi }).match(e164, regionOf(number));
  return match ? { crmKind: match.kind, crmUid: match.uid, crmDocumentId: match.documentId, crmName: match.name } : null;
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
 * record `match` finds), one read of those. Insert-or-nothing on (number, customer), so openers at
 * once (a start, a notification, the customer's first messages, in any instance) share one row.
 */
export const openConversations = async (
  strapi: Core.Strapi,
  number: OpeningNumber,
  people: Opening[],
  options: { db?: Db; match?: (person: Opening) => Promise<CrmLink | null> } = {}
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
  const match = options.match ?? ((person: Opening) => (person.e164 ? matchCrm(strapi, number, person.e164) : Promise.resolve(null)));
  const rows = [];
  for (const person of missing) rows.push({ numberId: number.id, waId: person.waId, phone: person.e164, name: person.name ?? null, crm: person.crmHint ?? (await match(person)) });
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
