import { aisensyInboundOutgoing, aisensyObjectId } from './aisensy';
import { gupshupInboundOutgoing } from './gupshup';
import { mediaUrl, storeMedia } from './meta';
import { contactOf, metaOutgoing } from './meta-events';
import type { Simulator } from './sim';
import type { BusinessRef, Customer, InboundMessage, MediaItem, Provider, WebhookRecord } from './types';
import type { Dispatched } from './webhooks';
import { bsuidFor, digits, isObject, newWamid, splitPhone, str, type Json } from './util';

/** What a customer sends, provider-neutral. Unset fields get sensible defaults. */
export interface CustomerMessageInput {
  /** Customer phone (digits or +E.164). */
  from: string;
  /** The business: Meta phoneNumberId or display number, Gupshup appName/appId/source phone, AiSensy phone. */
  to: string;
  provider?: Provider;
  /** Profile name; also updates the stored customer. */
  name?: string;
  type?: 'text' | 'image' | 'video' | 'audio' | 'document' | 'sticker' | 'location' | 'contacts' | 'interactive' | 'button' | 'reaction' | 'unsupported' | 'request_welcome' | string;
  text?: string;
  caption?: string;
  filename?: string;
  mimeType?: string;
  /** Media bytes (base64); a small placeholder is used when absent. */
  mediaBase64?: string;
  /** Reuse media registered with POST /_sim/media. */
  mediaId?: string;
  voice?: boolean;
  location?: { latitude: number; longitude: number; name?: string; address?: string; url?: string };
  contacts?: Json[];
  /** Interactive reply: button_reply (default) or list_reply. */
  reply?: { kind?: 'button_reply' | 'list_reply'; id: string; title: string; description?: string };
  /** Template quick-reply tap. */
  button?: { payload: string; text: string };
  reaction?: { messageId: string; emoji: string };
  /** The business message being replied to (adds `context`). */
  contextMessageId?: string;
  referral?: Json;
  unsupportedType?: string;
  /** Merged into the provider's message object (escape hatch for shapes not covered here). */
  extra?: Json;
}

export interface CustomerSendResult {
  business: BusinessRef;
  message: InboundMessage;
  /** The full webhook body that was (or will be, when batched) posted. */
  payload: unknown;
  /** The plugin's answer; null while pending in a batch. */
  webhook: { seq: number; statusCode: number | null; responseBody: string; error?: string; attempt: number } | null;
  pending: boolean;
}

export class ControlError extends Error {
  constructor(public status: number, message: string) {
    super(message);
  }
}

const DEFAULT_MIME: Record<string, string> = {
  image: 'image/jpeg',
  video: 'video/mp4',
  audio: 'audio/ogg; codecs=opus',
  document: 'application/pdf',
  sticker: 'image/webp',
};
const MEDIA = Object.keys(DEFAULT_MIME);

const summary = (r: WebhookRecord | null) =>
  r ? { seq: r.seq, statusCode: r.statusCode, responseBody: r.responseBody, attempt: r.attempt, ...(r.error ? { error: r.error } : {}) } : null;

const textOf = (input: CustomerMessageInput, type: string) =>
  input.text ??
  input.caption ??
  input.reply?.title ??
  input.button?.text ??
  input.reaction?.emoji ??
  input.location?.name ??
  (type === 'text' ? '' : `[${type}]`);

