import { parse as parseMetaShape } from '../meta/parse';
import {
  MalformedPayloadError,
  type CanonicalEvent,
  type DeliveryStatus,
  type InboundMessageEvent,
  type MessageType,
} from '../types';
import { isObject, str, type Json } from '../json';

const fromMs = (ms: unknown) => {
  const n = Number(ms);
  return Number.isFinite(n) && n > 0 ? new Date(n) : new Date();
};

/** Gupshup's inner message types, in the plugin's words. */
const TYPES: Record<string, MessageType> = {
  text: 'text',
  image: 'image',
  video: 'video',
  audio: 'audio',
  file: 'document',
  sticker: 'sticker',
  location: 'location',
  contact: 'contacts',
  button_reply: 'interactive',
  list_reply: 'interactive',
  quick_reply: 'button',
};

const STATUSES = new Set<DeliveryStatus>(['enqueued', 'sent', 'delivered', 'read', 'failed', 'deleted']);

const parseMessage = (body: Json): InboundMessageEvent => {
  const p = body.payload;
  const id = str(p.id);
  if (!id) throw new MalformedPayloadError('message payload has no id');
  const sender = isObject(p.sender) ? p.sender : {};
  const waId = str(sender.phone) ?? str(p.source);
  if (!waId && !str(sender.userId)) throw new MalformedPayloadError(`message ${id} names no sender`);
  const inner = isObject(p.payload) ? p.payload : {};
  const type = TYPES[str(p.type) ?? ''] ?? 'unsupported';
  const event: InboundMessageEvent = {
    kind: 'message',
    key: `message:${id}`,
    businessId: str(body.app) ?? null,
    providerMessageId: id,
    from: { waId, userId: str(sender.userId), name: str(sender.name) },
    timestamp: fromMs(body.timestamp),
    type,
    text: str(inner.text) ?? str(inner.caption) ?? str(inner.title) ?? null,
    raw: p,
  };
  if (['image', 'video', 'audio', 'document', 'sticker'].includes(type)) {
    event.media = { url: str(inner.url), mimeType: str(inner.contentType), filename: str(inner.name) };
  }
  if (type === 'location') {
    event.location = { latitude: Number(inner.latitude), longitude: Number(inner.longitude), name: str(inner.name), address: str(inner.address) };
  }
  if (type === 'contacts') event.contacts = Array.isArray(inner.contacts) ? inner.contacts : [inner];
  if (type === 'interactive' || type === 'button') {
    event.interactive = { kind: str(p.type) ?? 'reply', id: str(inner.id) ?? str(inner.postbackText), title: str(inner.title) ?? str(inner.text), description: str(inner.description), payload: str(inner.reply) };
  }
  if (isObject(p.context)) event.context = { providerMessageId: str(p.context.gsId) ?? str(p.context.id) };
  return event;
};

const parseMessageEvent = (body: Json): CanonicalEvent => {
  const p = body.payload;
  const status = str(p.type) ?? '';
  // Gupshup answers a send with its own id; later events carry the WhatsApp id beside it (gsId).
  const ownId = str(p.gsId) ?? str(p.id);
  if (!ownId) throw new MalformedPayloadError('message-event has no id');
  const timestamp = p.payload?.ts ? new Date(Number(p.payload.ts) * 1000) : fromMs(body.timestamp);
  if (!STATUSES.has(status as DeliveryStatus)) {
    return { kind: 'other', key: `status-other:${ownId}:${status}`, businessId: str(body.app) ?? null, field: `message-event:${status}`, timestamp, raw: p };
  }
  const whatsappId = str(p.gsId) ? str(p.id) : str(p.payload?.whatsappMessageId);
  return {
    kind: 'status',
    key: `status:${ownId}:${status}`,
    businessId: str(body.app) ?? null,
    providerMessageId: ownId,
    altMessageId: whatsappId,
    status: status as DeliveryStatus,
    timestamp,
    recipient: { waId: str(p.destination) },
    errors: status === 'failed' ? [{ code: String(p.payload?.code ?? ''), message: str(p.payload?.reason) }] : undefined,
    conversation: isObject(p.conversation) ? { id: str(p.conversation.id), expiresAt: p.conversation.expiresAt ? new Date(Number(p.conversation.expiresAt) * 1000) : undefined, category: str(p.conversation.type) } : undefined,
    pricing: isObject(p.pricing) ? { category: str(p.pricing.category), model: str(p.pricing.policy), type: str(p.pricing.type) } : undefined,
    raw: p,
  };
};

