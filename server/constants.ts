import { ACTION_LABELS, ACTIONS, type ActionKey } from '../contracts/permissions';

export const PLUGIN_ID = 'whatsapp';

/** The code Strapi gives its Super Admin role: it sees every number and every log row. */
export const SUPER_ADMIN_ROLE = 'strapi-super-admin';

export const UID = {
  number: 'plugin::whatsapp.number',
  conversation: 'plugin::whatsapp.conversation',
  message: 'plugin::whatsapp.message',
  template: 'plugin::whatsapp.template',
  webhookEvent: 'plugin::whatsapp.webhook-event',
  apiLog: 'plugin::whatsapp.api-log',
  appliedEvent: 'plugin::whatsapp.applied-event',
  quickReply: 'plugin::whatsapp.quick-reply',
  notificationRule: 'plugin::whatsapp.notification-rule',
  notificationFiring: 'plugin::whatsapp.notification-firing',
  campaign: 'plugin::whatsapp.campaign',
  campaignOccurrence: 'plugin::whatsapp.campaign-occurrence',
  campaignRecipient: 'plugin::whatsapp.campaign-recipient',
  bot: 'plugin::whatsapp.bot',
  botNumber: 'plugin::whatsapp.bot-number',
  botState: 'plugin::whatsapp.bot-state',
  consent: 'plugin::whatsapp.consent',
  consentChange: 'plugin::whatsapp.consent-change',
  assistantSource: 'plugin::whatsapp.assistant-source',
  assistantChunk: 'plugin::whatsapp.assistant-chunk',
  assistantSuggestion: 'plugin::whatsapp.assistant-suggestion',
} as const;

export { ACTIONS, actionId, type ActionKey } from '../contracts/permissions';

/** What Strapi's `actionProvider.registerMany` takes, one entry per action of contracts/permissions.ts. */
export const PERMISSION_ACTIONS = (Object.keys(ACTIONS) as ActionKey[]).map((key) => ({
  section: 'plugins' as const,
  displayName: ACTION_LABELS[key].displayName,
  uid: ACTIONS[key],
  subCategory: ACTION_LABELS[key].subCategory,
  pluginName: PLUGIN_ID,
}));

export const WEBHOOK_PATH = '/api/whatsapp/webhooks';

/** Bytes kept of a refused webhook body (never trusted, never applied): enough to see how it began. */
export const REJECTED_BODY_KEPT_BYTES = 2048;

/**
 * What a CRM-event rule may read of a record: a path ends on one of these attribute types (never a
 * relation, media, component, dynamic zone, JSON, blocks or password), so no object is ever sent.
 */
export const BINDABLE_TYPES = new Set(['string', 'text', 'richtext', 'email', 'uid', 'enumeration', 'integer', 'biginteger', 'float', 'decimal', 'date', 'datetime', 'time', 'timestamp', 'boolean']);

/**
 * Rules read the app's own types (`api::*`) only; outside them, just these fields. Admin users
 * (`admin::*`) are never readable, even by super admins: their rows hold password hashes and tokens.
 */
export const BINDABLE_OUTSIDE_API: Record<string, string[]> = { 'plugin::users-permissions.user': ['username'] };

/** What a trace shows instead of a value its viewer may not read in the Content Manager. */
export const REDACTED = '•••';

/** Inbound media: the largest file fetched (WhatsApp's own limit is 100 MB) and the longest a download may take. */
export const MEDIA_MAX_BYTES = 100 * 1024 * 1024;
export const MEDIA_DEADLINE_MS = 120_000;
/** The Media Library folder customer files are stored in. */
export const MEDIA_FOLDER_NAME = 'WhatsApp';

/** Defaults of the config keys of the same names (server/config.ts), in one place for the config and its readers. */
export const DEFAULT_LOG_RETENTION_DAYS = 30;
export const DEFAULT_STREAM_HEARTBEAT_MS = 20_000;
export const DEFAULT_MAX_STREAMS_PER_USER = 5;

