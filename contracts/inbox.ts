/** Conversations and messages of the inbox API, shared by the server and the admin panel. */
import type { Consent } from './consent';
import type { TemplateParams } from './templates';

export interface CrmLink {
  /** An identity source's kind key (its label comes from `GET /whatsapp/settings/inbox`), or `unknown`. */
  kind: string;
  uid: string | null;
  documentId: string | null;
}

/** An admin user as the inbox names them: who a conversation is assigned to, who it may be. */
export interface Assignee {
  id: number;
  name: string;
}

/** `GET /whatsapp/assignees?numberId=`: the active admin users who can see that number's conversations. */
export interface AssigneeOption extends Assignee {
  email: string;
}

export interface Conversation {
  id: number;
  numberId: number;
  /** The business number's label, so staff who may not read numbers still see which line it is on. */
  numberLabel: string | null;
  customerWaId: string;
  customerPhone: string | null;
  customerName: string | null;
  /** The linked CRM record's name, when the caller may read it in the Content Manager; null otherwise. */
  crmName: string | null;
  crm: CrmLink;
  assigneeId: number | null;
  assignee: Assignee | null;
  state: 'open' | 'closed';
  windowExpiresAt: string | null;
  /** Free text is allowed only inside the customer's 24-hour window. */
  canSendFreeText: boolean;
  templateOnly: boolean;
  unreachable: boolean;
  unread: number;
  lastMessageAt: string | null;
  lastMessagePreview: string | null;
  /** The host ticket made from this conversation, and where it opens in the admin (a path of the admin panel's router). */
  ticket: { uid: string; documentId: string; adminPath: string } | null;
}

/** `GET /whatsapp/conversations/:id`: the conversation, with a summary of its CRM record. */
export interface ConversationDetail extends Conversation {
  /** Null when there is none or the caller may not read it in the Content Manager; `fields` holds only fields they may read. */
  crmRecord: { type: string; fields: Record<string, unknown>; adminPath: string } | null;
  /** The customer's marketing consent on this number; null while nothing is recorded (they may get messages until they opt out). */
  consent: Consent | null;
}

export interface Message {
  id: number;
  conversationId: number | null;
  direction: 'in' | 'out';
  type: string;
  text: string | null;
  status: string;
  providerMessageId: string | null;
  replyToProviderId: string | null;
  template: unknown;
  mediaState: string | null;
  /** Why the file of an inbound media message could not be fetched or was refused (a private address, too large...). */
  mediaError: string | null;
  /**
   * The file of a media message once it is in the Media Library (inbound after download, outbound
   * when sent from the library). For a customer's file `url` is the admin route that serves it to
   * the conversation's team (`/whatsapp/messages/:id/media`, fetched with the admin token); for a
   * file staff sent, the upload provider's URL. Null otherwise.
   */
  media: { url: string; mime: string | null; filename: string | null; size: number | null } | null;
  /** What an interactive message the business sent offered (its buttons, list or link); null otherwise. */
  interactive: { type: string; buttons?: { id: string; title: string }[]; buttonText?: string; displayText?: string; url?: string; footer?: string; header?: string } | null;
  /** A shared place (a location message either way): open it with `mapUrl`. Null for other messages. */
  location: SharedLocation | null;
  /** A contact card the business sent (a `contacts` message); null otherwise. */
  contact: ContactCard | null;
  sentAt: string | null;
  deliveredAt: string | null;
  readAt: string | null;
  failedAt: string | null;
  errorClass: string | null;
  errorCode: string | null;
  errorText: string | null;
  source: string;
  authorId: number | null;
  /** The bot that sent it (`source: 'bot'`), as it was named then; null for every other message. */
  bot: { id: number; name: string; trigger: string } | null;
  createdAt: string;
}

/**
 * Query of `GET /whatsapp/conversations/:id/messages` (newest first): `page` numbers reach back
 * MAX_PAGED_ROWS messages; `before` (a message id of the thread, such as the previous answer's
 * `meta.nextBefore`) pages back any distance at the same cost.
 */
export interface MessagesQuery {
  page?: string;
  pageSize?: string;
  before?: string;
}

/** How far back `page` numbers reach, in rows (conversations or messages); further is a 400 naming `page`. */
export const MAX_PAGED_ROWS = 10_000;

/** `meta` of `GET /whatsapp/conversations/:id/messages`. */
export interface MessagesMeta {
  /** By page number: `page`, `total` (counted a bounded distance ahead, `capped` when more) and `pageCount`; by cursor: `before`. */
  pagination: { pageSize: number; page?: number; total?: number; pageCount?: number; capped?: boolean; before?: number };
  /** The `before` that asks for the next older messages; null when there are none. */
  nextBefore: number | null;
}

/** A place sent as a WhatsApp location message. */
export interface SharedLocation {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
}

/** One person sent as a WhatsApp contacts message. */
export interface ContactCard {
  name: string;
  phone: string;
  email?: string;
}

/** A map link for a shared place (what the inbox and text fallbacks show). */
export const mapUrl = (l: Pick<SharedLocation, 'latitude' | 'longitude'>) => `https://maps.google.com/?q=${l.latitude},${l.longitude}`;

/** Body of `POST /whatsapp/conversations/:id/messages`. */
export type ReplyRequest =
  | { type: 'text'; text: string; replyTo?: string; idempotencyKey?: string }
  | { type: 'quick-reply'; name: string; idempotencyKey?: string }
  /** A file by public link, or from the Media Library by id (`fileId`, uploaded through Strapi's upload plugin). */
  | { type: 'media'; mediaType?: 'image' | 'video' | 'audio' | 'document'; link?: string; fileId?: number; caption?: string; filename?: string; replyTo?: string; idempotencyKey?: string }
  | { type: 'template'; template: { name: string; language: string; params?: TemplateParams }; idempotencyKey?: string }
  | { type: 'interactive'; interactive: { type: 'button' | 'list' | 'cta_url'; body: string; header?: string; footer?: string; buttons?: { id: string; title: string }[]; buttonText?: string; sections?: { title?: string; rows: { id: string; title: string; description?: string }[] }[]; displayText?: string; url?: string }; replyTo?: string; idempotencyKey?: string }
  /** A place and a contact card, free-form like text (only where the provider sends free text). */
  | { type: 'location'; location: SharedLocation; idempotencyKey?: string }
  | { type: 'contacts'; contact: ContactCard; idempotencyKey?: string };
