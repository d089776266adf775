/** Templates as the admin API answers them, shared by the server and the admin panel. */
import type { Provider } from './numbers';

/** Providers with no API listing templates (AiSensy): their numbers' templates are entered by hand (`POST /whatsapp/templates`). */
export const HAND_ENTERED_TEMPLATES: readonly Provider[] = ['aisensy'];

export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;

/** What a template needs filled in: names for named templates, "1", "2"… for positional ones. */
export interface TemplateParameterSchema {
  header: { format: 'text' | 'image' | 'video' | 'document' | 'location'; params: string[] } | null;
  body: string[];
  buttons: { index: number; subType: 'url' | 'copy_code' | 'quick_reply' | 'flow'; params: string[] }[];
}

/** The values a template is sent with, by section: what the composer, the rules and the adapters exchange. */
export type TemplateParam =
  | { type: 'text'; text: string; name?: string }
  | { type: 'image' | 'video' | 'document'; link?: string; id?: string; filename?: string; name?: string }
  | { type: 'payload'; payload: string }
  /** A copy-code button's code (Meta: at most 15 characters). */
  | { type: 'coupon_code'; couponCode: string }
  | { type: 'currency'; fallback: string; code: string; amount1000: number; name?: string }
  | { type: 'date_time'; fallback: string; name?: string };

export interface TemplateParams {
  header?: TemplateParam[];
  body?: TemplateParam[];
  buttons?: { index: number; subType: 'quick_reply' | 'url' | 'copy_code' | 'flow'; params: TemplateParam[] }[];
}

export interface WhatsAppTemplate {
  id: number;
  numberId: number;
  name: string;
  language: string;
  category: string | null;
  status: string | null;
  quality: string | null;
  rejectionReason: string | null;
  parameterFormat: 'positional' | 'named';
  parameterSchema: TemplateParameterSchema;
  components: unknown[];
  syncedAt: string | null;
  /** Set when the provider no longer has the template; the row is kept for history. */
  removedAt: string | null;
}

export interface SyncResult {
  numberId: number;
  synced: number;
  removed: number;
  /** Why a number was not synced (provider cannot list templates, credentials refused…). */
  error: string | null;
}

export namespace ListTemplates {
  export interface Response {
    data: WhatsAppTemplate[];
    meta: { total: number };
  }
}

export namespace SyncTemplates {
  export interface Request {
    numberId?: number;
  }
  export interface Response {
    data: SyncResult[];
  }
}

export namespace RegisterTemplate {
  /** A template approved at the provider, entered by hand: its body text with {{1}}, {{2}}… placeholders. */
  export interface Request {
    numberId: number;
    name: string;
    language: string;
    category: (typeof TEMPLATE_CATEGORIES)[number];
    body: string;
  }
  export interface Response {
    data: WhatsAppTemplate;
  }
}

/** A number a user may send from (their teams' numbers, active), with its approved templates. */
export interface SendOption {
  numberId: number;
  label: string;
  phone: string;
  provider: string;
  /** The provider sends free text inside the window (AiSensy sends templates only). */
  freeForm: boolean;
  templates: WhatsAppTemplate[];
}

export namespace ListSendOptions {
  /** `GET /whatsapp/send-options`: what the composer and "New conversation" offer. */
  export interface Response {
    data: SendOption[];
  }
}
