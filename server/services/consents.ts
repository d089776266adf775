import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Consent, ConsentChange, ConsentSource, ConsentStatus, ListConsents } from '../../contracts/consent';
import { UID } from '../constants';
import type { Confirmation } from '../inbound/apply/consent';
import { consentReplyKey } from '../keys';
import { customerE164, recordE164, regionOf, samePersonKey } from '../phone';
import { getService } from '../utils';
import type { ScopedUser } from './scope';

type Row = Record<string, any>;

/** One change of a customer's consent on a number. */
export interface ConsentInput {
  numberId: number;
  /** E.164 or WhatsApp id digits. */
  phone: string;
  status: ConsentStatus;
  source: ConsentSource;
  detail?: string | null;
  at?: Date;
  authorId?: number | null;
  /** Makes the change happen once (a webhook event's key); a replay with the same key changes nothing. */
  key?: string | null;
}

export const consentOut = (row: Row): Consent => ({ id: row.id, numberId: row.numberId, phone: row.phone, status: row.status, source: row.source, at: new Date(row.at).toISOString(), detail: row.detail ?? null });
const changeOut = (row: Row): ConsentChange => ({ id: row.id, status: row.status, source: row.source, at: new Date(row.at).toISOString(), detail: row.detail ?? null, authorId: row.authorId ?? null });

const e164Of = (phone: string) => {
  const e164 = customerE164(phone);
  if (!e164) throw new errors.ValidationError('phone: not a phone number', { errors: [{ path: ['phone'], message: 'not a phone number', name: 'ValidationError', value: null }] });
  return e164;
};