/** Gupshup's Meta-shaped "V3" callbacks: Meta's envelope, millisecond timestamps, Gupshup ids in gs_id. */
const parseV3 = (body: Json): CanonicalEvent[] => {
  const normalised = structuredClone(body);
  for (const entry of normalised.entry ?? []) {
    for (const change of entry?.changes ?? []) {
      for (const item of [...(change?.value?.statuses ?? []), ...(change?.value?.messages ?? [])]) {
        if (Number(item?.timestamp) > 1e12) item.timestamp = String(Math.floor(Number(item.timestamp) / 1000));
      }
    }
  }
  const gsIds = new Map<string, string>();
  for (const entry of normalised.entry ?? []) for (const change of entry?.changes ?? []) for (const s of change?.value?.statuses ?? []) if (s?.gs_id && s?.id) gsIds.set(s.id, s.gs_id);
  return parseMetaShape(normalised).map((event) => {
    if (event.kind !== 'status') return { ...event, businessId: event.businessId ?? str(body.gs_app_id) ?? null };
    const own = gsIds.get(event.providerMessageId);
    return own
      ? { ...event, key: `status:${own}:${event.status}`, providerMessageId: own, altMessageId: event.providerMessageId, businessId: str(body.gs_app_id) ?? null }
      : event;
  });
};

export const parse = (body: unknown): CanonicalEvent[] => {
  if (!isObject(body)) throw new MalformedPayloadError('the body is not a JSON object');
  if (body.object === 'whatsapp_business_account') return parseV3(body);
  if (typeof body.type !== 'string' || !isObject(body.payload)) {
    throw new MalformedPayloadError('expected a Gupshup callback: { app, timestamp, version, type, payload }');
  }
  const businessId = str(body.app) ?? null;
  const timestamp = fromMs(body.timestamp);
  switch (body.type) {
    case 'message':
      return [parseMessage(body)];
    case 'message-event':
      return [parseMessageEvent(body)];
    case 'template-event': {
      const p = body.payload;
      const status = str(p.status)?.toUpperCase();
      return [{
        kind: 'template',
        key: `template:${str(p.id) ?? p.elementName}:${str(p.languageCode)}:status:${status}:${body.timestamp ?? ''}`,
        businessId,
        templateId: str(p.id) ?? null,
        name: str(p.elementName) ?? '',
        language: str(p.languageCode) ?? null,
        change: 'status',
        status,
        reason: str(p.reason) ?? null,
        timestamp,
        raw: p,
      }];
    }
    case 'user-event': {
      const p = body.payload;
      const type = str(p.type);
      const phone = str(p.phone);
      if ((type === 'opted-out' || type === 'opted-in') && phone) {
        return [{ kind: 'consent', key: `user-event:${phone}:${type}:${body.timestamp ?? ''}`, businessId, customer: { waId: phone }, status: type, source: 'gupshup-event', detail: `Gupshup user-event ${type}`, timestamp, raw: p }];
      }
      return [{ kind: 'other', key: `other:${body.type}:${phone ?? ''}:${type ?? ''}:${body.timestamp ?? ''}`, businessId, field: String(body.type), timestamp, raw: p }];
    }
    default:
      return [{ kind: 'other', key: `other:${body.type}:${str(body.payload.phone) ?? ''}:${str(body.payload.type) ?? ''}:${body.timestamp ?? ''}`, businessId, field: String(body.type), timestamp, raw: body.payload }];
  }
};
