/** The one place a notification leaves: through the outbox's door, which decides and opens the conversation. */
import type { Core } from '@strapi/strapi';
import { NotAdmittedError, type CrmHint } from '../outbox/enqueue';
import type { TemplateParams } from '../../contracts/templates';
import { getService } from '../utils';

export interface NotificationSend {
  numberId: number;
  /** The customer's phone, E.164. */
  phone: string;
  /** The record the phone was read from, so its own opt-out flag counts. */
  recipientOf?: CrmHint['recipientOf'];
  template: { name: string; language: string; params: TemplateParams };
  /** Unique per firing: sending the same firing again finds the message already queued. */
  idempotencyKey: string;
  sourceRef: string;
}

/** Why the customer may not be sent to, recorded as a skip rather than a failure. */
export type Skip = { skipped: string; reason: 'opted-out' | 'no-consent' | 'unreachable' };

/** Queues a template for a customer; answers the message's id, or the skip the outbox refused it with (other refusals throw). */
export const sendNotification = async (strapi: Core.Strapi, send: NotificationSend): Promise<{ messageId: number } | Skip> => {
  try {
    const message = await getService('outbox', { strapi }).enqueue(
      { numberId: send.numberId, phone: send.phone, crmHint: send.recipientOf ? { recipientOf: send.recipientOf } : null },
      { type: 'template', template: { name: send.template.name, language: send.template.language, params: send.template.params }, idempotencyKey: send.idempotencyKey },
      { id: null, source: 'notification', sourceRef: send.sourceRef }
    );
    return { messageId: message.id };
  } catch (error) {
    const refusal = error instanceof NotAdmittedError ? error.refusal : null;
    if (refusal?.reason === 'opted-out' || refusal?.reason === 'no-consent' || refusal?.reason === 'unreachable') return { skipped: refusal.message, reason: refusal.reason };
    throw error;
  }
};
