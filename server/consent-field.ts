/**
 * The CRM's own opt-out field → consent (the other direction is services/consents.ts): a Document
 * Service middleware that, once the host's write committed, records a staff change of an identity
 * source's `optOutField` (source `crm-field`, or `crm-import` for a new record).
 */
import type { Core } from '@strapi/strapi';
import { getService } from './utils';

type Row = Record<string, any>;
const ACTIONS = new Set(['create', 'update', 'publish']);

export const consentFieldMiddleware = (strapi: Core.Strapi) => async (ctx: { uid: string; action: string; params: Row }, next: () => Promise<unknown>) => {
  const result = (await next()) as Row | null;
  if (!ctx.uid.startsWith('api::') || !ACTIONS.has(ctx.action)) return result;
  const documentId: unknown = result?.documentId ?? ctx.params?.documentId;
  if (typeof documentId !== 'string') return result;
  const run = async () => {
    const source = await getService('opt-out', { strapi }).sourceOf(ctx.uid);
    // Only a write that names the field: other edits say nothing about consent.
    if (!source || (ctx.action !== 'publish' && ctx.params?.data?.[source.optOutField] === undefined)) return;
    const record = (await strapi.db.query(ctx.uid as any).findOne({ where: { documentId }, select: [source.phoneField, source.optOutField], orderBy: { updatedAt: 'desc' } })) as Row | null;
    if (!record || typeof record[source.optOutField] !== 'boolean') return;
    await getService('consents', { strapi }).fromCrmField(record[source.phoneField], record[source.optOutField], ctx.action === 'create' ? 'crm-import' : 'crm-field', `${ctx.uid} ${documentId} ${source.optOutField} = ${record[source.optOutField]}`);
  };
  const safely = () => run().catch((error: Error) => strapi.log.error(`[whatsapp] consent from ${ctx.uid} ${documentId}: ${error.message}`));
  if (strapi.db.inTransaction()) await strapi.db.transaction(async ({ onCommit }) => onCommit(() => void safely()));
  else await safely();
  return result;
};
