import { bearer, contentType, header, json, parseJson, parseMultipart, send, type Ctx } from './http';
import { graphError, tokenError, unsupportedRequest, webhookError, type GraphError } from './meta-errors';
import { MESSAGE_TYPES, validateFreeForm } from './meta-messages';
import { listTemplates, pickFields, templateGraphView, validateTemplateSend } from './meta-templates';
import type { Simulator } from './sim';
import type { MediaItem, MetaNumber, OutboundMessage, Template, WebhookErrorObject } from './types';
import { bsuidFor, digits, hmacHex, isObject, newNumericId, newWamid, sha256Base64, str } from './util';

/* Meta Graph API (meta-cloud-api.md §3–§6) under /v{N}.0/… */

const MEDIA_URL_TTL_MS = 5 * 60 * 1000;
const MEDIA_SECRET = 'simulator-media-url';

const MIME_LIMITS: [RegExp, number][] = [
  [/^image\/webp$/, 500 * 1024],
  [/^image\/(jpeg|png)$/, 5 * 1024 * 1024],
  [/^(video\/mp4|video\/3gpp)$/, 16 * 1024 * 1024],
  [/^audio\/(aac|amr|mpeg|mp4|ogg)(;.*)?$/, 16 * 1024 * 1024],
  [/^(text\/plain|application\/pdf|application\/msword|application\/vnd\.(ms-|openxmlformats-officedocument\.).*)$/, 100 * 1024 * 1024],
];

const fail = (ctx: Ctx, e: GraphError) => json(ctx, e.http, e.body, e.headers);

/** Media download URL, valid 5 minutes, like lookaside.fbsbx.com (needs the bearer token). */
export const mediaUrl = (sim: Simulator, base: string, item: MediaItem) => {
  const ext = Math.floor((sim.state.clock.now() + MEDIA_URL_TTL_MS) / 1000);
  const hash = hmacHex(MEDIA_SECRET, `${item.id}:${ext}`).slice(0, 20);
  return `${base}/whatsapp_business/attachments/?mid=${item.id}&ext=${ext}&hash=${hash}`;
};

export const storeMedia = (sim: Simulator, owner: string, bytes: Buffer, mimeType: string, filename?: string): MediaItem => {
  const item: MediaItem = { id: newNumericId('7'), owner, mimeType, filename, bytes, sha256: sha256Base64(bytes), createdAt: sim.state.clock.now() };
  sim.state.media.set(item.id, item);
  return item;
};

/** Which Meta numbers a token may act for (none = the token is unknown). */
const numbersOfToken = (sim: Simulator, token: string) => [...sim.state.metaNumbers.values()].filter((n) => n.accessToken === token);

/** Token check common to every Graph call; returns the WABAs the token can see. */
const authenticate = (sim: Simulator, ctx: Ctx): Set<string> | null => {
  const token = bearer(ctx);
  if (!token) return fail(ctx, tokenError('missing')), null;
  if (sim.state.revokedTokens.has(token)) return fail(ctx, tokenError('revoked')), null;
  const numbers = numbersOfToken(sim, token);
  if (!numbers.length) return fail(ctx, tokenError('invalid')), null;
  return new Set(numbers.map((n) => n.wabaId));
};

export const phoneNumberInfo = (n: MetaNumber) => {
  const mps = n.throughputMps ?? 80;
  const tier = n.messagingTier ?? 'TIER_250';
  return {
    verified_name: n.verifiedName ?? 'Simulated Business',
    code_verification_status: 'VERIFIED',
    display_phone_number: n.displayPhoneNumber,
    quality_rating: n.qualityRating ?? 'GREEN',
    platform_type: 'CLOUD_API',
    throughput: { level: mps >= 1000 ? 'HIGH' : mps <= 20 ? 'NOT_APPLICABLE' : 'STANDARD' },
    messaging_limit_tier: tier,
    whatsapp_business_manager_messaging_limit: tier,
    name_status: 'APPROVED',
    id: n.phoneNumberId,
  };
};

