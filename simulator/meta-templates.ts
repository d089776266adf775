import { graphError, type GraphError } from './meta-errors';
import type { Ctx } from './http';
import type { SimState } from './state';
import type { OutboundMessage, Template } from './types';
import { fillVars, isObject, str, templateVars, type Json } from './util';

/*
 * Template sends (meta-cloud-api.md §5.4) and listing (§5.1). Error codes: 132001 missing / not
 * approved in that language, 132015 paused, 132016 disabled, 132000 parameter count, 132012
 * parameter format (type, or names of a NAMED template), 131008 missing value, 131009 bad button.
 */

type Check = { error: GraphError } | { view: Partial<OutboundMessage>; template: Template };

const MEDIA_FORMATS = ['IMAGE', 'VIDEO', 'DOCUMENT'];
const BUTTON_SUBTYPE: Record<string, string> = { URL: 'url', QUICK_REPLY: 'quick_reply', COPY_CODE: 'copy_code', FLOW: 'flow', OTP: 'url' };

const countMismatch = (where: string, got: number, expected: number) =>
  graphError(132000, `${where}: number of localizable_params (${got}) does not match the expected number of params (${expected})`);

const paramValue = (p: Json): string => {
  if (p.type === 'text') return String(p.text ?? '');
  if (p.type === 'currency') return String(p.currency?.fallback_value ?? `${(p.currency?.amount_1000 ?? 0) / 1000} ${p.currency?.code ?? ''}`);
  if (p.type === 'date_time') return String(p.date_time?.fallback_value ?? '');
  return '';
};

/** Checks text parameters of a header/body against the template's variables. */
const checkTextParams = (where: string, tpl: Template, expected: string[], params: Json[], values: Record<string, string>): GraphError | null => {
  if (params.length !== expected.length) return countMismatch(where, params.length, expected.length);
  const seen = new Set<string>();
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (!isObject(p)) return graphError(100, `${where}: parameter ${i} must be an object`);
    if (!['text', 'currency', 'date_time'].includes(p.type)) {
      return graphError(132012, `${where}: Format mismatch, expected TEXT, received ${String(p.type ?? 'UNKNOWN').toUpperCase()}`);
    }
    if (p.type === 'text' && (typeof p.text !== 'string' || p.text.length === 0)) return graphError(131008, `${where}: parameter ${i} is missing its text`);
    let name = String(i + 1);
    if (tpl.parameterFormat === 'NAMED') {
      const given = str(p.parameter_name);
      if (!given) return graphError(132012, `${where}: parameter_name is required for templates with NAMED parameters (expected ${expected.join(', ')})`);
      if (!expected.includes(given) || seen.has(given)) {
        return graphError(132012, `${where}: parameter name "${given}" does not match the template (expected ${expected.join(', ')})`);
      }
      seen.add(given);
      name = given;
    }
    values[name] = paramValue(p);
  }
  return null;
};

