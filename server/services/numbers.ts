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
import { newWebhookKey, providerPhoneIdOf, rowCache, saveNumber, type Credentials, type NumberRow } from '../number-rows';
import { parseBusinessPhone } from '../phone';
import { adminUrl, publicUrl } from '../public-url';
import { getConfig, getService } from '../utils';
import { validateCreateNumber, validateUpdateNumber } from '../validation/numbers';
import { toId } from '../ids';
import type { ScopedUser } from './scope';

const PLAIN_FIELDS = ['label', 'region', 'active', 'teamRoleIds', 'throughputMps', 'messagingTier', 'phoneNumberId', 'wabaId', 'appId', 'appName'] as const;

const mask = (value: string): string => `••••${value.length > 8 ? value.slice(-4) : ''}`;

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const query = () => strapi.db.query(UID.number);
  const byKey = rowCache<string>();
  const byId = rowCache<number>();
  const forget = () => {
    byKey.clear();
    byId.clear();
  };
  const crypt = () => getService('crypto', { strapi });

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
      messagingTier: (row.messagingTier as WhatsAppNumber['messagingTier']) ?? null,
      phoneNumberId: row.phoneNumberId ?? null,
      wabaId: row.wabaId ?? null,
      appId: row.appId ?? null,
      appName: row.appName ?? null,
      webhookUrl: webhookUrl ? `${publicUrl(strapi)}${WEBHOOK_PATH}/${row.webhookKey}` : null,
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

  return {
    format,
    readCredentials,
    /** Kept for callers not yet on `getService('provider-calls').for(number)`; that client carries the same opened number. */
    toProviderNumber: (row: NumberRow) => getService('provider-calls', { strapi }).providerNumber(row),
    publicUrl: () => publicUrl(strapi),
    adminUrl: () => adminUrl(strapi),

    /** Live numbers of a provider (template and quality updates concern every number of a WABA). */
    async listRows(provider: Provider): Promise<NumberRow[]> {
      return (await query().findMany({ where: { provider, deletedAt: null } })) as NumberRow[];
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
      return byKey.get(key, async () => (await query().findOne({ where: { webhookKey: key, deletedAt: null } })) as NumberRow | null);
    },

    /** A number by id for the inbound worker, cached like `findByWebhookKey` (null when gone). */
    async findRowCached(id: number): Promise<NumberRow | null> {
      return byId.get(id, async () => (await query().findOne({ where: { id } })) as NumberRow | null);
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
      const row = await saveNumber(input.provider, () => query().create({ data }) as Promise<NumberRow>);
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
      const updated = await saveNumber(row.provider, () => query().update({ where: { id: row.id }, data }) as Promise<NumberRow>);
      forget();
      if (updated.active && (!row.active || (row.needsReauth && !updated.needsReauth))) await getService('outbox', { strapi }).resume(row.id);
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
      const result = await getService('provider-calls', { strapi }).for(row).checkConnection();
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
      if (updated.active && row.needsReauth && !updated.needsReauth) await getService('outbox', { strapi }).resume(row.id);
      return { ok: result.ok, reason: result.reason ?? null, details: result.details, number: format(updated) };
    },
  };
};
