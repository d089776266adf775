import type { ClassifiedError, ErrorClass, ProviderErrorDetail } from '../types';

/** Meta error codes by what the outbox should do about them (reference §7.2). */
const BY_CODE: Record<string, ErrorClass> = {
  '0': 'auth-problem',
  '3': 'auth-problem',
  '10': 'auth-problem',
  '190': 'auth-problem',
  '131005': 'auth-problem',
  '4': 'rate-limited',
  '80007': 'rate-limited',
  '130429': 'rate-limited',
  '131048': 'rate-limited',
  '131056': 'pair-rate-limited',
  '1': 'retryable',
  '2': 'retryable',
  '131000': 'retryable',
  '131016': 'retryable',
  '131057': 'retryable',
  '131047': 'window-closed',
  '131021': 'invalid-recipient',
  '131026': 'invalid-recipient',
  '131030': 'invalid-recipient',
  '131050': 'opted-out',
  '132000': 'template-problem',
  '132001': 'template-problem',
  '132005': 'template-problem',
  '132007': 'template-problem',
  '132012': 'template-problem',
  '132015': 'template-problem',
  '132016': 'template-problem',
};

/** Failures before a connection existed: the request cannot have reached the provider. */
const NEVER_ARRIVED = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND', 'ERR_SOCKET_CONNECTION_TIMEOUT']);
/** Failures after the request may have been written: the provider may have acted on it. */
const LOST_ANSWER = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'ERR_CANCELED']);

export const classifyCode = (code: string | number | null | undefined, text: string, httpStatus?: number): ClassifiedError => {
  const key = code === null || code === undefined ? '' : String(code);
  let cls: ErrorClass | undefined = BY_CODE[key];
  if (!cls && /^2\d\d$/.test(key)) cls = 'auth-problem'; // 200–299: permission not granted
  if (!cls && httpStatus !== undefined) {
    if (httpStatus === 401 || httpStatus === 403) cls = 'auth-problem';
    else if (httpStatus === 429) cls = 'rate-limited';
    // A 5xx without the provider's own error (a proxy's 502/504, a bare 500) says nothing about
    // whether the provider acted on the request.
    else if (httpStatus >= 500) cls = key ? 'retryable' : 'maybe-sent';
  }
  return { class: cls ?? 'permanent', code: key || null, text, httpStatus };
};

/**
 * Classifies whatever a Graph call failed with: an HTTP answer carrying Meta's error envelope, an
 * HTTP answer without one, or a network failure before any answer.
 */
/**
 * A failure before any HTTP answer. Retried only when the request cannot have arrived (refused,
 * DNS, a connect that timed out); a timeout or reset once connected may follow a send the
 * provider carried out.
 */
export const classifyTransport = (error: unknown): ClassifiedError => {
  const e = error as { code?: string; message?: string; syscall?: string };
  const text = e?.message ?? String(error);
  const code = e?.code ?? null;
  if (code && (NEVER_ARRIVED.has(code) || (e.syscall === 'connect' && code === 'ETIMEDOUT'))) return { class: 'retryable', code, text };
  if (code && LOST_ANSWER.has(code)) return { class: 'maybe-sent', code, text };
  return { class: 'permanent', code, text };
};

export const classify = (error: unknown): ClassifiedError => {
  const response = (error as { response?: { status?: number; data?: any } })?.response;
  if (!response) return classifyTransport(error);
  const body = response.data?.error;
  if (body && typeof body === 'object') {
    const details = body.error_data?.details;
    const text = [body.message, details].filter(Boolean).join(' — ');
    return classifyCode(body.code, text || `HTTP ${response.status}`, response.status);
  }
  return classifyCode(null, `HTTP ${response.status}`, response.status);
};

export const detailText = (d: ProviderErrorDetail) => [d.message ?? d.title, d.details].filter(Boolean).join(' — ') || `error ${d.code}`;

export const classifyDetail = (detail: ProviderErrorDetail): ClassifiedError => classifyCode(detail.code || null, detailText(detail));
