import type { CustomerMessageInput, CustomerSendResult } from './inbound';
import type { FaultPatch, Settings } from './faults';
import type {
  AisensyAccount, BusinessRef, Customer, GupshupApp, InboundMessage, MetaNumber, OutboundMessage, Provider, RequestRecord,
  StatusName, Template, TemplateComponent, TemplateStatus, WebhookRecord,
} from './types';

export class SimulatorError extends Error {
  constructor(public status: number, public body: unknown, message: string) {
    super(message);
  }
}

export interface TemplateInput {
  provider?: 'meta' | 'gupshup';
  /** Meta templates belong to a WABA… */
  wabaId?: string;
  /** …Gupshup templates to an app. */
  appName?: string;
  id?: string;
  name: string;
  language: string;
  category?: string;
  parameter_format?: 'POSITIONAL' | 'NAMED';
  components?: TemplateComponent[];
  /** Shortcut for `components: [{ type: 'BODY', text: body }]`. */
  body?: string;
  /** Default PENDING. */
  status?: TemplateStatus;
  rejectedReason?: string;
  qualityScore?: { score: string; date: number };
}

type WebhookResult = { seq: number; statusCode: number | null; error?: string } | { pending: true } | null;
type Query = Record<string, string | number | undefined>;

const qs = (q: Query = {}) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};

/** Typed client for the simulator's control API (/_sim/…). */
export class SimulatorClient {
  readonly url: string;

  constructor(url: string) {
    this.url = url.replace(/\/+$/, '');
  }

  /** Base URLs to give the plugin's provider adapters. */
  get metaBaseUrl() {
    return this.url;
  }
  get gupshupBaseUrl() {
    return this.url;
  }
  get aisensyBaseUrl() {
    return this.url;
  }
  graphUrl(version = 'v23.0') {
    return `${this.url}/${version}`;
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}/_sim${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const data = text ? JSON.parse(text) : null;
    if (!res.ok) throw new SimulatorError(res.status, data, `simulator ${method} /_sim${path} → ${res.status}: ${data?.error ?? text}`);
    return data as T;
  }

  reset(options: { seedCustomers?: boolean } = {}) {
    return this.call<{ ok: true }>('POST', '/reset', options);
  }
  state() {
    return this.call<Record<string, unknown>>('GET', '/state');
  }
  businesses() {
    return this.call<BusinessRef[]>('GET', '/businesses');
  }

  // Accounts (create or update; the key field picks the account)
  addMetaNumber(n: MetaNumber) {
    return this.call<MetaNumber>('POST', '/meta/numbers', n);
  }
  updateMetaNumber(n: Partial<MetaNumber> & { phoneNumberId: string }) {
    return this.call<MetaNumber>('POST', '/meta/numbers', n);
  }
  removeMetaNumber(phoneNumberId: string) {
    return this.call<{ deleted: boolean }>('DELETE', `/meta/numbers/${encodeURIComponent(phoneNumberId)}`);
  }
  addGupshupApp(a: Omit<GupshupApp, 'appId'> & { appId?: string }) {
    return this.call<GupshupApp>('POST', '/gupshup/apps', a);
  }
  addAisensyAccount(a: AisensyAccount) {
    return this.call<AisensyAccount>('POST', '/aisensy/accounts', a);
  }
  /** An API campaign bound to a template; `text` uses {{1}}… placeholders. */
  addAisensyCampaign(c: { apiKey?: string; phone?: string; campaignName: string; templateName?: string; text: string; live?: boolean }) {
    return this.call<unknown>('POST', '/aisensy/campaigns', c);
  }

  // Customers
  setCustomer(c: { phone: string; name?: string; reachable?: boolean }) {
    return this.call<Customer>('POST', '/customers', c);
  }
  customers() {
    return this.call<Customer[]>('GET', '/customers');
  }
  /** A customer sends a message; resolves with the webhook the simulator posted and the plugin's answer. */
  customerSends(input: CustomerMessageInput) {
    return this.call<CustomerSendResult>('POST', '/inbound', input);
  }
  inbound(filter: { from?: string; business?: string; since?: number } = {}) {
    return this.call<InboundMessage[]>('GET', `/inbound${qs(filter)}`);
  }
  /** Opens (or closes) the 24 h customer-service window without a webhook. */
  setWindow(business: string, phone: string, open = true) {
    return this.call<{ open: boolean }>('POST', '/window', { business, phone, open });
  }
  conversation(business: string, phone: string) {
    return this.call<{ windowOpen: boolean; items: ((InboundMessage & { direction: 'in' }) | (OutboundMessage & { direction: 'out' }))[] }>(
      'GET',
      `/conversation${qs({ business, phone })}`,
    );
  }

  // Clock
  clock(change: { freeze?: boolean; at?: number; advanceMs?: number } = {}) {
    return this.call<{ now: number; frozen: boolean }>('POST', '/clock', change);
  }
  freezeClock() {
    return this.clock({ freeze: true });
  }
  advanceClock(ms: number) {
    return this.clock({ advanceMs: ms });
  }

  // What the business sent
  outbound(filter: { to?: string; business?: string; provider?: Provider; since?: number } = {}) {
    return this.call<OutboundMessage[]>('GET', `/outbound${qs(filter)}`);
  }
  message(id: string) {
    return this.call<OutboundMessage>('GET', `/messages/${encodeURIComponent(id)}`);
  }
  setStatus(id: string, status: StatusName, error?: { code?: number; title?: string; details?: string }) {
    return this.call<{ message: OutboundMessage; webhook: WebhookResult }>('POST', `/messages/${encodeURIComponent(id)}/status`, { status, ...error });
  }
  deliver(id: string) {
    return this.setStatus(id, 'delivered');
  }
  read(id: string) {
    return this.setStatus(id, 'read');
  }
  fail(id: string, code: number, details?: string) {
    return this.setStatus(id, 'failed', { code, details });
  }

