/** What saving a bot checks (contracts/bots.ts `BOT_LIMITS`): every problem named by its field path, as a Strapi ValidationError. */
import { errors } from '@strapi/utils';
import safeRegex from 'safe-regex2';
import { BOT_LIMITS, BOT_RESPONSE_TYPES, BOT_TRIGGER_TYPES, DEFAULT_BOT_LIMITS, type BotLimits, type BotResponse, type BotTrigger } from '../../contracts/bots';
import type { SaveBot } from '../../contracts/bot-api';

type Issue = { path: string[]; message: string };
const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

class Checker {
  issues: Issue[] = [];
  add(path: string[], message: string) {
    this.issues.push({ path, message: `${path.join('.')} ${message}` });
  }
  str(v: unknown, path: string[], max: number, required = true): v is string {
    if (v === undefined || v === null) {
      if (required) this.add(path, 'is required');
      return false;
    }
    if (typeof v !== 'string') return this.add(path, 'must be text'), false;
    if (required && !v.trim()) return this.add(path, 'must not be empty'), false;
    if ([...v].length > max) return this.add(path, `must be at most ${max} characters`), false;
    return true;
  }
  num(v: unknown, path: string[], range: { min: number; max: number }, integer = true, required = true) {
    if (v === undefined && !required) return;
    if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) return this.add(path, integer ? 'must be a whole number' : 'must be a number');
    if (v < range.min || v > range.max) this.add(path, `must be between ${range.min} and ${range.max}`);
  }
  list(v: unknown, path: string[], max: number, min = 1): v is unknown[] {
    if (!Array.isArray(v)) return this.add(path, 'must be a list'), false;
    if (v.length < min) return this.add(path, `must have at least ${min}`), false;
    if (v.length > max) return this.add(path, `must have at most ${max}`), false;
    return true;
  }
}

const KEYWORD_TRIGGERS = new Set(['exact', 'starts-with', 'contains', 'keywords']);

const checkTrigger = (c: Checker, t: unknown) => {
  const p = ['trigger'];
  if (!isObj(t)) return c.add(p, 'must be an object with a type');
  if (!BOT_TRIGGER_TYPES.includes(t.type)) return c.add([...p, 'type'], `must be one of ${BOT_TRIGGER_TYPES.join(', ')}`);
  const known = new Set(['type', 'keywords', 'synonyms', 'pattern', 'minutes']);
  for (const k of Object.keys(t)) if (!known.has(k)) c.add([...p, k], 'is not a trigger field');
  if (KEYWORD_TRIGGERS.has(t.type) || (t.type === 'asks-human' && t.keywords !== undefined)) {
    if (c.list(t.keywords, [...p, 'keywords'], BOT_LIMITS.keywords)) t.keywords.forEach((k: unknown, i: number) => c.str(k, [...p, 'keywords', String(i)], BOT_LIMITS.keywordLength));
  }
  if (t.synonyms !== undefined) {
    if (t.type !== 'keywords' || !isObj(t.synonyms)) c.add([...p, 'synonyms'], "must be an object of lists, for the 'keywords' trigger");
    else
      for (const [k, list] of Object.entries(t.synonyms)) {
        if (!Array.isArray(t.keywords) || !t.keywords.includes(k)) c.add([...p, 'synonyms', k], 'names no keyword of this trigger');
        else if (c.list(list, [...p, 'synonyms', k], BOT_LIMITS.synonymsPerKeyword)) (list as unknown[]).forEach((s, i) => c.str(s, [...p, 'synonyms', k, String(i)], BOT_LIMITS.keywordLength));
      }
  }
  if (t.type === 'regex' && c.str(t.pattern, [...p, 'pattern'], BOT_LIMITS.pattern)) {
    try {
      new RegExp(t.pattern, 'iu');
      // Runs on every customer message: a pattern that can backtrack exponentially would stall the server.
      if (!safeRegex(t.pattern)) c.add([...p, 'pattern'], 'may take exponential time on some messages (nested repetition such as (a+)+); simplify it');
    } catch (error) {
      c.add([...p, 'pattern'], `is not a valid regular expression (${(error as Error).message})`);
    }
  }
  // Fractions of a minute are allowed: a few seconds is a legitimate nudge delay in a test or a demo.
  if (t.type === 'idle' || t.type === 'no-staff-reply') c.num(t.minutes, [...p, 'minutes'], { min: 0.05, max: BOT_LIMITS.minutes.max }, false);
};

const checkButtons = (c: Checker, buttons: unknown, p: string[]) => {
  if (!c.list(buttons, p, BOT_LIMITS.buttons)) return;
  const ids = new Set<string>();
  buttons.forEach((b: any, i) => {
    if (!isObj(b)) return c.add([...p, String(i)], 'must be { id, title }');
    c.str(b.title, [...p, String(i), 'title'], BOT_LIMITS.buttonTitle);
    if (c.str(b.id, [...p, String(i), 'id'], BOT_LIMITS.buttonId)) {
      if (ids.has(b.id)) c.add([...p, String(i), 'id'], 'is used twice');
      ids.add(b.id);
    }
  });
};

