/** A customer's message: its conversation (opened once per person), the CRM match, the message row and the list's preview. */
import type { Core } from '@strapi/strapi';
import { UID } from '../../constants';
import type { CrmLink } from '../../conversation-row';
import { matchCrms, openConversations, type Opening } from '../../conversations/open';
import { rowInserter, type Db } from '../../db-rows';
import { autoLeadKey } from '../../keys';
import { customerE164 } from '../../phone';
import type { InboundMessageEvent } from '../../providers';
import type { NumberRow } from '../../number-rows';
import type { RealtimeEvent } from '../../services/realtime';
import { getService } from '../../utils';
import { eventKey, type Keys } from '../keys';
import { updateEach } from '../../update-each';

const DAY_MS = 24 * 3600_000;
/** How long "no CRM record has this phone" is believed before the identity sources are asked again. */
const NO_MATCH_TTL_MS = 15_000;
const NO_MATCH_KEPT = 10_000;

const later = (a: Date | string | null | undefined, b: Date) => (a && new Date(a) > b ? new Date(a) : b);

/** Whether a message's sender is the business number itself (compared by digits, as providers write phones differently). */
export const fromOwnNumber = (number: NumberRow, event: InboundMessageEvent) => {
  const own = String(number.phone ?? '').replace(/\D/g, '');
  return Boolean(own) && String(event.from.waId ?? '').replace(/\D/g, '') === own;
};

