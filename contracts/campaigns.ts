/**
 * Campaigns as the admin API takes and answers them, shared by the server and the admin panel:
 * one-time, scheduled and recurring template sends to an audience of CRM records and/or a CSV.
 */

export const CAMPAIGN_STATES = ['draft', 'scheduled', 'running', 'paused', 'done', 'cancelled'] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

/** `failed`: refused before anything was sent (its author's rights no longer allow it), with its `reason`. */
export const OCCURRENCE_STATES = ['pending', 'running', 'paused', 'done', 'cancelled', 'failed'] as const;
export type OccurrenceState = (typeof OCCURRENCE_STATES)[number];

export const RECIPIENT_STATUSES = ['queued', 'sent', 'delivered', 'read', 'replied', 'failed', 'skipped'] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

/** Why a recipient is left out before anything is sent (pre-flight and each occurrence's snapshot). */
export const EXCLUSION_REASONS = [
  'opted-out',
  'no-phone',
  'invalid-phone',
  'duplicate',
  'missing-parameter',
  'no-marketing-consent',
  'marketing-to-us',
  'recently-contacted',
  'unreachable',
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

/** Plain-language labels of the exclusion reasons, for tables and the pre-flight. */
export const EXCLUSION_LABELS: Record<ExclusionReason, string> = {
  'opted-out': 'Opted out',
  'no-phone': 'No phone',
  'invalid-phone': 'Invalid phone',
  duplicate: 'Duplicate phone',
  'missing-parameter': 'Missing parameter value',
  'no-marketing-consent': 'Not consented to marketing',
  'marketing-to-us': 'Marketing template to a +1 number',
  'recently-contacted': 'Contacted by another campaign recently',
  unreachable: 'Not on WhatsApp',
};

/** The Meta messaging tiers: business-initiated conversations a number may open in 24 hours. */
export const MESSAGING_TIERS = { TIER_250: 250, TIER_1K: 1000, TIER_10K: 10_000, TIER_100K: 100_000, TIER_UNLIMITED: null } as const;
export type MessagingTier = keyof typeof MESSAGING_TIERS;

/** One template parameter's value: a field path of the recipient's record, a CSV column or a constant. */
export interface CampaignParameter {
  component: 'header' | 'body' | 'button';
  /** Position (0-based) among the component's parameters, or the button's index. */
  index?: number;
  /** For named templates. */
  name?: string;
  from: 'field' | 'column' | 'constant';
  /** A field path (dots through relations: `company.name`), a CSV column name, or a constant (a media header: its https link). */
  value: string;
  /** Used when the field or column is empty; without one such a recipient is skipped (`missing-parameter`). */
  fallback?: string | null;
}

/** Who is sent to: records of a host type narrowed by a Content Manager filter, an uploaded CSV, or both. */
export interface CampaignAudienceInput {
  /** A collection type uid, e.g. `api::lead.lead`. */
  contentType?: string | null;
  /** The Content Manager's filter shape (`{ $and: [{ status: { $eq: 'new' } }] }`), evaluated when each occurrence runs. */
  filters?: Record<string, unknown> | null;
  /** The record's phone attribute. */
  phoneField?: string | null;
  /** A boolean attribute of the record: only records where it is true are sent marketing templates. */
  consentField?: string | null;
  /** CSV text with a header row; one column holds the phone. */
  csv?: string | null;
  /** The CSV's phone column (default `phone`). */
  phoneColumn?: string | null;
  /** A text attribute of the record holding the recipient's IANA time zone (per-recipient quiet hours). */
  timeZoneField?: string | null;
}

/** The audience as answered: the CSV itself is not sent back, only what it holds. */
export interface CampaignAudience extends Omit<CampaignAudienceInput, 'csv'> {
  csv: { rows: number; columns: string[] } | null;
}

export interface CampaignSchedule {
  type: 'now' | 'once' | 'recurring';
  /** `once`: when (ISO date-time; without an offset it is read in `timeZone`); `recurring`: the first run no sooner. */
  at?: string | null;
  /** IANA time zone, e.g. `Europe/Paris` (default UTC). */
  timeZone?: string | null;
  /** `recurring`: a preset or a five-field cron expression. */
  frequency?: 'daily' | 'weekly' | 'monthly' | null;
  cron?: string | null;
  /** `recurring`: no occurrence starts after this. */
  until?: string | null;
  /**
   * No sends from `start` to `end` (HH:MM, wrapping midnight when `end` is earlier), local time in
   * `timeZone` (default the schedule's, else UTC): recipients due inside wait, queued, until `end`.
   * `perRecipient`: read in each recipient's own zone instead (the record's `audience.timeZoneField`,
   * else a CSV `timezone`/`time_zone` column, else the phone's country, else `timeZone`).
   */
  quietHours?: { start: string; end: string; timeZone?: string | null; perRecipient?: boolean | null } | null;
}

export interface CampaignOptions {
  /** Leave out customers another campaign sent to within this many hours (0 or null: no check). */
  contactedWithinHours?: number | null;
  /** Launch past the number's daily budget by spreading the sends over several days. */
  spreadOverDays?: boolean;
  /** How many times a 131049 ("healthy ecosystem") failure is tried again, no sooner than 24 h later. */
  ecosystemRetries?: number;
  /** Pause automatically when more than `failureRate` (0..1) of the last `window` sends failed. */
  autoPause?: { window: number; failureRate: number } | null;
  /** A customer message within this many hours after ours counts as a reply. */
  replyWindowHours?: number;
}

/** Body of `POST /whatsapp/campaigns` and `PUT /whatsapp/campaigns/:id` (on update every key is optional). */
export interface CampaignInput {
  name: string;
  numberId: number;
  template: { name: string; language: string };
  parameters?: CampaignParameter[];
  audience: CampaignAudienceInput;
  schedule: CampaignSchedule;
  options?: CampaignOptions;
}

export interface CampaignCounters {
  /** Recipients in the snapshot(s), skipped included. */
  total: number;
  queued: number;
  sent: number;
  delivered: number;
  read: number;
  replied: number;
  failed: number;
  skipped: number;
}

/** The funnel: each step counts the recipients that reached it or went further (read counts as delivered and sent). */
export interface CampaignFunnel {
  audience: number;
  sent: number;
  delivered: number;
  read: number;
  replied: number;
  failed: number;
}

export interface CampaignAuditEntry {
  action: 'created' | 'edited' | 'launched' | 'paused' | 'resumed' | 'cancelled' | 'auto-paused' | 'retried' | 'test-sent' | 'scheduled' | 'done';
  /** The admin user, or null for the scheduler and automatic pauses. */
  userId: number | null;
  userName: string | null;
  at: string;
  detail?: string | null;
}

export interface CampaignOccurrence {
  id: number;
  campaignId: number;
  /** When it was due (the scheduled time, or the launch). */
  scheduledFor: string;
  state: OccurrenceState;
  startedAt: string | null;
  finishedAt: string | null;
  counters: CampaignCounters;
  /** Why a `failed` occurrence sent nothing. */
  reason?: string | null;
}

export interface Campaign extends Omit<CampaignInput, 'audience' | 'parameters' | 'options'> {
  id: number;
  documentId: string;
  parameters: CampaignParameter[];
  audience: CampaignAudience;
  options: Required<Omit<CampaignOptions, 'autoPause'>> & { autoPause: CampaignOptions['autoPause'] };
  state: CampaignState;
  /** Why it paused (an admin, or the automatic pause's reason), while paused. */
  pausedReason: string | null;
  /** The next occurrence of a scheduled or recurring campaign. */
  nextRunAt: string | null;
  /** Over every occurrence. */
  counters: CampaignCounters;
  /** The latest occurrence, if any ran. */
  occurrence: CampaignOccurrence | null;
  audit: CampaignAuditEntry[];
  createdAt: string;
  updatedAt: string;
}

/** One recipient of one occurrence. */
export interface CampaignRecipient {
  id: number;
  occurrenceId: number;
  /** E.164, or what the source held when it could not be read as one. */
  phone: string;
  status: RecipientStatus;
  /** Skipped: the exclusion reason; failed: the plain-language reason and what to do. */
  reason: string | null;
  errorCode: string | null;
  /** The outbox's error class (`rate-limited`, `invalid-recipient`, `template-problem`, …). */
  errorClass: string | null;
  /** Whether "retry failed" would send it again. */
  retryable: boolean;
  /** Where it came from: a record (`api::lead.lead` + documentId) or a CSV row number. */
  source: { contentType: string; documentId: string } | { csvRow: number } | null;
  messageId: number | null;
  queuedAt: string | null;
  sentAt: string | null;
  deliveredAt: string | null;
  readAt: string | null;
  repliedAt: string | null;
  failedAt: string | null;
  /** A queued recipient waiting (quiet hours, a 131049 retry): not sent before this time. */
  nextAttemptAt?: string | null;
}

export interface PreflightExclusion {
  reason: ExclusionReason;
  count: number;
  /** A few of the phones (or record ids) left out, to check by hand. */
  sample: string[];
}

/** `POST /whatsapp/campaigns/:id/preflight`: what launching now would do. */
export interface PreflightResult {
  /** Records and CSV rows before exclusions. */
  audience: number;
  /** Recipients that would be sent to. */
  sendable: number;
  exclusions: PreflightExclusion[];
  template: { name: string; language: string; status: string | null; quality: string | null; category: string | null; sendable: boolean };
  number: { id: number; throughputMps: number; messagingTier: MessagingTier | null; dailyLimit: number | null; usedToday: number; remainingToday: number | null };
  /** At the number's rate, in seconds. */
  estimatedSeconds: number;
  /** Days the sends take at the remaining daily budget (1 when it fits today). */
  days: number;
  /** False with `problems` saying why (template not approved, past the budget without `spreadOverDays`, …). */
  canLaunch: boolean;
  problems: { path: string[]; message: string }[];
  /** What the number's provider cannot do for this campaign (no launch is blocked by them), e.g. AiSensy's missing template sync. */
  warnings: { path: string[]; message: string }[];
  /** A few recipients with their rendered parameters, for a preview. */
  sample: { phone: string; parameters: unknown }[];
}

/** One bucket of the chart: what happened in [at, at + bucketSeconds). */
export interface TimelineBucket {
  at: string;
  sent: number;
  delivered: number;
  read: number;
  replied: number;
  failed: number;
}
