import crypto from 'node:crypto';
import {
  MalformedPayloadError,
  type CanonicalEvent,
  type Customer,
  type DeliveryStatus,
  type InboundMessageEvent,
  type MessageType,
  type ProviderErrorDetail,
} from '../types';
import { isObject, list, str, type Json } from '../json';


/** Meta timestamps are unix seconds, as strings in `messages`/`statuses` and numbers in `entry.time`. */
const when = (seconds: unknown, fallback?: unknown): Date => {
  const n = Number(seconds ?? fallback);
  return Number.isFinite(n) && n > 0 ? new Date(n * 1000) : new Date();
};

const digest = (value: unknown) => crypto.createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 24);

const errorsOf = (value: unknown): ProviderErrorDetail[] | undefined => {
  const errors = list(value)
    .filter(isObject)
    .map((e) => ({ code: String(e.code ?? ''), title: str(e.title), message: str(e.message), details: str(e.error_data?.details) }));
  return errors.length ? errors : undefined;
};

const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'document', 'sticker']);
const KNOWN_TYPES = new Set<MessageType>([
  'text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contacts',
  'interactive', 'button', 'reaction', 'order', 'system', 'request_welcome', 'unsupported',
]);

const textOf = (m: Json, type: string): string | null => {
  if (type === 'text') return str(m.text?.body) ?? null;
  if (MEDIA_TYPES.has(type)) return str(m[type]?.caption) ?? null;
  if (type === 'button') return str(m.button?.text) ?? null;
  if (type === 'interactive') {
    const i = m.interactive ?? {};
    return str(i[i.type]?.title) ?? str(i.nfm_reply?.body) ?? null;
  }
  if (type === 'reaction') return str(m.reaction?.emoji) || null;
  if (type === 'location') return str(m.location?.name) ?? str(m.location?.address) ?? null;
  if (type === 'system') return str(m.system?.body) ?? null;
  if (type === 'order') return str(m.order?.text) ?? null;
  return null;
};

const parseMessage = (m: Json, contacts: Json[], businessId: string | null): InboundMessageEvent => {
  const id = str(m.id);
  if (!id) throw new MalformedPayloadError('a message has no id');
  const declared = str(m.type) ?? 'unsupported';
  const type: MessageType = KNOWN_TYPES.has(declared as MessageType) ? (declared as MessageType) : 'unsupported';
  const contact = contacts.find((c) => (m.from && c.wa_id === m.from) || (m.from_user_id && c.user_id === m.from_user_id)) ?? (contacts.length === 1 ? contacts[0] : undefined);
  const from: Customer = {
    waId: str(m.from) ?? str(contact?.wa_id),
    userId: str(m.from_user_id) ?? str(contact?.user_id),
    name: str(contact?.profile?.name),
    username: str(contact?.profile?.username),
  };
  if (!from.waId && !from.userId) throw new MalformedPayloadError(`message ${id} names no sender`);

  const event: InboundMessageEvent = {
    kind: 'message',
    key: `message:${id}`,
    businessId,
    providerMessageId: id,
    from,
    timestamp: when(m.timestamp),
    type,
    text: textOf(m, declared),
    raw: m,
  };
  if (MEDIA_TYPES.has(type) && isObject(m[type])) {
    const media = m[type];
    event.media = {
      id: str(media.id),
      url: str(media.url) ?? str(media.link),
      mimeType: str(media.mime_type),
      sha256: str(media.sha256),
      filename: str(media.filename),
      voice: media.voice === true ? true : undefined,
      animated: media.animated === true ? true : undefined,
    };
  }
  if (type === 'location' && isObject(m.location)) {
    const l = m.location;
    event.location = { latitude: Number(l.latitude), longitude: Number(l.longitude), name: str(l.name), address: str(l.address), url: str(l.url) };
  }
  if (type === 'contacts') event.contacts = list(m.contacts);
  if (type === 'interactive' && isObject(m.interactive)) {
    const i = m.interactive;
    const reply = isObject(i[i.type]) ? i[i.type] : {};
    event.interactive = { kind: String(i.type), id: str(reply.id), title: str(reply.title), description: str(reply.description), response: reply.response_json };
  }
  if (type === 'button' && isObject(m.button)) event.interactive = { kind: 'template_button', title: str(m.button.text), payload: str(m.button.payload) };
  if (type === 'reaction' && isObject(m.reaction)) {
    event.reaction = { providerMessageId: String(m.reaction.message_id ?? ''), emoji: str(m.reaction.emoji) || null };
  }
  if (isObject(m.context)) {
    event.context = { providerMessageId: str(m.context.id), from: str(m.context.from), forwarded: m.context.forwarded || m.context.frequently_forwarded || undefined };
  }
  if (isObject(m.referral)) event.referral = m.referral;
  const errors = errorsOf(m.errors);
  if (errors) event.errors = errors;
  return event;
};

