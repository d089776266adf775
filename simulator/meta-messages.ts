import { graphError, type GraphError } from './meta-errors';
import type { OutboundMessage } from './types';
import { isObject, str, type Json } from './util';

/*
 * Validation of free-form Cloud API message bodies (meta-cloud-api.md §3.1) and the customer's view
 * of them. Structural problems → 100 (invalid parameter) / 131008 (missing value); limits
 * (button counts, title lengths) → 131009 (parameter value not valid).
 */

type Result = { error: GraphError } | { view: Partial<OutboundMessage> };

const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'];
export const MESSAGE_TYPES = ['text', ...MEDIA_TYPES, 'location', 'contacts', 'interactive', 'reaction', 'template'];

const bad = (details: string): Result => ({ error: graphError(100, details) });
const missing = (details: string): Result => ({ error: graphError(131008, details) });
const invalid = (details: string): Result => ({ error: graphError(131009, details) });
const isUrl = (v: unknown) => typeof v === 'string' && /^https?:\/\/\S+$/i.test(v);
const len = (v: unknown) => (typeof v === 'string' ? [...v].length : 0);

const media = (type: string, o: unknown, mediaExists: (id: string) => boolean): Result => {
  if (!isObject(o)) return bad(`Param ${type} is required for type '${type}'`);
  const id = str(o.id);
  const link = str(o.link);
  if (!id && !link) return missing(`Param ${type} must contain either 'id' or 'link'`);
  if (id && link) return bad(`Param ${type} must contain either 'id' or 'link', not both`);
  if (id && !mediaExists(id)) return bad(`Param ${type}['id'] is not a valid whatsapp business account media attachment ID`);
  if (link && !isUrl(link)) return bad(`Param ${type}['link'] must be a valid URL`);
  if (o.caption !== undefined && len(o.caption) > 1024) return invalid(`Param ${type}['caption'] must be at most 1024 characters`);
  return { view: { type, caption: str(o.caption), media: { id, url: link, filename: str(o.filename) } } };
};

const interactive = (o: unknown): Result => {
  if (!isObject(o)) return bad("Param interactive is required for type 'interactive'");
  const kind = str(o.type);
  const body = isObject(o.body) ? str(o.body.text) : undefined;
  const action = isObject(o.action) ? o.action : undefined;
  if (!kind) return missing("Param interactive['type'] is required");
  if (!action) return missing("Param interactive['action'] is required");
  if (o.footer !== undefined && (!isObject(o.footer) || len(o.footer.text) > 60)) return invalid('Footer text must be at most 60 characters');
  const header = isObject(o.header) && o.header.type === 'text' ? str(o.header.text) : undefined;
  const text = [header, body].filter(Boolean).join('\n');
  switch (kind) {
    case 'button': {
      if (!body) return missing("Param interactive['body']['text'] is required");
      if (len(body) > 1024) return invalid('Body text must be at most 1024 characters');
      const buttons = Array.isArray(action.buttons) ? action.buttons : [];
      if (buttons.length < 1 || buttons.length > 3) return invalid(`Buttons count is invalid: ${buttons.length} (min 1, max 3)`);
      const ids = new Set<string>();
      const titles = new Set<string>();
      for (const b of buttons) {
        const id = isObject(b) && isObject(b.reply) ? str(b.reply.id) : undefined;
        const title = isObject(b) && isObject(b.reply) ? str(b.reply.title) : undefined;
        if (!isObject(b) || b.type !== 'reply' || !id || !title) return missing("Each button needs type 'reply' with reply.id and reply.title");
        if (len(title) > 20) return invalid('Button title length invalid. Min length: 1, Max length: 20');
        if (len(id) > 256) return invalid('Button id length invalid. Max length: 256');
        if (ids.has(id) || titles.has(title)) return invalid('Button ids and titles must be unique');
        ids.add(id);
        titles.add(title);
      }
      return { view: { type: 'interactive', text, buttons: buttons.map((b: Json) => ({ id: b.reply.id, title: b.reply.title, kind: 'reply' as const })) } };
    }
    case 'list': {
      if (!body) return missing("Param interactive['body']['text'] is required");
      if (len(body) > 4096) return invalid('Body text must be at most 4096 characters');
      const label = str(action.button);
      if (!label || len(label) > 20) return invalid('List button label length invalid. Min length: 1, Max length: 20');
      const sections = Array.isArray(action.sections) ? action.sections : [];
      if (sections.length < 1 || sections.length > 10) return invalid(`Sections count is invalid: ${sections.length} (min 1, max 10)`);
      const rows: { id: string; title: string; description?: string }[] = [];
      for (const s of sections) {
        if (!isObject(s) || !Array.isArray(s.rows)) return missing('Each section needs rows');
        if (sections.length > 1 && !str(s.title)) return missing('Section title is required when there is more than one section');
        if (len(s.title) > 24) return invalid('Section title length invalid. Max length: 24');
        for (const r of s.rows) {
          if (!isObject(r) || !str(r.id) || !str(r.title)) return missing('Each row needs an id and a title');
          if (len(r.id) > 200 || len(r.title) > 24 || len(r.description) > 72) return invalid('Row id (200), title (24) or description (72) too long');
          rows.push({ id: r.id, title: r.title, description: str(r.description) });
        }
      }
      if (rows.length < 1 || rows.length > 10) return invalid(`Total row count is invalid: ${rows.length} (min 1, max 10)`);
      if (new Set(rows.map((r) => r.id)).size !== rows.length) return invalid('Row ids must be unique');
      return { view: { type: 'interactive', text, list: { button: label, rows } } };
    }
    case 'cta_url': {
      if (!body) return missing("Param interactive['body']['text'] is required");
      const p = isObject(action.parameters) ? action.parameters : undefined;
      if (action.name !== 'cta_url' || !p || !str(p.display_text) || !isUrl(p.url)) {
        return missing("cta_url needs action.name 'cta_url' and parameters.display_text and parameters.url");
      }
      if (len(p.display_text) > 20) return invalid('display_text length invalid. Max length: 20');
      return { view: { type: 'interactive', text, buttons: [{ title: p.display_text, id: p.url, kind: 'url' }] } };
    }
    default:
      return { view: { type: 'interactive', text: text || `[${kind}]` } };
  }
};

