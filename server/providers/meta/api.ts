import { call, downloadGuarded } from '../http';
import { MediaRefusedError } from '../media-fetch';
import type {
  ConnectionCheck,
  InteractiveContent,
  MediaFile,
  OutboundMessage,
  ProviderContext,
  ProviderNumber,
  ProviderTemplate,
  SendResult,
  TemplateParam,
  TemplateParams,
} from '../types';
import { couponOf } from '../../template-params';
import { classify } from './classify';

const DEFAULT_VERSION = 'v23.0';

const graphError = (data: any) => ({ code: data?.error?.code !== undefined ? String(data.error.code) : null, text: data?.error?.message ?? null });
const auth = (number: ProviderNumber) => ({ Authorization: `Bearer ${number.credentials.accessToken ?? ''}` });
const version = (ctx: ProviderContext) => ctx.graphVersion ?? DEFAULT_VERSION;
const digits = (phone: string) => phone.replace(/[^\d]/g, '');

const param = (p: TemplateParam): Record<string, unknown> => {
  const named = 'name' in p && p.name ? { parameter_name: p.name } : {};
  switch (p.type) {
    case 'text':
      return { type: 'text', text: p.text, ...named };
    case 'payload':
      return { type: 'payload', payload: p.payload };
    case 'coupon_code':
      return { type: 'coupon_code', coupon_code: p.couponCode };
    case 'currency':
      return { type: 'currency', currency: { fallback_value: p.fallback, code: p.code, amount_1000: p.amount1000 }, ...named };
    case 'date_time':
      return { type: 'date_time', date_time: { fallback_value: p.fallback }, ...named };
    default:
      return { type: p.type, [p.type]: { ...(p.id ? { id: p.id } : { link: p.link }), ...(p.filename ? { filename: p.filename } : {}) }, ...named };
  }
};

const templateComponents = (params: TemplateParams = {}) => [
  ...(params.header?.length ? [{ type: 'header', parameters: params.header.map(param) }] : []),
  ...(params.body?.length ? [{ type: 'body', parameters: params.body.map(param) }] : []),
  ...(params.buttons ?? []).map((b) => ({
    type: 'button',
    sub_type: b.subType,
    index: String(b.index),
    // Meta takes a copy-code button's code only as a coupon_code parameter.
    parameters: b.subType === 'copy_code' ? b.params.map((p) => ({ type: 'coupon_code', coupon_code: couponOf(p) })) : b.params.map(param),
  })),
];

const interactive = (i: InteractiveContent) => {
  const common = {
    ...(i.header ? { header: { type: 'text', text: i.header } } : {}),
    body: { text: i.body },
    ...(i.footer ? { footer: { text: i.footer } } : {}),
  };
  if (i.type === 'button') return { type: 'button', ...common, action: { buttons: (i.buttons ?? []).map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title } })) } };
  if (i.type === 'list') return { type: 'list', ...common, action: { button: i.buttonText ?? 'Choose', sections: i.sections ?? [] } };
  return { type: 'cta_url', ...common, action: { name: 'cta_url', parameters: { display_text: i.displayText, url: i.url } } };
};

/** The Graph API request body for a canonical message. */
export const requestBody = (message: OutboundMessage): Record<string, unknown> => {
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to: digits(message.to) };
  const context = 'replyTo' in message && message.replyTo ? { context: { message_id: message.replyTo } } : {};
  switch (message.kind) {
    case 'text':
      return { ...base, ...context, type: 'text', text: { body: message.text, preview_url: Boolean(message.previewUrl) } };
    case 'media': {
      const media: Record<string, unknown> = message.mediaId ? { id: message.mediaId } : { link: message.link };
      if (message.caption && ['image', 'video', 'document'].includes(message.mediaType)) media.caption = message.caption;
      if (message.filename && message.mediaType === 'document') media.filename = message.filename;
      return { ...base, ...context, type: message.mediaType, [message.mediaType]: media };
    }
    case 'template':
      return { ...base, ...context, type: 'template', template: { name: message.name, language: { code: message.language }, components: templateComponents(message.params) } };
    case 'interactive':
      return { ...base, ...context, type: 'interactive', interactive: interactive(message.interactive) };
    case 'location': {
      const { latitude, longitude, name, address } = message.location;
      return { ...base, type: 'location', location: { latitude, longitude, ...(name ? { name } : {}), ...(address ? { address } : {}) } };
    }
    case 'contacts': {
      const c = message.contact;
      // Meta wants formatted_name plus one of first_name/last_name; the whole name serves as both.
      const card = { name: { formatted_name: c.name, first_name: c.name }, phones: [{ phone: c.phone, type: 'CELL' }], ...(c.email ? { emails: [{ email: c.email, type: 'WORK' }] } : {}) };
      return { ...base, type: 'contacts', contacts: [card] };
    }
    case 'reaction':
      return { ...base, type: 'reaction', reaction: { message_id: message.messageId, emoji: message.emoji } };
  }
};

export const send = async (ctx: ProviderContext, number: ProviderNumber, message: OutboundMessage): Promise<SendResult> => {
  const data = await call<any>(
    ctx,
    `send-${message.kind}`,
    { method: 'post', url: `/${version(ctx)}/${number.phoneNumberId}/messages`, headers: auth(number), data: requestBody(message) },
    graphError
  );
  return { providerMessageId: data?.messages?.[0]?.id ?? null, raw: data };
};

