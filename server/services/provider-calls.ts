import type { Core } from '@strapi/strapi';
import { API_LOG_BUFFER_MAX_ROWS, UID } from '../constants';
import type { NumberRow } from '../number-rows';
import {
  adapterFor,
  type ApiCall,
  type CanonicalEvent,
  type ClassifiedError,
  type ConnectionCheck,
  type HandshakeResult,
  type MediaFile,
  type OutboundMessage,
  type ProviderAdapter,
  type ProviderContext,
  type ProviderErrorDetail,
  type ProviderNumber,
  type ProviderTemplate,
  type SendResult,
  type VerifyResult,
  type WebhookRequest,
} from '../providers';
import { originOf } from '../providers/media-fetch';
import { rowInserter } from '../db-rows';
import { createLogBuffer } from '../log-buffer';
import { getConfig, getService } from '../utils';

const LOG_FLUSH_MS = 50;
const LOG_BATCH = 200;

/**
 * One number's provider, ready to call: the adapter, the call context (base URL, API log) and the
 * number's ids and opened credentials bound together, so a caller names the number once.
 */
export interface ProviderClient {
  readonly provider: NumberRow['provider'];
  readonly capabilities: ProviderAdapter['capabilities'];
  /** The number as the adapter sees it: ids and decrypted credentials (never leaves the server). */
  readonly number: ProviderNumber;
  /** False when stored credentials cannot be decrypted (the encryption key changed): never to be read as "none set". */
  readonly credentialsReadable: boolean;
  send(message: OutboundMessage): Promise<SendResult>;
  /** Marks a customer's message read (and shows typing where the provider can). */
  markRead(messageId: string, typing?: boolean): Promise<SendResult>;
  listTemplates(): Promise<ProviderTemplate[]>;
  downloadMedia(ref: string): Promise<MediaFile>;
  uploadMedia(file: MediaFile): Promise<{ mediaId: string }>;
  checkConnection(): Promise<ConnectionCheck>;
  classify(error: unknown): ClassifiedError;
  classifyDetail(detail: ProviderErrorDetail): ClassifiedError;
  /** Whether an id a webhook names the business by is this number's. */
  owns(businessId: string): boolean;
  verify(request: WebhookRequest): VerifyResult;
  handshake(query: Record<string, unknown>): HandshakeResult;
  parse(body: unknown): CanonicalEvent[];
}

/**
 * What adapters need from the plugin for one number: the provider's base URL (configurable, so
 * tests and the demo use the simulator) and an API-log writer. Log rows are written without
 * waiting: a slow log must never slow a send.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const apiLog = createLogBuffer<Record<string, unknown>>(
    { insert: (rows) => rowInserter(strapi, UID.apiLog).insert(strapi.db.connection, rows), warn: (message) => strapi.log.warn(message) },
    { flushMs: LOG_FLUSH_MS, batch: LOG_BATCH, maxRows: API_LOG_BUFFER_MAX_ROWS }
  );
  const opened = new Map<number, { cacheKey: string; number: ProviderNumber; readable: boolean }>();

  /** Built once per number and configuration (a send is a hot path): `config.set` replaces the objects compared here. */
  const contexts = new Map<string, { providers: unknown; media: unknown; context: ProviderContext }>();
  const contextFor = (number: Pick<NumberRow, 'id' | 'provider'>): ProviderContext => {
    const providers = getConfig(strapi, 'providers') ?? {};
    const media = getConfig(strapi, 'media') ?? {};
    const key = `${number.id}:${number.provider}`;
    const hit = contexts.get(key);
    if (hit && hit.providers === providers && hit.media === media) return hit.context;
    const settings = providers[number.provider] ?? {};
    const context: ProviderContext = {
      baseUrl: String(settings.baseUrl ?? '').replace(/\/+$/, ''),
      // Only the configured provider origins may be private (the simulator in tests and the demo); matched exactly.
      media: { allowedOrigins: Object.values(providers).map((p) => originOf(p?.baseUrl)).filter((o): o is string => Boolean(o)), maxBytes: media.maxBytes, deadlineMs: media.deadlineMs },
      graphVersion: number.provider === 'meta' ? providers.meta?.graphVersion : undefined,
      timeoutMs: 15_000,
      log: (entry: ApiCall) => apiLog.add({ ...entry, numberId: number.id }),
    };
    contexts.set(key, { providers, media, context });
    return context;
  };

  /** The number's ids and decrypted credentials, opened once per stored version of the row (webhooks and sends are hot paths). */
  const open = (row: NumberRow) => {
    const cacheKey = `${row.id}:${row.updatedAt}:${row.credentials ?? ''}`;
    const cached = opened.get(row.id);
    if (cached?.cacheKey === cacheKey) return cached;
    const credentials = getService('numbers', { strapi }).readCredentials(row);
    const number: ProviderNumber = {
      id: row.id,
      provider: row.provider,
      phone: row.phone,
      region: row.region ?? null,
      phoneNumberId: row.phoneNumberId ?? null,
      wabaId: row.wabaId ?? null,
      appId: row.appId ?? null,
      appName: row.appName ?? null,
      credentials: credentials ?? {},
    };
    const entry = { cacheKey, number, readable: credentials !== null };
    opened.set(row.id, entry);
    return entry;
  };
  const providerNumber = (row: NumberRow): ProviderNumber => open(row).number;

  /** Credentials are opened on first use (a capability check needs none); the context is built per client, as config may change at run time. */
  const bind = (row: NumberRow): ProviderClient => {
    const adapter = adapterFor(row.provider);
    const ctx = contextFor(row);
    const number = () => providerNumber(row);
    return {
      provider: row.provider,
      capabilities: adapter.capabilities,
      get number() {
        return number();
      },
      get credentialsReadable() {
        return open(row).readable;
      },
      send: (message) => adapter.send(ctx, number(), message),
      markRead: (messageId, typing) => adapter.markRead(ctx, number(), messageId, typing ? { typing } : undefined),
      listTemplates: () => adapter.listTemplates(ctx, number()),
      downloadMedia: (ref) => adapter.downloadMedia(ctx, number(), ref),
      uploadMedia: (file) => adapter.uploadMedia(ctx, number(), file),
      checkConnection: () => adapter.checkConnection(ctx, number()),
      classify: (error) => adapter.classify(error),
      classifyDetail: (detail) => adapter.classifyDetail(detail),
      owns: (businessId) => adapter.owns(number(), businessId),
      verify: (request) => adapter.verify(request, number()),
      handshake: (query) => adapter.handshake(query, number()),
      parse: (body) => adapter.parse(body),
    };
  };

  return {
    /** Writes the API log rows still waiting (the log page reads them at once; the plugin's stop keeps them). */
    flushLog: () => apiLog.flush(),
    /** The provider client of one number: every call to a provider goes through one of these. */
    for: bind,
    providerNumber,
    contextFor,
  };
};