export const createMessageApplier = (strapi: Core.Strapi, keys: Keys) => {
  const messages = rowInserter(strapi, UID.message);
  const conversations = rowInserter(strapi, UID.conversation);
  const c = conversations.column;

  /**
   * An unknown sender's every message would ask each identity source again; a short memory of
   * "nobody has this phone" saves those queries while a conversation is busy.
   */
  const unmatched = new Map<string, number>();
  const recentlyUnmatched = (e164: string) => {
    const until = unmatched.get(e164);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    unmatched.delete(e164);
    return false;
  };

  /** The CRM record each phone belongs to (one query per identity source for all), a new lead when auto-lead is on, or null. */
  const crmsOf = async (trx: Db, number: NumberRow, people: { e164: string; name: string | null }[]): Promise<Map<string, CrmLink | null>> => {
    const found = new Map<string, CrmLink | null>(people.map((p) => [p.e164, null]));
    const ask = people.filter((p) => !recentlyUnmatched(p.e164));
    if (!ask.length) return found;
    const matched = await matchCrms(strapi, number, ask.map((p) => p.e164));
    const { autoLead } = await getService('settings', { strapi }).get();
    for (const { e164, name } of ask) {
      let crm = matched.get(e164) ?? null;
      // One lead per person, however many messages or numbers reach us at once.
      if (!crm && autoLead?.enabled && (await keys.claimOne(trx, { key: autoLeadKey(e164), webhookEventId: null, outcome: 'lead' }))) {
        const lead = await getService('identity', { strapi }).createLead(e164, name);
        if (lead) crm = { crmKind: lead.kind, crmUid: lead.uid, crmDocumentId: lead.documentId, crmName: lead.name };
      }
      if (!crm && !autoLead?.enabled) {
        if (unmatched.size > NO_MATCH_KEPT) unmatched.clear();
        unmatched.set(e164, Date.now() + NO_MATCH_TTL_MS);
      }
      found.set(e164, crm);
    }
    return found;
  };

  /** customerE164 parses with libphonenumber; a busy sender's every message would parse the same id again. */
  const phones = new Map<string, string | null>();
  const e164Of = (waId: string) => {
    if (!phones.has(waId)) {
      if (phones.size > NO_MATCH_KEPT) phones.clear();
      phones.set(waId, customerE164(waId));
    }
    return phones.get(waId)!;
  };

  /**
   * Applies customer messages in their order: one read of their conversations, one insert of the
   * messages, one update per conversation. Answers what each message announced, in order.
   */
  const applyMany = async (trx: Db, entries: { number: NumberRow; event: InboundMessageEvent }[]): Promise<RealtimeEvent[][]> => {
    const who = entries.map(({ event }) => {
      const waId = event.from.waId ?? event.from.userId!;
      return { waId, e164: event.from.waId ? e164Of(event.from.waId) : null };
    });
    const conversationOf = new Map<string, Record<string, any>>();
    /** Number id:WhatsApp id → the CRM link found now: for conversations opened now, and those opened before their customer was in the CRM. */
    const matched = new Map<string, CrmLink | null>();
    const numbersById = new Map(entries.map(({ number }) => [number.id, number]));
    for (const number of numbersById.values()) {
      const customers = new Map<string, Opening>();
      entries.forEach(({ number: n, event }, i) => {
        if (n.id === number.id && !customers.has(who[i].waId)) customers.set(who[i].waId, { waId: who[i].waId, e164: who[i].e164, name: event.from.name ?? null });
      });
      const match = async (people: Opening[]) => {
        const withPhone = people.filter((p): p is Opening & { e164: string } => Boolean(p.e164));
        const crms = await crmsOf(trx, number, withPhone.map((p) => ({ e164: p.e164, name: p.name ?? null })));
        const byWaId = new Map(people.map((p) => [p.waId, p.e164 ? crms.get(p.e164) ?? null : null]));
        for (const [waId, crm] of byWaId) matched.set(`${number.id}:${waId}`, crm);
        return byWaId;
      };
      const found = await openConversations(strapi, number, [...customers.values()], { db: trx, match });
      for (const [waId, row] of found) conversationOf.set(`${number.id}:${waId}`, row);
      // Another opener may have won the insert, or the conversation is older than the customer's CRM record: link it now.
      const unlinked = [...found.values()].filter((row) => !row.crmDocumentId && !matched.has(`${number.id}:${row.customerWaId}`) && customers.get(row.customerWaId)?.e164);
      if (unlinked.length) await match(unlinked.map((row) => customers.get(row.customerWaId)!));
    }

    // Each conversation's row as the messages before this one left it, and what its UPDATE will write.
    const states = new Map<number, { row: Record<string, any>; set: Record<string, unknown>; unread: number; number: NumberRow }>();
    const rows: (Record<string, unknown> & { conversationId: number })[] = [];
    for (const [i, { number, event }] of entries.entries()) {
      const { waId, e164 } = who[i];
      const conversation = conversationOf.get(`${number.id}:${waId}`)!;
      let state = states.get(conversation.id);
      if (!state) {
        state = { row: { ...conversation }, set: {}, unread: 0, number };
        states.set(conversation.id, state);
        const crm = conversation.crmDocumentId ? null : matched.get(`${number.id}:${waId}`);
        if (crm) Object.assign(state.set, { [c('crmKind')]: crm.crmKind, [c('crmUid')]: crm.crmUid, [c('crmDocumentId')]: crm.crmDocumentId, [c('crmName')]: crm.crmName ?? null });
      }
      const { row, set } = state;
      rows.push({
        conversationId: conversation.id,
        numberId: number.id,
        direction: 'in',
        type: event.type,
        text: event.text,
        payload: event.raw,
        mediaProviderId: event.media?.id ?? event.media?.url ?? null,
        mediaMimeType: event.media?.mimeType ?? null,
        mediaState: event.media ? 'pending' : 'none',
        providerMessageId: event.providerMessageId,
        idempotencyKey: eventKey(number, event.key),
        status: 'received',
        source: 'customer',
        replyToProviderId: event.context?.providerMessageId ?? event.reaction?.providerMessageId ?? null,
        providerTimestamp: event.timestamp,
        attempts: 0,
      });

      // Providers time messages to the second and our replies to the millisecond: a customer message
      // in the same second as a reply came after it (it is being applied now), so it is the newest.
      const newest = !row.lastMessageAt || Math.floor(new Date(row.lastMessageAt).getTime() / 1000) <= Math.floor(event.timestamp.getTime() / 1000);
      // A reaction is shown on the message it reacts to: it is not something new to read, and a
      // removed reaction (no emoji) says nothing at all.
      const reaction = event.type === 'reaction';
      const preview = reaction ? (event.reaction?.emoji ? `Reacted ${event.reaction.emoji}` : null) : (event.text ?? `[${event.type}]`);
      row.windowExpiresAt = later(row.windowExpiresAt, new Date(event.timestamp.getTime() + DAY_MS));
      row.customerName = event.from.name ?? row.customerName ?? null;
      row.customerPhone = row.customerPhone ?? e164;
      row.lastInboundAt = later(row.lastInboundAt, event.timestamp);
      row.lastMessageAt = later(row.lastMessageAt, event.timestamp);
      if (newest && preview) set[c('lastMessagePreview')] = preview.slice(0, 200);
      if (!reaction) state.unread += 1;
    }

    // A plain multi-row insert: the query engine's create costs two or three statements a message.
    const ids = await messages.insert(trx, rows);
    const now = new Date();
    await updateEach(
      trx,
      (sql, bindings) => strapi.db.connection.raw(sql, bindings as any[]),
      conversations.table,
      [...states.values()].map(({ row, set, unread }) => ({
        id: row.id,
        set: {
          ...set,
          [c('customerName')]: row.customerName,
          [c('customerPhone')]: row.customerPhone,
          [c('lastInboundAt')]: new Date(row.lastInboundAt),
          [c('lastMessageAt')]: new Date(row.lastMessageAt),
          [c('windowExpiresAt')]: new Date(row.windowExpiresAt),
          [c('templateOnly')]: new Date(row.windowExpiresAt).getTime() <= Date.now(),
          [c('unread')]: { increment: unread },
          [c('state')]: 'open',
          updated_at: now,
        },
      }))
    );
    return entries.map(({ number }, i) => [
      { type: 'message.created', conversationId: rows[i].conversationId, numberId: number.id, messageId: ids[i] },
      { type: 'conversation.updated', conversationId: rows[i].conversationId, numberId: number.id },
    ]);
  };

  return {
    applyMany,
    /** A CRM record was written: a phone nobody had may be someone's now. */
    forgetUnknownSenders: () => unmatched.clear(),
  };
};