/** A read receipt (and typing indicator) for a customer's message: the same endpoint, its own request. */
export const markRead = async (ctx: ProviderContext, number: ProviderNumber, messageId: string, options: { typing?: boolean } = {}): Promise<SendResult> => {
  const body = { messaging_product: 'whatsapp', status: 'read', message_id: messageId, ...(options.typing ? { typing_indicator: { type: 'text' } } : {}) };
  const data = await call<any>(ctx, 'mark-read', { method: 'post', url: `/${version(ctx)}/${number.phoneNumberId}/messages`, headers: auth(number), data: body }, graphError);
  return { providerMessageId: null, raw: data };
};

const TEMPLATE_FIELDS = 'id,name,status,category,language,components,parameter_format,quality_score,rejected_reason';

/** Every template of the number's WhatsApp Business Account, following the cursor to the last page. */
export const listTemplates = async (ctx: ProviderContext, number: ProviderNumber): Promise<ProviderTemplate[]> => {
  const templates: ProviderTemplate[] = [];
  let after: string | undefined;
  for (let page = 0; page < 1000; page += 1) {
    const data = await call<any>(
      ctx,
      'list-templates',
      { method: 'get', url: `/${version(ctx)}/${number.wabaId}/message_templates`, headers: auth(number), params: { fields: TEMPLATE_FIELDS, limit: 100, ...(after ? { after } : {}) } },
      graphError
    );
    for (const t of data?.data ?? []) {
      templates.push({
        providerTemplateId: t.id ? String(t.id) : null,
        name: t.name,
        language: t.language,
        category: t.category ?? null,
        status: t.status,
        components: t.components ?? [],
        parameterFormat: String(t.parameter_format ?? 'POSITIONAL').toUpperCase() === 'NAMED' ? 'named' : 'positional',
        quality: t.quality_score?.score ?? null,
        rejectionReason: t.rejected_reason && t.rejected_reason !== 'NONE' ? t.rejected_reason : null,
      });
    }
    // Follow the cursor against our own base URL rather than the absolute `next` link.
    after = data?.paging?.next ? data?.paging?.cursors?.after : undefined;
    if (!after) break;
  }
  return templates;
};

/** Uploads a file for sending by id (Meta keeps it 30 days); preferred to links at high volume. */
export const uploadMedia = async (ctx: ProviderContext, number: ProviderNumber, file: MediaFile): Promise<{ mediaId: string }> => {
  const form = new FormData();
  form.append('messaging_product', 'whatsapp');
  form.append('type', file.mimeType);
  form.append('file', new Blob([new Uint8Array(file.data)], { type: file.mimeType }), file.filename ?? 'file');
  const data = await call<any>(ctx, 'media-upload', { method: 'post', url: `/${version(ctx)}/${number.phoneNumberId}/media`, headers: auth(number), data: form }, graphError);
  return { mediaId: String(data.id) };
};

/** An inbound media file: its short-lived URL first, then the bytes with the same token. */
export const downloadMedia = async (ctx: ProviderContext, number: ProviderNumber, mediaId: string): Promise<MediaFile> => {
  // A webhook that gave a link and no id: fetched through the guard, and never with the number's token.
  if (/^https?:\/\//i.test(mediaId)) return downloadGuarded(ctx, mediaId);
  if (!/^[A-Za-z0-9_.-]{1,200}$/.test(mediaId) || /^\.+$/.test(mediaId)) throw new MediaRefusedError('refused: not a Meta media id');
  const info = await call<any>(ctx, 'media-info', { method: 'get', url: `/${version(ctx)}/${mediaId}`, headers: auth(number), params: number.phoneNumberId ? { phone_number_id: number.phoneNumberId } : {} }, graphError);
  // The URL comes from an answer (or a webhook), so it goes through the same guard as a link in a webhook.
  const file = await downloadGuarded(ctx, String(info?.url ?? ''), auth(number));
  return { data: file.data, mimeType: info.mime_type ?? file.mimeType, sha256: info.sha256 };
};

export const checkConnection = async (ctx: ProviderContext, number: ProviderNumber): Promise<ConnectionCheck> => {
  try {
    const phone = await call<any>(
      ctx,
      'check-number',
      { method: 'get', url: `/${version(ctx)}/${number.phoneNumberId}`, headers: auth(number), params: { fields: 'display_phone_number,verified_name,quality_rating,throughput,messaging_limit_tier' } },
      graphError
    );
    const subscribed = await call<any>(ctx, 'check-subscription', { method: 'get', url: `/${version(ctx)}/${number.wabaId}/subscribed_apps`, headers: auth(number) }, graphError);
    const apps = Array.isArray(subscribed?.data) ? subscribed.data : [];
    const details = {
      displayPhoneNumber: phone.display_phone_number ?? null,
      verifiedName: phone.verified_name ?? null,
      qualityRating: phone.quality_rating ?? null,
      throughput: phone.throughput?.level ?? null,
      messagingLimit: phone.messaging_limit_tier ?? null,
      webhookSubscribed: apps.length > 0,
    };
    if (apps.length === 0) return { ok: false, reason: 'No app is subscribed to this WhatsApp Business Account’s webhooks: subscribe your app in Meta’s App Dashboard (WhatsApp → Configuration).', details };
    return { ok: true, details };
  } catch (error) {
    const c = classify(error);
    const reason =
      c.class === 'auth-problem'
        ? `Meta refused the access token (${c.code}): ${c.text}`
        : c.code === '100'
          ? `Meta does not know phone number id ${number.phoneNumberId} or WABA ${number.wabaId}, or the token cannot see them (${c.text})`
          : `Meta could not be reached or answered an error (${c.code ?? 'no code'}): ${c.text}`;
    return { ok: false, reason, details: { errorClass: c.class, errorCode: c.code } };
  }
};