const STATUSES = new Set<DeliveryStatus>(['enqueued', 'sent', 'delivered', 'read', 'played', 'failed', 'deleted']);

const parseStatus = (s: Json, businessId: string | null): CanonicalEvent => {
  const id = str(s.id);
  const status = str(s.status);
  if (!id || !status) throw new MalformedPayloadError('a status has no id or status');
  if (!STATUSES.has(status as DeliveryStatus)) {
    return { kind: 'other', key: `status-other:${id}:${status}`, businessId, field: `status:${status}`, timestamp: when(s.timestamp), raw: s };
  }
  const conversation = isObject(s.conversation)
    ? { id: str(s.conversation.id), expiresAt: s.conversation.expiration_timestamp ? when(s.conversation.expiration_timestamp) : undefined, category: str(s.conversation.origin?.type) }
    : undefined;
  const pricing = isObject(s.pricing)
    ? { category: str(s.pricing.category), model: str(s.pricing.pricing_model), type: str(s.pricing.type), billable: typeof s.pricing.billable === 'boolean' ? s.pricing.billable : undefined }
    : undefined;
  return {
    kind: 'status',
    key: `status:${id}:${status}`,
    businessId,
    providerMessageId: id,
    status: status as DeliveryStatus,
    timestamp: when(s.timestamp),
    recipient: { waId: str(s.recipient_id), userId: str(s.recipient_user_id) },
    errors: errorsOf(s.errors),
    conversation,
    pricing,
    raw: s,
  };
};

const parseTemplateChange = (field: string, v: Json, entry: Json, businessId: string | null): CanonicalEvent => {
  const templateId = str(v.message_template_id) ?? null;
  const name = str(v.message_template_name) ?? '';
  const language = str(v.message_template_language) ?? null;
  const timestamp = when(entry.time);
  const base = { kind: 'template' as const, businessId, templateId, name, language, timestamp, raw: v };
  // Meta's own docs label quality payloads with the status field name; the keys present decide.
  if ('new_quality_score' in v) {
    return { ...base, key: `template:${templateId ?? name}:${language}:quality:${v.new_quality_score}:${entry.time ?? ''}`, change: 'quality', quality: str(v.new_quality_score) };
  }
  if ('new_category' in v) {
    return { ...base, key: `template:${templateId ?? name}:${language}:category:${v.new_category}:${entry.time ?? ''}`, change: 'category', category: str(v.new_category) };
  }
  if (!('event' in v)) {
    return { kind: 'other', key: `other:${field}:${digest(v)}`, businessId, field, timestamp, raw: v };
  }
  return {
    ...base,
    key: `template:${templateId ?? name}:${language}:status:${v.event}:${entry.time ?? ''}`,
    change: 'status',
    status: str(v.event),
    reason: str(v.reason) ?? null,
    rejection: isObject(v.rejection_info) ? { reason: str(v.rejection_info.reason), recommendation: str(v.rejection_info.recommendation) } : undefined,
    category: str(v.message_template_category),
  };
};

