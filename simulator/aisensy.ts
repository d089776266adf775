import { json, parseJson, type Ctx } from './http';
import type { Simulator } from './sim';
import type { SimState } from './state';
import type { AisensyAccount, OutboundMessage, StatusName, WebhookErrorObject, WebhookEventSummary } from './types';
import type { Outgoing } from './webhooks';
import { digits, fillVars, hmacHex, isObject, newWamid, randomHex, str, templateVars, type Json } from './util';

/*
 * AiSensy Campaign API (aisensy.md §2) and its *reported* webhooks (§5):
 * `{ id, created_at, topic, delivery_attempt, project_id, data: { message } }`, signed with
 * `X-AiSensy-Signature` = hex HMAC-SHA256(raw body, secret) when the account has a secret.
 * Response and error bodies are the reported ones (§2.2); AiSensy documents none first-hand.
 */

export const aisensyObjectId = () => randomHex(12);

const outgoing = (account: AisensyAccount, body: Json, events: WebhookEventSummary[]): Outgoing => ({
  provider: 'aisensy',
  accountKey: account.phone,
  url: account.webhookUrl,
  units: [body],
  events,
  render(units, attempt, settings) {
    // Each redelivery is a new notification attempt: same id, delivery_attempt + 1.
    const raw = JSON.stringify({ ...(units[0] as Json), delivery_attempt: attempt });
    const headers: Record<string, string> = { 'x-aisensy-api-version': 'v1', 'x-aisensy-project-id': account.projectId ?? '' };
    if (!account.webhookSecret) return { raw, headers, signatureValid: null };
    const secret = settings.badSignature ? account.webhookSecret + '-wrong' : account.webhookSecret;
    headers['x-aisensy-signature'] = hmacHex(secret, raw);
    return { raw, headers, signatureValid: !settings.badSignature };
  },
});

const envelope = (state: SimState, account: AisensyAccount, topic: string, message: Json) => ({
  id: aisensyObjectId(),
  created_at: new Date(state.clock.now()).toISOString(),
  topic,
  delivery_attempt: 1,
  project_id: account.projectId ?? '',
  data: { message },
});

export const aisensyStatusOutgoing = (state: SimState, account: AisensyAccount, msg: OutboundMessage, status: StatusName, error?: WebhookErrorObject) =>
  outgoing(
    account,
    envelope(state, account, 'message.status.updated', {
      id: msg.id,
      messageId: msg.id,
      phone_number: msg.to,
      sender: 'BUSINESS',
      status,
      sent_at: new Date(msg.at).toISOString(),
      updated_at: new Date(state.clock.now()).toISOString(),
      ...(status === 'failed' ? { failureResponse: { code: error?.code ?? 131000, reason: error?.title ?? 'Failed' } } : {}),
    }),
    [{ kind: 'status', id: msg.id, status }],
  );

export const aisensyInboundOutgoing = (state: SimState, account: AisensyAccount, message: Json) =>
  outgoing(account, envelope(state, account, 'message.sender.user', message), [{ kind: 'message', id: str(message.id) }]);

const errorBody = (status: number, text: string) => ({
  message: text,
  name: `ERR${status}`,
  errorCode: status,
  errorMessage: text,
  aisTraceId: randomHex(8),
});

export const handleAisensy = async (sim: Simulator, ctx: Ctx): Promise<boolean> => {
  if (ctx.method !== 'POST' || !/^\/campaign\/t1\/api(\/v2)?\/?$/.test(ctx.path)) return false;
  const st = sim.state;
  const fail = (status: number, body: unknown) => {
    json(ctx, status, body);
    return true;
  };
  const parsed = parseJson(ctx.raw);
  if (!parsed.ok || !isObject(parsed.value)) {
    json(ctx, 400, { message: 'Invalid request body' });
    return true;
  }
  const body = parsed.value;
  const account = [...st.aisensyAccounts.values()].find((a) => a.apiKey === body.apiKey);
  if (!account) {
    json(ctx, 401, errorBody(401, 'Invalid API Key!'));
    return true;
  }
  const campaign = st.aisensyCampaigns.find((c) => c.apiKey === account.apiKey && c.campaignName === body.campaignName);
  if (!campaign) return fail(400, { message: 'Campaign does not exist.' });
  if (!campaign.live) return fail(400, { message: 'Campaign is not live.' });
  const rawDest = str(body.destination) ?? '';
  let to = digits(rawDest);
  // A number without a resolvable country code is treated as Indian (aisensy.md §2).
  if (!rawDest.trim().startsWith('+') && to.length === 10) to = '91' + to;
  if (to.length < 8 || to.length > 15) return fail(400, { message: 'Invalid Number' });
  if (!str(body.userName)) return fail(400, { message: 'userName is required' });
  const params = Array.isArray(body.templateParams) ? body.templateParams.map(String) : [];
  const expected = templateVars(campaign.text).length;
  if (params.length !== expected) {
    return fail(400, { message: `Template params count does not match: expected ${expected}, received ${params.length}` });
  }
  const media = isObject(body.media) && Object.keys(body.media).length ? body.media : undefined;
  if (media && !/^https?:\/\//.test(str(media.url) ?? '')) return fail(400, { message: 'Invalid media url' });

  const customer = st.customer(to);
  if (str(body.userName) && customer.name.startsWith('Customer ')) customer.name = String(body.userName);
  const msg = sim.recordOutbound({
    id: aisensyObjectId(),
    waMessageId: newWamid(to),
    provider: 'aisensy',
    businessKey: account.phone,
    businessPhone: account.phone,
    to,
    type: 'template',
    text: fillVars(campaign.text, Object.fromEntries(params.map((p: string, i: number) => [String(i + 1), p]))),
    media: media ? { url: str(media.url), filename: str(media.filename) } : undefined,
    template: { name: campaign.templateName, language: 'en', category: 'marketing', params },
    category: 'marketing',
    request: { ...body, apiKey: '[redacted]' },
  });
  const failure: WebhookErrorObject | undefined = customer.reachable
    ? undefined
    : { code: 131026, title: 'Message undeliverable', message: 'Message undeliverable', error_data: { details: 'Message Undeliverable.' } };
  sim.scheduleLifecycle(msg, failure);
  json(ctx, 200, { success: 'true', submitted_message_id: msg.id });
  return true;
};
