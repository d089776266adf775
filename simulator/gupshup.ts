import { contentType, header, json, parseForm, send, type Ctx } from './http';
import type { Simulator } from './sim';
import type { SimState } from './state';
import type { GupshupApp, OutboundMessage, StatusName, Template, WebhookErrorObject, WebhookEventSummary } from './types';
import type { Outgoing } from './webhooks';
import { digits, fillVars, isObject, newWamid, str, templateVars, uuid, type Json } from './util';

/*
 * Gupshup self-serve API (gupshup.md §2, §7) and its v2 callbacks (§3): unsigned, one event per POST,
 * `{ app, timestamp (ms), version: 2, type, payload }`.
 */

const gsError = (ctx: Ctx, status: number, message: string) => json(ctx, status, { status: 'error', message });

const outgoing = (app: GupshupApp, body: Json, events: WebhookEventSummary[]): Outgoing => ({
  provider: 'gupshup',
  accountKey: app.appName,
  url: app.webhookUrl,
  units: [body],
  events,
  render: (units) => ({ raw: JSON.stringify(units[0]), headers: {}, signatureValid: null }),
});

export const gupshupEnvelope = (state: SimState, app: GupshupApp, type: string, payload: Json) => ({
  app: app.appName,
  timestamp: state.clock.now(),
  version: 2,
  type,
  payload,
});

/** message-event bodies like message-event-*.json: enqueued/failed carry the Gupshup id, DLRs the wamid + gsId. */
export const gupshupStatusOutgoing = (state: SimState, app: GupshupApp, msg: OutboundMessage, status: StatusName, error?: WebhookErrorObject): Outgoing => {
  const ts = state.clock.seconds();
  let payload: Json;
  if (status === 'enqueued') {
    payload = { id: msg.id, type: 'enqueued', destination: msg.to, payload: { whatsappMessageId: msg.waMessageId, type: msg.template ? 'template' : 'session' } };
  } else if (status === 'failed') {
    payload = { id: msg.id, type: 'failed', destination: msg.to, payload: { code: error?.code ?? 1002, reason: error?.title ?? 'Failed' } };
  } else {
    payload = {
      id: msg.waMessageId,
      gsId: msg.id,
      type: status,
      destination: msg.to,
      payload: { ts },
      ...(status === 'sent'
        ? {
            conversation: { id: msg.conversationId, expiresAt: ts + 24 * 3600, type: msg.category },
            pricing: { policy: 'PMP', category: msg.category, type: msg.category === 'service' ? 'free_customer_service' : 'regular' },
          }
        : {}),
    };
  }
  return outgoing(app, gupshupEnvelope(state, app, 'message-event', payload), [{ kind: 'status', id: msg.id, status }]);
};

export const gupshupInboundOutgoing = (state: SimState, app: GupshupApp, payload: Json) =>
  outgoing(app, gupshupEnvelope(state, app, 'message', payload), [{ kind: 'message', id: str(payload.id) }]);

export const gupshupTemplateEventOutgoing = (state: SimState, app: GupshupApp, tpl: Template, reason?: string) =>
  outgoing(
    app,
    gupshupEnvelope(state, app, 'template-event', {
      type: 'status-update',
      id: tpl.id,
      status: tpl.status.toLowerCase(),
      elementName: tpl.name,
      languageCode: tpl.language,
      ...(reason ? { reason } : {}),
    }),
    [{ kind: 'template', id: tpl.id, status: tpl.status }],
  );

export const gupshupUserEventOutgoing = (state: SimState, app: GupshupApp, phone: string, type: string) =>
  outgoing(app, gupshupEnvelope(state, app, 'user-event', { phone: digits(phone), type }), [{ kind: 'user-event', status: type }]);

/** Template as Gupshup's list API shows it (gupshup.md §7). */
export const gupshupTemplateView = (tpl: Template, app: GupshupApp) => {
  const header = tpl.components.find((c) => c.type === 'HEADER');
  const body = tpl.components.find((c) => c.type === 'BODY');
  const ex = (body?.example as Json | undefined)?.body_text?.[0] as string[] | undefined;
  const values = Object.fromEntries((ex ?? []).map((v, i) => [String(i + 1), v]));
  return {
    appId: app.appId,
    category: tpl.category,
    createdOn: tpl.createdAt,
    data: body?.text ?? '',
    elementName: tpl.name,
    id: tpl.id,
    languageCode: tpl.language,
    languagePolicy: 'deterministic',
    meta: JSON.stringify({ example: fillVars(body?.text, values) }),
    modifiedOn: tpl.modifiedAt,
    namespace: `sim_${app.appId.slice(0, 8)}`,
    ...(tpl.rejectedReason ? { reason: tpl.rejectedReason } : {}),
    status: tpl.status,
    templateType: header?.format && header.format !== 'TEXT' ? header.format : 'TEXT',
    vertical: tpl.name,
  };
};

