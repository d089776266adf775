import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
import { MEDIA_DEADLINE_MS, MEDIA_MAX_BYTES } from '../constants';
import { fetchMedia, MediaFetchError, originOf } from './media-fetch';
import { UnsupportedByProviderError, type ApiCall, type MediaFile, type ProviderContext, type ProviderNumber } from './types';

/** Keep-alive sockets shared by every provider call: a send should not pay a TLS handshake. */
const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 256 });

const clients = new Map<string, AxiosInstance>();

export const clientFor = (ctx: ProviderContext): AxiosInstance => {
  const key = `${ctx.baseUrl}|${ctx.timeoutMs ?? 15000}`;
  let client = clients.get(key);
  if (!client) {
    client = axios.create({ baseURL: ctx.baseUrl, timeout: ctx.timeoutMs ?? 15_000, httpAgent, httpsAgent, maxRedirects: 0 });
    clients.set(key, client);
  }
  return client;
};

const SECRET_KEYS = /("?(access_?token|apikey|api_key|apiKey|password|secret|authorization)"?\s*[:=]\s*"?)([^",&\s}]+)/gi;

/** Strips credentials from whatever is written to the API log. */
export const redact = (value: unknown, max = 2000): string | null => {
  if (value === undefined || value === null) return null;
  let text: string;
  if (Buffer.isBuffer(value)) text = `<${value.length} bytes>`;
  else if (typeof value === 'string') text = value;
  else {
    try {
      text = JSON.stringify(value);
    } catch {
      text = String(value);
    }
  }
  return text.replace(SECRET_KEYS, '$1[redacted]').replace(/Bearer\s+[A-Za-z0-9._-]+/g, 'Bearer [redacted]').slice(0, max);
};

/**
 * One provider call, timed and reported to the API log whatever its outcome. Errors are rethrown
 * as axios gives them; the adapter's `classify` reads them.
 */
export const call = async <T>(ctx: ProviderContext, name: string, config: AxiosRequestConfig, extract?: (data: any) => { code?: string | null; text?: string | null }): Promise<T> => {
  const started = Date.now();
  const entry = (status: number | null, data: unknown, error?: { code?: string | null; text?: string | null }): ApiCall => ({
    call: name,
    method: (config.method ?? 'get').toUpperCase(),
    url: redact(`${config.url ?? ''}`.split('?')[0], 500) ?? '',
    status,
    latencyMs: Date.now() - started,
    errorCode: error?.code ?? null,
    errorText: error?.text ?? null,
    requestExcerpt: config.data === undefined ? null : redact(config.data),
    responseExcerpt: redact(data),
  });
  try {
    const res = await clientFor(ctx).request<T>(config);
    ctx.log?.(entry(res.status, config.responseType === 'arraybuffer' ? `<${(res.data as any)?.byteLength ?? 0} bytes>` : res.data));
    return res.data;
  } catch (error) {
    const e = error as { code?: string; message?: string; response?: { status: number; data: unknown } };
    const detail = e.response ? extract?.(e.response.data) ?? {} : { code: e.code ?? null, text: e.message ?? null };
    ctx.log?.(entry(e.response?.status ?? null, e.response?.data, { code: detail.code ?? null, text: detail.text ?? e.message ?? null }));
    throw error;
  }
};

/**
 * A media file at a URL that came from a webhook or a provider answer, through the fetch guard
 * (no private addresses, size cap, overall deadline), reported to the API log like any call.
 */
export const downloadGuarded = async (ctx: ProviderContext, url: string, headers: Record<string, string> = {}): Promise<MediaFile> => {
  const started = Date.now();
  const own = originOf(ctx.baseUrl);
  const allowedOrigins = ctx.media?.allowedOrigins ?? (own ? [own] : []);
  const log = (status: number | null, response: string | null, errorText: string | null) =>
    ctx.log?.({ call: 'media-download', method: 'GET', url: redact(url.split('?')[0], 500) ?? '', status, latencyMs: Date.now() - started, errorCode: null, errorText, requestExcerpt: null, responseExcerpt: response });
  try {
    const file = await fetchMedia(url, { allowedOrigins, maxBytes: ctx.media?.maxBytes ?? MEDIA_MAX_BYTES, deadlineMs: ctx.media?.deadlineMs ?? MEDIA_DEADLINE_MS }, headers);
    log(file.status, `<${file.data.length} bytes>`, null);
    return { data: file.data, mimeType: file.contentType?.split(';')[0].trim() || 'application/octet-stream' };
  } catch (error) {
    log(error instanceof MediaFetchError ? error.status : null, null, (error as Error).message);
    throw error;
  }
};

/** Inbound media that a provider hands over as a plain link (Gupshup, AiSensy): no credential needed. */
export const downloadByLink = async (ctx: ProviderContext, _number: ProviderNumber, url: string): Promise<MediaFile> => downloadGuarded(ctx, url);

/** An adapter method for something the provider cannot do: it refuses with a typed error. */
export const unsupported =
  (provider: string, what: string) =>
  async (..._args: unknown[]): Promise<never> => {
    throw new UnsupportedByProviderError(provider, what);
  };