export const customerSends = async (sim: Simulator, input: CustomerMessageInput, base: string): Promise<CustomerSendResult> => {
  const st = sim.state;
  if (!input || !str(input.from) || !str(input.to)) throw new ControlError(400, 'from (customer phone) and to (business) are required');
  const business = st.findBusiness(input.to, input.provider);
  if (!business) throw new ControlError(404, `no business account matches "${input.to}"`);
  const phone = digits(input.from);
  if (phone.length < 7) throw new ControlError(400, `invalid customer phone "${input.from}"`);
  const customer: Customer = st.customer(phone);
  if (input.name) customer.name = input.name;
  const type = input.type ?? (input.reply ? 'interactive' : input.button ? 'button' : input.reaction ? 'reaction' : input.location ? 'location' : 'text');
  if (type === 'text' && !input.text && !input.extra) throw new ControlError(400, 'text is required for a text message');

  let media: MediaItem | undefined;
  const owner = business.provider === 'meta' ? business.key : `${business.provider}:${business.key}`;
  if (MEDIA.includes(type)) {
    if (input.mediaId) {
      media = st.media.get(input.mediaId);
      if (!media) throw new ControlError(404, `no media ${input.mediaId}`);
    } else {
      const bytes = input.mediaBase64 ? Buffer.from(input.mediaBase64, 'base64') : Buffer.from(`simulated ${type} from ${phone}`);
      media = storeMedia(sim, owner, bytes, input.mimeType ?? DEFAULT_MIME[type], input.filename ?? (type === 'document' ? 'document.pdf' : undefined));
    }
    if (business.provider === 'meta' && media.owner !== business.key) media.owner = business.key;
  }

  const id = newWamid(phone);
  const now = st.clock.now();
  const record: InboundMessage = st.log(st.inbound, {
    seq: st.nextSeq(),
    id,
    provider: business.provider,
    businessKey: business.key,
    from: phone,
    type,
    text: textOf(input, type),
    at: now,
    readByBusiness: false,
    contextMessageId: input.contextMessageId,
    payload: null,
  });
  st.setWindow(business.key, phone, true);

  let dispatched: Dispatched;
  let payload: unknown;
  if (business.provider === 'meta') {
    const number = st.metaNumbers.get(business.key)!;
    const settings = st.settings.effective(number.phoneNumberId);
    const message = metaMessage(input, type, id, phone, number.displayPhoneNumber, st.clock.seconds(), media ? mediaObject(input, type, media, settings.inboundMediaUrl ? mediaUrl(sim, base, media) : undefined) : undefined);
    if (settings.bsuid) message.from_user_id = bsuidFor(number.wabaId, phone);
    const ordered = reorder(message);
    record.id = String(ordered.id);
    record.payload = ordered;
    const out = metaOutgoing(st, number, [{ wabaId: number.wabaId, phoneNumberId: number.phoneNumberId, displayPhoneNumber: number.displayPhoneNumber, contact: contactOf(number, customer, settings), message: ordered }], [{ kind: 'message', id: record.id }]);
    payload = JSON.parse(out.render(out.units, 1, settings).raw);
    dispatched = sim.dispatcher.dispatch(out);
  } else if (business.provider === 'gupshup') {
    const app = st.gupshupApps.get(business.key)!;
    const p = gupshupPayload(sim, input, type, id, customer, media ? `${base}/gupshup-media/${media.id}` : undefined, media);
    record.payload = p;
    const out = gupshupInboundOutgoing(st, app, p);
    payload = out.units[0];
    dispatched = sim.dispatcher.dispatch(out);
  } else {
    const account = st.aisensyAccounts.get(business.key)!;
    const m = aisensyMessage(input, type, aisensyObjectId(), customer, now, media ? `${base}/aisensy-media/${media.id}` : undefined, media);
    record.id = String(m.id);
    record.payload = m;
    const out = aisensyInboundOutgoing(st, account, m);
    payload = out.units[0];
    dispatched = sim.dispatcher.dispatch(out);
  }
  const webhook = dispatched.pending ? null : summary(await dispatched.done);
  return { business, message: record, payload, webhook, pending: dispatched.pending };
};

const mediaObject = (input: CustomerMessageInput, type: string, media: MediaItem, url?: string): Json => ({
  ...(input.caption && ['image', 'video', 'document'].includes(type) ? { caption: input.caption } : {}),
  ...(type === 'document' ? { filename: media.filename ?? input.filename ?? 'document.pdf' } : {}),
  mime_type: media.mimeType,
  sha256: media.sha256,
  id: media.id,
  ...(type === 'audio' ? { voice: input.voice ?? media.mimeType.includes('opus') } : {}),
  ...(type === 'sticker' ? { animated: false } : {}),
  ...(url ? { url } : {}),
});

/** Key order of the fixtures: from, from_user_id, id, timestamp, type, context, <type object>, referral, errors. */
const reorder = (m: Json): Json => {
  const head = ['from', 'from_user_id', 'id', 'timestamp', 'type', 'context'];
  const out: Json = {};
  for (const k of head) if (m[k] !== undefined) out[k] = m[k];
  for (const [k, v] of Object.entries(m)) if (!(k in out) && k !== 'referral' && k !== 'errors') out[k] = v;
  if (m.referral) out.referral = m.referral;
  if (m.errors) out.errors = m.errors;
  return out;
};