const SESSION_TYPES = ['text', 'image', 'audio', 'video', 'file', 'sticker', 'list', 'quick_reply', 'location', 'contact'];

/** Validates a session `message` object; returns an error text or the customer's view of it. */
const sessionView = (m: Json): { error: string } | Partial<OutboundMessage> => {
  const type = str(m.type);
  if (!type || !SESSION_TYPES.includes(type)) return { error: 'Invalid Message Type' };
  switch (type) {
    case 'text':
      return typeof m.text === 'string' && m.text.length > 0 ? { type, text: m.text } : { error: 'Message text cannot be empty' };
    case 'image':
      return str(m.originalUrl) ? { type, caption: str(m.caption), media: { url: m.originalUrl } } : { error: 'Invalid Media Url' };
    case 'audio':
    case 'video':
    case 'sticker':
      return str(m.url) ? { type, caption: str(m.caption), media: { url: m.url } } : { error: 'Invalid Media Url' };
    case 'file':
      return str(m.url) ? { type: 'document', caption: str(m.caption), media: { url: m.url, filename: str(m.filename) } } : { error: 'Invalid Media Url' };
    case 'list': {
      const items = Array.isArray(m.items) ? m.items : [];
      const rows = items.flatMap((i: Json) => (Array.isArray(i?.options) ? i.options : []));
      if (!rows.length || !Array.isArray(m.globalButtons) || !m.globalButtons.length) return { error: 'Invalid list message: items and globalButtons are required' };
      return {
        type: 'interactive',
        text: str(m.body) ?? '',
        list: { button: str(m.globalButtons[0]?.title) ?? '', rows: rows.map((r: Json) => ({ id: str(r.postbackText) ?? str(r.title) ?? '', title: str(r.title) ?? '', description: str(r.description) })) },
      };
    }
    case 'quick_reply': {
      const options = Array.isArray(m.options) ? m.options : [];
      if (!isObject(m.content) || !options.length || options.length > 3) return { error: 'Invalid quick_reply message: content and 1-3 options are required' };
      return {
        type: 'interactive',
        text: str(m.content.text) ?? str(m.content.caption) ?? '',
        buttons: options.map((o: Json) => ({ id: str(o.postbackText) ?? str(o.title), title: str(o.title) ?? '', kind: 'reply' as const })),
      };
    }
    case 'location':
      return Number.isFinite(Number(m.latitude)) && Number.isFinite(Number(m.longitude))
        ? {
            type,
            text: [str(m.name), str(m.address)].filter(Boolean).join(', ') || `${m.latitude},${m.longitude}`,
            location: { latitude: Number(m.latitude), longitude: Number(m.longitude), ...(str(m.name) ? { name: str(m.name) } : {}), ...(str(m.address) ? { address: str(m.address) } : {}) },
          }
        : { error: 'Invalid location' };
    case 'contact': {
      const c = isObject(m.contact) ? m.contact : null;
      const name = c && isObject(c.name) ? str(c.name.formattedName) : undefined;
      if (!c || !name) return { error: 'Invalid contact: contact.name.formattedName is required' };
      const phone = Array.isArray(c.phones) ? str(c.phones[0]?.phone) : undefined;
      const email = Array.isArray(c.emails) ? str(c.emails[0]?.email) : undefined;
      return { type: 'contacts', text: name, contacts: [{ name, phone, email }] };
    }
    default:
      return { type, text: JSON.stringify(m) };
  }
};

const authApp = (sim: Simulator, ctx: Ctx): GupshupApp | undefined => {
  const key = header(ctx, 'apikey');
  return key ? [...sim.state.gupshupApps.values()].find((a) => a.apiKey === key) : undefined;
};

