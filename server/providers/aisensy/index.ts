import crypto from 'node:crypto';
import { classifyCode, classifyDetail, classifyTransport } from '../meta/classify';
import { downloadByLink, unsupported } from '../http';
import { checkConnection, send } from './api';
import {
  MalformedPayloadError,
  type CanonicalEvent,
  type ClassifiedError,
  type DeliveryStatus,
  type HandshakeResult,
  type MessageType,
  type ProviderNumber,
  type VerifyResult,
  type WebhookRequest,
} from '../types';
import { isObject, str, type Json } from '../json';

/*
 * AiSensy documents no webhook format first-hand; this follows the reported one
 * ({ id, created_at, topic, data.message }) and keeps anything else as an `other` event.
 */

const when = (v: unknown) => {
  const d = typeof v === 'number' ? new Date(v > 1e12 ? v : v * 1000) : new Date(String(v ?? ''));
  return Number.isNaN(d.getTime()) ? new Date() : d;
};

/**
 * When the account signs webhooks (a secret is set), the signature is required; otherwise the URL key is the credential.
 * Credentials that cannot be decrypted never reach here as "no secret": services/webhooks.ts refuses the call first.
 */
const verify = (request: WebhookRequest, number: ProviderNumber): VerifyResult => {
  const secret = number.credentials.webhookSecret;
  if (!secret) return { ok: true };
  const raw = request.headers['x-aisensy-signature'];
  const given = (Array.isArray(raw) ? raw[0] : raw)?.trim().replace(/^sha256=/, '');
  if (!given) return { ok: false, status: 401, reason: 'missing X-AiSensy-Signature header' };
  if (!/^[0-9a-fA-F]{64}$/.test(given)) return { ok: false, status: 401, reason: 'malformed X-AiSensy-Signature header' };
  const body = typeof request.rawBody === 'string' ? Buffer.from(request.rawBody, 'utf8') : request.rawBody;
  const expected = crypto.createHmac('sha256', secret).update(body).digest();
  return crypto.timingSafeEqual(expected, Buffer.from(given, 'hex')) ? { ok: true } : { ok: false, status: 401, reason: 'signature does not match the body' };
};

const handshake = (): HandshakeResult => ({ status: 200, body: '' });

const TYPES: Record<string, MessageType> = {
  TEXT: 'text', IMAGE: 'image', VIDEO: 'video', AUDIO: 'audio', DOCUMENT: 'document', STICKER: 'sticker',
  LOCATION: 'location', CONTACTS: 'contacts', INTERACTIVE: 'interactive', BUTTON: 'button', REACTION: 'reaction',
};

const parse = (body: unknown): CanonicalEvent[] => {
  if (!isObject(body)) throw new MalformedPayloadError('the body is not a JSON object');
  const topic = str(body.topic);
  if (!topic || !isObject(body.data)) throw new MalformedPayloadError('expected an AiSensy webhook: { id, topic, data }');
  const m = isObject(body.data.message) ? body.data.message : body.data;
  const id = str(m.id) ?? str(m.messageId);
  const timestamp = when(m.sent_at ?? body.created_at);
  const businessId = str(body.project_id) ?? null;

  if (topic === 'message.sender.user') {
    if (!id) throw new MalformedPayloadError('message has no id');
    const phone = str(m.phone_number) ?? str(m.from);
    if (!phone) throw new MalformedPayloadError(`message ${id} names no sender`);
    const type = TYPES[String(m.message_type ?? '').toUpperCase()] ?? 'unsupported';
    const content = isObject(m.message_content) ? m.message_content : {};
    const inner = isObject(content[type]) ? content[type] : {};
    return [{
      kind: 'message',
      key: `message:${id}`,
      businessId,
      providerMessageId: id,
      from: { waId: phone.replace(/^\+/, ''), name: str(m.userName) ?? str(m.name) },
      timestamp,
      type,
      text: str(content.text?.body) ?? str(inner.caption) ?? str(inner.title) ?? null,
      media: ['image', 'video', 'audio', 'document', 'sticker'].includes(type) ? { url: str(inner.link) ?? str(inner.url), mimeType: str(inner.mime_type), filename: str(inner.filename) } : undefined,
      raw: body,
    }];
  }
  if (topic === 'message.status.updated') {
    const status = str(m.status)?.toLowerCase();
    if (!id || !status) throw new MalformedPayloadError('status update has no message id or status');
    const failure = isObject(m.failureResponse) ? m.failureResponse : undefined;
    return [{
      kind: 'status',
      key: `status:${id}:${status}`,
      businessId,
      providerMessageId: id,
      status: status as DeliveryStatus,
      timestamp,
      recipient: { waId: str(m.phone_number)?.replace(/^\+/, '') },
      errors: failure ? [{ code: String(failure.code ?? ''), message: str(failure.reason) }] : undefined,
      raw: body,
    }];
  }
  return [{ kind: 'other', key: `other:${topic}:${str(body.id) ?? id ?? ''}`, businessId, field: topic, timestamp, raw: body }];
};

const classify = (error: unknown): ClassifiedError => {
  const e = error as { response?: { status?: number; data?: any } };
  if (!e?.response) return classifyTransport(error);
  const data = e.response.data ?? {};
  const text = str(data.message) ?? str(data.errorMessage) ?? JSON.stringify(data).slice(0, 500);
  if (e.response.status === 402) return { class: 'permanent', code: '402', text, httpStatus: 402 };
  // AiSensy's own error object on a 5xx says the request failed; anything else (a proxy's page) says nothing.
  if (data.code === undefined && typeof data.errorCode === 'number' && (e.response.status ?? 0) >= 500) return { class: 'retryable', code: String(data.errorCode), text, httpStatus: e.response.status };
  return classifyCode(data.code ?? null, text, e.response.status);
};

// AiSensy's project id is not something an admin enters, so the URL key alone routes its webhooks.
const owns = () => true;

export const aisensy = {
  verify,
  handshake,
  parse,
  classify,
  classifyDetail,
  owns,
  send,
  markRead: unsupported('aisensy', 'mark messages as read'),
  listTemplates: unsupported('aisensy', 'list templates through the Campaign API; enter them by hand'),
  // AiSensy sends inbound media as links, and outbound media only by public link.
  downloadMedia: downloadByLink,
  uploadMedia: unsupported('aisensy', 'host uploaded media; send media by public link'),
  checkConnection,
  capabilities: { freeForm: false, interactive: false, markRead: false, reactions: false, templateSync: false, signedWebhooks: 'optional' as const },
};
