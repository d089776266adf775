import type { Settings } from './faults';
import type { SimState } from './state';
import type { Customer, MetaNumber, OutboundMessage, StatusName, Template, WebhookErrorObject, WebhookEventSummary } from './types';
import type { Outgoing } from './webhooks';
import { bsuidFor, escapeUnicode, hmacHex, type Json } from './util';

/** One event inside a Meta webhook; several units can share one POST (batch fault). */
export interface MetaUnit {
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
  contact?: Json;
  message?: Json;
  status?: Json;
  /** Non-`messages` fields (message_template_status_update, phone_number_quality_update, …). */
  field?: string;
  value?: Json;
}

export const contactOf = (number: MetaNumber, customer: Customer, settings: Settings): Json => ({
  profile: { name: customer.name },
  wa_id: customer.phone,
  ...(settings.bsuid ? { user_id: bsuidFor(number.wabaId, customer.phone) } : {}),
});

/** `{ object, entry[{ id, changes[{ value, field }] }] }` exactly like the fixtures; iterates every unit. */
export const metaEnvelope = (units: MetaUnit[], nowSeconds: number) => {
  const entries = new Map<string, { id: string; time?: number; changes: Json[]; messageChanges: Map<string, Json> }>();
  for (const u of units) {
    let entry = entries.get(u.wabaId);
    if (!entry) {
      entry = { id: u.wabaId, changes: [], messageChanges: new Map() };
      entries.set(u.wabaId, entry);
    }
    if (u.field) {
      if (u.field !== 'messages') entry.time = nowSeconds;
      entry.changes.push({ value: u.value, field: u.field });
      continue;
    }
    let change = entry.messageChanges.get(u.phoneNumberId);
    if (!change) {
      change = { pnid: u.phoneNumberId, display: u.displayPhoneNumber, contacts: [] as Json[], messages: [] as Json[], statuses: [] as Json[] };
      entry.messageChanges.set(u.phoneNumberId, change);
      entry.changes.push(change);
    }
    if (u.contact && !change.contacts.some((c: Json) => c.wa_id === u.contact!.wa_id && c.user_id === u.contact!.user_id)) change.contacts.push(u.contact);
    if (u.message) change.messages.push(u.message);
    if (u.status) change.statuses.push(u.status);
  }
  return {
    object: 'whatsapp_business_account',
    entry: [...entries.values()].map((e) => ({
      id: e.id,
      ...(e.time !== undefined ? { time: e.time } : {}),
      changes: e.changes.map((c) =>
        c.pnid === undefined
          ? c
          : {
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: c.display, phone_number_id: c.pnid },
                ...(c.contacts.length ? { contacts: c.contacts } : {}),
                ...(c.messages.length ? { messages: c.messages } : {}),
                ...(c.statuses.length ? { statuses: c.statuses } : {}),
              },
              field: 'messages',
            },
      ),
    })),
  };
};

/** Wraps units for the dispatcher: signed with the app secret (or a wrong one under `badSignature`). */
export const metaOutgoing = (state: SimState, number: MetaNumber, units: MetaUnit[], events: WebhookEventSummary[]): Outgoing => ({
  provider: 'meta',
  accountKey: number.phoneNumberId,
  url: number.webhookUrl,
  units,
  events,
  batchKey: `meta|${number.webhookUrl}|${number.appSecret}`,
  skip: state.subscribedApps.get(number.wabaId) === false ? `WABA ${number.wabaId} has no subscribed app` : undefined,
  render(all, _attempt, settings) {
    const json = JSON.stringify(metaEnvelope(all as MetaUnit[], state.clock.seconds()));
    const raw = settings.escapeUnicode ? escapeUnicode(json) : json;
    const secret = settings.badSignature ? number.appSecret + '-wrong' : number.appSecret;
    return { raw, headers: { 'x-hub-signature-256': `sha256=${hmacHex(secret, raw)}` }, signatureValid: !settings.badSignature };
  },
});

/** `statuses[]` item like status-*.json. */
export const metaStatusObject = (
  msg: OutboundMessage,
  status: StatusName,
  nowSeconds: number,
  error?: WebhookErrorObject,
): Json => {
  const free = msg.category === 'service';
  return {
    id: msg.waMessageId,
    status,
    timestamp: String(nowSeconds),
    ...(msg.toUserId ? { recipient_user_id: msg.toUserId } : { recipient_id: msg.to }),
    ...(msg.bizOpaqueCallbackData !== undefined ? { biz_opaque_callback_data: msg.bizOpaqueCallbackData } : {}),
    ...(status === 'failed'
      ? { errors: [error] }
      : {
          conversation: {
            id: msg.conversationId,
            ...(status === 'sent' ? { expiration_timestamp: String(nowSeconds + 24 * 3600) } : {}),
            origin: { type: msg.category },
          },
          pricing: { billable: !free, pricing_model: 'PMP', category: msg.category, type: free ? 'free_customer_service' : 'regular' },
        }),
  };
};

export const metaStatusUnit = (state: SimState, number: MetaNumber, msg: OutboundMessage, status: StatusName, error?: WebhookErrorObject): MetaUnit => {
  const settings = state.settings.effective(number.phoneNumberId);
  const customer = state.customers.get(msg.to);
  return {
    wabaId: number.wabaId,
    phoneNumberId: number.phoneNumberId,
    displayPhoneNumber: number.displayPhoneNumber,
    // Failed statuses come without a contacts block (status-failed-*.json).
    contact: status !== 'failed' && customer ? contactOf(number, customer, settings) : undefined,
    status: metaStatusObject(msg, status, state.clock.seconds(), error),
  };
};

/** `message_template_status_update` value like template-status-update-*.json. */
export const templateStatusValue = (tpl: Template, event: string, reason: string | null, rejectionInfo?: { reason: string; recommendation: string }): Json => ({
  event,
  message_template_id: Number(tpl.id),
  message_template_name: tpl.name,
  message_template_language: tpl.language,
  reason,
  message_template_category: tpl.category,
  ...(rejectionInfo ? { rejection_info: rejectionInfo } : {}),
});