  // Templates
  createTemplate(t: TemplateInput) {
    return this.call<Template>('POST', '/templates', t);
  }
  templates(filter: { provider?: 'meta' | 'gupshup'; owner?: string } = {}) {
    return this.call<Template[]>('GET', `/templates${qs(filter)}`);
  }
  approveTemplate(id: string, options: { notify?: boolean } = {}) {
    return this.call<{ template: Template; webhooks: WebhookResult[] }>('POST', `/templates/${id}/approve`, options);
  }
  rejectTemplate(id: string, reason = 'INVALID_FORMAT', rejectionInfo?: { reason: string; recommendation: string }) {
    return this.call<{ template: Template; webhooks: WebhookResult[] }>('POST', `/templates/${id}/reject`, { reason, rejectionInfo });
  }
  setTemplateStatus(id: string, status: TemplateStatus, reason?: string | null) {
    return this.call<{ template: Template; webhooks: WebhookResult[] }>('POST', `/templates/${id}/status`, { status, reason });
  }
  deleteTemplate(id: string) {
    return this.call<{ template: Template; webhooks: WebhookResult[] }>('DELETE', `/templates/${id}`);
  }

  // Media
  addMedia(m: { business?: string; mimeType: string; base64?: string; text?: string; filename?: string }) {
    return this.call<{ id: string; sha256: string; size: number; mimeType: string; url: string }>('POST', '/media', m);
  }

  // Settings and faults (scope: a Meta phoneNumberId, Gupshup appName or AiSensy phone; omit for global)
  setFault(scope: string | undefined, patch: FaultPatch) {
    return this.call<{ effective: Settings }>('POST', '/faults', { ...patch, ...(scope ? { scope } : {}) });
  }
  settings(scope?: string) {
    return this.call<Settings>('GET', `/settings${qs({ scope })}`);
  }
  /** Revokes a Meta access token (a token string, or the current token of a phoneNumberId). */
  revokeToken(tokenOrPhoneNumberId: string, isPhoneNumberId = false) {
    return isPhoneNumberId ? this.setFault(tokenOrPhoneNumberId, { revokeToken: true }) : this.setFault(undefined, { revokeToken: tokenOrPhoneNumberId });
  }
  setSubscribed(wabaId: string, subscribed: boolean) {
    return this.call<unknown>('POST', '/subscribed-apps', { wabaId, subscribed });
  }

  // Logs
  requests(filter: { provider?: RequestRecord['provider']; path?: string; method?: string; since?: number } = {}) {
    return this.call<RequestRecord[]>('GET', `/requests${qs(filter)}`);
  }
  webhooks(filter: { provider?: Provider; account?: string; kind?: string; messageId?: string; since?: number } = {}) {
    return this.call<WebhookRecord[]>('GET', `/webhooks${qs(filter)}`);
  }
  flushWebhooks() {
    return this.call<{ ok: true }>('POST', '/webhooks/flush', {});
  }
  /** Waits until every scheduled status webhook has been posted (bounded by timeoutMs). */
  settle(timeoutMs = 5000) {
    return this.call<{ settled: boolean }>('POST', '/settle', { timeoutMs });
  }
  /** Polls /_sim/webhooks until `predicate` holds (bounded); returns the matching list. */
  async waitForWebhooks(predicate: (list: WebhookRecord[]) => boolean, filter: Parameters<SimulatorClient['webhooks']>[0] = {}, timeoutMs = 5000) {
    const rounds = Math.max(1, Math.ceil(timeoutMs / 20));
    let list: WebhookRecord[] = [];
    for (let i = 0; i < rounds; i++) {
      list = await this.webhooks(filter);
      if (predicate(list)) return list;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`waitForWebhooks: condition not met within ${timeoutMs} ms (${list.length} webhooks seen)`);
  }

  // Extra webhooks
  sendMetaEvent(phoneNumberId: string, field: string, value: unknown) {
    return this.call<{ webhook: WebhookResult }>('POST', '/meta/events', { phoneNumberId, field, value });
  }
  /** Meta's `user_preferences` webhook: the customer stops (or resumes) marketing messages from the business. */
  metaUserPreference(phoneNumberId: string, waId: string, value: 'stop' | 'resume', name = 'Customer') {
    const detail = value === 'stop' ? 'User requested to stop marketing messages' : 'User requested to resume marketing messages';
    return this.sendMetaEvent(phoneNumberId, 'user_preferences', {
      contacts: [{ profile: { name }, wa_id: waId }],
      user_preferences: [{ wa_id: waId, detail, category: 'marketing_messages', value, timestamp: Math.floor(Date.now() / 1000) }],
    });
  }
  gupshupUserEvent(app: string, phone: string, type: 'opted-in' | 'opted-out' | 'sandbox-start' | string) {
    return this.call<{ webhook: WebhookResult }>('POST', '/gupshup/user-events', { app, phone, type });
  }
  /** Performs Meta's GET hub.challenge handshake against the number's webhook URL. */
  verifyMetaWebhook(phoneNumberId: string, verifyToken?: string) {
    return this.call<{ ok: boolean; statusCode: number | null; body: string; challenge: string }>('POST', '/meta/verify-webhook', { phoneNumberId, verifyToken });
  }
}
