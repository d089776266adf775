import { SettingsStore } from './faults';
import type {
  AisensyAccount, AisensyCampaign, BusinessRef, Customer, GupshupApp, InboundMessage, MediaItem, MetaNumber,
  OutboundMessage, RequestRecord, Template, WebhookRecord,
} from './types';
import { digits } from './util';

export const WINDOW_MS = 24 * 60 * 60 * 1000;
const MAX_LOG = 20_000;

/** Simulated time: real time plus an offset, optionally frozen (so bursts fall in one second). */
export class SimClock {
  private offset = 0;
  private frozenAt: number | null = null;
  now() {
    return this.frozenAt ?? Date.now() + this.offset;
  }
  seconds() {
    return Math.floor(this.now() / 1000);
  }
  advance(ms: number) {
    if (this.frozenAt !== null) this.frozenAt += ms;
    else this.offset += ms;
  }
  freeze(at?: number) {
    this.frozenAt = at ?? this.now();
  }
  unfreeze() {
    if (this.frozenAt !== null) this.offset = this.frozenAt - Date.now();
    this.frozenAt = null;
  }
  get frozen() {
    return this.frozenAt !== null;
  }
  reset() {
    this.offset = 0;
    this.frozenAt = null;
  }
}

/** Timers that reset()/close() can cancel. */
export class Timers {
  private handles = new Set<NodeJS.Timeout>();
  set(fn: () => void, ms: number) {
    const h = setTimeout(() => {
      this.handles.delete(h);
      fn();
    }, Math.max(0, ms));
    this.handles.add(h);
    return h;
  }
  clearAll() {
    for (const h of this.handles) clearTimeout(h);
    this.handles.clear();
  }
  get pending() {
    return this.handles.size;
  }
}

export const SEED_CUSTOMERS: Customer[] = [
  { phone: '15550002222', name: 'Alice Example', reachable: true },
  { phone: '15550003333', name: 'Bob Example', reachable: true },
  { phone: '15550009999', name: 'Unreachable Example', reachable: false },
];

export class SimState {
  readonly clock = new SimClock();
  readonly timers = new Timers();
  readonly settings = new SettingsStore();
  private seqCounter = 0;

  metaNumbers = new Map<string, MetaNumber>();
  gupshupApps = new Map<string, GupshupApp>();
  aisensyAccounts = new Map<string, AisensyAccount>();
  aisensyCampaigns: AisensyCampaign[] = [];
  customers = new Map<string, Customer>();
  /** `${businessKey}|${phone}` → time of the customer's last message. */
  lastInbound = new Map<string, number>();
  outbound: OutboundMessage[] = [];
  inbound: InboundMessage[] = [];
  templates: Template[] = [];
  media = new Map<string, MediaItem>();
  revokedTokens = new Set<string>();
  /** WABA → subscribed (default true). */
  subscribedApps = new Map<string, boolean>();
  requests: RequestRecord[] = [];
  webhooks: WebhookRecord[] = [];
  /** Send times per Meta number (throughput) and per number+recipient (pair rate). */
  sendTimes = new Map<string, number[]>();

  constructor(seedCustomers = true) {
    this.reset(seedCustomers);
  }

  nextSeq() {
    this.seqCounter += 1;
    return this.seqCounter;
  }

  reset(seedCustomers = true) {
    this.timers.clearAll();
    this.clock.reset();
    this.settings.reset();
    this.metaNumbers.clear();
    this.gupshupApps.clear();
    this.aisensyAccounts.clear();
    this.aisensyCampaigns = [];
    this.customers.clear();
    this.lastInbound.clear();
    this.outbound = [];
    this.inbound = [];
    this.templates = [];
    this.media.clear();
    this.revokedTokens.clear();
    this.subscribedApps.clear();
    this.requests = [];
    this.webhooks = [];
    this.sendTimes.clear();
    if (seedCustomers) for (const c of SEED_CUSTOMERS) this.customers.set(c.phone, { ...c });
  }

  log<T extends { seq: number }>(list: T[], item: T) {
    list.push(item);
    if (list.length > MAX_LOG) list.splice(0, list.length - MAX_LOG);
    return item;
  }

  customer(phone: string): Customer {
    const p = digits(phone);
    let c = this.customers.get(p);
    if (!c) {
      c = { phone: p, name: `Customer ${p.slice(-4)}`, reachable: true };
      this.customers.set(p, c);
    }
    return c;
  }

  windowOpen(businessKey: string, phone: string) {
    const at = this.lastInbound.get(`${businessKey}|${digits(phone)}`);
    return at !== undefined && this.clock.now() - at < WINDOW_MS;
  }

  setWindow(businessKey: string, phone: string, open: boolean) {
    const key = `${businessKey}|${digits(phone)}`;
    if (open) this.lastInbound.set(key, this.clock.now());
    else this.lastInbound.delete(key);
  }

  businesses(): BusinessRef[] {
    return [
      ...[...this.metaNumbers.values()].map((n) => ({ provider: 'meta' as const, key: n.phoneNumberId, phone: n.displayPhoneNumber, label: `Meta ${n.displayPhoneNumber} (${n.verifiedName ?? n.phoneNumberId})` })),
      ...[...this.gupshupApps.values()].map((a) => ({ provider: 'gupshup' as const, key: a.appName, phone: a.sourcePhone, label: `Gupshup ${a.sourcePhone} (${a.appName})` })),
      ...[...this.aisensyAccounts.values()].map((a) => ({ provider: 'aisensy' as const, key: a.phone, phone: a.phone, label: `AiSensy ${a.phone}` })),
    ];
  }

  /** Finds a business by any of its names: phoneNumberId, display number, app name/id, phone. */
  findBusiness(ref: string, provider?: BusinessRef['provider']): BusinessRef | undefined {
    const all = this.businesses().filter((b) => !provider || b.provider === provider);
    const d = digits(ref);
    return (
      all.find((b) => b.key === ref) ??
      all.find((b) => b.provider === 'gupshup' && this.gupshupApps.get(b.key)?.appId === ref) ??
      all.find((b) => d.length > 0 && /^\+?[\d\s()-]+$/.test(ref) && b.phone === d)
    );
  }

  accountKeysOfWaba(wabaId: string) {
    return [...this.metaNumbers.values()].filter((n) => n.wabaId === wabaId).map((n) => n.phoneNumberId);
  }

  findOutbound(id: string) {
    return this.outbound.find((m) => m.id === id || m.waMessageId === id);
  }

  /** Drops send times older than `windowMs`, returns how many remain. */
  countRecent(key: string, windowMs: number) {
    const now = this.clock.now();
    const list = (this.sendTimes.get(key) ?? []).filter((t) => now - t < windowMs && t <= now);
    this.sendTimes.set(key, list);
    return list.length;
  }

  noteSend(key: string) {
    const list = this.sendTimes.get(key) ?? [];
    list.push(this.clock.now());
    this.sendTimes.set(key, list);
  }
}