/** A `user_preferences` entry about marketing messages: `stop` opts out, `resume` opts back in (other categories are not consent). */
const parsePreference = (p: Json, businessId: string | null): CanonicalEvent | null => {
  const value = str(p.value);
  const waId = str(p.wa_id);
  if (str(p.category) !== 'marketing_messages' || (value !== 'stop' && value !== 'resume') || !waId) return null;
  return {
    kind: 'consent',
    key: `preference:${waId}:${value}:${p.timestamp ?? digest(p)}`,
    businessId,
    customer: { waId, userId: str(p.user_id) },
    status: value === 'stop' ? 'opted-out' : 'opted-in',
    source: 'meta-preference',
    detail: str(p.detail) ?? null,
    timestamp: when(p.timestamp),
    raw: p,
  };
};

/**
 * Splits one webhook body into every atomic event it carries: all entries × changes × messages ×
 * statuses × errors × template and number updates. Unknown message types become `unsupported`
 * messages and unknown fields `other` events, so nothing a provider adds later is dropped.
 */
export const parse = (body: unknown): CanonicalEvent[] => {
  if (!isObject(body)) throw new MalformedPayloadError('the body is not a JSON object');
  if (body.object !== 'whatsapp_business_account') {
    throw new MalformedPayloadError(`object is ${JSON.stringify(body.object)}, expected "whatsapp_business_account"`);
  }
  if (!Array.isArray(body.entry)) throw new MalformedPayloadError('entry is not an array');

  const events: CanonicalEvent[] = [];
  for (const entry of body.entry) {
    if (!isObject(entry)) throw new MalformedPayloadError('an entry is not an object');
    for (const change of list(entry.changes)) {
      if (!isObject(change) || !isObject(change.value)) throw new MalformedPayloadError('a change has no value object');
      const field = str(change.field) ?? '';
      const v = change.value;
      const businessId = str(v.metadata?.phone_number_id) ?? null;

      if (field === 'messages' || isObject(v.metadata)) {
        const contacts = list(v.contacts).filter(isObject);
        const own = (str(v.metadata?.display_phone_number) ?? '').replace(/\D/g, '');
        for (const m of list(v.messages)) {
          if (!isObject(m)) throw new MalformedPayloadError('a message is not an object');
          // Our own number as the sender is an echo of something we (or the Business app) sent: never a customer to open a conversation for or answer.
          if (own && (str(m.from) ?? '').replace(/\D/g, '') === own) {
            events.push({ kind: 'other', key: `own-message:${businessId}:${str(m.id) ?? digest(m)}`, businessId, field: 'own-message', timestamp: when(m.timestamp), raw: m });
            continue;
          }
          events.push(parseMessage(m, contacts, businessId));
        }
        for (const s of list(v.statuses)) {
          if (!isObject(s)) throw new MalformedPayloadError('a status is not an object');
          events.push(parseStatus(s, businessId));
        }
        for (const preference of list(v.user_preferences)) {
          const event = isObject(preference) ? parsePreference(preference, businessId) : null;
          if (event) events.push(event);
        }
        const errors = errorsOf(v.errors);
        if (errors) events.push({ kind: 'error', key: `error:${businessId}:${digest(v.errors)}:${entry.time ?? ''}`, businessId, errors, timestamp: when(entry.time), raw: v });
        continue;
      }
      if (field.startsWith('message_template') || field === 'template_category_update') {
        events.push(parseTemplateChange(field, v, entry, str(entry.id) ?? null));
        continue;
      }
      if (field === 'phone_number_quality_update' || field === 'account_update' || field === 'business_capability_update') {
        events.push({
          kind: 'number',
          key: `number:${field}:${str(v.event) ?? digest(v)}:${entry.time ?? digest(v)}`,
          businessId: str(entry.id) ?? null,
          field,
          event: str(v.event) ?? field,
          limit: str(v.max_daily_conversations_per_business) ?? str(v.current_limit),
          timestamp: when(entry.time),
          raw: { ...v, wabaId: entry.id, displayPhoneNumber: v.display_phone_number },
        });
        continue;
      }
      events.push({ kind: 'other', key: `other:${field}:${digest(v)}`, businessId, field, timestamp: when(entry.time), raw: v });
    }
  }
  return events;
};
