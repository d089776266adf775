import type { TemplateParameterSchema } from '../../contracts/templates';
import type { TemplateParams } from '../providers/types';
import { assertTemplateParams } from '../template-params';

/** Who asked for a message: every way out names one, and admission is decided by it. */
export type SendSource = 'inbox' | 'notification' | 'campaign' | 'bot' | 'ai' | 'auto-reply' | 'consent';
export const SEND_SOURCES: readonly SendSource[] = ['inbox', 'notification', 'campaign', 'bot', 'ai', 'auto-reply', 'consent'];

export type RefusalReason =
  | 'number-removed'
  | 'number-off'
  | 'template-missing'
  | 'template-not-approved'
  | 'template-params'
  | 'window-closed'
  | 'free-text-unsupported'
  | 'unreachable'
  | 'opted-out'
  | 'no-consent'
  | 'daily-limit'
  /** A bot's reply whose conversation a person answered after it was queued. */
  | 'human-took-over';

/** Why a message may not leave: a reason code callers can act on, the field to blame and a sentence. */
export interface Refusal {
  reason: RefusalReason;
  path: string[];
  message: string;
  /** The error's headline when it differs from `message` (a field name in front, say). */
  title?: string;
  /** Several issues (template parameters), each with its own path. */
  issues?: { path: string[]; message: string }[];
}

/** Everything admission looks at, gathered by enqueue (one message) and enqueue-many (a campaign's slice), so a new fact is gathered in both; no database here, so it is unit-tested alone. */
export interface AdmissionFacts {
  source: SendSource;
  /** The caller named a conversation, or a number and a phone (a conversation may not exist yet). */
  target: 'conversation' | 'number';
  kind: 'template' | 'free';
  number: { removed: boolean; active: boolean; freeForm: boolean; provider: string };
  /** When the customer's 24-hour window closes; null when they have never written. */
  windowExpiresAt: Date | string | null;
  now?: Date;
  template?: {
    name: string;
    language: string;
    /** The stored template, or null when the number has none by that name and language. */
    stored: { status: string; parameterSchema: TemplateParameterSchema; parameterFormat?: 'positional' | 'named' | null } | null;
    params?: TemplateParams;
  };
  /** The provider said this customer cannot be reached on WhatsApp. */
  unreachable: boolean;
  /** Why the customer opted out (their CRM record says so), or null. */
  optedOut: string | null;
  /** Marketing opt-in where one is required (`needsOptIn`); undefined when none is. */
  consent?: boolean;
  /** A daily cap on business-initiated sends, where one is configured. */
  daily?: { limit: number; used: number };
}

/** Whether the customer's 24-hour window is open: it expires at `windowExpiresAt`, set by their last message. */
export const windowOpen = (windowExpiresAt: Date | string | null | undefined, now = new Date()) => Boolean(windowExpiresAt && new Date(windowExpiresAt) > now);

/**
 * Whether the business starts this exchange rather than answering the customer. Staff in the inbox
 * answer a person; a bot or the AI answers while the customer's own window is open; notifications,
 * campaigns and the out-of-hours auto-reply are automated, and an opted-out customer asked for none.
 */
export const businessInitiated = (source: SendSource, open: boolean) => {
  if (source === 'inbox') return false;
  // A consent confirmation answers the customer's own STOP / START, like a bot's reply.
  if (source === 'bot' || source === 'ai' || source === 'consent') return !open;
  return true;
};

/**
 * Whether this send needs the customer's explicit marketing opt-in: only with the setting
 * `requireMarketingOptIn` on, and only for campaigns and CRM events sending a MARKETING template.
 */
export const needsOptIn = (source: SendSource, category: string | null | undefined, requireMarketingOptIn: boolean) =>
  requireMarketingOptIn && (source === 'campaign' || source === 'notification') && String(category ?? '').toUpperCase() === 'MARKETING';

/** Why a consent record refuses business-initiated sends, as the refusal says it; null when it does not. */
export const consentReason = (consent: { status?: unknown; source?: unknown; at?: unknown; detail?: unknown } | null | undefined) =>
  consent?.status === 'opted-out' ? `${consent.source} on ${new Date(consent.at as string).toISOString().slice(0, 10)}${consent.detail ? `: ${consent.detail}` : ''}` : null;

const refuse = (reason: RefusalReason, path: string, message: string, title?: string): Refusal => ({ reason, path: [path], message, ...(title ? { title } : {}) });

/** The first reason this message may not leave, or null when it may. Checks run cheapest and most basic first. */
export const admit = (facts: AdmissionFacts): Refusal | null => {
  const byNumber = facts.target === 'number';
  if (facts.number.removed) return byNumber ? refuse('number-removed', 'numberId', 'the number has been removed', 'numberId: the number has been removed') : refuse('number-removed', 'conversation', 'the conversation’s number has been removed');
  if (!facts.number.active) return byNumber ? refuse('number-off', 'numberId', 'the number is switched off', 'numberId: the number is switched off') : refuse('number-off', 'conversation', 'the conversation’s number is switched off');

  const open = windowOpen(facts.windowExpiresAt, facts.now);
  // The customer before the content: they said no, or the provider already said no one is there.
  if (businessInitiated(facts.source, open) && facts.optedOut) return refuse('opted-out', 'conversation', `the customer opted out (${facts.optedOut})`);
  if (facts.unreachable) return refuse('unreachable', 'conversation', 'the customer is unreachable on WhatsApp');
  if (businessInitiated(facts.source, open)) {
    if (facts.consent === false) return refuse('no-consent', 'conversation', 'the customer has not opted in to marketing messages (requireMarketingOptIn is on)');
    if (facts.daily && facts.daily.used >= facts.daily.limit) return refuse('daily-limit', 'numberId', `the number has reached its ${facts.daily.limit} business-initiated sends for today`);
  }
  if (facts.kind === 'template') {
    const t = facts.template;
    if (!t?.stored) return refuse('template-missing', 'template', `no template ${t?.name} (${t?.language}) for this number; sync templates first`);
    if (t.stored.status !== 'APPROVED') return refuse('template-not-approved', 'template', `template ${t.name} is ${t.stored.status}, only approved templates can be sent`);
    try {
      assertTemplateParams(t.stored.parameterSchema, t.stored.parameterFormat ?? 'positional', t.params);
    } catch (error) {
      const issues = ((error as { details?: { errors?: { path: string[]; message: string }[] } }).details?.errors ?? []).map(({ path, message }) => ({ path, message }));
      return { reason: 'template-params', path: issues[0]?.path ?? ['template', 'params'], message: (error as Error).message, issues };
    }
  } else {
    if (!open) {
      const when = facts.windowExpiresAt ? `closed at ${new Date(facts.windowExpiresAt).toISOString()}` : 'is not open (they have not written yet)';
      return refuse('window-closed', 'type', `the customer’s 24-hour window ${when}; send an approved template instead`);
    }
    if (!facts.number.freeForm) return refuse('free-text-unsupported', 'type', `${facts.number.provider} numbers can send templates only`);
  }

  return null;
};