export const validateTemplateSend = (state: SimState, wabaId: string, t: unknown, mediaExists: (id: string) => boolean): Check => {
  if (!isObject(t)) return { error: graphError(100, "Param template is required for type 'template'") };
  const name = str(t.name);
  if (!name) return { error: graphError(100, "Param template['name'] is required") };
  const code = isObject(t.language) ? str(t.language.code) : undefined;
  if (!code) return { error: graphError(100, "Param template['language']['code'] is required") };
  const tpl = state.templates.find((x) => x.provider === 'meta' && x.owner === wabaId && x.name === name && x.language === code && x.status !== 'DELETED');
  if (!tpl) return { error: graphError(132001, `template name (${name}) does not exist in ${code}`) };
  if (tpl.status === 'PAUSED') return { error: graphError(132015) };
  if (tpl.status === 'DISABLED') return { error: graphError(132016) };
  if (tpl.status !== 'APPROVED') return { error: graphError(132001, `template name (${name}) does not exist in ${code} (status ${tpl.status})`) };

  const sent = t.components === undefined ? [] : t.components;
  if (!Array.isArray(sent)) return { error: graphError(100, "Param template['components'] must be an array") };
  const byType = (type: string) => sent.filter((c: Json) => isObject(c) && String(c.type).toLowerCase() === type);
  for (const c of sent) {
    if (!isObject(c) || !['header', 'body', 'button'].includes(String(c.type).toLowerCase())) {
      return { error: graphError(100, `Invalid component type: ${isObject(c) ? String(c.type) : typeof c}`) };
    }
  }

  const headerT = tpl.components.find((c) => c.type === 'HEADER');
  const bodyT = tpl.components.find((c) => c.type === 'BODY');
  const footerT = tpl.components.find((c) => c.type === 'FOOTER');
  const buttonsT = tpl.components.find((c) => c.type === 'BUTTONS')?.buttons ?? [];
  const values: Record<string, string> = {};
  const headerValues: Record<string, string> = {};
  let media: OutboundMessage['media'];

  // Header
  const headerSent = byType('header');
  const headerParams: Json[] = headerSent.flatMap((c: Json) => (Array.isArray(c.parameters) ? c.parameters : []));
  const format = headerT?.format?.toUpperCase();
  if (format && MEDIA_FORMATS.includes(format)) {
    const p = headerParams[0];
    const kind = format.toLowerCase();
    if (!isObject(p) || p.type !== kind) {
      return { error: graphError(132012, `header: Format mismatch, expected ${format}, received ${isObject(p) ? String(p.type ?? 'UNKNOWN').toUpperCase() : 'UNKNOWN'}`) };
    }
    if (headerParams.length > 1) return { error: countMismatch('header', headerParams.length, 1) };
    const obj = p[kind];
    if (!isObject(obj) || (!str(obj.id) && !str(obj.link))) return { error: graphError(131008, `header: parameter ${kind} requires an id or a link`) };
    if (str(obj.id) && !mediaExists(String(obj.id))) return { error: graphError(131053, `header: media id ${obj.id} was not found`) };
    media = { id: str(obj.id), url: str(obj.link), filename: str(obj.filename) };
  } else if (format === 'LOCATION') {
    const p = headerParams[0];
    if (!isObject(p) || p.type !== 'location') return { error: graphError(132012, `header: Format mismatch, expected LOCATION, received ${isObject(p) ? String(p.type ?? 'UNKNOWN').toUpperCase() : 'UNKNOWN'}`) };
  } else {
    const expected = format === 'TEXT' ? templateVars(headerT?.text) : [];
    const err = checkTextParams('header', tpl, expected, headerParams, headerValues);
    if (err) return { error: err };
  }

  // Body
  const bodyParams: Json[] = byType('body').flatMap((c: Json) => (Array.isArray(c.parameters) ? c.parameters : []));
  const bodyErr = checkTextParams('body', tpl, templateVars(bodyT?.text), bodyParams, values);
  if (bodyErr) return { error: bodyErr };

  // Buttons
  const covered = new Set<number>();
  const payloads = new Map<number, string>();
  for (const c of byType('button')) {
    const index = Number(c.index);
    const b = Number.isInteger(index) ? buttonsT[index] : undefined;
    if (!b) return { error: graphError(131009, `button: there is no button at index ${String(c.index)}`) };
    const sub = String(c.sub_type ?? '').toLowerCase();
    if (BUTTON_SUBTYPE[b.type] && BUTTON_SUBTYPE[b.type] !== sub) {
      return { error: graphError(131009, `button at index ${index}: sub_type ${sub || '(none)'} does not match the template's ${b.type} button`) };
    }
    const params = Array.isArray(c.parameters) ? c.parameters : [];
    const expected = b.type === 'URL' ? templateVars(b.url).length : b.type === 'COPY_CODE' ? 1 : params.length;
    if (params.length !== expected) return { error: countMismatch(`button ${index}`, params.length, expected) };
    if (b.type === 'COPY_CODE') {
      const p = params[0];
      if (!isObject(p) || p.type !== 'coupon_code') return { error: graphError(132012, `button ${index}: Format mismatch, expected COUPON_CODE, received ${isObject(p) ? String(p.type ?? 'UNKNOWN').toUpperCase() : 'UNKNOWN'}`) };
      const code = str(p.coupon_code);
      if (!code || code.length > 15) return { error: graphError(131008, `button ${index}: coupon_code must be 1 to 15 characters`) };
    }
    covered.add(index);
    const payload = params.find((p: Json) => isObject(p) && p.type === 'payload');
    if (payload && str(payload.payload)) payloads.set(index, String(payload.payload));
  }
  for (let i = 0; i < buttonsT.length; i++) {
    const b = buttonsT[i];
    const expected = b.type === 'URL' ? templateVars(b.url).length : b.type === 'COPY_CODE' ? 1 : 0;
    if (expected > 0 && !covered.has(i)) return { error: countMismatch(`button ${i}`, 0, expected) };
  }

  const headerText = format === 'TEXT' ? fillVars(headerT?.text, headerValues) : '';
  const text = [headerText, fillVars(bodyT?.text, values), footerT?.text ?? ''].filter(Boolean).join('\n');
  return {
    template: tpl,
    view: {
      type: 'template',
      text,
      media,
      template: { name: tpl.name, language: tpl.language, category: tpl.category, id: tpl.id, params: sent },
      buttons: buttonsT.map((b, i) => ({
        ...(payloads.has(i) ? { id: payloads.get(i) } : b.type === 'URL' && b.url ? { id: b.url } : {}),
        title: b.text,
        kind: b.type === 'QUICK_REPLY' ? 'quick_reply' : b.type === 'URL' ? 'url' : b.type === 'PHONE_NUMBER' ? 'phone' : b.type === 'COPY_CODE' ? 'copy_code' : 'other',
      })),
    },
  };
};

