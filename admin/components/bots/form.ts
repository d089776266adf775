import { BOT_PRECEDENCE, DEFAULT_BOT_LIMITS, STAGE_OF_TRIGGER, TIMED_TRIGGERS, type Bot, type BotButton, type BotLeafResponse, type BotLimits, type BotMenuItem, type BotResponse, type BotResponseType, type BotStage, type BotTrigger, type BotTriggerType } from '../../../contracts/bots';
import type { SaveBot } from '../../../contracts/bot-api';
import type { ApiErrorBody } from '../../api/errors';
import type { FormErrors } from '../../hooks/useFormState';

/** What a response is edited as: lists as text (one a line), numbers as the inputs hold them; a menu item's reply is one too. */
export interface ResponseValues {
  responseType: BotResponseType;
  text: string;
  header: string;
  footer: string;
  buttons: BotButton[];
  buttonText: string;
  /** List rows, one a line: `id | title | description`. */
  rows: string;
  templateName: string;
  templateLanguage: string;
  mediaType: 'image' | 'video' | 'audio' | 'document';
  link: string;
  caption: string;
  latitude: number | undefined;
  longitude: number | undefined;
  placeName: string;
  address: string;
  contactName: string;
  contactPhone: string;
  userId: number | undefined;
  subject: string;
  field: string;
  value: string;
  menuItems: MenuItemValues[];
  /** The stored response these values were read from: what the form does not edit is kept from it. */
  original: BotResponse | null;
}

/** One menu item as edited: it answers (`reply`) or opens a sub-menu (`text` and `items`). */
export interface MenuItemValues {
  id: string;
  title: string;
  description: string;
  opens: 'reply' | 'menu';
  text: string;
  reply: ResponseValues;
  items: MenuItemValues[];
}

/** The editor's values: the bot, its trigger, its response and its limits. */
export interface BotFormValues extends ResponseValues {
  name: string;
  numberId: string;
  active: boolean;
  triggerType: BotTriggerType;
  keywords: string;
  /** One line per keyword: `price: cost, how much`. */
  synonyms: string;
  pattern: string;
  minutes: number | undefined;
  limits: { maxPerHour: number | undefined; pauseAfterStaffMinutes: number | undefined; debounceMs: number | undefined };
}

const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

export const emptyResponseValues = (): ResponseValues => ({
  responseType: 'text',
  text: '',
  header: '',
  footer: '',
  buttons: [{ id: '', title: '' }],
  buttonText: '',
  rows: '',
  templateName: '',
  templateLanguage: 'en',
  mediaType: 'image',
  link: '',
  caption: '',
  latitude: undefined,
  longitude: undefined,
  placeName: '',
  address: '',
  contactName: '',
  contactPhone: '',
  userId: undefined,
  subject: '',
  field: '',
  value: '',
  menuItems: [],
  original: null,
});

/** A new menu item: answers with a text until the author says otherwise. */
export const emptyMenuItem = (): MenuItemValues => ({ id: '', title: '', description: '', opens: 'reply', text: '', reply: emptyResponseValues(), items: [] });

export const emptyBotValues = (numberId = ''): BotFormValues => ({
  name: '',
  numberId,
  active: true,
  triggerType: 'keywords',
  keywords: '',
  synonyms: '',
  pattern: '',
  minutes: 30,
  ...emptyResponseValues(),
  limits: { ...DEFAULT_BOT_LIMITS },
});

/** A stored response as the editor holds it. */
export const responseValues = (r: BotResponse): ResponseValues => {
  const v: ResponseValues = { ...emptyResponseValues(), responseType: r.type, original: r };
  const a = r as Record<string, any>;
  for (const key of ['text', 'header', 'footer', 'buttonText', 'mediaType', 'link', 'caption', 'latitude', 'longitude', 'address', 'userId', 'subject', 'field'] as const) {
    if (a[key] !== undefined && a[key] !== null) (v as any)[key] = a[key];
  }
  if (r.type === 'buttons') v.buttons = r.buttons.map((b) => ({ ...b }));
  if (r.type === 'list') v.rows = rowsText(r.sections);
  if (r.type === 'template') Object.assign(v, { templateName: r.template.name, templateLanguage: r.template.language });
  if (r.type === 'location') v.placeName = r.name ?? '';
  if (r.type === 'contact') Object.assign(v, { contactName: r.name, contactPhone: r.phone });
  if (r.type === 'set-field') v.value = r.value === null ? '' : String(r.value);
  if (r.type === 'menu') v.menuItems = r.items.map(menuItemValues);
  return v;
};