const checkRows = (c: Checker, rows: unknown, p: string[], max: number) => {
  if (!c.list(rows, p, max)) return;
  rows.forEach((r: any, i) => {
    if (!isObj(r)) return c.add([...p, String(i)], 'must be { id, title }');
    c.str(r.id, [...p, String(i), 'id'], BOT_LIMITS.buttonId);
    c.str(r.title, [...p, String(i), 'title'], BOT_LIMITS.listRowTitle);
    c.str(r.description, [...p, String(i), 'description'], BOT_LIMITS.listRowDescription, false);
  });
};

const checkMenuItems = (c: Checker, items: unknown, p: string[], depth: number) => {
  if (depth > BOT_LIMITS.menuDepth) return c.add(p, `nests deeper than ${BOT_LIMITS.menuDepth} levels`);
  if (!c.list(items, p, BOT_LIMITS.menuItems)) return;
  const ids = new Set<string>();
  items.forEach((item: any, i) => {
    const ip = [...p, String(i)];
    if (!isObj(item)) return c.add(ip, 'must be a menu item');
    if (c.str(item.id, [...ip, 'id'], BOT_LIMITS.buttonId) && ids.has(item.id)) c.add([...ip, 'id'], 'is used twice');
    ids.add(item.id);
    c.str(item.title, [...ip, 'title'], items.length <= BOT_LIMITS.buttons ? BOT_LIMITS.buttonTitle : BOT_LIMITS.listRowTitle);
    c.str(item.description, [...ip, 'description'], BOT_LIMITS.listRowDescription, false);
    if (item.items !== undefined) {
      c.str(item.text ?? item.title, [...ip, 'text'], BOT_LIMITS.interactiveText);
      checkMenuItems(c, item.items, [...ip, 'items'], depth + 1);
    } else if (item.reply !== undefined) {
      if (isObj(item.reply) && item.reply.type === 'menu') c.add([...ip, 'reply', 'type'], 'cannot be a menu (use items for a sub-menu)');
      else checkResponse(c, item.reply, [...ip, 'reply']);
    } else c.add(ip, 'needs a reply or items');
  });
};

export const checkResponse = (c: Checker, r: unknown, p: string[] = ['response']) => {
  if (!isObj(r)) return c.add(p, 'must be an object with a type');
  if (!(BOT_RESPONSE_TYPES as readonly string[]).includes(r.type)) return c.add([...p, 'type'], `must be one of ${BOT_RESPONSE_TYPES.join(', ')}`);
  const at = (k: string) => [...p, k];
  switch (r.type) {
    case 'text':
      return void c.str(r.text, at('text'), BOT_LIMITS.text);
    case 'template':
      if (!isObj(r.template)) return c.add(at('template'), 'must be { name, language, params? }');
      c.str(r.template.name, [...at('template'), 'name'], 512);
      return void c.str(r.template.language, [...at('template'), 'language'], 15);
    case 'media':
      if (!['image', 'video', 'audio', 'document'].includes(r.mediaType)) c.add(at('mediaType'), 'must be image, video, audio or document');
      if (c.str(r.link, at('link'), 2048) && !/^https?:\/\/\S+$/.test(r.link)) c.add(at('link'), 'must be an http(s) URL');
      c.str(r.caption, at('caption'), BOT_LIMITS.interactiveText, false);
      return void c.str(r.filename, at('filename'), 240, false);
    case 'location':
      c.num(r.latitude, at('latitude'), { min: -90, max: 90 }, false);
      c.num(r.longitude, at('longitude'), { min: -180, max: 180 }, false);
      c.str(r.name, at('name'), 1000, false);
      return void c.str(r.address, at('address'), 1000, false);
    case 'contact':
      c.str(r.name, at('name'), 200);
      if (c.str(r.phone, at('phone'), 32) && !/^\+?[\d\s().-]{5,}$/.test(r.phone)) c.add(at('phone'), 'must be a phone number');
      // The provider refuses a card with a malformed address: said here, naming the field, not at send time.
      if (c.str(r.email, at('email'), 200, false) && r.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(r.email)) c.add(at('email'), 'must be an email address');
      return;
    case 'buttons':
      c.str(r.text, at('text'), BOT_LIMITS.interactiveText);
      c.str(r.header, at('header'), BOT_LIMITS.headerFooter, false);
      c.str(r.footer, at('footer'), BOT_LIMITS.headerFooter, false);
      return checkButtons(c, r.buttons, at('buttons'));
    case 'list': {
      c.str(r.text, at('text'), BOT_LIMITS.interactiveText);
      c.str(r.buttonText, at('buttonText'), BOT_LIMITS.listButtonText);
      if (!c.list(r.sections, at('sections'), BOT_LIMITS.listSections)) return;
      const total = r.sections.reduce((n: number, s: any) => n + (Array.isArray(s?.rows) ? s.rows.length : 0), 0);
      if (total > BOT_LIMITS.listRows) c.add(at('sections'), `must have at most ${BOT_LIMITS.listRows} rows in all`);
      return r.sections.forEach((s: any, i: number) => checkRows(c, s?.rows, [...at('sections'), String(i), 'rows'], BOT_LIMITS.listRows));
    }
    case 'menu':
      c.str(r.text, at('text'), BOT_LIMITS.interactiveText);
      c.str(r.buttonText, at('buttonText'), BOT_LIMITS.listButtonText, false);
      return checkMenuItems(c, r.items, at('items'), 1);
    case 'assign':
      // Conversations carry no team (a number's teams only decide who sees it): a team target would be silently dropped.
      if (r.teamId !== undefined) c.add(at('teamId'), "is not supported: conversations have no team; use a 'handoff' response to send the conversation to the number's queue");
      else if (r.userId === undefined) c.add(at('userId'), 'is required (the admin user who takes the conversation)');
      else c.num(r.userId, at('userId'), { min: 1, max: Number.MAX_SAFE_INTEGER });
      return void c.str(r.text, at('text'), BOT_LIMITS.text, false);
    case 'ticket':
      c.str(r.subject, at('subject'), 200, false);
      return void c.str(r.text, at('text'), BOT_LIMITS.text, false);
    case 'set-field':
      if (c.str(r.field, at('field'), 64) && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(r.field)) c.add(at('field'), 'must be an attribute name');
      if (!['string', 'number', 'boolean'].includes(typeof r.value) && r.value !== null) c.add(at('value'), 'must be text, a number, true/false or null');
      return void c.str(r.text, at('text'), BOT_LIMITS.text, false);
    case 'handoff':
      return void c.str(r.text, at('text'), BOT_LIMITS.text, false);
    default:
      return undefined;
  }
};

