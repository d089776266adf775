/** Plugin settings (`GET/PUT /whatsapp/settings`), shared by the server and the admin panel. */
import { DEFAULT_CONSENT_REPLIES, DEFAULT_OPT_IN_KEYWORDS, DEFAULT_OPT_OUT_KEYWORDS, type ConsentKeywords, type ConsentReplies } from './consent';

export interface IdentitySource {
  /** The app's own key for a match from this source (`customer`, `patient`): a slug, unique among sources; the inbox filters by it. */
  kind: string;
  /** The app's own word the inbox shows for it ("Customer"); stored settings without one show the kind. */
  label?: string;
  /** The host content type, e.g. `api::contact.contact`. */
  uid: string;
  phoneField: string;
  nameField?: string | null;
  /**
   * A boolean field on this type that says the customer opted out of WhatsApp notifications: rules
   * skip them ("opted out"), and a STOP / UNSUBSCRIBE from their phone sets it (START clears it).
   */
  optOutField?: string | null;
}

export interface AutoLeadSettings {
  enabled: boolean;
  uid: string;
  nameField: string;
  phoneField: string;
  statusField: string | null;
  status: string | null;
  sourceField: string | null;
  source: string | null;
  assigneeField: string | null;
  /** Admin user id the new lead is assigned to. */
  assigneeId: number | null;
}

export interface TicketSettings {
  uid: string;
  subjectField: string;
  descriptionField: string | null;
  statusField: string | null;
  status: string | null;
  /** A number field on the ticket type that keeps the conversation id (the link back), if it has one. */
  conversationField: string | null;
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One opening interval, `HH:mm` 24-hour times in the business-hours time zone; close is after open. */
export interface OpeningHours {
  open: string;
  close: string;
}

/**
 * When the business answers. A weekday not listed is closed; `null` business hours means always
 * open (the default).
 */
export interface BusinessHours {
  /** IANA time zone, e.g. `Europe/Berlin`. */
  timezone: string;
  days: Partial<Record<Weekday, OpeningHours>>;
}

export interface Settings {
  /**
   * Fields that notification rules may bind, per content type (`{ "api::invoice.invoice": ["number",
   * "amount", "contact.phone"] }`). A type not listed allows its non-private fields.
   */
  notificationFields: Record<string, string[]>;
  identitySources: IdentitySource[];
  /** null: unknown senders stay unknown. */
  autoLead: AutoLeadSettings | null;
  /** null: tickets are switched off ("Create ticket" is hidden and refused). */
  ticket: TicketSettings | null;
  /** The number outgoing messages use when none is chosen (new conversations, CRM-event rules, the API). */
  defaultNumberId: number | null;
  businessHours: BusinessHours | null;
  /**
   * Sent once per conversation and closed period when a customer writes outside business hours;
   * null (the default) sends nothing.
   */
  outOfHoursReply: string | null;
  /** Whole messages that opt a customer out or back in (compared after `normalizeText`). */
  consentKeywords: ConsentKeywords;
  /** The one confirmation a keyword gets; null sends none. */
  consentReplies: ConsentReplies;
  /**
   * Off (the default): a customer may get marketing templates until they opt out. On: campaigns and
   * CRM events send MARKETING templates only to customers with an explicit opt-in.
   */
  requireMarketingOptIn: boolean;
}

/** A kind key: what `crm=` filters by and conversations store. */
export const KIND_PATTERN = /^[a-z0-9-]{1,40}$/;

/** The label a source without one shows: its kind, capitalised (`lead` → "Lead"). */
export const kindLabel = (source: { kind: string; label?: string | null }) =>
  source.label?.trim() || source.kind.charAt(0).toUpperCase() + source.kind.slice(1).replace(/-/g, ' ');

/**
 * The example CRM's types. The server keeps only what the host app really has (types and fields),
 * so a new app starts with no identity source, no auto-lead and no tickets until configured.
 */
export const DEFAULT_SETTINGS: Settings = {
  notificationFields: {},
  identitySources: [
    { kind: 'lead', label: 'Lead', uid: 'api::lead.lead', phoneField: 'phone', nameField: 'name', optOutField: 'whatsappOptOut' },
    { kind: 'contact', label: 'Contact', uid: 'api::contact.contact', phoneField: 'phone', nameField: 'name', optOutField: 'whatsappOptOut' },
    { kind: 'staff', label: 'Staff', uid: 'api::staff-member.staff-member', phoneField: 'phone', nameField: 'name' },
  ],
  autoLead: {
    enabled: false,
    uid: 'api::lead.lead',
    nameField: 'name',
    phoneField: 'phone',
    statusField: 'status',
    status: 'new',
    sourceField: 'source',
    source: 'whatsapp',
    assigneeField: null,
    assigneeId: null,
  },
  ticket: {
    uid: 'api::ticket.ticket',
    subjectField: 'subject',
    descriptionField: 'description',
    statusField: 'status',
    status: 'open',
    conversationField: 'whatsappConversationId',
  },
  defaultNumberId: null,
  businessHours: null,
  outOfHoursReply: null,
  consentKeywords: { optOut: [...DEFAULT_OPT_OUT_KEYWORDS], optIn: [...DEFAULT_OPT_IN_KEYWORDS] },
  consentReplies: { ...DEFAULT_CONSENT_REPLIES },
  requireMarketingOptIn: false,
};

/** A collection type of the app with a phone-like field, and the mapping the General page suggests for it. */
export interface SuggestedSource {
  uid: string;
  displayName: string;
  kind: string;
  label: string;
  phoneField: string;
  nameField: string | null;
  /** Its boolean fields, the candidates for an opt-out field. */
  booleanFields: string[];
}

/** What settings say about the app, beside the settings themselves. */
export interface SettingsMeta {
  /** No identity source yet: every sender shows as unknown until one is configured. */
  needsSetup: boolean;
  suggestions: SuggestedSource[];
  /** Stored sections that no longer fit the app (a type or field gone), by setting path; they are not refused when sent back unchanged. */
  problems: { path: string[]; message: string }[];
}

export namespace GetSettings {
  export interface Response {
    data: Settings;
    meta: SettingsMeta;
  }
}

/** One kind of CRM match, as the inbox names it. */
export interface InboxKind {
  kind: string;
  label: string;
  uid: string;
}

export namespace GetInboxSettings {
  /** `GET /whatsapp/settings/inbox`: what inbox readers need of the settings (no field mappings). */
  export interface Response {
    data: { kinds: InboxKind[]; needsSetup: boolean; tickets: boolean; autoLead: boolean };
  }
}

export namespace GetDefaultNumber {
  /** `GET /whatsapp/settings/default-number`: for those who send or edit CRM-event rules. */
  export interface Response {
    data: { numberId: number | null };
  }
}

export namespace UpdateSettings {
  /** Only the sections sent are saved and validated; a section sent unchanged is not checked again. */
  export type Request = Partial<Settings>;
  export interface Response {
    data: Settings;
    meta: SettingsMeta;
  }
}