export const handleMeta = async (sim: Simulator, ctx: Ctx): Promise<boolean> => {
  if (ctx.path.startsWith('/whatsapp_business/attachments')) {
    downloadMedia(sim, ctx);
    return true;
  }
  const m = /^\/v\d+\.0\/(.+?)\/?$/.exec(ctx.path);
  if (!m) return false;
  const seg = m[1].split('/');
  const wabas = authenticate(sim, ctx);
  if (!wabas) return true;
  const st = sim.state;
  const [id, edge] = seg;
  const number = st.metaNumbers.get(id);
  const method = ctx.method.toLowerCase() as 'get' | 'post' | 'delete';
  const visible = (waba: string | undefined) => waba !== undefined && wabas.has(waba);

  if (seg.length === 2 && edge === 'messages' && ctx.method === 'POST') {
    if (!number || !visible(number.wabaId)) return fail(ctx, unsupportedRequest('post', id)), true;
    sendMessage(sim, ctx, number);
    return true;
  }
  if (seg.length === 2 && edge === 'media' && ctx.method === 'POST') {
    if (!number || !visible(number.wabaId)) return fail(ctx, unsupportedRequest('post', id)), true;
    uploadMedia(sim, ctx, number);
    return true;
  }
  if (seg.length === 2 && edge === 'message_templates' && ctx.method === 'GET') {
    if (!visible(id) || !st.accountKeysOfWaba(id).length) return fail(ctx, unsupportedRequest('get', id)), true;
    const r = listTemplates(st, ctx, id);
    json(ctx, r.status, r.body);
    return true;
  }
  if (seg.length === 2 && edge === 'subscribed_apps') {
    if (!visible(id) || !st.accountKeysOfWaba(id).length) return fail(ctx, unsupportedRequest(method, id)), true;
    if (ctx.method === 'POST') st.subscribedApps.set(id, true);
    if (ctx.method === 'DELETE') st.subscribedApps.set(id, false);
    if (ctx.method !== 'GET') return json(ctx, 200, { success: true }), true;
    const on = st.subscribedApps.get(id) !== false;
    json(ctx, 200, { data: on ? [{ whatsapp_business_api_data: { link: 'https://www.facebook.com/games/?app_id=1000000000000001', name: 'WhatsApp Simulator App', id: '1000000000000001' } }] : [] });
    return true;
  }
  if (seg.length === 2 && edge === 'phone_numbers' && ctx.method === 'GET') {
    if (!visible(id) || !st.accountKeysOfWaba(id).length) return fail(ctx, unsupportedRequest('get', id)), true;
    const data = st.accountKeysOfWaba(id).map((k) => pickFields(phoneNumberInfo(st.metaNumbers.get(k)!), ctx.query.fields));
    json(ctx, 200, { data, paging: { cursors: { before: 'QVFIU2JlZm9yZQ', after: 'QVFIU2FmdGVy' } } });
    return true;
  }
  if (seg.length === 1) {
    if (number && visible(number.wabaId) && ctx.method === 'GET') return json(ctx, 200, pickFields(phoneNumberInfo(number), ctx.query.fields)), true;
    const media = st.media.get(id);
    const mediaWaba = media ? st.metaNumbers.get(media.owner)?.wabaId : undefined;
    if (media && visible(mediaWaba)) {
      if (ctx.method === 'DELETE') {
        st.media.delete(id);
        return json(ctx, 200, { success: true }), true;
      }
      if (ctx.method === 'GET') {
        json(ctx, 200, { messaging_product: 'whatsapp', url: mediaUrl(sim, ctx.base, media), mime_type: media.mimeType, sha256: media.sha256, file_size: String(media.bytes.length), id: media.id });
        return true;
      }
    }
    const tpl = st.templates.find((t) => t.provider === 'meta' && t.id === id && t.status !== 'DELETED');
    if (tpl && visible(tpl.owner) && ctx.method === 'GET') return json(ctx, 200, pickFields(templateGraphView(tpl), ctx.query.fields)), true;
    if (visible(id) && ctx.method === 'GET' && st.accountKeysOfWaba(id).length) {
      return json(ctx, 200, pickFields({ id, name: 'Simulated WABA', currency: 'USD', timezone_id: '1', message_template_namespace: `sim_${id}` }, ctx.query.fields)), true;
    }
  }
  fail(ctx, unsupportedRequest(method, seg.join('/')));
  return true;
};

