import { normalizeText } from './text';

/** Words that opt a customer out of business-initiated messages (compared after `normalizeText`). */
export const DEFAULT_OPT_OUT_KEYWORDS = ['stop', 'stopall', 'unsubscribe', 'opt out', 'optout', 'cancel', 'end', 'quit', 'baja', 'alto', 'parar', 'sair', 'arret', 'desabonner', 'abmelden'] as const;
/** Words that opt them back in. */
export const DEFAULT_OPT_IN_KEYWORDS = ['start', 'unstop', 'subscribe', 'opt in', 'optin', 'alta'] as const;

/** Whether a whole message is an opt-out or opt-in keyword; anything longer is an ordinary message. */
export const consentKeyword = (
  text: string,
  keywords: { optOut: readonly string[]; optIn: readonly string[] } = { optOut: DEFAULT_OPT_OUT_KEYWORDS, optIn: DEFAULT_OPT_IN_KEYWORDS }
): 'opt-out' | 'opt-in' | null => {
  const said = normalizeText(text);
  if (!said) return null;
  if (keywords.optOut.some((k) => normalizeText(k) === said)) return 'opt-out';
  if (keywords.optIn.some((k) => normalizeText(k) === said)) return 'opt-in';
  return null;
};

/** A customer's marketing consent on one number: `opted-out` refuses every business-initiated send. */
export const CONSENT_STATUSES = ['opted-in', 'opted-out'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

/** What changed it: the customer's keyword, Meta's marketing preference or error 131050, a Gupshup user event, staff, or the CRM. */
export const CONSENT_SOURCES = ['keyword', 'meta-preference', 'provider-error', 'gupshup-event', 'staff', 'crm-import', 'crm-field'] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

/** One customer's consent on one number, as the API shows it. */
export interface Consent {
  id: number;
  numberId: number;
  /** E.164, e.g. `+15550002222`. */
  phone: string;
  status: ConsentStatus;
  source: ConsentSource;
  at: string;
  detail: string | null;
}

/** One change, kept so staff see when and why. */
export interface ConsentChange {
  id: number;
  status: ConsentStatus;
  source: ConsentSource;
  at: string;
  detail: string | null;
  /** The admin user who changed it (source `staff`). */
  authorId: number | null;
}

/** Keywords, replies and the marketing rule (settings: `consentKeywords`, `consentReplies`, `requireMarketingOptIn`). */
export interface ConsentKeywords {
  optOut: string[];
  optIn: string[];
}
export interface ConsentReplies {
  /** Sent once when a keyword opts the customer out; null sends nothing. */
  optOut: string | null;
  optIn: string | null;
}
export const DEFAULT_CONSENT_REPLIES: ConsentReplies = {
  optOut: 'You will no longer receive messages from us here. Reply START to subscribe again.',
  optIn: 'You are subscribed again. Reply STOP to unsubscribe.',
};

export namespace ListConsents {
  /** `GET /whatsapp/consents?status=&numberId=&source=&search=&page=&pageSize=`; `/export` answers the same rows as CSV. */
  export interface Query {
    status?: ConsentStatus;
    numberId?: number;
    source?: ConsentSource;
    search?: string;
    page?: number;
    pageSize?: number;
  }
  export interface Response {
    data: Consent[];
    meta: { pagination: { page: number; pageSize: number; total: number; pageCount: number } };
  }
}

export namespace GetConsent {
  /** `GET /whatsapp/consents/:numberId/:phone`: the state (null when nothing is recorded) and its history, newest first. */
  export interface Response {
    data: { consent: Consent | null; history: ConsentChange[] };
  }
}

export namespace SetConsent {
  /** `PUT /whatsapp/consents/:numberId/:phone`: a staff opt-out or opt-in with a note. */
  export interface Request {
    status: ConsentStatus;
    note?: string | null;
  }
  export interface Response {
    data: Consent;
  }
}
