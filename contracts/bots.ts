/**
 * Bots (`/whatsapp/bots`): automatic answers per number, shared by the server (which validates and
 * runs them) and the admin panel (which edits them and previews them through `POST /whatsapp/bots/test`,
 * the same engine the runtime uses).
 */
import type { BusinessHours } from './settings';
import type { TemplateParams } from './templates';

/* ---------- triggers ---------- */

/** What a customer's text is compared with (after `normalizeText`, contracts/text.ts). */
export const TEXT_TRIGGERS = ['exact', 'starts-with', 'contains', 'regex', 'keywords'] as const;
/** What the conversation is, when the customer writes. */
export const CONTEXT_TRIGGERS = ['first-message', 'new-session', 'outside-hours', 'inside-hours'] as const;
/** Fired by time passing or the conversation changing, not by a message (the bots cron and the close action). */
export const TIMED_TRIGGERS = ['idle', 'no-staff-reply', 'closed'] as const;
export const BOT_TRIGGER_TYPES = ['asks-human', ...TEXT_TRIGGERS, ...CONTEXT_TRIGGERS, 'fallback', ...TIMED_TRIGGERS] as const;
export type BotTriggerType = (typeof BOT_TRIGGER_TYPES)[number];

/**
 * When a bot fires. Fields by type:
 * - `exact`, `starts-with`, `contains`: `keywords` (any of them; `contains` matches whole words);
 * - `keywords`: `keywords`, and `synonyms` per keyword (`{ price: ['cost', 'how much'] }`), any word of either;
 * - `regex`: `pattern` (JavaScript syntax, tested on the normalised text, case-insensitive);
 * - `idle`: `minutes` since the customer's last message with no answer from them to our last one (a nudge);
 * - `no-staff-reply`: `minutes` since the customer's message with no staff reply;
 * - `asks-human`: `keywords` that mean "a person, please" (default `ASKS_HUMAN_KEYWORDS`);
 * - `first-message` (first message ever from this customer on this number), `new-session` (first
 *   message of a new 24-hour window), `inside-hours` / `outside-hours` (the number's business hours,
 *   holidays closed), `closed` (the conversation was closed: a rating request), `fallback` (any
 *   message no other bot answered): no fields.
 */
export interface BotTrigger {
  type: BotTriggerType;
  keywords?: string[];
  synonyms?: Record<string, string[]>;
  pattern?: string;
  minutes?: number;
}

/** What `asks-human` listens for when a bot lists no keywords of its own. */
export const ASKS_HUMAN_KEYWORDS = ['agent', 'human', 'person', 'operator', 'talk to someone', 'representative', 'agente', 'humano', 'persona', 'atendente'] as const;

/**
 * The one order bots are tried in for a customer's message; earlier stages win, and within a stage
 * the lower `priority` wins, then the lower id. Total: every message ends in exactly one outcome.
 * - `opt-out`: an opt-out or opt-in keyword (contracts/consent.ts `consentKeyword`) — no bot fires;
 * - `stopped`: bots off for the number, a human owns or paused the conversation, or the hourly cap
 *   was reached — no bot fires;
 * - `stop-bot`: `asks-human` bots (their answer normally hands off);
 * - `menu`: a reply that picks an item of the menu the conversation is in (its number, id or title);
 * - `exact`, `starts-with`, `regex`, `contains`, `synonyms` (the `keywords` trigger): text matches;
 * - `context`: `first-message`, `new-session`, `outside-hours`, `inside-hours`, in that order;
 * - `fallback`: `fallback` bots.
 * Timed triggers (`idle`, `no-staff-reply`, `closed`) are not tried for messages.
 */
export const BOT_PRECEDENCE = ['opt-out', 'stopped', 'stop-bot', 'menu', 'exact', 'starts-with', 'regex', 'contains', 'synonyms', 'context', 'fallback'] as const;
export type BotStage = (typeof BOT_PRECEDENCE)[number];

/** The stage each message trigger type is tried in. */
export const STAGE_OF_TRIGGER: Record<Exclude<BotTriggerType, (typeof TIMED_TRIGGERS)[number]>, BotStage> = {
  'asks-human': 'stop-bot',
  exact: 'exact',
  'starts-with': 'starts-with',
  regex: 'regex',
  contains: 'contains',
  keywords: 'synonyms',
  'first-message': 'context',
  'new-session': 'context',
  'outside-hours': 'context',
  'inside-hours': 'context',
  fallback: 'fallback',
};

/* ---------- responses ---------- */

export interface BotButton {
  /** What the customer's tap sends back (up to `BOT_LIMITS.buttonId`). */
  id: string;
  /** Up to `BOT_LIMITS.buttonTitle` characters. */
  title: string;
}

export interface BotListRow {
  id: string;
  title: string;
  description?: string;
}

/** One item of a menu: it answers with `reply`, or opens a sub-menu (`items`, with its own `text`). */
export interface BotMenuItem {
  id: string;
  title: string;
  description?: string;
  reply?: BotLeafResponse;
  text?: string;
  items?: BotMenuItem[];
}