function sendMessage(sim: Simulator, ctx: Ctx, number: MetaNumber) {
  const st = sim.state;
  if (!contentType(ctx).includes('application/json')) return fail(ctx, graphError(100, 'Content-Type must be application/json'));
  const parsed = parseJson(ctx.raw);
  if (!parsed.ok || !isObject(parsed.value)) return fail(ctx, graphError(100, 'The request body is not a valid JSON object'));
  const body = parsed.value;
  if (body.messaging_product !== 'whatsapp') return fail(ctx, graphError(100, "The parameter messaging_product is required and must be 'whatsapp'"));

  // Mark as read (+ typing indicator), §3.3
  if (body.status !== undefined) {
    if (body.status !== 'read') return fail(ctx, graphError(100, "Param status must be 'read'"));
    const target = st.inbound.find((i) => i.provider === 'meta' && i.businessKey === number.phoneNumberId && i.id === body.message_id);
    if (!target) return fail(ctx, graphError(100, `Invalid message_id: ${String(body.message_id)}`));
    for (const i of st.inbound) if (i.businessKey === number.phoneNumberId && i.from === target.from && i.seq <= target.seq) i.readByBusiness = true;
    if (isObject(body.typing_indicator)) target.typingIndicator = true;
    return json(ctx, 200, { success: true });
  }

  if (body.recipient_type !== undefined && body.recipient_type !== 'individual') return fail(ctx, graphError(100, "Param recipient_type must be 'individual'"));
  const input = str(body.to) ?? str(body.recipient);
  if (!input) return fail(ctx, graphError(100, 'The parameter to is required.'));
  let to = '';
  let toUserId: string | undefined;
  let knownRecipient = true;
  if (str(body.to)) {
    to = digits(String(body.to));
    if (to.length < 7 || to.length > 15 || /[A-Za-z]/.test(String(body.to))) return fail(ctx, graphError(100, `Param to is not a valid phone number: ${String(body.to)}`));
  } else {
    toUserId = String(body.recipient);
    const c = [...st.customers.values()].find((x) => bsuidFor(number.wabaId, x.phone) === toUserId);
    knownRecipient = !!c;
    to = c?.phone ?? '';
  }
  const type = str(body.type) ?? 'text';
  if (!MESSAGE_TYPES.includes(type)) return fail(ctx, graphError(100, `Param type must be one of {${MESSAGE_TYPES.join(', ')}} - got "${type}".`));
  const exists = (id: string) => st.media.has(id);
  const checked = type === 'template' ? validateTemplateSend(st, number.wabaId, body.template, exists) : validateFreeForm(body, exists);
  if ('error' in checked) return fail(ctx, checked.error);

  // Throughput (per number, 1 s) and pair rate (per recipient), §6
  const mps = number.throughputMps ?? 80;
  if (st.countRecent(`tp|${number.phoneNumberId}`, 1000) >= mps) return fail(ctx, graphError(130429));
  const settings = st.settings.effective(number.phoneNumberId);
  const pairKey = `pair|${number.phoneNumberId}|${to || toUserId}`;
  if (settings.pairRate && st.countRecent(pairKey, settings.pairRate.windowMs) >= settings.pairRate.max) return fail(ctx, graphError(131056));
  st.noteSend(`tp|${number.phoneNumberId}`);
  st.noteSend(pairKey);

  const customer = to ? st.customer(to) : undefined;
  const template: Template | undefined = 'template' in checked ? (checked as { template: Template }).template : undefined;
  const context = isObject(body.context) ? str(body.context.message_id) : undefined;
  const msg = sim.recordOutbound({
    id: '',
    waMessageId: '',
    provider: 'meta',
    businessKey: number.phoneNumberId,
    businessPhone: number.displayPhoneNumber,
    to: to || (toUserId as string),
    toUserId,
    type,
    ...checked.view,
    contextMessageId: context,
    bizOpaqueCallbackData: str(body.biz_opaque_callback_data),
    category: template ? template.category.toLowerCase() : 'service',
    request: body,
  } as Omit<OutboundMessage, 'seq' | 'at' | 'status' | 'statuses' | 'conversationId'>);
  msg.id = msg.waMessageId = sim.state.settings.takeMessageId(number.phoneNumberId) ?? newWamid(to || 'BSUID');

  let failure: WebhookErrorObject | undefined;
  if (!knownRecipient || (customer && !customer.reachable)) failure = webhookError(131026);
  else if (!template && !st.windowOpen(number.phoneNumberId, to)) failure = webhookError(131047);
  else if (type === 'reaction') {
    const target = msg.reaction?.messageId;
    const known = st.inbound.some((i) => i.id === target) || st.outbound.some((o) => o.waMessageId === target && o !== msg);
    if (!known) failure = webhookError(131009, 'Reaction target message could not be found.');
  }
  sim.scheduleLifecycle(msg, failure);

  json(ctx, 200, {
    messaging_product: 'whatsapp',
    contacts: [toUserId ? { input, user_id: toUserId } : { input, wa_id: to }],
    messages: [template ? { id: msg.id, message_status: 'accepted' } : { id: msg.id }],
  });
}

