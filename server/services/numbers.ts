import crypto from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import {
  CREDENTIAL_FIELDS,
  type CredentialField,
  type CredentialState,
  type NumberInput,
  type Provider,
  type WhatsAppNumber,
} from '../../contracts/numbers';
import { UID, WEBHOOK_PATH } from '../constants';
import { adapterFor, type ProviderNumber } from '../providers';
import { parseBusinessPhone } from '../phone';
import { getConfig, getService } from '../utils';
import { validateCreateNumber, validateUpdateNumber } from '../validation/numbers';
import { toId } from '../ids';
import type { ScopedUser } from './scope';

/** A number row as stored (credentials still encrypted). */
export interface NumberRow {
  id: number;
  documentId: string;
  label: string;
  provider: Provider;
  phone: string;
  region: string | null;
  phoneNumberId: string | null;
  wabaId: string | null;
  appId: string | null;
  appName: string | null;
  providerPhoneId: string | null;
  credentials: string | null;
  webhookKey: string | null;
  active: boolean;
  teamRoleIds: number[] | null;
  throughputMps: number | null;
  health: string | null;
  needsReauth: boolean;
  deletedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export type Credentials = Partial<Record<CredentialField, string>>;

const PLAIN_FIELDS = ['label', 'region', 'active', 'teamRoleIds', 'throughputMps', 'phoneNumberId', 'wabaId', 'appId', 'appName'] as const;

const newWebhookKey = () => crypto.randomBytes(24).toString('base64url');

const mask = (value: string): string => `••••${value.length > 8 ? value.slice(-4) : ''}`;

/** The id a provider's webhooks name the number by; unique per provider among live numbers. */
const providerPhoneIdOf = (n: Pick<NumberRow, 'provider' | 'phoneNumberId' | 'appName' | 'phone'>) => {
  if (n.provider === 'meta') return n.phoneNumberId;
  if (n.provider === 'gupshup') return n.appName;
  return n.phone.replace(/^\+/, '');
};

const isUniqueViolation = (error: unknown) => {
  const e = error as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'ER_DUP_ENTRY' || /UNIQUE constraint/i.test(e?.message ?? '');
};

const duplicateError = (provider: Provider) => {
  const path = provider === 'meta' ? 'phoneNumberId' : provider === 'gupshup' ? 'appName' : 'phone';
  const message = `${path} is already connected to another number`;
  return new errors.ValidationError(message, { errors: [{ path: [path], message, name: 'ValidationError', value: null }] });
};

const KEY_CACHE_MS = 5_000;

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const query = () => strapi.db.query(UID.number);
  const byKey = new Map<string, { row: NumberRow | null; until: number }>();
  const byId = new Map<number, { row: NumberRow | null; until: number }>();
  const opened = new Map<number, { cacheKey: string; number: ProviderNumber }>();
  const forget = () => {
    byKey.clear();
    byId.clear();
  };
  const crypt = () => getService('crypto', { strapi });

