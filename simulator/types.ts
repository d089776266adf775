/** Shared shapes of the provider simulator (see simulator/README.md). */

export type Provider = 'meta' | 'gupshup' | 'aisensy';

export interface MetaNumber {
  phoneNumberId: string;
  wabaId: string;
  /** Digits only, e.g. 15550001111. */
  displayPhoneNumber: string;
  accessToken: string;
  appSecret: string;
  webhookUrl: string;
  /** Messages per second before 130429 (default 80). */
  throughputMps?: number;
  qualityRating?: 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN';
  messagingTier?: string;
  verifiedName?: string;
  /** Used by the control route that performs Meta's GET hub.challenge handshake. */
  verifyToken?: string;
}

export interface GupshupApp {
  appName: string;
  appId: string;
  apiKey: string;
  sourcePhone: string;
  webhookUrl: string;
}

export interface AisensyAccount {
  apiKey: string;
  /** The business number (digits). Also the account's key in the control API. */
  phone: string;
  webhookUrl: string;
  webhookSecret?: string;
  projectId?: string;
}

export interface AisensyCampaign {
  apiKey: string;
  campaignName: string;
  templateName: string;
  /** Body text with {{1}}…; its variable count is what templateParams must match. */
  text: string;
  live: boolean;
}

export interface Customer {
  phone: string;
  name: string;
  reachable: boolean;
}

export type StatusName = 'enqueued' | 'sent' | 'delivered' | 'read' | 'played' | 'failed';

export interface WebhookErrorObject {
  code: number;
  title: string;
  message: string;
  error_data: { details: string };
  href?: string;
}

/** A business account as the customer page and control API name it. */
export interface BusinessRef {
  provider: Provider;
  /** meta: phoneNumberId, gupshup: appName, aisensy: phone. */
  key: string;
  phone: string;
  label: string;
}

/** What the business sent to a customer, as the customer sees it. */
export interface OutboundMessage {
  seq: number;
  /** wamid for Meta; Gupshup message id (UUID) for Gupshup; submitted_message_id for AiSensy. */
  id: string;
  /** The WhatsApp id (wamid) — equals `id` for Meta. */
  waMessageId: string;
  provider: Provider;
  businessKey: string;
  businessPhone: string;
  to: string;
  /** Sent to a BSUID (Meta `recipient`). */
  toUserId?: string;
  type: string;
  text?: string;
  caption?: string;
  media?: { id?: string; url?: string; filename?: string; mimeType?: string };
  buttons?: { id?: string; title: string; kind: 'reply' | 'url' | 'quick_reply' | 'phone' | 'copy_code' | 'other' }[];
  list?: { button: string; rows: { id: string; title: string; description?: string }[] };
  template?: { name: string; language: string; category: string; id?: string; params?: unknown };
  reaction?: { messageId: string; emoji: string };
  /** A location message as the customer's map shows it. */
  location?: { latitude: number; longitude: number; name?: string; address?: string };
  /** A contacts message's cards (name and first phone / email). */
  contacts?: { name: string; phone?: string; email?: string }[];
  contextMessageId?: string;
  bizOpaqueCallbackData?: string;
  category: string;
  status: StatusName | 'accepted';
  statuses: { status: StatusName; at: number }[];
  error?: WebhookErrorObject;
  /** The request body as the provider received it (parsed). */
  request: unknown;
  at: number;
  conversationId: string;
}

/** A message a customer sent (via the control API or the customer page). */
export interface InboundMessage {
  seq: number;
  id: string;
  provider: Provider;
  businessKey: string;
  from: string;
  type: string;
  text?: string;
  at: number;
  readByBusiness: boolean;
  /** The business showed a typing indicator while marking this message read. */
  typingIndicator?: boolean;
  contextMessageId?: string;
  /** The provider-specific message object that went into the webhook. */
  payload: unknown;
}

export type TemplateStatus =
  | 'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED' | 'DISABLED' | 'IN_APPEAL' | 'REINSTATED' | 'FLAGGED'
  | 'DELETED' | 'PENDING_DELETION' | 'ARCHIVED' | 'UNARCHIVED' | 'LIMIT_EXCEEDED' | 'LOCKED';

export interface TemplateComponent {
  type: 'HEADER' | 'BODY' | 'FOOTER' | 'BUTTONS';
  format?: string;
  text?: string;
  example?: unknown;
  buttons?: { type: string; text: string; url?: string; phone_number?: string; example?: unknown }[];
}

export interface Template {
  provider: 'meta' | 'gupshup';
  /** meta: wabaId, gupshup: appName. */
  owner: string;
  /** Meta numeric id as a string, or Gupshup UUID. */
  id: string;
  name: string;
  language: string;
  category: string;
  parameterFormat: 'POSITIONAL' | 'NAMED';
  components: TemplateComponent[];
  status: TemplateStatus;
  rejectedReason?: string;
  qualityScore?: { score: string; date: number };
  createdAt: number;
  modifiedAt: number;
}

export interface MediaItem {
  id: string;
  owner: string;
  mimeType: string;
  filename?: string;
  bytes: Buffer;
  sha256: string;
  createdAt: number;
}

export interface RequestRecord {
  seq: number;
  at: number;
  provider: Provider | 'media' | 'unknown';
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  status?: number;
  response?: unknown;
}

export interface WebhookEventSummary {
  kind: 'message' | 'status' | 'template' | 'user-event' | 'other';
  id?: string;
  status?: string;
  field?: string;
}

export interface WebhookRecord {
  seq: number;
  at: number;
  provider: Provider;
  accountKey: string;
  url: string;
  /** 1 for the first POST, 2+ for redeliveries. */
  attempt: number;
  /** The second copy sent by the `webhookDuplicates` fault. */
  duplicate: boolean;
  headers: Record<string, string>;
  raw: string;
  body: unknown;
  /** Whether the signature header (when the provider signs) is the correct one. */
  signatureValid: boolean | null;
  events: WebhookEventSummary[];
  statusCode: number | null;
  responseBody: string;
  error?: string;
  skipped?: string;
}
