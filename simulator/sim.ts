import { aisensyStatusOutgoing } from './aisensy';
import { gupshupStatusOutgoing } from './gupshup';
import { metaOutgoing, metaStatusUnit, templateStatusValue, type MetaUnit } from './meta-events';
import { webhookError } from './meta-errors';
import { SimState } from './state';
import type { MetaNumber, OutboundMessage, StatusName, Template, WebhookErrorObject } from './types';
import { Dispatcher, type Dispatched } from './webhooks';
import { randomHex } from './util';

const RANK: Record<string, number> = { accepted: 0, enqueued: 1, sent: 2, delivered: 3, read: 4, played: 5, failed: 6 };

/** The simulator's core: state, webhook dispatcher and the status lifecycle shared by all providers. */
export class Simulator {
  readonly state: SimState;
  readonly dispatcher: Dispatcher;
  /** Absolute URL of this simulator, used in URLs it hands out in webhooks. */
  baseUrl = '';
  /** Set when the simulator is reached through another address (proxy, container); wins over the Host header. */
  publicUrl?: string;
  private conversations = new Map<string, { id: string; until: number }>();

  constructor(seedCustomers = true) {
    this.state = new SimState(seedCustomers);
    this.dispatcher = new Dispatcher(this.state);
  }

  reset(seedCustomers = true) {
    this.dispatcher.reset();
    this.state.reset(seedCustomers);
    this.conversations.clear();
  }

  close() {
    this.dispatcher.closed = true;
    this.dispatcher.reset();
    this.state.timers.clearAll();
  }

  conversationId(businessKey: string, phone: string, category: string) {
    const key = `${businessKey}|${phone}|${category}`;
    const now = this.state.clock.now();
    const c = this.conversations.get(key);
    if (c && c.until > now) return c.id;
    const id = randomHex(16);
    this.conversations.set(key, { id, until: now + 24 * 3600 * 1000 });
    return id;
  }

  /** Stores what the business sent (it shows up in /_sim/outbound). */
  recordOutbound(m: Omit<OutboundMessage, 'seq' | 'at' | 'status' | 'statuses' | 'conversationId'>): OutboundMessage {
    const msg: OutboundMessage = {
      ...m,
      seq: this.state.nextSeq(),
      at: this.state.clock.now(),
      status: 'accepted',
      statuses: [],
      conversationId: this.conversationId(m.businessKey, m.to, m.category),
    };
    return this.state.log(this.state.outbound, msg);
  }

  /**
   * Plans the status webhooks of an accepted message: `failure` → failed; otherwise sent →
   * delivered → read (as the settings allow). Gupshup adds `enqueued` first.
   */
  scheduleLifecycle(msg: OutboundMessage, failure?: WebhookErrorObject) {
    const s = this.state.settings.effective(msg.businessKey);
    const d = s.delaysMs;
    if (msg.provider === 'gupshup' && !failure) this.state.timers.set(() => this.emitStatus(msg, 'enqueued'), d.enqueued);
    if (failure) {
      this.state.timers.set(() => this.emitStatus(msg, 'failed', failure), d.sent);
      return;
    }
    const plan: { status: StatusName; delay: number }[] = [{ status: 'sent', delay: d.sent }];
    if (s.autoDeliver) plan.push({ status: 'delivered', delay: Math.max(d.delivered, d.sent) });
    if (s.autoDeliver && s.autoRead) plan.push({ status: 'read', delay: Math.max(d.read, d.delivered, d.sent) });
    if (s.outOfOrderStatuses && plan.length > 1) {
      const last = plan[plan.length - 1];
      const order = [last, ...plan.slice(0, -1)];
      this.state.timers.set(() => {
        for (const p of order) this.emitStatus(msg, p.status);
      }, last.delay);
      return;
    }
    for (const p of plan) this.state.timers.set(() => this.emitStatus(msg, p.status), p.delay);
  }

  /** Moves a message to `status` (forward only for the stored state) and posts the status webhook. */
  emitStatus(msg: OutboundMessage, status: StatusName, error?: WebhookErrorObject): Dispatched | null {
    if (status === 'failed' && !error) error = webhookError(131000);
    msg.statuses.push({ status, at: this.state.clock.now() });
    if (status === 'failed') {
      msg.status = 'failed';
      msg.error = error;
    } else if (msg.status !== 'failed' && RANK[status] > RANK[msg.status]) msg.status = status;

    if (msg.provider === 'meta') {
      const number = this.state.metaNumbers.get(msg.businessKey);
      if (!number) return null;
      const unit = metaStatusUnit(this.state, number, msg, status, error);
      return this.dispatcher.dispatch(metaOutgoing(this.state, number, [unit], [{ kind: 'status', id: msg.waMessageId, status }]));
    }
    if (msg.provider === 'gupshup') {
      const app = this.state.gupshupApps.get(msg.businessKey);
      return app ? this.dispatcher.dispatch(gupshupStatusOutgoing(this.state, app, msg, status, error)) : null;
    }
    const account = this.state.aisensyAccounts.get(msg.businessKey);
    return account ? this.dispatcher.dispatch(aisensyStatusOutgoing(this.state, account, msg, status, error)) : null;
  }

  /** Posts an arbitrary Meta webhook change (any field) for one number. */
  sendMetaUnits(number: MetaNumber, units: MetaUnit[], kind: 'message' | 'template' | 'other' = 'other') {
    return this.dispatcher.dispatch(
      metaOutgoing(this.state, number, units, units.map((u) => ({ kind, field: u.field ?? 'messages', id: u.message?.id }))),
    );
  }

  /** `message_template_status_update` to every webhook URL of the template's WABA (once per URL+secret). */
  templateStatusChanged(tpl: Template, event: string, reason: string | null, rejectionInfo?: { reason: string; recommendation: string }) {
    const seen = new Set<string>();
    const out: Dispatched[] = [];
    for (const n of this.state.metaNumbers.values()) {
      if (n.wabaId !== tpl.owner) continue;
      const key = `${n.webhookUrl}|${n.appSecret}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const unit: MetaUnit = {
        wabaId: n.wabaId,
        phoneNumberId: n.phoneNumberId,
        displayPhoneNumber: n.displayPhoneNumber,
        field: 'message_template_status_update',
        value: templateStatusValue(tpl, event, reason, rejectionInfo),
      };
      out.push(this.sendMetaUnits(n, [unit], 'template'));
    }
    return out;
  }
}