  const publicUrl = () => {
    const configured = getConfig(strapi, 'publicUrl');
    if (configured) return configured.replace(/\/+$/, '');
    const serverUrl = strapi.config.get<string>('server.url');
    if (serverUrl && /^https?:\/\//.test(serverUrl)) return serverUrl.replace(/\/+$/, '');
    const host = strapi.config.get<string>('server.host', 'localhost');
    const port = strapi.config.get<number>('server.port', 1337);
    return `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${port}`;
  };

  /** The admin panel's address as a customer's link needs it: its own URL when served elsewhere, else below publicUrl. */
  const adminUrl = () => {
    const configured = strapi.config.get<string>('admin.url', '/admin');
    if (/^https?:\/\//.test(configured)) return configured.replace(/\/+$/, '');
    return `${publicUrl()}${strapi.config.get<string>('admin.path', configured)}`.replace(/\/+$/, '');
  };

  const readCredentials = (row: Pick<NumberRow, 'credentials'>): Credentials | null => {
    if (!row.credentials) return {};
    const plain = crypt().decrypt(row.credentials);
    return plain === null ? null : (JSON.parse(plain) as Credentials);
  };

  const storedSecretNames = (row: NumberRow): Set<string> => {
    if (!row.credentials) return new Set();
    const creds = readCredentials(row);
    // Unreadable (key changed): treat every field as set so an edit of other fields still saves.
    return new Set(creds === null ? CREDENTIAL_FIELDS[row.provider] : Object.keys(creds).filter((k) => creds[k as CredentialField]));
  };

  /** `webhookUrl: false` leaves the URL out (null): its key is the number's credential, for numbers.manage holders only. */
  const format = (row: NumberRow, { webhookUrl = true }: { webhookUrl?: boolean } = {}): WhatsAppNumber => {
    const creds = readCredentials(row);
    const credentials: Partial<Record<CredentialField, CredentialState>> = {};
    for (const field of CREDENTIAL_FIELDS[row.provider]) {
      const value = creds?.[field];
      credentials[field] = creds === null ? { set: Boolean(row.credentials), hint: null } : { set: Boolean(value), hint: value ? mask(value) : null };
    }
    return {
      id: row.id,
      documentId: row.documentId,
      label: row.label,
      provider: row.provider,
      phone: row.phone,
      region: row.region ?? null,
      active: Boolean(row.active),
      teamRoleIds: row.teamRoleIds ?? [],
      throughputMps: row.throughputMps ?? getConfig(strapi, 'defaultThroughputMps') ?? 80,
      phoneNumberId: row.phoneNumberId ?? null,
      wabaId: row.wabaId ?? null,
      appId: row.appId ?? null,
      appName: row.appName ?? null,
      webhookUrl: webhookUrl ? `${publicUrl()}${WEBHOOK_PATH}/${row.webhookKey}` : null,
      credentials,
      needsReauth: Boolean(row.needsReauth),
      health: creds === null ? 'credentials-unreadable' : row.health ?? null,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  };

  const assertTeamsExist = async (ids: number[] | undefined) => {
    if (!ids?.length) return;
    const found = await strapi.db.query('admin::role').findMany({ where: { id: { $in: ids } }, select: ['id'] });
    const known = new Set(found.map((r: { id: number }) => r.id));
    const missing = ids.filter((id) => !known.has(id));
    if (missing.length) {
      const message = `teamRoleIds: no admin role with id ${missing.join(', ')}`;
      throw new errors.ValidationError(message, { errors: [{ path: ['teamRoleIds'], message, name: 'ValidationError', value: null }] });
    }
  };

  const sealCredentials = (provider: Provider, current: Credentials, input: Partial<NumberInput>) => {
    const next: Credentials = { ...current };
    for (const field of CREDENTIAL_FIELDS[provider]) {
      const value = input[field];
      if (typeof value === 'string' && value.trim() !== '') next[field] = value.trim();
    }
    return Object.keys(next).length ? crypt().encrypt(JSON.stringify(next)) : null;
  };

  const findRow = async (id: unknown): Promise<NumberRow> => {
    const numericId = toId(id);
    const row = numericId ? ((await query().findOne({ where: { id: numericId, deletedAt: null } })) as NumberRow | null) : null;
    if (!row) throw new errors.NotFoundError('No WhatsApp number with this id');
    return row;
  };

  const save = async (provider: Provider, write: () => Promise<NumberRow>) => {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicateError(provider);
      throw error;
    }
  };

  /** The number as adapters see it: ids and decrypted credentials (never leaves the server). */
  const toProviderNumber = (row: NumberRow): ProviderNumber => {
    const cacheKey = `${row.id}:${row.updatedAt}:${row.credentials ?? ''}`;
    const cached = opened.get(row.id);
    if (cached?.cacheKey === cacheKey) return cached.number;
    const number = openNumber(row);
    opened.set(row.id, { cacheKey, number });
    return number;
  };

  const openNumber = (row: NumberRow): ProviderNumber => ({
    id: row.id,
    provider: row.provider,
    phone: row.phone,
    region: row.region ?? null,
    phoneNumberId: row.phoneNumberId ?? null,
    wabaId: row.wabaId ?? null,
    appId: row.appId ?? null,
    appName: row.appName ?? null,
    credentials: readCredentials(row) ?? {},
  });

  return {
    format,
    readCredentials,
    toProviderNumber,
    publicUrl,
    adminUrl,

    /** Live numbers of a provider (template and quality updates concern every number of a WABA). */
    async listRows(provider: Provider): Promise<NumberRow[]> {
      return (await query().findMany({ where: { provider, deletedAt: null } })) as NumberRow[];
    },

    /**
     * Which number a webhook event is for. A webhook arrives on one number's URL, but a Meta app sends
     * every number's events to its one callback URL: an event naming another live number of ours is
     * that number's when both share the credential that authenticated the call. Null: not ours.
     */
    router(number: NumberRow) {
      const adapter = adapterFor(number.provider);
      const self = toProviderNumber(number);
      const secretOf = (n: ProviderNumber) => n.credentials.appSecret ?? n.credentials.apiKey ?? null;
      let siblings: NumberRow[] | null = null;
      return async (businessId: string | null): Promise<NumberRow | null> => {
        if (!businessId || adapter.owns(self, businessId)) return number;
        siblings ??= ((await query().findMany({ where: { provider: number.provider, deletedAt: null } })) as NumberRow[]).filter((r) => r.id !== number.id);
        // Same credential: the call that carried this event was authenticated for that number too.
        return siblings.find((r) => adapter.owns(toProviderNumber(r), businessId) && secretOf(toProviderNumber(r)) === secretOf(self)) ?? null;
      };
    },

    /** Live numbers among `numberIds` (the caller's, from the scope service), or all. */
    async list(numberIds: number[] | 'all' = 'all', shown: { webhookUrl?: boolean } = {}): Promise<WhatsAppNumber[]> {
      const where = numberIds === 'all' ? { deletedAt: null } : { deletedAt: null, id: { $in: numberIds } };
      const rows = (await query().findMany({ where, orderBy: { id: 'asc' } })) as NumberRow[];
      return rows.map((row) => format(row, shown));
    },

    async get(id: unknown, shown: { webhookUrl?: boolean } = {}): Promise<WhatsAppNumber> {
      return format(await findRow(id), shown);
    },

    /** The stored row, credentials still sealed; for server code that talks to the provider. */
    findRow,

    /**
     * The number a webhook URL names. Webhooks are the hot path, so lookups are cached briefly;
     * every write here clears the cache, and the short life bounds staleness across instances.
     */
    async findByWebhookKey(key: string): Promise<NumberRow | null> {
      if (!key || key.length > 128) return null;
      const hit = byKey.get(key);
      if (hit && hit.until > Date.now()) return hit.row;
      const row = (await query().findOne({ where: { webhookKey: key, deletedAt: null } })) as NumberRow | null;
      if (byKey.size > 10_000) byKey.clear();
      byKey.set(key, { row, until: Date.now() + KEY_CACHE_MS });
      return row;
    },

    /** A number by id for the inbound worker, cached like `findByWebhookKey` (null when gone). */
    async findRowCached(id: number): Promise<NumberRow | null> {
      const hit = byId.get(id);
      if (hit && hit.until > Date.now()) return hit.row;
      const row = (await query().findOne({ where: { id } })) as NumberRow | null;
      if (byId.size > 10_000) byId.clear();
      byId.set(id, { row, until: Date.now() + KEY_CACHE_MS });
      return row;
    },

    /** `by`: the admin user asking, held to the teams they may assign (none for the app's own calls). */
    async create(body: unknown, by?: ScopedUser): Promise<WhatsAppNumber> {
      const input = await validateCreateNumber(body);
      if (by) getService('scope', { strapi }).assertAssignable(by, input.teamRoleIds);
      await assertTeamsExist(input.teamRoleIds);
      const phone = parseBusinessPhone(input.phone, input.region)!;
      const data: Record<string, unknown> = {
        provider: input.provider,
        phone: phone.e164,
        region: (input.region ?? phone.region)?.toUpperCase() ?? null,
        active: input.active ?? true,
        throughputMps: input.throughputMps ?? getConfig(strapi, 'defaultThroughputMps') ?? 80,
        teamRoleIds: input.teamRoleIds ?? [],
        webhookKey: newWebhookKey(),
        needsReauth: false,
      };
      for (const field of PLAIN_FIELDS) if (input[field] !== undefined && !(field in data)) data[field] = input[field];
      data.label = input.label.trim();
      data.credentials = sealCredentials(input.provider, {}, input);
      data.providerPhoneId = providerPhoneIdOf(data as unknown as NumberRow);
      const row = await save(input.provider, () => query().create({ data }) as Promise<NumberRow>);
      forget();
      return format(row);
    },

    async update(id: unknown, body: unknown, by?: ScopedUser): Promise<WhatsAppNumber> {
      const row = await findRow(id);
      const input = await validateUpdateNumber(body, row as unknown as Partial<NumberInput> & { provider: Provider }, storedSecretNames(row));
      if (by) getService('scope', { strapi }).assertAssignable(by, input.teamRoleIds, row.teamRoleIds ?? []);
      await assertTeamsExist(input.teamRoleIds);
      const data: Record<string, unknown> = {};
      for (const field of PLAIN_FIELDS) if (input[field] !== undefined) data[field] = input[field];
      if (typeof data.region === 'string') data.region = data.region.toUpperCase();
      if (input.phone !== undefined) data.phone = parseBusinessPhone(input.phone, input.region ?? row.region)!.e164;
      if (typeof input.label === 'string') data.label = input.label.trim();

      const touchesSecrets = CREDENTIAL_FIELDS[row.provider].some((f) => typeof input[f] === 'string' && input[f]!.trim() !== '');
      if (touchesSecrets) {
        const current = readCredentials(row);
        data.credentials = sealCredentials(row.provider, current ?? {}, input);
        // New credentials are the usual answer to an auth failure.
        data.needsReauth = false;
      } else if (row.credentials && crypt().needsRotation(row.credentials)) {
        // Saving rewrites credentials of an older format or key with the current one (README: rotation).
        const current = readCredentials(row);
        if (current) data.credentials = sealCredentials(row.provider, current, {});
      }
      data.providerPhoneId = providerPhoneIdOf({ ...row, ...data } as NumberRow);
      const updated = await save(row.provider, () => query().update({ where: { id: row.id }, data }) as Promise<NumberRow>);
      forget();
      if (updated.active && !row.active) await getService('dispatcher', { strapi }).resume(row.id);
      return format(updated);
    },

    /**
     * Retires a number: it leaves every list, its webhook URL stops answering and its secrets are
     * wiped, but the row stays so its conversations and messages keep their history.
     */
    async remove(id: unknown): Promise<WhatsAppNumber> {
      const row = await findRow(id);
      const shown = format(row);
      await query().update({
        where: { id: row.id },
        data: { deletedAt: new Date(), active: false, credentials: null, webhookKey: null, providerPhoneId: null },
      });
      forget();
      return shown;
    },

    /** Asks the provider whether the credentials work and the number is reachable; keeps the answer as the number's health. */
    async check(id: unknown): Promise<{ ok: boolean; reason: string | null; details: Record<string, unknown>; number: WhatsAppNumber }> {
      const row = await findRow(id);
      const ctx = getService('provider-calls', { strapi }).contextFor(row);
      const result = await adapterFor(row.provider).checkConnection(ctx, toProviderNumber(row));
      const authProblem = result.details.errorClass === 'auth-problem';
      const updated = (await query().update({
        where: { id: row.id },
        data: {
          health: result.ok ? 'ok' : 'error',
          healthDetail: { ...result.details, reason: result.reason ?? null },
          checkedAt: new Date(),
          ...(authProblem ? { needsReauth: true } : result.ok ? { needsReauth: false } : {}),
        },
      })) as NumberRow;
      forget();
      return { ok: result.ok, reason: result.reason ?? null, details: result.details, number: format(updated) };
    },
  };
};
