import { DEFAULT_THROUGHPUT_MPS } from '../contracts/numbers';
import { ASSISTANT_TIMEOUT_MS, DEFAULT_LOG_RETENTION_DAYS, DEFAULT_MAX_STREAMS_PER_USER, DEFAULT_STREAM_HEARTBEAT_MS } from './constants';

export interface PluginConfig {
  /** Key for credentials at rest. Any string; 32+ random characters recommended. */
  encryptionKey?: string;
  /** Older keys, still accepted for reading, so a key can be rotated without losing numbers. */
  previousEncryptionKeys?: string[];
  /** Base of the webhook URLs shown to admins, e.g. `https://crm.example.com`. */
  publicUrl?: string;
  /** Let the plugin read webhook bodies itself (middlewares/webhook-body.ts; signatures need the exact bytes); false: the host's `strapi::body` keeps them. */
  rawBody?: boolean;
  /** Scheduled jobs (template sync, recovery sweeps). Off in tests unless a test turns it on. */
  cron?: { enabled?: boolean; templateSync?: string; reminders?: string; logRetention?: string; campaigns?: string; bots?: string };
  /** Days webhook and API log rows are kept; older ones are deleted by the daily cron job. */
  logRetentionDays?: number;
  defaultThroughputMps?: number;
  /** Milliseconds between a live stream's keep-alives; each also re-checks the user's access. */
  streamHeartbeatMs?: number;
  /** Live streams one user may hold open on one instance; one more is answered 429. */
  maxStreamsPerUser?: number;
  /**
   * Webhook rows applied at once by the inbound worker (events of one customer always one after
   * another). Default: 4 on PostgreSQL, 1 on SQLite, whose one connection serializes them anyway.
   */
  inboundConcurrency?: number;
  /**
   * Several instances: Redis (with PostgreSQL) carries the sends (BullMQ), the rate limits, the live
   * events, stream tickets and the cron locks. Unset: one instance, all of it in process.
   * `prefix` starts every key and queue name, so several apps (or test runs) can share one Redis.
   */
  redis?: { url?: string; prefix?: string };
  /** Inbound media downloads: largest file in bytes, and the longest a whole download may take. */
  media?: { maxBytes?: number; deadlineMs?: number };
  /** The assistant: the longest a call to a model may take before the conversation is handed to a person. */
  assistant?: { timeoutMs?: number };
  providers?: {
    meta?: { baseUrl?: string; graphVersion?: string };
    gupshup?: { baseUrl?: string };
    aisensy?: { baseUrl?: string };
  } & Record<string, { baseUrl?: string; graphVersion?: string } | undefined>;
}

