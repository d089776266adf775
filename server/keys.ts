/**
 * Every key that makes an event happen once, built in one place: a unique index holds each of
 * them, so two writers that spell one differently would both pass. Changing a format here makes
 * stored keys unmatched (a redelivery would be applied again), so formats only ever grow.
 */
import type { Provider } from '../contracts/numbers';
import { samePersonKey } from './phone';

/* ---------- inbound: applied-event keys (whatsapp_applied_events.key) ---------- */

/** One provider event on one number, applied once (and a customer's message row's idempotency key). */
export const appliedEventKey = (provider: Provider, numberId: number, eventKey: string) => `${provider}:${numberId}:${eventKey}`;

/** The message an unmatched receipt names (applied_events.aboutId): a send recorded later with this provider id finds it. */
export const aboutKey = (numberId: number, providerMessageId: string) => `${numberId}:${providerMessageId}`;

/** One lead created per person, whichever number they write to first and however their phone is spelled. */
export const autoLeadKey = (e164: string) => `autolead:${samePersonKey(e164)}`;

/** Inbound rows about one person are applied in order; rows about no person are ordered by their kind and business. */
export const personOrderKey = (personId: string | undefined) => `person:${personId}`;

/* ---------- outbound: message idempotency keys (message.idempotencyKey) ---------- */

/** A caller's idempotency key is scoped to its conversation: the same key in two conversations is two messages. */
export const replyKey = (conversationId: number, callerKey: string) => `reply:${conversationId}:${callerKey}`;

/** The out-of-hours reply's caller key: one per closed period (and its source reference). */
export const outOfHoursKey = (period: string) => `out-of-hours:${period}`;

/** A bot's answer to a customer's message (the last of a burst): decided twice, it is still sent once. */
export const botReplyKey = (messageId: number) => `bot:${messageId}`;

/** The assistant's automatic answer to a customer's message: claimed once, sent once, also on a redelivered webhook. */
export const assistantAutoKey = (messageId: number) => `ai:${messageId}`;

/** A timed bot's caller key: once per bot and the message it follows up. */
export const botTimedKey = (botId: number, trigger: string, messageId: number) => `bot:${botId}:${trigger}:${messageId}`;
/** A consent keyword's confirmation: one per customer message, so a replayed STOP finds it. */
export const consentReplyKey = (messageEventKey: string) => `consent:${messageEventKey}`;

/** A notification firing's caller key: a firing sent again after a crash finds its message. */
export const firingMessageKey = (firingId: number) => `firing:${firingId}`;

/** The `sourceRef` a notification's message carries: which rule and which firing sent it. */
export const firingSourceRef = (ruleId: number, firingId: number) => `rule:${ruleId}:firing:${firingId}`;

/** A campaign recipient's caller key: fed again after a crash, it finds its message; a retry (attempt > 0) is a new message. */
export const campaignMessageKey = (occurrenceId: number, recipientId: number, attempt = 0) => `campaign:${occurrenceId}:${recipientId}${attempt ? `:${attempt}` : ''}`;

/** The `sourceRef` of a campaign's messages: which campaign and which occurrence (test sends: `test`). */
export const campaignSourceRef = (campaignId: number, occurrenceId: number | 'test') => `campaign:${campaignId}:${occurrenceId === 'test' ? 'test' : `occ:${occurrenceId}`}`;

/* ---------- campaigns: occurrence keys (campaign-occurrence.key) ---------- */

/** One occurrence per campaign and due time: two scheduler ticks (or a double launch) make one. */
export const campaignOccurrenceKey = (campaignId: number, dueAt: Date) => `${campaignId}:${dueAt.toISOString()}`;

/* ---------- notifications: firing keys (notification-firing.key) ---------- */

/** One record is one document in one locale: `<documentId>@<locale>` on localized types. */
export const recordKey = (documentId: string, locale?: string | null) => (locale ? `${documentId}@${locale}` : documentId);

/** One rule firing for one occurrence of one event on one record. */
export const firingKey = (ruleId: number, record: string, event: string, occurrence: string) => `${ruleId}:${record}:${event}:${occurrence}`;

/** A date-offset reminder fires once per record and day. */
export const reminderKey = (ruleId: number, documentId: string, day: string) => firingKey(ruleId, documentId, 'dateOffset', day);

/* ---------- limits and locks (Redis and the local limiter) ---------- */

/** A number's send rate (messages per second). */
export const numberRateKey = (numberId: number) => `number:${numberId}`;

/** The pair limit: one business number to one customer. */
export const pairRateKey = (numberId: number, customerWaId: string) => `pair:${numberId}:${customerWaId}`;

/** A scheduled job's run lock: each tick runs once in the cluster. */
export const cronLockKey = (jobName: string) => `cron:${jobName}`;
