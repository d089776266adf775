import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { UID } from '../constants';
import type { CrmLink } from '../conversation-row';
import { recordE164, regionOf } from '../phone';
import { getService } from '../utils';
import type { AdminUser } from '../services/inbox';

export interface StartInput {
  numberId?: number;
  to?: string;
  record?: { uid: string; documentId: string };
  template: { name: string; language: string; params?: any };
  idempotencyKey?: string;
}

const invalid = (path: string, message: string, value: unknown = null) => new errors.ValidationError(`${path}: ${message}`, { errors: [{ path: [path], message, name: 'ValidationError', value }] });

/**
 * Whom staff start a conversation with: a number they may see (or the default one) and a phone,
 * typed or read from a CRM record they could open in the Content Manager, phone field included.
 */
export const startRecipient = async (strapi: Core.Strapi, user: AdminUser, input: StartInput, allowed: number[] | 'all') => {
  const numberId = input.numberId ?? (await getService('settings', { strapi }).get()).defaultNumberId;
  if (!numberId) throw invalid('numberId', 'choose a number (no default number is set in the settings)');
  const number = await strapi.db.query(UID.number as any).findOne({ where: { id: numberId, deletedAt: null } });
  if (!number || (allowed !== 'all' && !allowed.includes(number.id))) throw new errors.NotFoundError('No WhatsApp number with this id');
  let phone = input.to ?? null;
  let crm: CrmLink | null = null;
  if (input.record) {
    const { identitySources } = await getService('settings', { strapi }).get();
    const source = identitySources.find((s) => s.uid === input.record!.uid);
    if (!source) throw new errors.ValidationError(`record.uid: ${input.record.uid} is not one of the identity sources in settings`);
    // Only a record the caller could open in the Content Manager, phone included: else it is not there for them.
    const scope = user.scope ? await user.scope(source.uid) : null;
    const filters = scope?.filters ? { $and: [{ documentId: input.record.documentId }, scope.filters] } : { documentId: input.record.documentId };
    const record = scope?.canReadField(source.phoneField) ? await strapi.documents(input.record.uid as any).findFirst({ filters: filters as any }) : null;
    if (!record) throw new errors.NotFoundError('No such record');
    phone = (record as any)[source.phoneField] ?? null;
    crm = { crmKind: source.kind, crmUid: source.uid, crmDocumentId: input.record.documentId, crmName: source.nameField ? (record as any)[source.nameField] ?? null : null };
  }
  const e164 = phone ? recordE164(phone, regionOf(number)) : null;
  if (!e164) throw new errors.ValidationError('to: no valid phone number to write to', { errors: [{ path: ['to'], message: 'not a valid phone number', name: 'ValidationError', value: phone }] });
  return { number, e164, crm };
};
