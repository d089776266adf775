import http from 'node:http';
import https from 'node:https';
import type { Settings } from './faults';
import type { SimState } from './state';
import type { Provider, WebhookEventSummary, WebhookRecord } from './types';

export interface Rendered {
  raw: string;
  headers: Record<string, string>;
  /** null when the provider does not sign. */
  signatureValid: boolean | null;
}

/** One webhook the simulator wants to POST (or, with the batch fault, part of one). */
export interface Outgoing {
  provider: Provider;
  accountKey: string;
  url: string;
  /** Meta: event units merged into one envelope; Gupshup/AiSensy: a single body. */
  units: unknown[];
  events: WebhookEventSummary[];
  /** Deliveries with the same key may be merged by the `batch` fault (Meta only). */
  batchKey?: string;
  render(units: unknown[], attempt: number, settings: Settings): Rendered;
  /** Record without posting (e.g. the WABA has no subscribed app). */
  skip?: string;
}

export interface Dispatched {
  /** true when the event sits in a batch that has not been sent yet. */
  pending: boolean;
  /** The record of the (last) POST that carried the event; null if the simulator closed first. */
  done: Promise<WebhookRecord | null>;
}

interface Batch {
  items: Outgoing[];
  units: number;
  resolvers: ((r: WebhookRecord | null) => void)[];
  timer?: NodeJS.Timeout;
}

const agentHttp = new http.Agent({ keepAlive: false });
const agentHttps = new https.Agent({ keepAlive: false });

export class Dispatcher {
  private queues = new Map<string, Promise<unknown>>();
  private batches = new Map<string, Batch>();
  private inFlight = new Set<Promise<unknown>>();
  closed = false;

  constructor(private state: SimState) {}

  dispatch(out: Outgoing): Dispatched {
    const settings = this.state.settings.effective(out.accountKey);
    if (out.batchKey && settings.batch > 1 && !out.skip) return this.addToBatch(out, settings);
    return { pending: false, done: this.enqueue(out, settings) };
  }

  /** Sends every incomplete batch now. */
  async flush() {
    const keys = [...this.batches.keys()];
    await Promise.all(keys.map((k) => this.sendBatch(k)));
  }

  /** True while a POST is queued or in flight, or a batch is still collecting. */
  get busy() {
    return this.inFlight.size > 0 || this.batches.size > 0;
  }

  /** Waits for the POSTs queued or in flight now (does not flush batches). */
  async idle() {
    await Promise.allSettled([...this.inFlight]);
  }

  reset() {
    for (const b of this.batches.values()) {
      if (b.timer) clearTimeout(b.timer);
      for (const r of b.resolvers) r(null);
    }
    this.batches.clear();
  }

  private addToBatch(out: Outgoing, settings: Settings): Dispatched {
    const key = out.batchKey as string;
    let batch = this.batches.get(key);
    if (!batch) {
      batch = { items: [], units: 0, resolvers: [] };
      this.batches.set(key, batch);
      batch.timer = setTimeout(() => void this.sendBatch(key), settings.batchMaxWaitMs);
    }
    batch.items.push(out);
    batch.units += out.units.length;
    const done = new Promise<WebhookRecord | null>((resolve) => batch!.resolvers.push(resolve));
    if (batch.units >= settings.batch) {
      void this.sendBatch(key);
      return { pending: false, done };
    }
    return { pending: true, done };
  }

  private async sendBatch(key: string) {
    const batch = this.batches.get(key);
    if (!batch) return;
    this.batches.delete(key);
    if (batch.timer) clearTimeout(batch.timer);
    const first = batch.items[0];
    const merged: Outgoing = {
      ...first,
      units: batch.items.flatMap((i) => i.units),
      events: batch.items.flatMap((i) => i.events),
    };
    const record = await this.enqueue(merged, this.state.settings.effective(first.accountKey));
    for (const r of batch.resolvers) r(record);
  }

