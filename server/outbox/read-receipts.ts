import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { getService } from '../utils';

/**
 * Tells the customer's phone that their latest message was read, where the provider can. A receipt
 * is not a message: it skips the outbox, and it is never awaited by the request that asked for it
 * (a slow provider must not hold up staff); a failure is only logged.
 */
export const sendReadReceipt = (strapi: Core.Strapi, conversation: { id: number; numberId: number }): void => {
  const q = (uid: string) => strapi.db.query(uid as any);
  const send = async () => {
    const latest = await q(UID.message).findOne({ where: { conversationId: conversation.id, direction: 'in' }, orderBy: { id: 'desc' }, select: ['id', 'providerMessageId'] });
    const number = await q(UID.number).findOne({ where: { id: conversation.numberId } });
    if (!latest?.providerMessageId || !number || number.deletedAt) return;
    const client = getService('provider-calls', { strapi }).for(number);
    if (client.capabilities.markRead) await client.markRead(latest.providerMessageId);
  };
  send().catch((error: Error) => strapi.log.warn(`[whatsapp] read receipt for conversation ${conversation.id} failed: ${error.message}`));
};