/** Responses that end a bot's turn (everything but a menu). */
export type BotLeafResponse =
  | { type: 'text'; text: string }
  /** Sent when the 24-hour window is closed too (the only response that is). */
  | { type: 'template'; template: { name: string; language: string; params?: TemplateParams } }
  | { type: 'media'; mediaType: 'image' | 'video' | 'audio' | 'document'; link: string; caption?: string; filename?: string }
  /** A location message (Meta, Gupshup); the thread shows it with a map link. */
  | { type: 'location'; latitude: number; longitude: number; name?: string; address?: string }
  /** A contacts message with one card (Meta, Gupshup). */
  | { type: 'contact'; name: string; phone: string; email?: string }
  /** Reply buttons; numbered text where the provider has no interactive messages. */
  | { type: 'buttons'; text: string; buttons: BotButton[]; header?: string; footer?: string }
  /** A list message; numbered text where the provider has no interactive messages. */
  | { type: 'list'; text: string; buttonText: string; sections: { title?: string; rows: BotListRow[] }[]; header?: string; footer?: string }
  /**
   * The conversation goes to a staff member (`userId`, an admin user who can read the number's
   * conversations); `text` tells the customer. A `teamId` is refused on save (conversations have no
   * team: `handoff` sends to the number's queue). If the person is gone or lost access when it fires,
   * the conversation goes to the queue instead.
   */
  | { type: 'assign'; userId: number; text?: string }
  /** Creates the host ticket of the settings (as the inbox's "Create ticket"), subject from `subject`. */
  | { type: 'ticket'; subject?: string; text?: string }
  /** Sets a field of the conversation's linked CRM record (the field must exist and be writable). */
  | { type: 'set-field'; field: string; value: string | number | boolean | null; text?: string }
  /** Bots stop; the conversation waits in the queue for a person. */
  | { type: 'handoff'; text?: string }
  /** Reserved for the AI assistant (next issue): hands off until it exists. */
  | { type: 'ai' };

/** A multi-level menu: sent as buttons (≤ 3 items) or a list; the conversation remembers where it is. */
export type BotMenuResponse = { type: 'menu'; text: string; buttonText?: string; items: BotMenuItem[] };
export type BotResponse = BotLeafResponse | BotMenuResponse;
export type BotResponseType = BotResponse['type'];
export const BOT_RESPONSE_TYPES = ['text', 'template', 'media', 'location', 'contact', 'buttons', 'list', 'menu', 'assign', 'ticket', 'set-field', 'handoff', 'ai'] as const satisfies readonly BotResponseType[];

/** Words that go back one menu level / leave the menu (after `normalizeText`). */
export const MENU_BACK = ['0', 'back', 'volver', 'voltar'] as const;

/* ---------- limits ---------- */

export interface BotLimits {
  /** Automatic replies per conversation per hour (all bots); the next message hands off instead. */
  maxPerHour: number;
  /** Minutes bots stay quiet on a conversation after any staff message. */
  pauseAfterStaffMinutes: number;
  /** A burst of customer messages within this many ms is answered once, after the last. */
  debounceMs: number;
}

export const DEFAULT_BOT_LIMITS: BotLimits = { maxPerHour: 5, pauseAfterStaffMinutes: 60, debounceMs: 1500 };

/** What saving checks (a 400 naming the field beyond them). */
export const BOT_LIMITS = {
  name: 100,
  text: 4096,
  /** Body of buttons, list and menu messages (Meta's interactive body). */
  interactiveText: 1024,
  headerFooter: 60,
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  listRows: 10,
  listSections: 10,
  listRowTitle: 24,
  listRowDescription: 72,
  listButtonText: 20,
  menuItems: 10,
  menuDepth: 5,
  keywords: 50,
  keywordLength: 100,
  synonymsPerKeyword: 20,
  pattern: 200,
  minutes: { min: 1, max: 10080 },
  maxPerHour: { min: 1, max: 100 },
  pauseAfterStaffMinutes: { min: 0, max: 10080 },
  debounceMs: { min: 0, max: 60000 },
  holidays: 366,
} as const;

/* ---------- the bot ---------- */

export interface Bot {
  id: number;
  name: string;
  numberId: number;
  active: boolean;
  /** Lower first within a precedence stage (set by dragging in the list: `PUT /whatsapp/bots/order`). */
  priority: number;
  trigger: BotTrigger;
  response: BotResponse;
  limits: BotLimits;
  createdAt: string;
  updatedAt: string;
}

/** Who answers a conversation now. `human` after a staff message or a hand-off; `queue` waits for a person. */
export type ConversationOwner = 'bot' | 'queue' | 'human';

/** A bot's mark on the messages it sent (`Message.bot` in the thread API). */
export interface BotMark {
  id: number;
  name: string;
  trigger: BotTriggerType;
}

/** Per-number bot switch and business hours (`GET/PUT /whatsapp/bots/numbers/:numberId`). */
export interface BotNumberSettings {
  numberId: number;
  /** Bots answer on this number (off by default until switched on). */
  enabled: boolean;
  /** null: the settings' global business hours. */
  businessHours: BusinessHours | null;
  /** Closed all day, `YYYY-MM-DD` in the hours' time zone. */
  holidays: string[];
}

/* ---------- API ---------- */