function uploadMedia(sim: Simulator, ctx: Ctx, number: MetaNumber) {
  const type = contentType(ctx);
  if (!type.startsWith('multipart/form-data')) return fail(ctx, graphError(100, 'Media upload must be multipart/form-data'));
  // The boundary is case-sensitive: parse with the header as sent, not the lower-cased type.
  const parts = parseMultipart(ctx.raw, header(ctx, 'content-type') ?? '');
  if (!parts) return fail(ctx, graphError(100, 'Malformed multipart body'));
  const field = (name: string) => parts.find((p) => p.name === name);
  if (field('messaging_product')?.data.toString() !== 'whatsapp') return fail(ctx, graphError(100, "The parameter messaging_product is required and must be 'whatsapp'"));
  const file = field('file');
  if (!file || file.filename === undefined) return fail(ctx, graphError(100, 'The parameter file is required.'));
  const mime = (field('type')?.data.toString() || file.contentType || '').trim().toLowerCase();
  if (!mime) return fail(ctx, graphError(100, 'The parameter type is required.'));
  const limit = MIME_LIMITS.find(([re]) => re.test(mime));
  if (!limit) return fail(ctx, graphError(100, `Param file must be a file with one of the supported media types; got ${mime}`));
  if (file.contentType && file.contentType.toLowerCase().split(';')[0] !== mime.split(';')[0] && file.contentType !== 'application/octet-stream') {
    return fail(ctx, graphError(131053, `The file's MIME type ${file.contentType} does not match type ${mime}`));
  }
  if (file.data.length > limit[1]) return fail(ctx, graphError(131053, `File is ${file.data.length} bytes; the limit for ${mime} is ${limit[1]}`));
  const item = storeMedia(sim, number.phoneNumberId, file.data, mime, file.filename || undefined);
  json(ctx, 200, { id: item.id });
}

function downloadMedia(sim: Simulator, ctx: Ctx) {
  const token = bearer(ctx);
  if (!token) return fail(ctx, tokenError('missing'));
  if (sim.state.revokedTokens.has(token)) return fail(ctx, tokenError('revoked'));
  const wabas = new Set(numbersOfToken(sim, token).map((n) => n.wabaId));
  if (!wabas.size) return fail(ctx, tokenError('invalid'));
  const { mid, ext, hash } = ctx.query;
  const item = mid ? sim.state.media.get(mid) : undefined;
  const owner = item ? sim.state.metaNumbers.get(item.owner) : undefined;
  const okHash = mid && ext && hash === hmacHex(MEDIA_SECRET, `${mid}:${ext}`).slice(0, 20);
  if (!item || !owner || !okHash || Number(ext) * 1000 < sim.state.clock.now() || !wabas.has(owner.wabaId)) {
    return send(ctx, 404, 'Not Found');
  }
  send(ctx, 200, item.bytes, { 'content-type': item.mimeType, 'content-length': String(item.bytes.length), 'content-disposition': `attachment; filename="${item.filename ?? item.id}"` });
}
