/** What a fired bot does: its message through the outbox, and its hand-off, assignment, ticket or CRM field. */
import type { Core } from '@strapi/strapi';
import type { Bot, BotResponse } from '../../contracts/bots';
import { UID } from '../constants';
import { NotAdmittedError } from '../outbox/enqueue';
import { getService } from '../utils';
import { writableField } from './host-fields';
import { requestOf } from './render';
import type { createRows } from './rows';


export const createActor = (strapi: Core.Strapi, rows: ReturnType<typeof createRows>) => {
  const conversationQ = () => strapi.db.query(UID.conversation as any);

  /** Sets a scalar field of the conversation's linked CRM record; anything else is logged and skipped. */
  const setField = async (conversation: any, field: string, value: unknown) => {
    // The plugin writes as itself (no admin user): only the field the admin saved on the bot, checked again against the record's type.
    const { identitySources } = await getService('settings', { strapi }).get();
    if (!conversation.crmUid || !conversation.crmDocumentId || !writableField(strapi, identitySources, conversation.crmUid, field, value)) {
      strapi.log.warn(`[whatsapp] bot set-field: conversation ${conversation.id} has no linked record with a writable field ${field}`);
      return;
    }
    await strapi.documents(conversation.crmUid).update({ documentId: conversation.crmDocumentId, data: { [field]: value } as any });
  };

  /** Why `userId` can no longer take the number's conversations (null when they can), asked as the inbox's assign list answers that user. */
  const assigneeGone = async (userId: unknown, numberId: number): Promise<string | null> => {
    // A bot saved before a person was required (a team only) names nobody: never look up an undefined id.
    if (typeof userId !== 'number') return 'the bot names no person';
    const user = await strapi.db.query('admin::user' as any).findOne({ where: { id: userId }, populate: ['roles'] });
    if (!user) return 'the user no longer exists';
    const options = await getService('inbox', { strapi })
      .assignees({ id: user.id, roles: user.roles ?? [] }, numberId)
      .catch(() => []);
    return options.some((a) => a.id === userId) ? null : "the user is inactive or can no longer read this number's conversations";
  };

  return {
    /** Sends the response (idempotent by `key`) and applies its side effects. */
    async act(bot: Bot, response: BotResponse, conversationId: number, key: string, interactive: boolean) {
      const conversation = await conversationQ().findOne({ where: { id: conversationId } });
      if (!conversation) return;
      if (['handoff', 'ai', 'assign'].includes(response.type) || bot.trigger.type === 'asks-human') {
        await rows.patchState(conversationId, conversation.numberId, { owner: 'queue', menu: null });
      }
      if (response.type === 'assign') {
        const gone = await assigneeGone(response.userId, conversation.numberId);
        // Whoever was checked on save may have left since: the conversation still reaches a person, through the queue.
        if (gone) strapi.log.warn(`[whatsapp] bot ${bot.id} could not assign conversation ${conversationId} to admin user ${response.userId} (${gone}): handed to the queue`);
        else {
          await conversationQ().update({ where: { id: conversationId }, data: { assigneeId: response.userId } });
          getService('realtime', { strapi }).publish({ type: 'conversation.updated', conversationId, numberId: conversation.numberId });
        }
      }
      const request = requestOf(response, interactive);
      if (request) {
        await getService('outbox', { strapi })
          .enqueue(conversationId, { ...request, idempotencyKey: key }, { id: null, source: 'bot', sourceRef: `bot:${bot.id}`, bot: { id: bot.id, name: bot.name, trigger: bot.trigger.type } })
          .catch((error) => {
            if (!(error instanceof NotAdmittedError)) throw error;
            strapi.log.debug(`[whatsapp] bot ${bot.id} not sent in conversation ${conversationId}: ${error.refusal.message}`);
          });
      }
      if (response.type === 'ticket' && !conversation.ticketDocumentId) {
        await getService('inbox', { strapi })
          .openTicket(conversation, { subject: response.subject })
          .catch((error: Error) => strapi.log.warn(`[whatsapp] bot ${bot.id} could not create a ticket: ${error.message}`));
      }
      if (response.type === 'set-field') await setField(conversation, response.field, response.value).catch((error: Error) => strapi.log.warn(`[whatsapp] bot ${bot.id} set-field: ${error.message}`));
    },
  };
};