/**
 * Marketing consent per customer and number (README: Consent and opt-out): the latest state in
 * `consent`, every change in `consent-change`. Every change keeps the CRM's opt-out field in step,
 * except one that came from that field.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);
  const scope = () => getService('scope', { strapi });

  const find = (numberId: number, e164: string): Promise<Row | null> => q(UID.consent).findOne({ where: { numberId, personKey: samePersonKey(e164) } });

  const scopedWhere = async (user: ScopedUser, query: ListConsents.Query) => {
    const where: Row[] = [await scope().numberWhere(user)];
    if (query.status) where.push({ status: query.status });
    if (query.source) where.push({ source: query.source });
    if (query.numberId) where.push({ numberId: query.numberId });
    const digits = query.search?.replace(/\D/g, '');
    if (digits) where.push({ phone: { $contains: digits } });
    return { $and: where };
  };

  return {
    find,

    /** The states of many people on one number at once (readmission), by person key. */
    async statuses(numberId: number, e164s: string[]): Promise<Map<string, Row>> {
      if (!e164s.length) return new Map();
      const rows = (await q(UID.consent).findMany({ where: { numberId, personKey: { $in: [...new Set(e164s.map(samePersonKey))] } } })) as Row[];
      return new Map(rows.map((r) => [r.personKey, r]));
    },

    /**
     * Records a change: answers the consent row and whether it changed (the same status again, or a
     * key already used, changes nothing). Runs in the caller's transaction when there is one.
     */
    async change(input: ConsentInput): Promise<{ consent: Row; changed: boolean }> {
      const e164 = e164Of(input.phone);
      const at = input.at ?? new Date();
      if (input.key && (await q(UID.consentChange).findOne({ where: { key: input.key }, select: ['id'] }))) return { consent: (await find(input.numberId, e164))!, changed: false };
      const current = await find(input.numberId, e164);
      if (current?.status === input.status) return { consent: current, changed: false };
      const data = { status: input.status, source: input.source, at, detail: input.detail ?? null };
      const consent = current
        ? await q(UID.consent).update({ where: { id: current.id }, data })
        : await q(UID.consent).create({ data: { numberId: input.numberId, phone: e164, personKey: samePersonKey(e164), ...data } });
      await q(UID.consentChange).create({ data: { consentId: consent.id, ...data, authorId: input.authorId ?? null, key: input.key ?? null } });
      if (input.source !== 'crm-field' && input.source !== 'crm-import') {
        const number = await q(UID.number).findOne({ where: { id: input.numberId }, select: ['id', 'phone', 'region'] });
        await getService('opt-out', { strapi }).setOnRecords(e164, number ? regionOf(number) : null, input.status === 'opted-out');
      }
      // The inbox header shows consent: its conversation reloads.
      const conversation = await q(UID.conversation).findOne({ where: { numberId: input.numberId, $or: [{ customerPhone: e164 }, { customerWaId: e164.slice(1) }] }, select: ['id'] });
      if (conversation) getService('realtime', { strapi }).publish({ type: 'conversation.updated', conversationId: conversation.id, numberId: input.numberId });
      return { consent, changed: true };
    },

    /**
     * The one confirmation of a keyword (settings: `consentReplies`), once the chunk committed: a
     * service reply to the customer's own message, keyed by that message so a replay sends nothing.
     */
    async confirm(c: Confirmation) {
      const text = (await getService('settings', { strapi }).get()).consentReplies[c.status === 'opted-out' ? 'optOut' : 'optIn'];
      if (!text || !getService('provider-calls', { strapi }).for(c.number).capabilities.freeForm) return;
      try {
        await getService('outbox', { strapi }).enqueue(c.conversationId, { type: 'text', text, idempotencyKey: consentReplyKey(c.key) }, { id: null, source: 'consent', sourceRef: c.status });
      } catch (error) {
        // The opt-out is stored already: a confirmation that cannot go must not send the webhook row back.
        strapi.log.warn(`[whatsapp] consent confirmation in conversation ${c.conversationId} not queued: ${(error as Error).message}`);
      }
    },

    async list(user: ScopedUser, query: ListConsents.Query): Promise<ListConsents.Response> {
      const page = query.page ?? 1;
      const pageSize = query.pageSize ?? 25;
      const where = await scopedWhere(user, query);
      const [rows, total] = await Promise.all([q(UID.consent).findMany({ where, orderBy: [{ at: 'desc' }, { id: 'desc' }], offset: (page - 1) * pageSize, limit: pageSize }), q(UID.consent).count({ where })]);
      return { data: rows.map(consentOut), meta: { pagination: { page, pageSize, total, pageCount: Math.ceil(total / pageSize) } } };
    },

    /** Every matching row, oldest first, for the CSV export (in pages, so a large table is never loaded whole). */
    async *exportRows(user: ScopedUser, query: ListConsents.Query): AsyncGenerator<Consent[]> {
      const where = await scopedWhere(user, query);
      for (let offset = 0; ; offset += 500) {
        const rows = (await q(UID.consent).findMany({ where, orderBy: { id: 'asc' }, offset, limit: 500 })) as Row[];
        if (!rows.length) return;
        yield rows.map(consentOut);
      }
    },

    /** One customer's state on a number and its history, newest first (404 for a number the caller's teams do not see). */
    async get(user: ScopedUser, numberId: number, phone: string) {
      await scope().assertNumberVisible(user, numberId);
      const consent = await find(numberId, e164Of(phone));
      const history = consent ? ((await q(UID.consentChange).findMany({ where: { consentId: consent.id }, orderBy: [{ at: 'desc' }, { id: 'desc' }], limit: 100 })) as Row[]) : [];
      return { consent: consent ? consentOut(consent) : null, history: history.map(changeOut) };
    },

    /** A staff opt-out or opt-in, with a note. */
    async set(user: ScopedUser, numberId: number, phone: string, body: { status: ConsentStatus; note?: string | null }) {
      await scope().assertNumberVisible(user, numberId);
      const number = await q(UID.number).findOne({ where: { id: numberId, deletedAt: null }, select: ['id'] });
      if (!number) throw new errors.NotFoundError('No WhatsApp number with this id');
      const { consent } = await strapi.db.transaction(() => this.change({ numberId, phone, status: body.status, source: 'staff', detail: body.note?.trim() || null, authorId: user.id }));
      return consentOut(consent);
    },

    /**
     * A staff change of a CRM record's opt-out field: each number's consent for that phone follows
     * (a set field opts out everywhere; a cleared one opts back in where the customer was out).
     */
    async fromCrmField(rawPhone: unknown, optOut: boolean, source: 'crm-field' | 'crm-import', detail: string) {
      const numbers = (await q(UID.number).findMany({ where: { deletedAt: null }, select: ['id', 'phone', 'region'] })) as Row[];
      for (const number of numbers) {
        const e164 = recordE164(rawPhone, regionOf(number as { phone: string; region: string | null }));
        if (!e164) continue;
        const current = await find(number.id, e164);
        if (optOut ? current?.status === 'opted-out' : current?.status !== 'opted-out') continue;
        await this.change({ numberId: number.id, phone: e164, status: optOut ? 'opted-out' : 'opted-in', source, detail });
      }
    },
  };
};