const env = (name: string) => {
  const value = process.env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * An empty (or blank) string means "unset" for every string key, at any depth, so `KEY=` in `.env`
 * read through Strapi's `env()` falls back to the default instead of failing or overriding it;
 * blank entries of string lists are dropped.
 */
export const dropEmptyStrings = (config: Record<string, unknown>, defaults: Record<string, unknown>) => {
  for (const [key, value] of Object.entries(config)) {
    if (typeof value === 'string' && value.trim() === '') {
      if (defaults[key] === undefined) delete config[key];
      else config[key] = structuredClone(defaults[key]);
    } else if (Array.isArray(value)) {
      config[key] = value.filter((item) => !(typeof item === 'string' && item.trim() === ''));
    } else if (isPlainObject(value)) {
      dropEmptyStrings(value, isPlainObject(defaults[key]) ? defaults[key] : {});
    }
  }
  return config;
};

const defaults = (): PluginConfig => ({
  encryptionKey: env('WHATSAPP_ENCRYPTION_KEY'),
  previousEncryptionKeys: [],
  publicUrl: env('WHATSAPP_PUBLIC_URL'),
  rawBody: true,
  cron: { enabled: env('NODE_ENV') !== 'test', templateSync: '17 * * * *', reminders: '5 * * * *', logRetention: '41 3 * * *', campaigns: '* * * * *', bots: '* * * * *' },
  logRetentionDays: DEFAULT_LOG_RETENTION_DAYS,
  streamHeartbeatMs: DEFAULT_STREAM_HEARTBEAT_MS,
  maxStreamsPerUser: DEFAULT_MAX_STREAMS_PER_USER,
  defaultThroughputMps: DEFAULT_THROUGHPUT_MPS,
  assistant: { timeoutMs: env('WHATSAPP_ASSISTANT_TIMEOUT_MS') ? Number(env('WHATSAPP_ASSISTANT_TIMEOUT_MS')) : ASSISTANT_TIMEOUT_MS },
  // Never from the environment here: a stray variable must not turn a single instance (or a test) into a cluster member.
  redis: { prefix: 'whatsapp' },
  providers: {
    meta: { baseUrl: env('WHATSAPP_META_BASE_URL') ?? 'https://graph.facebook.com', graphVersion: 'v23.0' },
    gupshup: { baseUrl: env('WHATSAPP_GUPSHUP_BASE_URL') ?? 'https://api.gupshup.io' },
    aisensy: { baseUrl: env('WHATSAPP_AISENSY_BASE_URL') ?? 'https://backend.aisensy.com' },
  },
});

export default {
  default: defaults,
  validator(config: PluginConfig) {
    // Strapi keeps the very object it validates (there is no other hook), so blanks are cleared here.
    if (isPlainObject(config)) dropEmptyStrings(config as Record<string, unknown>, defaults() as Record<string, unknown>);
    if (config.encryptionKey !== undefined && typeof config.encryptionKey !== 'string') {
      throw new Error('whatsapp: `encryptionKey` must be a string');
    }
    if (config.previousEncryptionKeys && !Array.isArray(config.previousEncryptionKeys)) {
      throw new Error('whatsapp: `previousEncryptionKeys` must be an array of strings');
    }
    if (config.publicUrl !== undefined && !/^https?:\/\//.test(config.publicUrl)) {
      throw new Error('whatsapp: `publicUrl` must start with http:// or https://');
    }
    if (config.inboundConcurrency !== undefined && !(Number.isInteger(config.inboundConcurrency) && config.inboundConcurrency >= 1 && config.inboundConcurrency <= 64)) {
      throw new Error('whatsapp: `inboundConcurrency` must be a whole number from 1 to 64');
    }
    if (config.logRetentionDays !== undefined && !(Number.isInteger(config.logRetentionDays) && config.logRetentionDays >= 1 && config.logRetentionDays <= 3650)) {
      throw new Error('whatsapp: `logRetentionDays` must be a whole number of days from 1 to 3650');
    }
    if (config.streamHeartbeatMs !== undefined && !(Number.isInteger(config.streamHeartbeatMs) && config.streamHeartbeatMs >= 10 && config.streamHeartbeatMs <= 600_000)) {
      throw new Error('whatsapp: `streamHeartbeatMs` must be a whole number of milliseconds from 10 to 600000');
    }
    if (config.maxStreamsPerUser !== undefined && !(Number.isInteger(config.maxStreamsPerUser) && config.maxStreamsPerUser >= 1 && config.maxStreamsPerUser <= 100)) {
      throw new Error('whatsapp: `maxStreamsPerUser` must be a whole number from 1 to 100');
    }
    const timeoutMs = config.assistant?.timeoutMs;
    if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs >= 100 && timeoutMs <= 600_000)) throw new Error('whatsapp: `assistant.timeoutMs` must be a whole number of milliseconds from 100 to 600000');
    for (const key of ['maxBytes', 'deadlineMs'] as const) {
      const value = config.media?.[key];
      if (value !== undefined && !(Number.isInteger(value) && value > 0)) throw new Error(`whatsapp: \`media.${key}\` must be a positive whole number`);
    }
    const redis = config.redis;
    if (redis !== undefined && (redis === null || typeof redis !== 'object' || Array.isArray(redis))) {
      throw new Error('whatsapp: `redis` must be an object: { url, prefix? }');
    }
    if (redis?.url !== undefined && (typeof redis.url !== 'string' || !/^rediss?:\/\/\S+$/.test(redis.url))) {
      throw new Error('whatsapp: `redis.url` must be a redis:// or rediss:// URL');
    }
    if (redis?.prefix !== undefined && (typeof redis.prefix !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(redis.prefix))) {
      throw new Error('whatsapp: `redis.prefix` must be 1-64 letters, digits, dots, dashes or underscores');
    }
  },
};
