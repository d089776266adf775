import type { Core } from '@strapi/strapi';
import type { IdentitySource } from '../../contracts/settings';
import type { InboundMessageEvent } from '../providers';
import { customerE164, recordE164, regionOf, samePersonKey } from '../phone';
import { getService } from '../utils';
import type { NumberRow } from '../number-rows';

type Row = Record<string, any>;
type Source = IdentitySource & { optOutField: string };

const STOP = /^(stop|stopall|unsubscribe|opt[ -]?out)$/i;
const START = /^(start|unstop|subscribe|opt[ -]?in)$/i;

/**
 * Opt-out lives on the customer's CRM record (each identity source's `optOutField`, a boolean), so
 * the CRM shows it and can change it. Notification rules ask `reason()` before sending; a STOP from
 * the customer's phone sets it on every record with that phone, START clears it.
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
      select: ['id', 'documentId', source.phoneField],
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
     * `reason` for many phones at once (the outbox admits a batch again before sending it): per
     * identity source one query for the opted-out records among these phones' last digits.
     */
    async reasons(e164s: string[], region: string | null): Promise<Map<string, string>> {
      const found = new Map<string, string>();
      const list = e164s.length ? await sources() : [];
      const wanted = new Map(e164s.map((e164) => [samePersonKey(e164), e164]));
      for (const source of list) {
        const tails = [...new Set(e164s.map((e164) => e164.slice(-4)))];
        const rows = (await strapi.db.query(source.uid as any).findMany({
          where: { [source.optOutField]: true, $or: tails.map((tail) => ({ [source.phoneField]: { $contains: tail } })) },
          select: ['id', 'documentId', source.phoneField],
        })) as Row[];
        for (const row of rows) {
          const phone = recordE164(row[source.phoneField], region);
          const e164 = phone === null ? undefined : wanted.get(samePersonKey(phone));
          if (e164 && !found.has(e164)) found.set(e164, `${source.uid} ${row.documentId} has ${source.optOutField}`);
        }
      }
      return found;
    },

    /** STOP / START from the customer: sets or clears the opt-out on their records. Answers how many records changed. */
    async fromMessage(number: NumberRow, event: InboundMessageEvent) {
      const word = (event.text ?? '').trim().replace(/[.!]+$/, '');
      const optOut = STOP.test(word) ? true : START.test(word) ? false : null;
      if (optOut === null || !event.from.waId) return 0;
      const e164 = customerE164(event.from.waId);
      if (!e164) return 0;
      let changed = 0;
      for (const source of await sources()) {
        const rows = await rowsFor(source, e164, regionOf(number));
        if (!rows.length) continue;
        // The query engine, not the Document Service: consent is a fact about the person, not a
        // draft edit, so drafts and published versions change together and no "updated" rule fires.
        const { count } = await strapi.db.query(source.uid as any).updateMany({ where: { id: { $in: rows.map((r) => r.id) } }, data: { [source.optOutField]: optOut } });
        changed += count;
      }
      if (changed) strapi.log.info(`[whatsapp] ${e164} ${optOut ? 'opted out of' : 'opted back in to'} notifications (${changed} record(s))`);
      return changed;
    },
  };
};
