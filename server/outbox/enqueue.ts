import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { mapUrl, type ReplyRequest } from '../../contracts/inbox';
import { BUDGET_SOURCES, STAFF_REPLY_SOURCES, UID } from '../constants';
import type { CrmLink } from '../conversation-row';
import { openConversation } from '../conversations/open';
import { customerE164, regionOf } from '../phone';
import { templateText } from '../template-params';
import { replyKey } from '../keys';
import { getService } from '../utils';
import type { NumberRow } from '../number-rows';
import { admit, businessInitiated, consentReason, needsOptIn, windowOpen, type Refusal, type SendSource } from './admission';
import { dailyFact, tallyOne, type DailyTally } from './daily-budget';
import type { Row } from './deliver';

/** Where a message goes: an existing conversation, or a number and a customer's phone (E.164). */
export type Target = number | { numberId: number; phone: string; crmHint?: CrmHint | null; dailyTally?: DailyTally };
export interface CrmHint {
  /** The CRM record a new conversation is linked to (else the identity sources' match). */
  link?: CrmLink | null;
  /** The record the phone was read from: its own opt-out flag counts, even where a phone search would miss it. */
  recipientOf?: { uid: string; record: Row; path: string };
}
/** Who asks: an admin user (or null) and the feature on whose behalf, with its own reference. */
export interface Author {
  id: number | null;
  source?: SendSource;
  sourceRef?: string | null;
  /** The bot that sends it, shown in the thread as "Bot: <name>" (source `bot`). */
  bot?: { id: number; name: string; trigger: string };
}

/** A message admission refused: a 400 naming the field, and the refusal for callers that record it. */
export class NotAdmittedError extends errors.ValidationError {
  constructor(readonly refusal: Refusal) {
    const issues = refusal.issues?.length ? refusal.issues : [{ path: refusal.path, message: refusal.message }];
    super(refusal.title ?? refusal.message, { errors: issues.map((i) => ({ ...i, name: 'ValidationError', value: null })) });
  }
}

