import { call } from '../http';
import { UnsupportedByProviderError, type ConnectionCheck, type OutboundMessage, type ProviderContext, type ProviderNumber, type SendResult, type TemplateParam } from '../types';

const aisensyError = (data: any) => ({ code: data?.code !== undefined ? String(data.code) : null, text: data?.message ?? data?.errorMessage ?? null });
const paramText = (p: TemplateParam) => ('text' in p ? p.text : 'fallback' in p ? p.fallback : 'payload' in p ? p.payload : '');

/**
 * AiSensy's Campaign API sends only templates, through an API campaign created in its dashboard
 * and named after the template. Free-form messages need its paid project API, not supported here.
 */
export const send = async (ctx: ProviderContext, number: ProviderNumber, message: OutboundMessage): Promise<SendResult> => {
  if (message.kind !== 'template') throw new UnsupportedByProviderError('aisensy', `send a ${message.kind} message (only templates, through API campaigns)`);
  const media = message.params?.header?.find((p) => p.type === 'image' || p.type === 'video' || p.type === 'document') as Extract<TemplateParam, { link?: string }> | undefined;
  const body = {
    apiKey: number.credentials.apiKey ?? '',
    campaignName: message.name,
    destination: `+${message.to.replace(/[^\d]/g, '')}`,
    userName: message.to,
    templateParams: (message.params?.body ?? []).map(paramText),
    ...(media?.link ? { media: { url: media.link, filename: media.filename ?? 'file' } } : {}),
    ...(message.params?.buttons?.length
      ? { buttons: message.params.buttons.map((b) => ({ type: 'button', sub_type: b.subType, index: String(b.index), parameters: b.params.map((p) => ({ type: 'text', text: paramText(p) })) })) }
      : {}),
  };
  const data = await call<any>(ctx, 'send-template', { method: 'post', url: '/campaign/t1/api/v2', data: body }, aisensyError);
  return { providerMessageId: data?.submitted_message_id ?? data?.messageId ?? data?.id ?? null, raw: data };
};

/** AiSensy has no read-only endpoint to test a key with; a number is checked by its first send. */
export const checkConnection = async (_ctx: ProviderContext, number: ProviderNumber): Promise<ConnectionCheck> =>
  number.credentials.apiKey
    ? { ok: true, reason: undefined, details: { note: 'AiSensy offers no way to test an API key without sending; the first send will tell.' } }
    : { ok: false, reason: 'No AiSensy API key is set.', details: {} };