const metaMessage = (input: CustomerMessageInput, type: string, id: string, phone: string, businessPhone: string, seconds: number, media?: Json): Json => {
  const m: Json = { from: phone, id, timestamp: String(seconds), type };
  if (input.contextMessageId) m.context = { from: businessPhone, id: input.contextMessageId };
  switch (type) {
    case 'text':
      m.text = { body: input.text ?? '' };
      break;
    case 'location':
      m.location = input.location ?? { latitude: 0, longitude: 0 };
      break;
    case 'contacts':
      m.contacts = input.contacts ?? [{ name: { formatted_name: 'Carol Sample', first_name: 'Carol', last_name: 'Sample' }, phones: [{ phone: '+1 555-000-5555', wa_id: '15550005555', type: 'CELL' }] }];
      break;
    case 'interactive': {
      const kind = input.reply?.kind ?? 'button_reply';
      const r = input.reply ?? { id: 'reply', title: input.text ?? 'Reply' };
      m.interactive = { type: kind, [kind]: { id: r.id, title: r.title, ...(kind === 'list_reply' && r.description ? { description: r.description } : {}) } };
      break;
    }
    case 'button':
      m.button = { payload: input.button?.payload ?? input.text ?? '', text: input.button?.text ?? input.text ?? '' };
      break;
    case 'reaction':
      if (!input.reaction?.messageId) throw new ControlError(400, 'reaction.messageId is required');
      m.reaction = { message_id: input.reaction.messageId, emoji: input.reaction.emoji ?? '' };
      break;
    case 'unsupported':
      m.unsupported = { type: input.unsupportedType ?? 'poll' };
      m.errors = [{ code: 131051, title: 'Message type unknown', message: 'Message type unknown', error_data: { details: 'Message type is currently not supported.' } }];
      break;
    case 'request_welcome':
      break;
    default:
      if (media) m[type] = media;
      else if (!input.extra) throw new ControlError(400, `unsupported type "${type}" (pass the object in extra)`);
  }
  if (input.referral) m.referral = input.referral;
  return { ...m, ...(input.extra ?? {}) };
};

const GS_TYPES: Record<string, string> = { document: 'file', contacts: 'contact', button: 'quick_reply' };

const gupshupPayload = (sim: Simulator, input: CustomerMessageInput, type: string, id: string, c: Customer, url?: string, media?: MediaItem): Json => {
  const { countryCode, national } = splitPhone(c.phone);
  let gsType = GS_TYPES[type] ?? type;
  let inner: Json;
  if (type === 'text') inner = { text: input.text ?? '' };
  else if (media) inner = { ...(input.caption ? { caption: input.caption } : {}), url, contentType: media.mimeType, ...(type === 'document' ? { name: media.filename } : {}) };
  else if (type === 'location') inner = { longitude: input.location?.longitude ?? 0, latitude: input.location?.latitude ?? 0, ...(input.location?.name ? { name: input.location.name } : {}), ...(input.location?.address ? { address: input.location.address } : {}) };
  else if (type === 'contacts') inner = { contacts: input.contacts ?? [] };
  else if (type === 'interactive') {
    gsType = input.reply?.kind === 'list_reply' ? 'list_reply' : 'button_reply';
    const r = input.reply ?? { id: 'reply', title: input.text ?? 'Reply' };
    inner = gsType === 'list_reply' ? { title: r.title, id: r.id, reply: `${r.title} 1`, postbackText: r.id, ...(r.description ? { description: r.description } : {}) } : { id: r.id, title: r.title, reply: `${r.title} 1` };
  } else if (type === 'button') inner = { text: input.button?.text ?? input.text ?? '', type: 'button', payload: input.button?.payload ?? '' };
  else if (input.extra) inner = {};
  else throw new ControlError(400, `Gupshup callbacks have no "${type}" message type in the simulator (use extra)`);
  const p: Json = {
    id,
    source: c.phone,
    type: gsType,
    payload: { ...inner, ...(input.extra ?? {}) },
    sender: { phone: c.phone, name: c.name, country_code: countryCode, dial_code: national },
  };
  if (input.contextMessageId) {
    const out = sim.state.findOutbound(input.contextMessageId);
    p.context = { id: out?.waMessageId ?? input.contextMessageId, ...(out?.provider === 'gupshup' ? { gsId: out.id } : {}) };
  }
  return p;
};

const aisensyMessage = (input: CustomerMessageInput, type: string, id: string, c: Customer, now: number, url?: string, media?: MediaItem): Json => {
  let content: Json;
  if (type === 'text') content = { text: { body: input.text ?? '' } };
  else if (media) content = { [type]: { link: url, mime_type: media.mimeType, ...(input.caption ? { caption: input.caption } : {}), ...(type === 'document' ? { filename: media.filename } : {}) } };
  else if (type === 'interactive') {
    const kind = input.reply?.kind ?? 'button_reply';
    content = { interactive: { type: kind, [kind]: { id: input.reply?.id ?? 'reply', title: input.reply?.title ?? input.text ?? 'Reply' } } };
  } else if (type === 'button') content = { button: { payload: input.button?.payload ?? '', text: input.button?.text ?? input.text ?? '' } };
  else if (type === 'location') content = { location: input.location ?? { latitude: 0, longitude: 0 } };
  else if (type === 'reaction') content = { reaction: { message_id: input.reaction?.messageId ?? '', emoji: input.reaction?.emoji ?? '' } };
  else if (type === 'contacts') content = { contacts: input.contacts ?? [] };
  else content = { [type]: isObject(input.extra) ? input.extra : {} };
  return {
    id,
    messageId: id,
    phone_number: c.phone,
    userName: c.name,
    sender: 'USER',
    message_type: type.toUpperCase(),
    message_content: content,
    sent_at: new Date(now).toISOString(),
    ...(input.contextMessageId ? { context: { id: input.contextMessageId } } : {}),
  };
};
