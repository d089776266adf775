/** A host record as the plugin shows it: only what a reader's Content Manager rights let them read of it. */
import type { Core } from '@strapi/strapi';
import { recordAdminPath, type ReadScope } from './content-manager-scope';

export interface CrmRecordSummary {
  type: string;
  fields: Record<string, unknown>;
  adminPath: string;
}

const TIMESTAMPS = ['createdAt', 'updatedAt', 'publishedAt'];
const SCALAR = ['string', 'email', 'enumeration', 'integer', 'decimal', 'float', 'biginteger', 'date', 'datetime', 'boolean'];
const MAX_FIELDS = 10;

/**
 * The record `documentId` of `uid` if the reader may read it (type, row conditions), with its
 * scalar fields they may read (never a private one); null when there is no such record or no right.
 */
export const readCrmRecord = async (strapi: Core.Strapi, scope: ReadScope | undefined, uid: string | null | undefined, documentId: string | null | undefined): Promise<CrmRecordSummary | null> => {
  if (!uid || !documentId || !scope) return null;
  const ct = strapi.contentTypes[uid as keyof typeof strapi.contentTypes] as { attributes: Record<string, any>; info?: { displayName?: string } } | undefined;
  if (!ct) return null;
  const allowed = await scope(uid);
  if (!allowed) return null;
  const filters = allowed.filters ? { $and: [{ documentId }, allowed.filters] } : { documentId };
  const record = (await strapi.documents(uid as any).findFirst({ filters: filters as any })) as Record<string, unknown> | null;
  if (!record) return null;
  const fields = Object.fromEntries(
    Object.entries(ct.attributes)
      // Timestamps are never listed in field permissions; whoever may read the record sees them.
      .filter(([name, a]) => SCALAR.includes(a.type) && !a.private && (TIMESTAMPS.includes(name) || allowed.canReadField(name)) && record[name] !== null && record[name] !== undefined)
      .slice(0, MAX_FIELDS)
      .map(([name]) => [name, record[name]])
  );
  return { type: ct.info?.displayName ?? uid, fields, adminPath: recordAdminPath(uid, documentId) };
};