/** A template as Graph lists it; key order like templates-list-page-*.json. */
export const templateGraphView = (t: Template): Json => ({
  name: t.name,
  parameter_format: t.parameterFormat,
  language: t.language,
  status: t.status,
  category: t.category,
  id: t.id,
  ...(t.rejectedReason ? { rejected_reason: t.rejectedReason } : {}),
  ...(t.qualityScore ? { quality_score: t.qualityScore } : {}),
  components: t.components,
});

export const pickFields = (obj: Json, fields: string | undefined) => {
  if (!fields) return obj;
  const want = new Set(fields.split(',').map((f) => f.trim().replace(/\{.*$/, '')).filter(Boolean));
  want.add('id');
  return Object.fromEntries(Object.entries(obj).filter(([k]) => want.has(k)));
};

const encodeCursor = (id: string) => Buffer.from(`SIM:${id}`).toString('base64').replace(/=+$/, '');
const decodeCursor = (c: string) => {
  const s = Buffer.from(c, 'base64').toString('utf8');
  return s.startsWith('SIM:') ? s.slice(4) : null;
};

/** GET /{waba}/message_templates with Graph cursor paging; `next` only when more follow. */
export const listTemplates = (state: SimState, ctx: Ctx, wabaId: string): { status: number; body: Json } => {
  const q = ctx.query;
  let items = state.templates.filter((t) => t.provider === 'meta' && t.owner === wabaId && t.status !== 'DELETED');
  if (q.status) {
    const wanted = q.status.split(',').map((s) => s.trim().toUpperCase());
    items = items.filter((t) => wanted.includes(t.status));
  }
  if (q.name) items = items.filter((t) => t.name.includes(q.name));
  if (q.language) items = items.filter((t) => t.language === q.language);
  if (q.category) items = items.filter((t) => t.category === q.category.toUpperCase());
  const limit = q.limit === undefined ? 25 : Number(q.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return { status: 400, body: graphError(100, 'Param limit must be an integer between 1 and 1000').body };

  let start = 0;
  let end = Math.min(items.length, limit);
  if (q.after) {
    const id = decodeCursor(q.after);
    const at = items.findIndex((t) => t.id === id);
    if (id === null || at < 0) return { status: 400, body: graphError(100, 'Invalid cursor: after').body };
    start = at + 1;
    end = Math.min(items.length, start + limit);
  } else if (q.before) {
    const id = decodeCursor(q.before);
    const at = items.findIndex((t) => t.id === id);
    if (id === null || at < 0) return { status: 400, body: graphError(100, 'Invalid cursor: before').body };
    end = at;
    start = Math.max(0, end - limit);
  }
  const page = items.slice(start, end);
  const data = page.map((t) => pickFields(templateGraphView(t), q.fields));
  const body: Json = { data };
  if (page.length) {
    const link = (cursor: 'after' | 'before', value: string) => {
      const params = new URLSearchParams({ ...q });
      params.delete('after');
      params.delete('before');
      params.set(cursor, value);
      return `${ctx.base}${ctx.path}?${params.toString().replace(/%2C/g, ',')}`;
    };
    const before = encodeCursor(page[0].id);
    const after = encodeCursor(page[page.length - 1].id);
    body.paging = {
      cursors: { before, after },
      ...(end < items.length ? { next: link('after', after) } : {}),
      ...(start > 0 ? { previous: link('before', before) } : {}),
    };
  }
  if (q.summary) body.summary = { total_count: items.length };
  return { status: 200, body };
};
