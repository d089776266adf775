import type { Core } from '@strapi/strapi';
import { closedPeriod } from '../business-hours';
import { outOfHoursKey } from '../keys';
import { NotAdmittedError } from '../outbox/enqueue';
import type { CanonicalEvent } from '../providers';
import { getService } from '../utils';
import type { NumberRow } from '../number-rows';
import type { RealtimeEvent } from './realtime';

type MessageCreated = Extract<RealtimeEvent, { type: 'message.created' }>;

/**
 * The optional out-of-hours auto-reply (settings: `outOfHoursReply`; the number's hours and holidays, else the global hours): a customer
 * who writes while the business is closed gets the text once per conversation and closed period,
 * through the outbox like every other message.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const reply = async (number: NumberRow, event: CanonicalEvent, published: RealtimeEvent[]) => {
    if (event.kind !== 'message' || event.type === 'reaction') return;
    const created = published.find((e): e is MessageCreated => e.type === 'message.created');
    if (!created) return;
    const { outOfHoursReply } = await getService('settings', { strapi }).get();
    if (!outOfHoursReply) return;
    const bots = getService('bots', { strapi });
    // One closed-hours answer, not two: a number's outside-hours bot replaces the global reply.
    if (await bots.answersOutsideHours(number.id)) return;
    // The number's hours and holidays, as its bots judge them, at the time the customer wrote (a message held up at the provider is not moved into opening hours).
    const period = closedPeriod(await bots.hoursOf(number.id), event.timestamp);
    if (!period || !getService('provider-calls', { strapi }).for(number).capabilities.freeForm) return;
    // The period is the idempotency key: every later message of the same closed period finds this reply.
    // An opted-out customer is refused by the outbox's admission (an auto-reply is automated): nothing to do then.
    await getService('outbox', { strapi })
      .enqueue(created.conversationId, { type: 'text', text: outOfHoursReply, idempotencyKey: outOfHoursKey(period) }, { id: null, source: 'auto-reply', sourceRef: period })
      .catch((error) => {
        if (!(error instanceof NotAdmittedError)) throw error;
        strapi.log.debug(`[whatsapp] no out-of-hours reply in conversation ${created.conversationId}: ${error.refusal.message}`);
      });
  };

  return {
    /**
     * Called by the inbound worker once an event is applied and committed. `published` holds what
     * applying it announced: a `message.created` only for a customer's new message, so receipts,
     * duplicates and replays never answer.
     */
    async afterInbound(number: NumberRow, event: CanonicalEvent, published: RealtimeEvent[]) {
      try {
        await reply(number, event, published);
      } catch (error) {
        // The customer's message is in already: a failed auto-reply must not send the webhook row back for a retry.
        strapi.log.warn(`[whatsapp] out-of-hours reply to number ${number.id} not queued: ${(error as Error).message}`);
      }
    },
  };
};