/** List rows as the editor shows them: one a line, `id | title | description`. */
const rowsText = (sections: Extract<BotResponse, { type: 'list' }>['sections']) =>
  sections.flatMap((s) => s.rows).map((row) => [row.id, row.title, row.description].filter((x) => x !== undefined).join(' | ')).join('\n');

const menuItemValues = (item: BotMenuItem): MenuItemValues => ({
  id: item.id,
  title: item.title,
  description: item.description ?? '',
  opens: item.items ? 'menu' : 'reply',
  text: item.text ?? '',
  reply: item.reply ? responseValues(item.reply) : emptyResponseValues(),
  items: (item.items ?? []).map(menuItemValues),
});

export const valuesFromBot = (bot: Bot): BotFormValues => {
  const { trigger: tr } = bot;
  return {
    ...emptyBotValues(String(bot.numberId)),
    name: bot.name,
    active: bot.active,
    triggerType: tr.type,
    keywords: (tr.keywords ?? []).join('\n'),
    synonyms: Object.entries(tr.synonyms ?? {}).map(([k, list]) => `${k}: ${list.join(', ')}`).join('\n'),
    pattern: tr.pattern ?? '',
    minutes: tr.minutes ?? 30,
    ...responseValues(bot.response),
    limits: { ...bot.limits },
  };
};

const triggerOf = (v: BotFormValues): BotTrigger => {
  const type = v.triggerType;
  // No keywords of its own: `asks-human` listens for ASKS_HUMAN_KEYWORDS.
  if (type === 'asks-human') return lines(v.keywords).length ? { type, keywords: lines(v.keywords) } : { type };
  if (['exact', 'starts-with', 'contains'].includes(type)) return { type, keywords: lines(v.keywords) };
  if (type === 'keywords') {
    const synonyms = Object.fromEntries(
      lines(v.synonyms).map((line) => {
        const [key, rest = ''] = line.split(/:(.*)/s);
        return [key.trim(), rest.split(',').map((s) => s.trim()).filter(Boolean)];
      })
    );
    return { type, keywords: lines(v.keywords), synonyms };
  }
  if (type === 'regex') return { type, pattern: v.pattern };
  if (type === 'idle' || type === 'no-staff-reply') return { type, minutes: v.minutes };
  return { type };
};

/** `undefined` for an empty optional text, so the server sees it absent rather than empty. */
const opt = (s: string) => (s.trim() ? s : undefined);

/** A menu item for the server: an empty id is the title (what the customer picks). */
const menuItemOf = (v: MenuItemValues): BotMenuItem => ({
  id: v.id.trim() || v.title.trim(),
  title: v.title,
  description: opt(v.description),
  ...(v.opens === 'menu' ? { text: opt(v.text), items: v.items.map(menuItemOf) } : { reply: responseOf(v.reply) as BotLeafResponse }),
});

const builtResponse = (v: ResponseValues): BotResponse => {
  const text = opt(v.text);
  switch (v.responseType) {
    case 'text':
      return { type: 'text', text: v.text };
    case 'template':
      return { type: 'template', template: { name: v.templateName, language: v.templateLanguage } };
    case 'media':
      return { type: 'media', mediaType: v.mediaType, link: v.link, caption: opt(v.caption) };
    case 'location':
      return { type: 'location', latitude: v.latitude as number, longitude: v.longitude as number, name: opt(v.placeName), address: opt(v.address) };
    case 'contact':
      return { type: 'contact', name: v.contactName, phone: v.contactPhone };
    case 'buttons':
      // A button without an id answers with its title, which is what the customer taps.
      return { type: 'buttons', text: v.text, header: opt(v.header), footer: opt(v.footer), buttons: v.buttons.map((b) => ({ id: b.id.trim() || b.title.trim(), title: b.title })) };
    case 'list': {
      const rows = lines(v.rows).map((line) => {
        const [id, title = id, description] = line.split('|').map((s) => s.trim());
        return { id, title, ...(description ? { description } : {}) };
      });
      return { type: 'list', text: v.text, buttonText: v.buttonText, header: opt(v.header), footer: opt(v.footer), sections: [{ rows }] };
    }
    case 'menu':
      return { type: 'menu', text: v.text, buttonText: opt(v.buttonText), items: v.menuItems.map(menuItemOf) };
    case 'assign':
      // An empty person is left to the server, which names `response.userId`.
      return { type: 'assign', userId: v.userId as number, text };
    case 'ticket':
      return { type: 'ticket', subject: opt(v.subject), text };
    case 'set-field':
      return { type: 'set-field', field: v.field, value: v.value, text };
    case 'handoff':
      return { type: 'handoff', text };
    case 'ai':
      return { type: 'ai' };
  }
};

