/** A customer's message: its conversation (opened once per person), the CRM match, the message row and the list's preview. */
import type { Core } from '@strapi/strapi';
import { UID } from '../../constants';
import { insertConversationIfNone } from '../../conversation-row';
import { rowInserter, type Db } from '../../db-rows';
import { customerE164, regionOf, samePersonKey } from '../../phone';
import type { InboundMessageEvent } from '../../providers';
import type { NumberRow } from '../../services/numbers';
import type { RealtimeEvent } from '../../services/realtime';
import { getService } from '../../utils';
import { eventKey, type Keys } from '../keys';

const DAY_MS = 24 * 3600_000;
/** How long "no CRM record has this phone" is believed before the identity sources are asked again. */
const NO_MATCH_TTL_MS = 15_000;
const NO_MATCH_KEPT = 10_000;

const later = (a: Date | string | null | undefined, b: Date) => (a && new Date(a) > b ? new Date(a) : b);

export const createMessageApplier = (strapi: Core.Strapi, keys: Keys) => {
  const q = (uid: string) => strapi.db.query(uid as any);
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

  /**
   * Insert-or-nothing on the (number, customer) unique key: two first messages of one customer
   * applied at once, by this process or another instance, end in one conversation, not an error.
   */
  const findOrCreateConversation = async (trx: Db, number: NumberRow, waId: string, e164: string | null, name: string | null) => {
    const existing = await q(UID.conversation).findOne({ where: { numberId: number.id, customerWaId: waId } });
    if (existing) return existing;
    await insertConversationIfNone(trx, { numberId: number.id, waId, phone: e164, name });
    return q(UID.conversation).findOne({ where: { numberId: number.id, customerWaId: waId } });
  };

  /** The CRM record this phone belongs to, a new lead when auto-lead is on, or null. */
  const crmOf = async (trx: Db, number: NumberRow, e164: string, name: string | null) => {
    if (recentlyUnmatched(e164)) return null;
    const identity = getService('identity', { strapi });
    let match = await identity.match(e164, regionOf(number));
    const { autoLead } = await getService('settings', { strapi }).get();
    // One lead per person, however many messages or numbers reach us at once.
    if (!match && autoLead?.enabled && (await keys.claimOne(trx, { key: `autolead:${samePersonKey(e164)}`, webhookEventId: null, outcome: 'lead' }))) {
      match = await identity.createLead(e164, name);
    }
    if (match) return { crmKind: match.kind, crmUid: match.uid, crmDocumentId: match.documentId, name: match.name };
    if (!autoLead?.enabled) {
      if (unmatched.size > NO_MATCH_KEPT) unmatched.clear();
      unmatched.set(e164, Date.now() + NO_MATCH_TTL_MS);
    }
    return null;
  };

  const apply = async (trx: Db, number: NumberRow, event: InboundMessageEvent, published: RealtimeEvent[]) => {
    const waId = event.from.waId ?? event.from.userId!;
    const e164 = event.from.waId ? customerE164(event.from.waId) : null;
    const conversation = await findOrCreateConversation(trx, number, waId, e164, event.from.name ?? null);
    const crm = !conversation.crmDocumentId && e164 ? await crmOf(trx, number, e164, event.from.name ?? null) : null;

    // A plain insert: this runs for every customer message, and the query engine's create costs two or three statements.
    const [messageId] = await messages.insert(trx, [
      {
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
      },
    ]);

    // Providers time messages to the second and our replies to the millisecond: a customer message
    // in the same second as a reply came after it (it is being applied now), so it is the newest.
    const newest = !conversation.lastMessageAt || Math.floor(new Date(conversation.lastMessageAt).getTime() / 1000) <= Math.floor(event.timestamp.getTime() / 1000);
    // A reaction is shown on the message it reacts to: it is not something new to read, and a
    // removed reaction (no emoji) says nothing at all.
    const reaction = event.type === 'reaction';
    const preview = reaction ? (event.reaction?.emoji ? `Reacted ${event.reaction.emoji}` : null) : (event.text ?? `[${event.type}]`);
    const windowExpiresAt = later(conversation.windowExpiresAt, new Date(event.timestamp.getTime() + DAY_MS));
    await trx(conversations.table)
      .where({ id: conversation.id })
      .update({
        ...(crm ? { [c('crmKind')]: crm.crmKind, [c('crmUid')]: crm.crmUid, [c('crmDocumentId')]: crm.crmDocumentId, [c('crmName')]: crm.name } : {}),
        [c('customerName')]: event.from.name ?? conversation.customerName ?? null,
        [c('customerPhone')]: conversation.customerPhone ?? e164,
        [c('lastInboundAt')]: later(conversation.lastInboundAt, event.timestamp),
        [c('lastMessageAt')]: later(conversation.lastMessageAt, event.timestamp),
        ...(newest && preview ? { [c('lastMessagePreview')]: preview.slice(0, 200) } : {}),
        [c('windowExpiresAt')]: windowExpiresAt,
        [c('templateOnly')]: windowExpiresAt.getTime() <= Date.now(),
        [c('unread')]: strapi.db.connection.raw(reaction ? 'coalesce(??, 0)' : 'coalesce(??, 0) + 1', [c('unread')]),
        [c('state')]: 'open',
        updated_at: new Date(),
      });
    published.push(
      { type: 'message.created', conversationId: conversation.id, numberId: number.id, messageId },
      { type: 'conversation.updated', conversationId: conversation.id, numberId: number.id }
    );
    // In the same transaction: a STOP is never lost between the message and the opt-out.
    if (event.text) await getService('opt-out', { strapi }).fromMessage(number, event);
  };

  return {
    apply,
    /** A CRM record was written: a phone nobody had may be someone's now. */
    forgetUnknownSenders: () => unmatched.clear(),
  };
};
