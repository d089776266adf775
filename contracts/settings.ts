/** Plugin settings (`GET/PUT /whatsapp/settings`), shared by the server and the admin panel. */

export interface IdentitySource {
  /** What the inbox calls a match from this source. */
  kind: 'lead' | 'contact' | 'staff';
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
  autoLead: AutoLeadSettings;
  ticket: TicketSettings;
  /** The number outgoing messages use when none is chosen (new conversations, CRM-event rules, the API). */
  defaultNumberId: number | null;
  businessHours: BusinessHours | null;
  /**
   * Sent once per conversation and closed period when a customer writes outside business hours;
   * null (the default) sends nothing.
   */
  outOfHoursReply: string | null;
}

export const DEFAULT_SETTINGS: Settings = {
  notificationFields: {},
  identitySources: [
    { kind: 'lead', uid: 'api::lead.lead', phoneField: 'phone', nameField: 'name', optOutField: 'whatsappOptOut' },
    { kind: 'contact', uid: 'api::contact.contact', phoneField: 'phone', nameField: 'name', optOutField: 'whatsappOptOut' },
    { kind: 'staff', uid: 'api::staff-member.staff-member', phoneField: 'phone', nameField: 'name' },
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
};

export namespace GetSettings {
  export interface Response {
    data: Settings;
  }
}

export namespace GetDefaultNumber {
  /** `GET /whatsapp/settings/default-number`: for those who send or edit CRM-event rules. */
  export interface Response {
    data: { numberId: number | null };
  }
}

export namespace UpdateSettings {
  export type Request = Partial<Settings>;
  export interface Response {
    data: Settings;
  }
}