/**
 * The response for the server: what the form edits, over what it does not (a template's parameters,
 * a file name, a contact's e-mail, list section titles, a typed field value) kept from the stored one.
 */
export const responseOf = (v: ResponseValues): BotResponse => {
  const built = builtResponse(v);
  const was = v.original as Record<string, any> | null;
  if (!was || was.type !== built.type) return built;
  const kept = Object.fromEntries(Object.entries(was).filter(([key]) => !(key in built)));
  const out: Record<string, any> = { ...kept, ...built };
  // A template's parameters are not edited here: kept beside the name and language typed.
  if (was.type === 'template') out.template = { ...was.template, ...out.template };
  // Rows as they were read: the sections (their titles, how many) stay as stored.
  if (was.type === 'list' && v.rows === rowsText(was.sections)) out.sections = was.sections;
  // A field value as it was read keeps its type (a number, a boolean, null).
  if (was.type === 'set-field' && v.value === (was.value === null ? '' : String(was.value))) out.value = was.value;
  return out as BotResponse;
};

export const toBotRequest = (v: BotFormValues): SaveBot.Request => {
  const limits = Object.fromEntries(Object.entries(v.limits).filter(([, n]) => n !== undefined)) as Partial<BotLimits>;
  return { name: v.name, numberId: v.numberId ? Number(v.numberId) : undefined, active: v.active, trigger: triggerOf(v), response: responseOf(v), limits };
};

/** The precedence stage a trigger type is tried in; null for timed triggers (not tried for messages). */
export const stageOf = (type: BotTriggerType): BotStage | null =>
  (TIMED_TRIGGERS as readonly string[]).includes(type) ? null : STAGE_OF_TRIGGER[type as keyof typeof STAGE_OF_TRIGGER];

/**
 * The server's ValidationError by field, keyed by the full dotted path (`response.buttons.0.title`);
 * `form` holds what no field names.
 */
export const botErrorsOf = (error: ApiErrorBody | undefined): FormErrors => {
  const out: FormErrors = {};
  for (const issue of error?.details?.errors ?? []) {
    if (!issue.message) continue;
    const key = (issue.path ?? []).join('.') || 'form';
    out[key] = out[key] ? `${out[key]}; ${issue.message}` : issue.message;
  }
  if (!Object.keys(out).length && error?.message) out.form = error.message;
  return out;
};

/** The error for a field: its own, or one about anything under it (`trigger.keywords.2` shows at `trigger.keywords`). */
export const errorAt = (errors: FormErrors, name: string): string | undefined => {
  if (errors[name]) return errors[name];
  const under = Object.entries(errors).filter(([k, m]) => m && k.startsWith(`${name}.`));
  return under.length ? under.map(([, m]) => m).join('; ') : undefined;
};

/** The bots grouped by precedence stage (timed last), each group in priority order, then by id. */
export const groupByStage = (bots: Bot[]): { stage: BotStage | null; bots: Bot[] }[] => {
  const sorted = [...bots].sort((a, b) => a.priority - b.priority || a.id - b.id);
  return [...BOT_PRECEDENCE, null].map((stage) => ({ stage, bots: sorted.filter((b) => stageOf(b.trigger.type) === stage) })).filter((g) => g.bots.length > 0);
};