/** Validates everything except templates; returns an error or the customer's view. */
export const validateFreeForm = (body: Json, mediaExists: (id: string) => boolean): Result => {
  const type = str(body.type) ?? 'text';
  if (!MESSAGE_TYPES.includes(type)) return bad(`Param type must be one of {${MESSAGE_TYPES.join(', ')}} - got "${type}".`);
  const o = body[type];
  if (type === 'text') {
    if (!isObject(o) || typeof o.body !== 'string') return missing("Param text['body'] is required");
    if (o.body.length === 0) return missing("Param text['body'] must not be empty");
    if (len(o.body) > 4096) return invalid("Param text['body'] must be at most 4096 characters");
    return { view: { type, text: o.body } };
  }
  if (MEDIA_TYPES.includes(type)) return media(type, o, mediaExists);
  if (type === 'interactive') return interactive(o);
  if (type === 'location') {
    if (!isObject(o) || !Number.isFinite(Number(o.latitude)) || !Number.isFinite(Number(o.longitude))) return missing('Location needs latitude and longitude');
    const location = { latitude: Number(o.latitude), longitude: Number(o.longitude), ...(str(o.name) ? { name: str(o.name) } : {}), ...(str(o.address) ? { address: str(o.address) } : {}) };
    return { view: { type, text: [str(o.name), str(o.address)].filter(Boolean).join(', ') || `${o.latitude}, ${o.longitude}`, location } };
  }
  if (type === 'contacts') {
    if (!Array.isArray(o) || !o.length || !o.every((c) => isObject(c) && isObject(c.name) && str(c.name.formatted_name))) {
      return missing('contacts needs at least one contact with name.formatted_name');
    }
    if (!o.every((c: Json) => str(c.name.first_name) || str(c.name.last_name))) return missing('contacts name needs first_name or last_name beside formatted_name');
    const contacts = o.map((c: Json) => ({ name: c.name.formatted_name as string, phone: str(c.phones?.[0]?.phone), email: str(c.emails?.[0]?.email) }));
    return { view: { type, text: o.map((c: Json) => c.name.formatted_name).join(', '), contacts } };
  }
  if (type === 'reaction') {
    if (!isObject(o) || !str(o.message_id)) return missing("Param reaction['message_id'] is required");
    if (o.emoji !== undefined && typeof o.emoji !== 'string') return bad("Param reaction['emoji'] must be a string");
    return { view: { type, reaction: { messageId: o.message_id, emoji: str(o.emoji) ?? '' } } };
  }
  return bad(`Unsupported type ${type}`);
};
