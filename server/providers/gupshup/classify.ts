import { classifyCode, classifyTransport, detailText } from '../meta/classify';
import type { ClassifiedError, ErrorClass, ProviderErrorDetail } from '../types';

/** Gupshup's own codes; Meta's codes pass through Gupshup unchanged and keep Meta's classes. */
const GUPSHUP: Record<string, ErrorClass> = {
  '1002': 'invalid-recipient', // number does not exist on WhatsApp
  '1005': 'auth-problem',
  '1012': 'opted-out', // the number opted out
  '1007': 'auth-problem',
  '4001': 'rate-limited',
  '4002': 'rate-limited',
};

export const classify = (error: unknown): ClassifiedError => {
  const e = error as { code?: string; message?: string; response?: { status?: number; data?: any } };
  if (!e?.response) return classifyTransport(error);
  const data = e.response.data ?? {};
  const code = data.code ?? data.message?.code;
  const text = typeof data.message === 'string' ? data.message : JSON.stringify(data).slice(0, 500);
  const own = code !== undefined ? GUPSHUP[String(code)] : undefined;
  if (own) return { class: own, code: String(code), text, httpStatus: e.response.status };
  // Gupshup's own error envelope on a 5xx says the request failed; anything else (a proxy's page) says nothing.
  if (code === undefined && data.status === 'error' && (e.response.status ?? 0) >= 500) return { class: 'retryable', code: null, text, httpStatus: e.response.status };
  return classifyCode(code ?? null, text, e.response.status);
};

export const classifyDetail = (detail: ProviderErrorDetail): ClassifiedError => {
  const own = GUPSHUP[detail.code];
  return own ? { class: own, code: detail.code, text: detailText(detail) } : classifyCode(detail.code || null, detailText(detail));
};