const kindOfMime = (mime: string) => (/^image\//.test(mime) ? 'image' : /^video\//.test(mime) ? 'video' : /^audio\//.test(mime) ? 'audio' : 'document');
const fail = (path: string, message: string): never => {
  throw new errors.ValidationError(message, { errors: [{ path: [path], message, name: 'ValidationError', value: null }] });
};

/**
 * The one door out: every message (inbox reply or start, notification, auto-reply, bot, AI) is
 * checked by admission here, by its author's source, and stored `queued` once per idempotency key;
 * the driver then takes it to `deliver`. A campaign's slices go through enqueue-many.ts, which
 * gathers the same facts for many messages at once: a new check is added to both.
 */
export const createEnqueue = (strapi: Core.Strapi, schedule: (rows: Row[]) => Promise<void>) => {
  const q = (uid: string) => strapi.db.query(uid as any);

  /** The message a request with this idempotency key already queued in the conversation, if any. */
  const queued = async (conversationId: number, key: string | undefined | null): Promise<Row | null> =>
    key ? q(UID.message).findOne({ where: { idempotencyKey: replyKey(conversationId, key) } }) : null;

  const storedTemplate = (numberId: number, t: { name: string; language: string }) => q(UID.template).findOne({ where: { numberId, name: t.name, language: t.language, removedAt: null } });

  /** A media reply's row fields: by link, or a Media Library file (sent by upload where the provider can). */
  const mediaFields = async (input: Extract<ReplyRequest, { type: 'media' }>) => {
    if (!input.fileId) return { type: input.mediaType, text: input.caption ?? null, payload: { link: input.link, filename: input.filename } };
    const file = await q('plugin::upload.file').findOne({ where: { id: input.fileId } });
    if (!file) fail('fileId', 'no file with this id in the Media Library');
    return { type: input.mediaType ?? kindOfMime(file.mime), text: input.caption ?? null, payload: { fileId: file.id, filename: input.filename ?? file.name, mime: file.mime }, media: file.id };
  };

  /** The row's content fields (admission already passed). */
  const contentFields = async (input: ReplyRequest, template: Row | null): Promise<Row> => {
    if (input.type === 'template') {
      return { type: 'template', template: input.template, text: templateText(template!.components ?? [], template!.parameterFormat ?? 'positional', input.template.params) || `[template ${template!.name}]` };
    }
    const replyToProviderId = 'replyTo' in input ? input.replyTo ?? null : null;
    if (input.type === 'text') return { type: 'text', text: input.text, replyToProviderId };
    if (input.type === 'media') return { ...(await mediaFields(input)), replyToProviderId };
    if (input.type === 'interactive') return { type: 'interactive', text: input.interactive.body, payload: { interactive: input.interactive }, replyToProviderId };
    // The text is what the thread preview and the conversation list show; the payload is what leaves.
    if (input.type === 'location') return { type: 'location', text: [input.location.name, input.location.address, mapUrl(input.location)].filter(Boolean).join('\n'), payload: { location: input.location } };
    if (input.type === 'contacts') return { type: 'contacts', text: [input.contact.name, input.contact.phone, input.contact.email].filter(Boolean).join('\n'), payload: { contact: input.contact } };
    return fail('type', `a ${(input as { type: string }).type} message cannot be queued; resolve it first`);
  };

  /** Stores the row; the same key at once (a double click, a retried request) answers the row that won. */
  const insert = async (data: Row) => {
    try {
      return { row: await q(UID.message).create({ data }), created: true };
    } catch (error) {
      // Inside a caller's transaction PostgreSQL would refuse the lookup after a failed insert, so there the original error stands.
      const existing = data.idempotencyKey && !strapi.db.inTransaction() ? await q(UID.message).findOne({ where: { idempotencyKey: data.idempotencyKey } }) : null;
      if (existing) return { row: existing as Row, created: false };
      throw error;
    }
  };

  return {
    queued,

    /**
     * Checks, stores and hands a message to the driver. A retry with an idempotency key already
     * used answers that message, whatever changed since (the window closed, the template paused).
     * Refused messages throw `NotAdmittedError` and leave nothing behind, not even a new conversation.
     */
    async enqueue(target: Target, input: ReplyRequest, author: Author): Promise<Row> {
      const source: SendSource = author.source ?? 'inbox';
      const byNumber = typeof target !== 'number';
      let conversation: Row | null;
      let e164: string | null;
      if (byNumber) {
        e164 = `+${target.phone.replace(/\D/g, '')}`;
        conversation = await q(UID.conversation).findOne({ where: { numberId: target.numberId, customerWaId: e164.slice(1) } });
      } else {
        conversation = await q(UID.conversation).findOne({ where: { id: target } });
        if (!conversation) throw new errors.NotFoundError('No conversation with this id');
        e164 = conversation.customerPhone ?? customerE164(conversation.customerWaId);
      }
      const existing = conversation ? await queued(conversation.id, input.idempotencyKey) : null;
      if (existing) return existing;

      const number = (await q(UID.number).findOne({ where: { id: byNumber ? target.numberId : conversation!.numberId } })) as NumberRow | null;
      const template = number && input.type === 'template' ? await storedTemplate(number.id, input.template) : null;
      const windowExpiresAt = conversation?.windowExpiresAt ?? null;
      const open = windowOpen(windowExpiresAt);
      const unreachable = Boolean(conversation?.unreachable);
      // The consent and CRM lookups only when the answer matters: the business starts this exchange.
      const initiated = Boolean(number && e164 && businessInitiated(source, open));
      const consent = initiated ? await getService('consents', { strapi }).find(number!.id, e164!) : null;
      const optedOut = initiated
        ? consentReason(consent) ?? (await getService('opt-out', { strapi }).reason(e164!, regionOf(number!), byNumber ? target.crmHint?.recipientOf : undefined))
        : null;
      const optInNeeded = initiated && needsOptIn(source, template?.category, (await getService('settings', { strapi }).get()).requireMarketingOptIn);
      const daily = number && businessInitiated(source, open) && BUDGET_SOURCES.has(source) ? await dailyFact(strapi, number, conversation?.id ?? null, byNumber ? target.dailyTally : undefined) : undefined;
      const refusal = admit({
        source,
        target: byNumber ? 'number' : 'conversation',
        kind: input.type === 'template' ? 'template' : 'free',
        number: { removed: !number || Boolean(number.deletedAt), active: Boolean(number?.active), freeForm: number ? getService('provider-calls', { strapi }).for(number).capabilities.freeForm : false, provider: number?.provider ?? '' },
        windowExpiresAt,
        template: input.type === 'template' ? { name: input.template.name, language: input.template.language, params: input.template.params, stored: template } : undefined,
        unreachable,
        optedOut,
        daily,
        consent: optInNeeded ? consent?.status === 'opted-in' : undefined,
      });
      if (refusal) throw new NotAdmittedError(refusal);

      const content = await contentFields(input, template);
      if (!conversation) conversation = await openConversation(strapi, number!, e164!, byNumber ? target.crmHint?.link : null);
      const conversationId = conversation!.id as number;
      const data: Row = { conversationId, numberId: number!.id, direction: 'out', status: 'queued', source, sourceRef: author.sourceRef ?? null, authorId: author.id, attempts: 0, ...content };
      if (author.bot) data.payload = { ...(data.payload ?? {}), bot: author.bot };
      // The record the phone came from, so readmission asks its own opt-out flag again.
      const holder = byNumber && target.crmHint?.recipientOf ? getService('opt-out', { strapi }).holder(target.crmHint.recipientOf) : null;
      if (holder) data.payload = { ...(data.payload ?? {}), recipientOf: holder };
      if (input.idempotencyKey) data.idempotencyKey = replyKey(conversationId, input.idempotencyKey);
      const { row, created } = await insert(data);
      if (!created) return row;
      if (daily && byNumber) tallyOne(target.dailyTally, number!.id);
      // Only a staff reply means the customer's messages were read; an automated one leaves them waiting.
      await q(UID.conversation).update({ where: { id: conversationId }, data: { lastMessageAt: new Date(), lastMessagePreview: String(row.text ?? `[${row.type}]`).slice(0, 200), ...(STAFF_REPLY_SOURCES.has(source) ? { unread: 0 } : {}) } });
      // A person answering takes the conversation from the bots (and drops their replies still queued).
      if (STAFF_REPLY_SOURCES.has(source)) await getService('bots', { strapi }).staffReplied(conversationId, number!.id);
      getService('realtime', { strapi }).publish({ type: 'message.created', conversationId, numberId: row.numberId, messageId: row.id });
      await schedule([row]);
      return row;
    },
  };
};
