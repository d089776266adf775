/**
 * Request and response shapes of the numbers admin API, shared by the server and the admin panel.
 */
export const PROVIDERS = ['meta', 'gupshup', 'aisensy'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** Secrets per provider: write-only, encrypted at rest, answered only as `{ set, hint }`. */
export const CREDENTIAL_FIELDS = {
  meta: ['accessToken', 'appSecret', 'verifyToken'],
  gupshup: ['apiKey'],
  // AiSensy can sign webhooks with a shared secret; accounts that do not sign leave it empty.
  aisensy: ['apiKey', 'webhookSecret'],
} as const satisfies Record<Provider, readonly string[]>;

/** The secrets a number cannot be saved without. */
export const REQUIRED_CREDENTIALS = {
  meta: ['accessToken', 'appSecret', 'verifyToken'],
  gupshup: ['apiKey'],
  aisensy: ['apiKey'],
} as const satisfies Record<Provider, readonly string[]>;

export type CredentialField = 'accessToken' | 'appSecret' | 'verifyToken' | 'apiKey' | 'webhookSecret';

/** Non-secret provider ids each provider needs before a number can be saved. */
export const PROVIDER_ID_FIELDS = {
  meta: ['phoneNumberId', 'wabaId'],
  gupshup: ['appName'],
  aisensy: [],
} as const satisfies Record<Provider, readonly string[]>;

export type ProviderIdField = 'phoneNumberId' | 'wabaId' | 'appId' | 'appName';

export const DEFAULT_THROUGHPUT_MPS = 80;
export const MAX_THROUGHPUT_MPS = 1000;

/** Body of `POST /whatsapp/numbers` and `PUT /whatsapp/numbers/:id` (on update every key is optional). */
export interface NumberInput {
  label: string;
  provider: Provider;
  phone: string;
  region?: string | null;
  active?: boolean;
  teamRoleIds?: number[];
  throughputMps?: number;
  /** Meta's messaging tier (business-initiated conversations per 24 h); campaigns keep under it. Null: not set. */
  messagingTier?: 'TIER_250' | 'TIER_1K' | 'TIER_10K' | 'TIER_100K' | 'TIER_UNLIMITED' | null;
  phoneNumberId?: string | null;
  wabaId?: string | null;
  appId?: string | null;
  appName?: string | null;
  accessToken?: string;
  appSecret?: string;
  verifyToken?: string;
  apiKey?: string;
  webhookSecret?: string;
}

export interface CredentialState {
  set: boolean;
  /** The last characters behind a mask, e.g. `••••3f9a`; null when not set. */
  hint: string | null;
}

export interface WhatsAppNumber {
  id: number;
  documentId: string;
  label: string;
  provider: Provider;
  /** E.164, e.g. `+15550001111`. */
  phone: string;
  region: string | null;
  active: boolean;
  teamRoleIds: number[];
  throughputMps: number;
  messagingTier: 'TIER_250' | 'TIER_1K' | 'TIER_10K' | 'TIER_100K' | 'TIER_UNLIMITED' | null;
  phoneNumberId: string | null;
  wabaId: string | null;
  appId: string | null;
  appName: string | null;
  /** Null for callers without numbers.manage: the URL's key is the only credential of a Gupshup webhook. */
  webhookUrl: string | null;
  credentials: Partial<Record<CredentialField, CredentialState>>;
  needsReauth: boolean;
  health: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A number as answered to a holder of numbers.manage (create, update): its webhook URL is always there. */
export type ManagedNumber = WhatsAppNumber & { webhookUrl: string };

/** An admin role as a number's team. */
export interface Team {
  id: number;
  name: string;
  /** The caller may give it to a number: a super admin, or one of their own roles. */
  assignable: boolean;
}

export namespace ListNumbers {
  export interface Response {
    data: WhatsAppNumber[];
    meta: { total: number };
  }
}

export namespace GetNumber {
  export interface Response {
    data: WhatsAppNumber;
  }
}

export namespace CreateNumber {
  export type Request = NumberInput;
  export interface Response {
    data: ManagedNumber;
  }
}

export namespace UpdateNumber {
  export type Request = Partial<NumberInput>;
  export interface Response {
    data: ManagedNumber;
  }
}

export namespace ListTeams {
  export interface Response {
    data: Team[];
  }
}
