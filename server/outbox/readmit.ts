import type { Core } from '@strapi/strapi';
import { regionOf } from '../phone';
import { getService } from '../utils';
import type { NumberRow } from '../services/numbers';
import { admit, businessInitiated, type AdmissionFacts, type Refusal, type SendSource } from './admission';
import type { Row } from './deliver';

/**
 * Admission again, right before the provider call: a row may have waited (backoff, its number's
 * rate, a schedule) while the customer opted out or became unreachable, the template was paused or
 * the window closed. The same `admit` as enqueue, from what the row and its conversation say now.
 */
export const createReadmission = (strapi: Core.Strapi) => ({
  async refusal(row: Row, number: NumberRow, conversation: Row, template: NonNullable<AdmissionFacts['template']>['stored']): Promise<Refusal | null> {
    const source: SendSource = row.source ?? 'inbox';
    const windowExpiresAt = conversation.windowExpiresAt ?? null;
    const open = Boolean(windowExpiresAt && new Date(windowExpiresAt) > new Date());
    const e164 = conversation.customerPhone ?? `+${conversation.customerWaId}`;
    // The CRM lookup only when the answer matters, as at enqueue: the business starts this exchange.
    const optedOut = businessInitiated(source, open) ? await getService('opt-out', { strapi }).reason(e164, regionOf(number)) : null;
    return admit({
      source,
      target: 'conversation',
      kind: row.type === 'template' ? 'template' : 'free',
      number: { removed: Boolean(number.deletedAt), active: Boolean(number.active), freeForm: getService('provider-calls', { strapi }).for(number).capabilities.freeForm, provider: number.provider },
      windowExpiresAt,
      template: row.type === 'template' ? { name: row.template.name, language: row.template.language, params: row.template.params, stored: template } : undefined,
      unreachable: Boolean(conversation.unreachable),
      optedOut,
    });
  },
});
