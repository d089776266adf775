import type { Core } from '@strapi/strapi';
import type { IdentitySource } from '../../contracts/settings';
import { recordE164, samePersonKey } from '../phone';
import { getService } from '../utils';

type Row = Record<string, any>;
type Source = IdentitySource & { optOutField: string };

/**
 * Opt-out lives on the customer's CRM record (each identity source's `optOutField`, a boolean), so
 * the CRM shows it and can change it. The outbox asks `reason()` before a business-initiated send; a
 * consent change (services/consents.ts) sets or clears it on every record with that phone.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const attributes = (uid: string) => (strapi.contentTypes[uid as keyof typeof strapi.contentTypes] as { attributes: Record<string, any> } | undefined)?.attributes;

  const sources = async (): Promise<Source[]> =>
    (await getService('settings', { strapi }).get()).identitySources.filter(
      (s): s is Source => Boolean(s.optOutField) && attributes(s.uid)?.[s.optOutField!]?.type === 'boolean' && Boolean(attributes(s.uid)?.[s.phoneField])
    );

  /** Rows (drafts and published alike) of a source whose phone is this person's; phones are free text, so narrowed by the last digits first. */
  const rowsFor = async (source: Source, e164: string, region: string | null, where: Row = {}) => {
    const wanted = samePersonKey(e164);
    const rows = (await strapi.db.query(source.uid as any).findMany({
      where: { [source.phoneField]: { $contains: e164.slice(-4) }, ...where },
      select: ['id', 'documentId', source.phoneField, source.optOutField],
      limit: 200,
    })) as Row[];
    return rows.filter((r) => {
      const phone = recordE164(r[source.phoneField], region);
      return phone !== null && samePersonKey(phone) === wanted;
    });
  };

  /** The record a phone path was read from: `contact.phone` on an invoice → the invoice's contact. */
  const holderOf = (uid: string, record: Row, path: string): { uid: string; record: Row } | null => {
    let model = uid;
    let current: unknown = record;
    for (const segment of path.split('.').slice(0, -1)) {
      const attribute = attributes(model)?.[segment];
      if (attribute?.type !== 'relation' || !current || typeof current !== 'object') return null;
      model = attribute.target;
      current = (current as Row)[segment];
    }
    return current && typeof current === 'object' && !Array.isArray(current) ? { uid: model, record: current as Row } : null;
  };

  return {
    /** The opt-out field of each identity source type that has one, for loading it with the record a rule sends to. */
    async fields(): Promise<Record<string, string>> {
      return Object.fromEntries((await sources()).map((s) => [s.uid, s.optOutField]));
    },

    /**
     * Why this recipient gets no notification, or null: the record the phone came from says so,
     * or any CRM record with the same phone does.
     */
    async reason(e164: string, region: string | null, from?: { uid: string; record: Row; path: string }): Promise<string | null> {
      const list = await sources();
      if (!list.length) return null;
      const holder = from ? holderOf(from.uid, from.record, from.path) : null;
      const own = holder && list.find((s) => s.uid === holder.uid);
      if (own && holder.record[own.optOutField] === true) return `${own.uid} ${holder.record.documentId ?? ''} has ${own.optOutField}`.replace('  ', ' ');
      for (const source of list) {
        const [row] = await rowsFor(source, e164, region, { [source.optOutField]: true });
        if (row) return `${source.uid} ${row.documentId} has ${source.optOutField}`;
      }
      return null;
    },

    /**
     * `reason` for many phones at once (readmission of a batch, a campaign's page): per identity
     * source one query for the opted-out records among these phones' last digits.
     */
    async reasons(e164s: string[], region: string | null, from?: Map<string, { uid: string; record: Row; path: string }>): Promise<Map<string, string>> {
      const found = new Map<string, string>();
      const list = e164s.length ? await sources() : [];
      // The record each phone was read from first, as `reason` asks it (a campaign's recipients).
      for (const [e164, hint] of from ?? []) {
        const holder = holderOf(hint.uid, hint.record, hint.path);
        const own = holder && list.find((s) => s.uid === holder.uid);
        if (own && holder.record[own.optOutField] === true) found.set(e164, `${own.uid} ${holder.record.documentId ?? ''} has ${own.optOutField}`.replace('  ', ' '));
      }
      // Every phone asked under each person key: an opt-out stored under one form refuses its twin too (Mexico's +52 1 and +52).
      const wanted = new Map<string, string[]>();
      for (const e164 of e164s) wanted.set(samePersonKey(e164), [...(wanted.get(samePersonKey(e164)) ?? []), e164]);
      for (const source of list) {
        const tails = [...new Set(e164s.map((e164) => e164.slice(-4)))];
        const rows = (await strapi.db.query(source.uid as any).findMany({
          where: { [source.optOutField]: true, $or: tails.map((tail) => ({ [source.phoneField]: { $contains: tail } })) },
          select: ['id', 'documentId', source.phoneField],
        })) as Row[];
        for (const row of rows) {
          const phone = recordE164(row[source.phoneField], region);
          for (const e164 of phone === null ? [] : wanted.get(samePersonKey(phone)) ?? []) if (!found.has(e164)) found.set(e164, `${source.uid} ${row.documentId} has ${source.optOutField}`);
        }
      }
      return found;
    },

    /** The record a phone path leads to (`contact.phone` on an invoice → the contact), as a row may carry it to readmission. */
    holder(from: { uid: string; record: Row; path: string }): { uid: string; documentId: string } | null {
      const found = holderOf(from.uid, from.record, from.path);
      return found && typeof found.record.documentId === 'string' ? { uid: found.uid, documentId: found.record.documentId } : null;
    },

    /** Why a row that carries its CRM record may not leave: that record's own opt-out flag (any of its versions), or null. */
    async recordReason(hint: { uid: string; documentId: string }): Promise<string | null> {
      const own = (await sources()).find((s) => s.uid === hint.uid);
      if (!own) return null;
      const row = await strapi.db.query(own.uid as any).findOne({ where: { documentId: hint.documentId, [own.optOutField]: true }, select: ['id'] });
      return row ? `${own.uid} ${hint.documentId} has ${own.optOutField}` : null;
    },

    /**
     * Keeps the CRM in step with a consent change: sets or clears the opt-out field on every record
     * with this phone. Answers how many records changed.
     */
    async setOnRecords(e164: string, region: string | null, optOut: boolean) {
      let changed = 0;
      for (const source of await sources()) {
        const rows = (await rowsFor(source, e164, region)).filter((r) => r[source.optOutField] !== optOut);
        if (!rows.length) continue;
        // The query engine, not the Document Service: consent is a fact about the person, not a
        // draft edit, so drafts and published versions change together and no "updated" rule fires.
        const { count } = await strapi.db.query(source.uid as any).updateMany({ where: { id: { $in: rows.map((r) => r.id) } }, data: { [source.optOutField]: optOut } });
        changed += count;
      }
      if (changed) strapi.log.info(`[whatsapp] ${e164} ${optOut ? 'opted out of' : 'opted back in to'} notifications (${changed} record(s))`);
      return changed;
    },

    /** The identity source of a type with an opt-out field, for the CRM-field middleware. */
    async sourceOf(uid: string): Promise<Source | null> {
      return (await sources()).find((s) => s.uid === uid) ?? null;
    },
  };
};
