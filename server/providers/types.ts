/**
 * The provider contract. Adapters turn each provider's wire format into these canonical types and
 * back; nothing outside server/providers knows a wire format.
 */
import type { Provider } from '../../contracts/numbers';
import type { TemplateParam, TemplateParams } from '../../contracts/templates';

export type { Provider, TemplateParam, TemplateParams };

/** What an adapter needs of a number: its ids and its decrypted credentials. */
export interface ProviderNumber {
  id: number;
  provider: Provider;
  phone: string;
  region: string | null;
  phoneNumberId: string | null;
  wabaId: string | null;
  appId: string | null;
  appName: string | null;
  credentials: { accessToken?: string; appSecret?: string; verifyToken?: string; apiKey?: string; webhookSecret?: string };
}

/** A webhook call as received: the exact bytes and the headers (lower-case names). */
export interface WebhookRequest {
  rawBody: string | Buffer;
  headers: Record<string, string | string[] | undefined>;
  query?: Record<string, unknown>;
}

export type VerifyResult = { ok: true } | { ok: false; status: 401 | 403; reason: string };

export type HandshakeResult = { status: 200; body: string } | { status: 400 | 403 | 404; body: string };

export type MessageType =
  | 'text'
  | 'image'
  | 'video'
  | 'audio'
  | 'document'
  | 'sticker'
  | 'location'
  | 'contacts'
  | 'interactive'
  | 'button'
  | 'reaction'
  | 'order'
  | 'system'
  | 'request_welcome'
  | 'unsupported';

export interface ProviderErrorDetail {
  code: string;
  title?: string;
  message?: string;
  details?: string;
}

export interface Customer {
  /** The WhatsApp id (phone digits) when the provider gives it. */
  waId?: string;
  /** Meta's business-scoped user id (BSUID), when given. */
  userId?: string;
  name?: string;
  username?: string;
}

export interface InboundMessageEvent {
  kind: 'message';
  /** Unique per atomic event within a provider and number; the worker prefixes provider and number. */
  key: string;
  /** The provider's id of the business number this event is for (Meta phone_number_id, Gupshup app). */
  businessId: string | null;
  providerMessageId: string;
  from: Customer;
  timestamp: Date;
  type: MessageType;
  /** Text, caption, button title or emoji: what an inbox shows as the message. */
  text: string | null;
  media?: { id?: string; url?: string; mimeType?: string; sha256?: string; filename?: string; voice?: boolean; animated?: boolean };
  location?: { latitude: number; longitude: number; name?: string; address?: string; url?: string };
  contacts?: unknown[];
  interactive?: { kind: string; id?: string; title?: string; description?: string; payload?: string; response?: unknown };
  reaction?: { providerMessageId: string; emoji: string | null };
  context?: { providerMessageId?: string; from?: string; forwarded?: boolean };
  referral?: Record<string, unknown>;
  errors?: ProviderErrorDetail[];
  raw: unknown;
}

export type DeliveryStatus = 'enqueued' | 'sent' | 'delivered' | 'read' | 'played' | 'failed' | 'deleted';

export interface StatusEvent {
  kind: 'status';
  key: string;
  businessId: string | null;
  providerMessageId: string;
  /** A second id the provider knows the message by (Gupshup's own id beside the WhatsApp id). */
  altMessageId?: string;
  status: DeliveryStatus;
  timestamp: Date;
  recipient: Customer;
  errors?: ProviderErrorDetail[];
  conversation?: { id?: string; expiresAt?: Date; category?: string };
  pricing?: { category?: string; model?: string; type?: string; billable?: boolean };
  raw: unknown;
}

export interface TemplateEvent {
  kind: 'template';
  key: string;
  businessId: string | null;
  templateId: string | null;
  name: string;
  language: string | null;
  /** What changed: a status (APPROVED, REJECTED…), a quality score, or a category. */
  change: 'status' | 'quality' | 'category';
  status?: string;
  reason?: string | null;
  rejection?: { reason?: string; recommendation?: string };
  quality?: string;
  category?: string;
  timestamp: Date;
  raw: unknown;
}

export interface NumberEvent {
  kind: 'number';
  key: string;
  businessId: string | null;
  event: string;
  field: string;
  limit?: string;
  timestamp: Date;
  raw: unknown;
}

/** Errors the provider reports about the number or app, not about one message. */
export interface ProviderErrorEvent {
  kind: 'error';
  key: string;
  businessId: string | null;
  errors: ProviderErrorDetail[];
  timestamp: Date;
  raw: unknown;
}

