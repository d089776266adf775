/**
 * Behaviour switches and faults. Each account (Meta phoneNumberId, Gupshup appName, AiSensy phone)
 * can override the global settings; the effective value is global overlaid by the account's.
 */
export interface Settings {
  /** Delays (ms after the send was accepted) before each status webhook. */
  delaysMs: { enqueued: number; sent: number; delivered: number; read: number };
  /** Send `delivered` on its own; off = the message stays `sent` until the control API moves it. */
  autoDeliver: boolean;
  /** Send `read` on its own; off = only via the control API (or the customer page). */
  autoRead: boolean;
  /** Meta pair rate: more than `max` messages to one recipient within `windowMs` → 131056. null = off. */
  pairRate: { max: number; windowMs: number } | null;
  /** Send each webhook POST twice (same bytes). */
  webhookDuplicates: boolean;
  /** Statuses of a message arrive as read, sent, delivered (timestamps stay true). */
  outOfOrderStatuses: boolean;
  /** Meta only: collect this many events, then POST them together (0/1 = off). */
  batch: number;
  /** Flush an incomplete batch after this long. */
  batchMaxWaitMs: number;
  /** Retry a webhook the plugin did not answer 200 up to this many times (0 = never). */
  redeliverOnNon200: number;
  redeliverDelayMs: number;
  /** Delay before every provider API answer. */
  latencyMs: number;
  /** The next N provider API calls answer 500, 503, 500, … (counts down). */
  flap5xx: number;
  /** The next N provider API calls answer 502 with a proxy's HTML page, not the provider's error body. */
  bare502: number;
  /** The next N provider API calls are handled (a send is taken) and the connection is then dropped unanswered. */
  dropAnswer: number;
  /** Sign webhooks with a wrong secret. */
  badSignature: boolean;
  /** Meta: escape non-ASCII in webhook bodies as \uXXXX (what Meta is reported to do). */
  escapeUnicode: boolean;
  /** Meta: add BSUIDs (`user_id`, `from_user_id`) to webhooks. */
  bsuid: boolean;
  /** Meta: add the newer optional `url` to inbound media objects. */
  inboundMediaUrl: boolean;
  webhookTimeoutMs: number;
  /** Meta: the next sends take these message ids, in order (a test replays a receipt that arrived before its send was recorded). */
  nextMessageIds: string[];
}

export const DEFAULT_SETTINGS: Settings = {
  delaysMs: { enqueued: 2, sent: 5, delivered: 10, read: 15 },
  autoDeliver: true,
  autoRead: true,
  pairRate: null,
  webhookDuplicates: false,
  outOfOrderStatuses: false,
  batch: 0,
  batchMaxWaitMs: 250,
  redeliverOnNon200: 0,
  redeliverDelayMs: 10,
  latencyMs: 0,
  flap5xx: 0,
  bare502: 0,
  dropAnswer: 0,
  badSignature: false,
  escapeUnicode: true,
  bsuid: true,
  inboundMediaUrl: true,
  webhookTimeoutMs: 10_000,
  nextMessageIds: [],
};

export type SettingsPatch = Partial<Omit<Settings, 'delaysMs'>> & { delaysMs?: Partial<Settings['delaysMs']> };

/** What `setFault` accepts: settings plus one-off actions. */
export type FaultPatch = SettingsPatch & {
  /** true = revoke the account's current Meta access token; a string = revoke that token. */
  revokeToken?: boolean | string;
};

const KEYS = Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[];