/** Outgoing sources that mean staff answered the customer; automated ones (notification, auto-reply, campaign, bot, ai) leave them waiting. */
export const STAFF_REPLY_SOURCES: ReadonlySet<string> = new Set(['inbox']);

/** Sources whose template sends open business-initiated conversations, counted against the number's messaging tier. */
export const BUDGET_SOURCES: ReadonlySet<string> = new Set(['campaign', 'notification']);

/** Why a campaign recipient was not sent today: the number's daily budget was used up (admission's reason code). */
export const DAILY_LIMIT_REASON = 'daily-limit';
/** Why a campaign's recipient was not sent: the campaign was cancelled first. */
export const CANCELLED_REASON = 'cancelled: the campaign was cancelled before this recipient was sent';

/** How many rows past the requested page a list counts before it stops: a lower bound beyond that is enough to page on. */
export const COUNT_AHEAD = 1000;

/**
 * Webhook calls waiting to be stored at most (rows, and bytes of their bodies): past either, or
 * while the database cannot be reached, a call is answered 503 with Retry-After and the provider
 * delivers it again, so a slow database never fills memory.
 */
export const WEBHOOK_QUEUE_MAX_ROWS = 5000;
export const WEBHOOK_QUEUE_MAX_BYTES = 64 * 1024 * 1024;
/** Seconds a provider is asked to wait before delivering a call again that could not be stored. */
export const WEBHOOK_RETRY_AFTER_S = 5;

/** How long a hot-path read (number, bot switch, assistant settings) is reused; writes on this instance clear it at once. */
export const BRIEF_CACHE_MS = 5_000;
export const BRIEF_CACHE_MAX = 10_000;

/** API log rows held in memory at most while the database is slow: past it the oldest are dropped (and counted). */
export const API_LOG_BUFFER_MAX_ROWS = 10_000;
/** The assistant: how long an engine call may take, how many recent messages and knowledge chunks it is given. */
export const ASSISTANT_TIMEOUT_MS = 20_000;
export const ASSISTANT_RECENT_MESSAGES = 12;
export const ASSISTANT_TOP_CHUNKS = 4;
/** The confidence an automatic answer needs when the number sets none. */
export const ASSISTANT_AUTO_THRESHOLD = 0.6;
/** How automatic answers are labelled in the thread (like a bot's name). */
export const ASSISTANT_AUTHOR = { id: 0, name: 'AI assistant', trigger: 'ai' } as const;
/** Largest knowledge text (typed or uploaded) and the size a chunk is cut to. */
export const KNOWLEDGE_MAX_CHARS = 1_000_000;
export const KNOWLEDGE_CHUNK_CHARS = 1200;
/** Knowledge from PDF files and host collections: the largest PDF read, the records and fields one collection source indexes, and how long record edits gather before a re-index. */
export const KNOWLEDGE_PDF_MAX_BYTES = 20 * 1024 * 1024;
export const KNOWLEDGE_COLLECTION_MAX_RECORDS = 5_000;
export const KNOWLEDGE_COLLECTION_MAX_FIELDS = 20;
export const KNOWLEDGE_REINDEX_DEBOUNCE_MS = 300;
/** A PDF is read in a worker thread: past this many pages it is refused unread, past this heap or time the worker is killed. */
export const KNOWLEDGE_PDF_MAX_PAGES = 500;
export const KNOWLEDGE_PDF_MAX_HEAP_MB = 256;
export const KNOWLEDGE_PDF_TIMEOUT_MS = 20_000;
/** A collection source re-indexes at most once in this long, however often its records are written. */
export const KNOWLEDGE_REINDEX_THROTTLE_MS = 30_000;
/** How long an instance trusts its list of the content types collection sources watch (another instance may add one). */
export const KNOWLEDGE_WATCHED_TTL_MS = 10_000;