/** The customer stopped or resumed marketing messages at the provider (Meta `user_preferences`, Gupshup `user-event`). */
export interface ConsentEvent {
  kind: 'consent';
  key: string;
  businessId: string | null;
  customer: Customer;
  status: 'opted-in' | 'opted-out';
  source: 'meta-preference' | 'gupshup-event';
  detail: string | null;
  timestamp: Date;
  raw: unknown;
}

/** A part of a webhook this plugin does not act on; kept so nothing is silently dropped. */
export interface OtherEvent {
  kind: 'other';
  key: string;
  businessId: string | null;
  field: string;
  timestamp: Date;
  raw: unknown;
}

export type CanonicalEvent = InboundMessageEvent | StatusEvent | TemplateEvent | NumberEvent | ProviderErrorEvent | ConsentEvent | OtherEvent;

export type ErrorClass =
  | 'retryable'
  | 'rate-limited'
  | 'pair-rate-limited'
  | 'window-closed'
  | 'invalid-recipient'
  /** The customer stopped marketing messages (Meta 131050, Gupshup 1012): they are opted out, never retried. */
  | 'opted-out'
  | 'template-problem'
  | 'auth-problem'
  /** No clear answer to a call that may have reached the provider: a send is not repeated blindly. */
  | 'maybe-sent'
  | 'permanent';

export interface ClassifiedError {
  class: ErrorClass;
  code: string | null;
  text: string;
  httpStatus?: number;
}

/** Thrown by `parse` for a body that is not the provider's format; the webhook answers 400. */
export class MalformedPayloadError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'MalformedPayloadError';
  }
}

/* ---------- outbound ---------- */

export interface InteractiveContent {
  type: 'button' | 'list' | 'cta_url';
  body: string;
  header?: string;
  footer?: string;
  /** Reply buttons (up to 3). */
  buttons?: { id: string; title: string }[];
  /** List: the button label and the sections. */
  buttonText?: string;
  sections?: { title?: string; rows: { id: string; title: string; description?: string }[] }[];
  /** Call-to-action URL button. */
  displayText?: string;
  url?: string;
}

/** A message as the plugin means it; each adapter turns it into its provider's request. */
export type OutboundMessage =
  | { kind: 'text'; to: string; text: string; previewUrl?: boolean; replyTo?: string }
  | { kind: 'media'; to: string; mediaType: 'image' | 'video' | 'audio' | 'document' | 'sticker'; link?: string; mediaId?: string; caption?: string; filename?: string; replyTo?: string }
  | { kind: 'template'; to: string; name: string; language: string; params?: TemplateParams; replyTo?: string; providerTemplateId?: string | null }
  | { kind: 'interactive'; to: string; interactive: InteractiveContent; replyTo?: string }
  | { kind: 'location'; to: string; location: { latitude: number; longitude: number; name?: string; address?: string } }
  | { kind: 'contacts'; to: string; contact: { name: string; phone: string; email?: string } }
  | { kind: 'reaction'; to: string; messageId: string; emoji: string };

export interface SendResult {
  /** The id statuses will name the message by; null for acknowledgements such as mark-as-read. */
  providerMessageId: string | null;
  raw?: unknown;
}

export interface ProviderTemplate {
  providerTemplateId: string | null;
  name: string;
  language: string;
  category: string | null;
  status: string;
  components: unknown[];
  parameterFormat: 'positional' | 'named';
  quality: string | null;
  rejectionReason: string | null;
}

export interface MediaFile {
  data: Buffer;
  mimeType: string;
  filename?: string;
  sha256?: string;
}

export interface ConnectionCheck {
  ok: boolean;
  /** One line a person can act on when `ok` is false. */
  reason?: string;
  details: Record<string, unknown>;
}

/** One provider call, for the API log; adapters redact before they report. */
export interface ApiCall {
  call: string;
  method: string;
  url: string;
  status: number | null;
  latencyMs: number;
  errorCode?: string | null;
  errorText?: string | null;
  requestExcerpt?: string | null;
  responseExcerpt?: string | null;
}

export interface ProviderContext {
  baseUrl: string;
  /** Meta's Graph API version, e.g. `v23.0`. */
  graphVersion?: string;
  timeoutMs?: number;
  log?: (call: ApiCall) => void;
  /**
   * Inbound media downloads: origins reachable whatever their address (the configured provider
   * base URLs; `baseUrl`'s alone when unset), the size cap and the overall deadline.
   */
  media?: { allowedOrigins?: string[]; maxBytes?: number; deadlineMs?: number };
}

/** Thrown when a provider cannot do what was asked at all (AiSensy free-form text, say). */
export class UnsupportedByProviderError extends Error {
  constructor(provider: string, what: string) {
    super(`${provider} cannot ${what}`);
    this.name = 'UnsupportedByProviderError';
  }
}