/** Keeps only known keys with the right primitive type; throws on anything else. */
export const validatePatch = (patch: Record<string, unknown>): SettingsPatch => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === 'scope' || k === 'revokeToken') continue;
    if (!KEYS.includes(k as keyof Settings)) throw new Error(`unknown setting "${k}"`);
    const def = DEFAULT_SETTINGS[k as keyof Settings];
    if (k === 'pairRate') {
      if (v === null || v === false) out[k] = null;
      else if (typeof v === 'object' && v && Number.isFinite((v as any).max)) out[k] = { max: Number((v as any).max), windowMs: Number((v as any).windowMs ?? 6000) };
      else throw new Error('pairRate must be null or { max, windowMs }');
    } else if (k === 'delaysMs') {
      if (typeof v !== 'object' || !v) throw new Error('delaysMs must be an object');
      const d: Record<string, number> = {};
      for (const [dk, dv] of Object.entries(v)) {
        if (!(dk in DEFAULT_SETTINGS.delaysMs) || !Number.isFinite(dv)) throw new Error(`bad delaysMs.${dk}`);
        d[dk] = Number(dv);
      }
      out[k] = d;
    } else if (k === 'nextMessageIds') {
      if (!Array.isArray(v) || v.some((id) => typeof id !== 'string' || !id)) throw new Error('nextMessageIds must be a list of ids');
      out[k] = [...v];
    } else if (typeof def === 'number') {
      if (typeof v === 'boolean') out[k] = v ? (k === 'batch' ? 2 : 1) : 0;
      else if (Number.isFinite(Number(v))) out[k] = Number(v);
      else throw new Error(`${k} must be a number`);
    } else if (typeof def === 'boolean') {
      if (typeof v !== 'boolean') throw new Error(`${k} must be a boolean`);
      out[k] = v;
    }
  }
  return out as SettingsPatch;
};

export class SettingsStore {
  private global: SettingsPatch = {};
  private perAccount = new Map<string, SettingsPatch>();
  private flapsTaken = 0;

  reset() {
    this.global = {};
    this.flapsTaken = 0;
    this.perAccount.clear();
  }

  patch(scope: string | undefined, patch: SettingsPatch) {
    const current = !scope || scope === '*' || scope === 'global' ? this.global : this.perAccount.get(scope) ?? {};
    const next: SettingsPatch = { ...current, ...patch, delaysMs: { ...current.delaysMs, ...patch.delaysMs } };
    if (!scope || scope === '*' || scope === 'global') this.global = next;
    else this.perAccount.set(scope, next);
  }

  effective(accountKey?: string): Settings {
    const own = accountKey ? this.perAccount.get(accountKey) ?? {} : {};
    return {
      ...DEFAULT_SETTINGS,
      ...this.global,
      ...own,
      delaysMs: { ...DEFAULT_SETTINGS.delaysMs, ...this.global.delaysMs, ...own.delaysMs },
    } as Settings;
  }

  /** Takes one unit of `flap5xx` from the account (or, failing that, the global setting); returns the status to answer. */
  takeFlap(accountKeys: string[]): 500 | 503 | null {
    for (const key of accountKeys) {
      const own = this.perAccount.get(key);
      if (own?.flap5xx && own.flap5xx > 0) {
        own.flap5xx -= 1;
        return this.nextFlap();
      }
    }
    if (this.global.flap5xx && this.global.flap5xx > 0) {
      this.global.flap5xx -= 1;
      return this.nextFlap();
    }
    return null;
  }

  /** Takes one unit of a countdown fault (`bare502`, `dropAnswer`) from the account or, failing that, the global setting. */
  takeOne(key: 'bare502' | 'dropAnswer', accountKeys: string[]): boolean {
    for (const account of accountKeys) {
      const own = this.perAccount.get(account);
      if (own?.[key] && own[key]! > 0) {
        own[key]! -= 1;
        return true;
      }
    }
    if (this.global[key] && this.global[key]! > 0) {
      this.global[key]! -= 1;
      return true;
    }
    return false;
  }

  /** Takes the next forced message id of the account (or, failing that, the global setting), if any. */
  takeMessageId(accountKey: string): string | null {
    const own = this.perAccount.get(accountKey);
    if (own?.nextMessageIds?.length) return own.nextMessageIds.shift()!;
    return this.global.nextMessageIds?.length ? this.global.nextMessageIds.shift()! : null;
  }

  private nextFlap(): 500 | 503 {
    this.flapsTaken += 1;
    return this.flapsTaken % 2 === 1 ? 500 : 503;
  }

  snapshot() {
    return { global: this.effective(), accounts: Object.fromEntries(this.perAccount) };
  }
}