  /** Serialises POSTs per URL so their order is deterministic. */
  private enqueue(out: Outgoing, settings: Settings): Promise<WebhookRecord | null> {
    const previous = this.queues.get(out.url) ?? Promise.resolve();
    const run = previous.then(() => this.deliver(out, settings));
    const tail = run.catch(() => undefined);
    this.queues.set(out.url, tail);
    this.inFlight.add(tail);
    void tail.then(() => {
      this.inFlight.delete(tail);
      if (this.queues.get(out.url) === tail) this.queues.delete(out.url);
    });
    return run;
  }

  private async deliver(out: Outgoing, settings: Settings): Promise<WebhookRecord | null> {
    if (this.closed) return null;
    if (out.skip) return this.record(out, { raw: '', headers: {}, signatureValid: null }, 1, false, { skipped: out.skip });
    let last: WebhookRecord | null = null;
    let rendered = out.render(out.units, 1, settings);
    for (let attempt = 1; attempt <= 1 + Math.max(0, settings.redeliverOnNon200); attempt++) {
      if (this.closed) return last;
      if (attempt > 1) {
        await new Promise((r) => setTimeout(r, settings.redeliverDelayMs));
        rendered = out.render(out.units, attempt, settings);
      }
      last = await this.post(out, rendered, attempt, false, settings);
      if (last.statusCode === 200) break;
    }
    if (settings.webhookDuplicates && !this.closed && last) {
      await this.post(out, rendered, last.attempt, true, settings);
    }
    return last;
  }

  private post(out: Outgoing, rendered: Rendered, attempt: number, duplicate: boolean, settings: Settings) {
    return new Promise<WebhookRecord>((resolve) => {
      let url: URL;
      try {
        url = new URL(out.url);
      } catch {
        resolve(this.record(out, rendered, attempt, duplicate, { error: `invalid webhook URL: ${out.url}` }));
        return;
      }
      const body = Buffer.from(rendered.raw, 'utf8');
      const lib = url.protocol === 'https:' ? https : http;
      const req = lib.request(
        url,
        {
          method: 'POST',
          agent: url.protocol === 'https:' ? agentHttps : agentHttp,
          headers: { 'content-type': 'application/json', 'content-length': String(body.length), 'user-agent': userAgent(out.provider), ...rendered.headers },
          timeout: settings.webhookTimeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size <= 65_536) chunks.push(c);
          });
          res.on('end', () => resolve(this.record(out, rendered, attempt, duplicate, { statusCode: res.statusCode ?? 0, responseBody: Buffer.concat(chunks).toString('utf8') })));
          res.on('error', (e) => resolve(this.record(out, rendered, attempt, duplicate, { error: e.message })));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`timed out after ${settings.webhookTimeoutMs} ms`)));
      req.on('error', (e) => resolve(this.record(out, rendered, attempt, duplicate, { error: e.message })));
      req.end(body);
    });
  }

  private record(
    out: Outgoing,
    rendered: Rendered,
    attempt: number,
    duplicate: boolean,
    result: { statusCode?: number; responseBody?: string; error?: string; skipped?: string },
  ): WebhookRecord {
    let body: unknown = null;
    try {
      body = rendered.raw ? JSON.parse(rendered.raw) : null;
    } catch {
      body = rendered.raw;
    }
    return this.state.log(this.state.webhooks, {
      seq: this.state.nextSeq(),
      at: this.state.clock.now(),
      provider: out.provider,
      accountKey: out.accountKey,
      url: out.url,
      attempt,
      duplicate,
      headers: rendered.headers,
      raw: rendered.raw,
      body,
      signatureValid: rendered.signatureValid,
      events: out.events,
      statusCode: result.statusCode ?? null,
      responseBody: result.responseBody ?? '',
      ...(result.error ? { error: result.error } : {}),
      ...(result.skipped ? { skipped: result.skipped } : {}),
    });
  }
}

const userAgent = (p: Provider) => (p === 'meta' ? 'facebookexternalua' : p === 'gupshup' ? 'Gupshup-Callback/2.0 (simulator)' : 'AiSensy-Webhook/1.0 (simulator)');