const checkLimits = (c: Checker, l: unknown) => {
  if (!isObj(l)) return c.add(['limits'], 'must be an object');
  for (const k of Object.keys(l)) if (!(k in DEFAULT_BOT_LIMITS)) c.add(['limits', k], 'is not a limit');
  c.num(l.maxPerHour, ['limits', 'maxPerHour'], BOT_LIMITS.maxPerHour, true, false);
  c.num(l.pauseAfterStaffMinutes, ['limits', 'pauseAfterStaffMinutes'], BOT_LIMITS.pauseAfterStaffMinutes, false, false);
  c.num(l.debounceMs, ['limits', 'debounceMs'], BOT_LIMITS.debounceMs, true, false);
};

export interface ValidBot {
  name?: string;
  numberId?: number;
  active?: boolean;
  priority?: number;
  trigger?: BotTrigger;
  response?: BotResponse;
  limits?: Partial<BotLimits>;
}

/** A create (`full`) or an update body, checked; throws a ValidationError naming each bad field. */
export const validateBot = (body: unknown, full: boolean): ValidBot => {
  const c = new Checker();
  if (!isObj(body)) c.add(['body'], 'must be an object');
  else {
    const b = body as SaveBot.Request & Record<string, unknown>;
    for (const k of Object.keys(b)) if (!['name', 'numberId', 'active', 'priority', 'trigger', 'response', 'limits'].includes(k)) c.add([k], 'is not a bot field');
    if (full || b.name !== undefined) c.str(b.name, ['name'], BOT_LIMITS.name);
    if (full || b.numberId !== undefined) c.num(b.numberId, ['numberId'], { min: 1, max: 2 ** 31 - 1 });
    if (b.active !== undefined && typeof b.active !== 'boolean') c.add(['active'], 'must be true or false');
    if (b.priority !== undefined) c.num(b.priority, ['priority'], { min: 0, max: 1_000_000 });
    if (full || b.trigger !== undefined) checkTrigger(c, b.trigger);
    if (full || b.response !== undefined) checkResponse(c, b.response);
    if (b.limits !== undefined) checkLimits(c, b.limits);
  }
  if (c.issues.length) {
    throw new errors.ValidationError(c.issues[0].message, { errors: c.issues.map((i) => ({ ...i, name: 'ValidationError', value: null })) });
  }
  return body as ValidBot;
};

/** `POST /whatsapp/bots/test` and `PUT /whatsapp/bots/order` bodies, and holidays, with the same error shape. */
export const fail = (path: string[], message: string): never => {
  throw new errors.ValidationError(`${path.join('.')} ${message}`, { errors: [{ path, message: `${path.join('.')} ${message}`, name: 'ValidationError', value: null }] });
};
