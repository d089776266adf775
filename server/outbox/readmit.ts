import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { regionOf } from '../phone';
import { getService } from '../utils';
import type { NumberRow } from '../number-rows';
import { samePersonKey } from '../phone';
import { admit, businessInitiated, consentReason, needsOptIn, windowOpen, type AdmissionFacts, type Refusal, type SendSource } from './admission';
import type { Row } from './deliver';

type StoredTemplate = NonNullable<AdmissionFacts['template']>['stored'];
/** A row about to be sent with what it goes out on now. */
export interface Candidate {
  row: Row;
  number: NumberRow;
  conversation: Row;
  template: StoredTemplate;
}

const e164Of = (conversation: Row) => conversation.customerPhone ?? `+${conversation.customerWaId}`;

/** Bot and assistant replies queued before a person answered the conversation: dropped, the person has it now. */
const humanTookOver = async (strapi: Core.Strapi, candidates: Candidate[]) => {
  const refused = new Map<number, Refusal>();
  const bots = candidates.filter((c) => c.row.source === 'bot' || c.row.source === 'ai');
  if (!bots.length) return refused;
  const states = await strapi.db.query(UID.botState as any).findMany({ where: { conversationId: { $in: [...new Set(bots.map((c) => c.row.conversationId))] } }, select: ['conversationId', 'staffAt'] });
  const staffAt = new Map<number, number>(states.filter((s: Row) => s.staffAt).map((s: Row) => [s.conversationId, new Date(s.staffAt).getTime()]));
  for (const { row } of bots) {
    const at = staffAt.get(row.conversationId);
    if (at !== undefined && at >= new Date(row.createdAt).getTime()) refused.set(row.id, { reason: 'human-took-over', path: ['source'], message: `a person answered the conversation after this ${row.source === 'ai' ? 'assistant' : 'bot'} reply was queued` });
  }
  return refused;
};

/**
 * Admission again, right before the provider call: a row may have waited (backoff, its number's
 * rate, a schedule) while the customer opted out or became unreachable, the template was paused or
 * the window closed. The same `admit` as enqueue, from what the row and its conversation say now.
 */
export const createReadmission = (strapi: Core.Strapi) => ({
  /** The refusals among these rows, by row id; the CRM is asked once per region for all of them. */
  async refusals(candidates: Candidate[]): Promise<Map<number, Refusal>> {
    // The CRM lookup only where the answer matters, as at enqueue: the business starts this exchange.
    const asked = candidates.filter((c) => businessInitiated((c.row.source ?? 'inbox') as SendSource, windowOpen(c.conversation.windowExpiresAt)));
    const byRegion = new Map<string | null, string[]>();
    for (const c of asked) byRegion.set(regionOf(c.number), [...(byRegion.get(regionOf(c.number)) ?? []), e164Of(c.conversation)]);
    const optedOut = new Map<string, string>();
    for (const [region, phones] of byRegion) for (const [e164, reason] of await getService('opt-out', { strapi }).reasons(phones, region)) optedOut.set(e164, reason);
    // The consent records of these people, one query per number.
    const byNumber = new Map<number, string[]>();
    for (const c of asked) byNumber.set(c.number.id, [...(byNumber.get(c.number.id) ?? []), e164Of(c.conversation)]);
    const consents = new Map<string, Row>();
    for (const [numberId, phones] of byNumber) for (const [person, row] of await getService('consents', { strapi }).statuses(numberId, phones)) consents.set(`${numberId}:${person}`, row);
    // A row that carries the CRM record its phone came from asks that record's own flag too.
    const ownRecord = new Map<number, string>();
    for (const c of asked) {
      const hint = c.row.payload?.recipientOf;
      const reason = hint?.uid && hint?.documentId ? await getService('opt-out', { strapi }).recordReason(hint) : null;
      if (reason) ownRecord.set(c.row.id, reason);
    }
    const { requireMarketingOptIn } = asked.length ? await getService('settings', { strapi }).get() : { requireMarketingOptIn: false };
    const askedIds = new Set(asked.map((c) => c.row.id));

    const refused = await humanTookOver(strapi, candidates);
    for (const { row, number, conversation, template } of candidates) {
      const consent = askedIds.has(row.id) ? consents.get(`${number.id}:${samePersonKey(e164Of(conversation))}`) : undefined;
      const source = (row.source ?? 'inbox') as SendSource;
      const refusal = admit({
        source,
        target: 'conversation',
        kind: row.type === 'template' ? 'template' : 'free',
        number: { removed: Boolean(number.deletedAt), active: Boolean(number.active), freeForm: getService('provider-calls', { strapi }).for(number).capabilities.freeForm, provider: number.provider },
        windowExpiresAt: conversation.windowExpiresAt ?? null,
        template: row.type === 'template' ? { name: row.template.name, language: row.template.language, params: row.template.params, stored: template } : undefined,
        unreachable: Boolean(conversation.unreachable),
        optedOut: consentReason(consent) ?? ownRecord.get(row.id) ?? optedOut.get(e164Of(conversation)) ?? null,
        consent: askedIds.has(row.id) && needsOptIn(source, (template as { category?: string } | null)?.category, requireMarketingOptIn) ? consent?.status === 'opted-in' : undefined,
      });
      if (refusal && !refused.has(row.id)) refused.set(row.id, refusal);
    }
    return refused;
  },
});