const failureFor = (sim: Simulator, app: GupshupApp, to: string, session: boolean): WebhookErrorObject | undefined => {
  const customer = sim.state.customer(to);
  if (!customer.reachable) return { code: 1002, title: 'Number Does Not Exist On WhatsApp', message: 'Number Does Not Exist On WhatsApp', error_data: { details: 'Number Does Not Exist On WhatsApp' } };
  if (session && !sim.state.windowOpen(app.appName, to)) {
    return { code: 131047, title: 'Re-engagement message', message: 'Re-engagement message', error_data: { details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' } };
  }
  return undefined;
};

export const handleGupshup = async (sim: Simulator, ctx: Ctx): Promise<boolean> => {
  const { method, path } = ctx;
  const isMsg = method === 'POST' && path === '/wa/api/v1/msg';
  const isTpl = method === 'POST' && path === '/wa/api/v1/template/msg';
  const list = method === 'GET' ? /^\/wa\/app\/([^/]+)\/template$/.exec(path) : null;
  if (!isMsg && !isTpl && !list) return false;

  const fail = (status: number, message: string) => {
    gsError(ctx, status, message);
    return true;
  };
  const app = authApp(sim, ctx);
  if (!app) return fail(401, 'Portal User Not Found With APIKey');

  if (list) {
    if (list[1] !== app.appId) return fail(401, 'Invalid App Id');
    const q = ctx.query;
    let items = sim.state.templates.filter((t) => t.provider === 'gupshup' && t.owner === app.appName && t.status !== 'DELETED');
    if (q.templateStatus) items = items.filter((t) => t.status === q.templateStatus.toUpperCase());
    if (q.languageCode) items = items.filter((t) => t.language === q.languageCode);
    if (q.elementName) items = items.filter((t) => t.name === q.elementName);
    if (q.pageSize) {
      const size = Math.max(1, Number(q.pageSize) || 1);
      const page = Math.max(1, Number(q.pageNo) || 1);
      items = items.slice((page - 1) * size, page * size);
    }
    json(ctx, 200, { status: 'success', templates: items.map((t) => gupshupTemplateView(t, app)) });
    return true;
  }

  if (!contentType(ctx).includes('application/x-www-form-urlencoded')) return fail(400, 'Content-Type must be application/x-www-form-urlencoded');
  const form = parseForm(ctx.raw);
  if (form.channel !== 'whatsapp') return fail(400, 'Invalid Channel');
  if (form['src.name'] !== app.appName) return fail(400, 'Invalid App Name');
  if (digits(form.source ?? '') !== app.sourcePhone) return fail(400, 'Invalid Source');
  const to = digits(form.destination ?? '');
  if (to.length < 8 || to.length > 15) return fail(400, 'Invalid Destination');

  let view: Partial<OutboundMessage>;
  let request: Json = { ...form };
  let category = 'service';
  if (isMsg) {
    if (!form.message) return fail(400, 'Message cannot be empty');
    let m: unknown;
    try {
      m = JSON.parse(form.message);
    } catch {
      return fail(400, 'Invalid Message');
    }
    if (!isObject(m)) return fail(400, 'Invalid Message');
    const v = sessionView(m);
    if ('error' in v) return fail(400, v.error as string);
    view = { ...v, contextMessageId: isObject(m.context) ? str(m.context.msgId) : undefined };
    request = { ...form, message: m };
  } else {
    let t: unknown;
    try {
      t = JSON.parse(form.template ?? '');
    } catch {
      return fail(400, 'Invalid Template');
    }
    if (!isObject(t) || !str(t.id)) return fail(400, 'Invalid Template');
    const tpl = sim.state.templates.find((x) => x.provider === 'gupshup' && x.owner === app.appName && x.id === t.id && x.status !== 'DELETED');
    if (!tpl) return fail(400, 'Template Not Found');
    if (tpl.status !== 'APPROVED') return fail(400, `Template is not approved (${tpl.status})`);
    const params = Array.isArray(t.params) ? t.params.map(String) : [];
    const body = tpl.components.find((c) => c.type === 'BODY');
    const expected = templateVars(body?.text).length;
    if (params.length !== expected) return fail(400, `Template params count mismatch: expected ${expected}, received ${params.length}`);
    category = tpl.category.toLowerCase();
    const values = Object.fromEntries(params.map((p: string, i: number) => [String(i + 1), p]));
    let media: OutboundMessage['media'];
    if (form.message) {
      try {
        const mm = JSON.parse(form.message);
        const inner = isObject(mm) ? mm[str(mm.type) ?? ''] : undefined;
        if (isObject(inner)) media = { url: str(inner.link), filename: str(inner.filename) };
      } catch {
        return fail(400, 'Invalid Message');
      }
    }
    view = {
      type: 'template',
      text: fillVars(body?.text, values),
      media,
      template: { name: tpl.name, language: tpl.language, category: tpl.category, id: tpl.id, params },
      buttons: (tpl.components.find((c) => c.type === 'BUTTONS')?.buttons ?? []).map((b) => ({ title: b.text, kind: b.type === 'QUICK_REPLY' ? ('quick_reply' as const) : b.type === 'URL' ? ('url' as const) : ('other' as const) })),
    };
    request = { ...form, template: t, ...(form.message ? { message: JSON.parse(form.message) } : {}) };
  }

  const customer = sim.state.customer(to);
  const msg = sim.recordOutbound({
    id: uuid(),
    waMessageId: newWamid(customer.phone),
    provider: 'gupshup',
    businessKey: app.appName,
    businessPhone: app.sourcePhone,
    to: customer.phone,
    type: view.type ?? 'text',
    ...view,
    category,
    request,
  });
  sim.scheduleLifecycle(msg, failureFor(sim, app, to, isMsg));
  send(ctx, 202, { status: 'submitted', messageId: msg.id });
  return true;
};
