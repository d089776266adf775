import { call } from '../http';
import {
  UnsupportedByProviderError,
  type ConnectionCheck,
  type MediaFile,
  type OutboundMessage,
  type ProviderContext,
  type ProviderNumber,
  type ProviderTemplate,
  type SendResult,
  type TemplateParam,
} from '../types';
import { classify } from './classify';

const digits = (phone: string) => phone.replace(/[^\d]/g, '');
const gupshupError = (data: any) => ({ code: data?.code !== undefined ? String(data.code) : null, text: typeof data?.message === 'string' ? data.message : null });
const headers = (number: ProviderNumber) => ({ apikey: number.credentials.apiKey ?? '', 'Content-Type': 'application/x-www-form-urlencoded' });

const paramText = (p: TemplateParam) => ('text' in p ? p.text : 'fallback' in p ? p.fallback : 'payload' in p ? p.payload : '');

/** The `message` object of Gupshup's session API for a canonical message. */
export const messageObject = (message: OutboundMessage): Record<string, unknown> => {
  switch (message.kind) {
    case 'text':
      return { type: 'text', text: message.text, previewUrl: Boolean(message.previewUrl) };
    case 'media': {
      if (!message.link) throw new UnsupportedByProviderError('gupshup', 'send media by id; give a public link');
      if (message.mediaType === 'image') return { type: 'image', originalUrl: message.link, previewUrl: message.link, caption: message.caption };
      if (message.mediaType === 'document') return { type: 'file', url: message.link, filename: message.filename, caption: message.caption };
      if (message.mediaType === 'video') return { type: 'video', url: message.link, caption: message.caption };
      return { type: message.mediaType, url: message.link };
    }
    case 'interactive': {
      const i = message.interactive;
      if (i.type === 'button') {
        return { type: 'quick_reply', content: { type: 'text', text: i.body, ...(i.header ? { header: i.header } : {}), ...(i.footer ? { caption: i.footer } : {}) }, options: (i.buttons ?? []).map((b) => ({ type: 'text', title: b.title, postbackText: b.id })) };
      }
      if (i.type === 'list') {
        return {
          type: 'list',
          title: i.header ?? '',
          body: i.body,
          ...(i.footer ? { footer: i.footer } : {}),
          globalButtons: [{ type: 'text', title: i.buttonText ?? 'Choose' }],
          items: (i.sections ?? []).map((s) => ({ title: s.title ?? '', subtitle: s.title ?? '', options: s.rows.map((r) => ({ type: 'text', title: r.title, description: r.description, postbackText: r.id })) })),
        };
      }
      return { type: 'cta_url', body: i.body, display_text: i.displayText, url: i.url };
    }
    case 'location': {
      const { latitude, longitude, name, address } = message.location;
      return { type: 'location', latitude, longitude, ...(name ? { name } : {}), ...(address ? { address } : {}) };
    }
    case 'contacts': {
      const c = message.contact;
      return { type: 'contact', contact: { name: { formattedName: c.name, firstName: c.name }, phones: [{ phone: c.phone, type: 'MOBILE' }], ...(c.email ? { emails: [{ email: c.email, type: 'WORK' }] } : {}) } };
    }
    default:
      throw new UnsupportedByProviderError('gupshup', `send a ${message.kind} message`);
  }
};

export const send = async (ctx: ProviderContext, number: ProviderNumber, message: OutboundMessage): Promise<SendResult> => {
  const common = { channel: 'whatsapp', source: digits(number.phone), destination: digits(message.to), 'src.name': number.appName ?? '' };
  let url = '/wa/api/v1/msg';
  let fields: Record<string, string>;
  if (message.kind === 'template') {
    if (!message.providerTemplateId) throw new UnsupportedByProviderError('gupshup', 'send a template it has not synced (no template id)');
    url = '/wa/api/v1/template/msg';
    const header = message.params?.header?.find((p) => p.type === 'image' || p.type === 'video' || p.type === 'document') as Extract<TemplateParam, { link?: string }> | undefined;
    fields = {
      ...common,
      template: JSON.stringify({ id: message.providerTemplateId, params: (message.params?.body ?? []).map(paramText) }),
      ...(header?.link ? { message: JSON.stringify({ type: header.type, [header.type]: { link: header.link, ...(header.filename ? { filename: header.filename } : {}) } }) } : {}),
    };
  } else {
    fields = { ...common, message: JSON.stringify(messageObject(message)) };
  }
  const data = await call<any>(ctx, `send-${message.kind}`, { method: 'post', url, headers: headers(number), data: new URLSearchParams(fields).toString() }, gupshupError);
  if (data?.status === 'error') throw Object.assign(new Error(data.message ?? 'Gupshup refused the message'), { response: { status: 400, data } });
  return { providerMessageId: data?.messageId ?? null, raw: data };
};

export const listTemplates = async (ctx: ProviderContext, number: ProviderNumber): Promise<ProviderTemplate[]> => {
  if (!number.appId) throw new UnsupportedByProviderError('gupshup', 'list templates without the app id');
  const data = await call<any>(ctx, 'list-templates', { method: 'get', url: `/wa/app/${number.appId}/template`, headers: { apikey: number.credentials.apiKey ?? '' } }, gupshupError);
  return (data?.templates ?? []).map((t: any) => ({
    providerTemplateId: t.id ?? null,
    name: t.elementName,
    language: t.languageCode,
    category: t.category ?? null,
    status: String(t.status ?? '').toUpperCase(),
    components: t.containerMeta ? [JSON.parse(t.containerMeta)] : [{ type: 'BODY', text: t.data ?? '' }],
    parameterFormat: 'positional' as const,
    quality: t.quality ?? null,
    rejectionReason: t.reason ?? null,
  }));
};

export const checkConnection = async (ctx: ProviderContext, number: ProviderNumber): Promise<ConnectionCheck> => {
  if (!number.appId) return { ok: false, reason: 'Add the Gupshup app id so the connection (and template sync) can be checked.', details: {} };
  try {
    const templates = await listTemplates(ctx, number);
    return { ok: true, details: { templates: templates.length } };
  } catch (error) {
    const c = classify(error);
    return { ok: false, reason: c.class === 'auth-problem' ? `Gupshup refused the API key: ${c.text}` : `Gupshup answered an error (${c.code ?? 'no code'}): ${c.text}`, details: { errorClass: c.class } };
  }
};
