import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
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

/** Inbound media that a provider hands over as a plain link (Gupshup, AiSensy): no credential needed. */
export const downloadByLink = async (ctx: ProviderContext, _number: ProviderNumber, url: string): Promise<MediaFile> => {
  const bytes = await call<ArrayBuffer>(ctx, 'media-download', { method: 'get', url, responseType: 'arraybuffer', maxContentLength: 101 * 1024 * 1024 });
  return { data: Buffer.from(bytes), mimeType: 'application/octet-stream' };
};

/** An adapter method for something the provider cannot do: it refuses with a typed error. */
export const unsupported =
  (provider: string, what: string) =>
  async (..._args: unknown[]): Promise<never> => {
    throw new UnsupportedByProviderError(provider, what);
  };
