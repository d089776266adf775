import type { Core } from '@strapi/strapi';
import type { Recipient } from '../../contracts/host';
import { kindLabel, type IdentitySource } from '../../contracts/settings';
import type { ReadScope } from '../content-manager-scope';
import { recordE164, samePersonKey } from '../phone';
import { getService } from '../utils';

export interface CrmMatch {
  /** The kind key of the identity source it came through. */
  kind: string;
  uid: string;
  documentId: string;
  name: string | null;
}

/**
 * Finds the CRM record a customer's phone belongs to, through the identity sources in settings,
 * in their order. Phones in records are free text, so candidates are narrowed by their last digits
 * and then compared as E.164 (with national variants folded together).
 */
/** Candidates read per phone's last four digits. */
const PER_TAIL = 200;

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const exists = (uid: string) => Boolean(strapi.contentTypes[uid as keyof typeof strapi.contentTypes]);

  /** Records of a source whose phone contains one of `tails`, oldest first: up to `limit` per tail as one query. */
  const candidatesOf = async (source: IdentitySource, tails: string[], limit: number) =>
    (await strapi.db.query(source.uid as any).findMany({
      where: tails.length === 1 ? { [source.phoneField]: { $contains: tails[0] } } : { $or: tails.map((tail) => ({ [source.phoneField]: { $contains: tail } })) },
      select: ['id', 'documentId', source.phoneField, ...(source.nameField ? [source.nameField] : [])],
      orderBy: { id: 'asc' },
      limit,
    })) as Record<string, any>[];

  /** Each phone's record in one source: candidates narrowed by their last digits, compared as E.164; 50 phones a query. */
  const findIn = async (source: IdentitySource, phones: string[], region: string | null, into: Map<string, CrmMatch | null>) => {
    if (!exists(source.uid)) return;
    const toMatch = (hit: Record<string, any>): CrmMatch => ({ kind: source.kind, uid: source.uid, documentId: hit.documentId, name: source.nameField ? hit[source.nameField] ?? null : null });
    for (let i = 0; i < phones.length; i += 50) {
      const part = phones.slice(i, i + 50);
      const tails = [...new Set(part.map((e164) => e164.slice(-4)))];
      let candidates = await candidatesOf(source, tails, PER_TAIL * tails.length);
      // Candidates past the limit could hide a phone's record: then each tail gets its own limit.
      if (tails.length > 1 && candidates.length >= PER_TAIL * tails.length) candidates = (await Promise.all(tails.map((tail) => candidatesOf(source, [tail], PER_TAIL)))).flat().sort((a, b) => a.id - b.id);
      const keyed = candidates.map((c) => {
        const phone = recordE164(c[source.phoneField], region);
        return { c, raw: String(c[source.phoneField] ?? ''), key: phone === null ? null : samePersonKey(phone) };
      });
      for (const e164 of part) {
        const wanted = samePersonKey(e164);
        const tail = e164.slice(-4);
        const hit = keyed.find((k) => k.key === wanted && k.raw.includes(tail));
        if (hit) into.set(e164, toMatch(hit.c));
      }
    }
  };

  /** Each phone's CRM record through the identity sources, in their order (null: none). */
  const matchMany = async (e164s: string[], region: string | null): Promise<Map<string, CrmMatch | null>> => {
    const found = new Map<string, CrmMatch | null>();
    const { identitySources } = await getService('settings', { strapi }).get();
    for (const source of identitySources) {
      const left = [...new Set(e164s)].filter((e164) => !found.has(e164));
      if (!left.length) break;
      await findIn(source, left, region, found);
    }
    for (const e164 of e164s) if (!found.has(e164)) found.set(e164, null);
    return found;
  };

  return {
    async match(e164: string, region: string | null): Promise<CrmMatch | null> {
      return (await matchMany([e164], region)).get(e164) ?? null;
    },

    /** `match` for many phones at once, a query per source for every 50 phones (the inbound worker's batches). */
    matchMany,

    /**
     * Records with a phone whose name or phone contains `q`, in the identity sources the caller may
     * read, up to `limit` per source: whom a new conversation can go to. `scope` says, per type,
     * which fields the caller may read and which records (the conditions of their role), or null.
     */
    async search(q: string, scope: ReadScope, limit = 10): Promise<Recipient[]> {
      const { identitySources } = await getService('settings', { strapi }).get();
      const found: Recipient[] = [];
      for (const source of identitySources) {
        if (!exists(source.uid)) continue;
        const allowed = await scope(source.uid);
        // A phone the caller may not read is not one to send to from their search.
        if (!allowed || !allowed.canReadField(source.phoneField)) continue;
        const nameField = source.nameField && allowed.canReadField(source.nameField) ? source.nameField : null;
        const digits = q.replace(/[^\d]/g, '');
        const or: Record<string, unknown>[] = [];
        if (nameField) or.push({ [nameField]: { $containsi: q } });
        if (digits.length >= 2) or.push({ [source.phoneField]: { $contains: digits } });
        or.push({ [source.phoneField]: { $contains: q } });
        const and: Record<string, unknown>[] = [{ $or: or }, { [source.phoneField]: { $notNull: true } }, { [source.phoneField]: { $ne: '' } }];
        if (allowed.filters) and.push(allowed.filters);
        const rows = (await strapi.db.query(source.uid as any).findMany({
          where: { $and: and },
          select: ['documentId', source.phoneField, ...(nameField ? [nameField] : [])],
          orderBy: { id: 'asc' },
          limit: limit * 2,
        })) as Record<string, any>[];
        // Draft & publish types hold two rows per document: one entry each.
        const seen = new Set<string>();
        for (const row of rows) {
          if (seen.has(row.documentId) || seen.size >= limit) continue;
          seen.add(row.documentId);
          found.push({ kind: source.kind, label: kindLabel(source), uid: source.uid, documentId: row.documentId, name: nameField ? row[nameField] ?? null : null, phone: String(row[source.phoneField]) });
        }
      }
      return found;
    },

    /** A lead for an unknown sender, through the Document Service so the host's own hooks run. */
    async createLead(e164: string, profileName: string | null): Promise<CrmMatch | null> {
      const { autoLead, identitySources } = await getService('settings', { strapi }).get();
      if (!autoLead?.enabled || !exists(autoLead.uid)) return null;
      const data: Record<string, unknown> = { [autoLead.nameField]: profileName || e164, [autoLead.phoneField]: e164 };
      if (autoLead.statusField && autoLead.status) data[autoLead.statusField] = autoLead.status;
      if (autoLead.sourceField && autoLead.source) data[autoLead.sourceField] = autoLead.source;
      if (autoLead.assigneeField && autoLead.assigneeId) data[autoLead.assigneeField] = autoLead.assigneeId;
      const ct = strapi.contentTypes[autoLead.uid as keyof typeof strapi.contentTypes] as { options?: { draftAndPublish?: boolean }; info?: { singularName?: string } };
      const created = await strapi.documents(autoLead.uid as any).create({
        data: data as any,
        ...(ct.options?.draftAndPublish ? { status: 'published' as const } : {}),
      });
      // The kind its type has everywhere else (a source of that type), so one type never shows as two kinds.
      const kind = identitySources.find((s) => s.uid === autoLead.uid)?.kind ?? String(ct.info?.singularName ?? 'lead');
      return { kind, uid: autoLead.uid, documentId: created.documentId, name: (data[autoLead.nameField] as string) ?? null };
    },
  };
};
