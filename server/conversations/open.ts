import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { insertConversationIfNone, type CrmLink } from '../conversation-row';
import type { Db } from '../db-rows';
import { regionOf } from '../phone';
import { getService } from '../utils';

/**
 * The conversation between a number and a customer (by E.164 phone), opened if there is none: linked
 * to the CRM record given, else to the one the identity sources match. Insert-or-nothing, so two
 * openers at once (a start, a notification, the customer's first message) share one row.
 */
export const openConversation = async (
  strapi: Core.Strapi,
  number: { id: number; phone: string; region?: string | null },
  e164: string,
  crmHint?: CrmLink | null,
  options: { db?: Db; name?: string | null } = {}
): Promise<Record<string, any>> => {
  const waId = e164.replace(/\D/g, '');
  const find = () => strapi.db.query(UID.conversation as any).findOne({ where: { numberId: number.id, customerWaId: waId } });
  const existing = await find();
  if (existing) return existing;
  let crm = crmHint ?? null;
  if (!crm) {
    const match = await getService('identity', { strapi }).match(e164, regionOf(number));
    crm = match ? { crmKind: match.kind, crmUid: match.uid, crmDocumentId: match.documentId, crmName: match.name } : null;
  }
  await insertConversationIfNone(options.db ?? strapi.db.connection, { numberId: number.id, waId, phone: e164, name: options.name ?? null, crm }, strapi);
  return find();
};
