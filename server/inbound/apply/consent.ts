/**
 * Consent from inbound events, in the chunk's transaction: a customer's opt-out / opt-in keyword,
 * Meta's `user_preferences` and Gupshup's `user-event`, and a receipt failing because the customer
 * stopped marketing messages (Meta 131050, Gupshup 1012).
 */
import type { Core } from '@strapi/strapi';
import { consentKeyword } from '../../../contracts/consent';
import type { ConsentStatus } from '../../../contracts/consent';
import { UID } from '../../constants';
import type { ConsentEvent, InboundMessageEvent } from '../../providers';
import type { NumberRow } from '../../number-rows';
import { getService } from '../../utils';
import { eventKey } from '../keys';

/** A keyword that changed the customer's consent: the one confirmation to queue once the chunk committed. */
export interface Confirmation {
  number: NumberRow;
  conversationId: number;
  status: ConsentStatus;
  /** The customer's message's applied-event key: the confirmation's idempotency key. */
  key: string;
}

export const createConsentApplier = (strapi: Core.Strapi) => {
  const consents = () => getService('consents', { strapi });

  return {
    /**
     * The customers' messages that are a whole opt-out or opt-in keyword, in order (a STOP then a
     * START in one chunk ends opted in). Answers the confirmations of those that changed something.
     */
    async keywords(entries: { number: NumberRow; event: InboundMessageEvent; conversationId: number }[]): Promise<Confirmation[]> {
      const keywordLists = entries.some((e) => e.event.text) ? (await getService('settings', { strapi }).get()).consentKeywords : null;
      const confirmations: Confirmation[] = [];
      for (const { number, event, conversationId } of entries) {
        const said = keywordLists && event.text && event.type === 'text' ? consentKeyword(event.text, keywordLists) : null;
        if (!said || !event.from.waId) continue;
        const status: ConsentStatus = said === 'opt-out' ? 'opted-out' : 'opted-in';
        const key = eventKey(number, event.key);
        const { changed } = await consents().change({ numberId: number.id, phone: event.from.waId, status, source: 'keyword', detail: `the customer wrote "${event.text!.trim().slice(0, 60)}"`, at: event.timestamp, key });
        if (changed) confirmations.push({ number, conversationId, status, key });
      }
      return confirmations;
    },

    /** Meta's marketing preference or a Gupshup user event. */
    async event(number: NumberRow, event: ConsentEvent) {
      if (!event.customer.waId) return;
      await consents().change({ numberId: number.id, phone: event.customer.waId, status: event.status, source: event.source, detail: event.detail, at: event.timestamp, key: eventKey(number, event.key) });
    },

    /** Sends that failed because the customer stopped marketing messages: they are opted out on that number. */
    async refusedSends(failures: { number: NumberRow; conversationId: number; code: string | null; text: string; key: string }[]) {
      for (const f of failures) {
        const conversation = await strapi.db.query(UID.conversation as any).findOne({ where: { id: f.conversationId }, select: ['customerPhone', 'customerWaId'] });
        const phone = conversation?.customerPhone ?? conversation?.customerWaId;
        if (!phone) continue;
        await consents().change({ numberId: f.number.id, phone, status: 'opted-out', source: 'provider-error', detail: `the provider refused a send: ${f.code ?? ''} ${f.text}`.trim(), key: f.key });
      }
    },
  };
};
