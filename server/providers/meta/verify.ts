import crypto from 'node:crypto';
import type { HandshakeResult, ProviderNumber, VerifyResult, WebhookRequest } from '../types';

const header = (headers: WebhookRequest['headers'], name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Meta signs `sha256=<hex HMAC-SHA256(raw body, app secret)>` over the exact bytes sent; anything
 * re-serialised would not match, so only the raw body is hashed.
 */
export const verify = (request: WebhookRequest, number: ProviderNumber): VerifyResult => {
  const secret = number.credentials.appSecret;
  if (!secret) return { ok: false, status: 403, reason: 'the number has no app secret to check signatures with' };
  const signature = header(request.headers, 'x-hub-signature-256');
  if (!signature) return { ok: false, status: 401, reason: 'missing X-Hub-Signature-256 header' };
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(signature.trim());
  if (!match) return { ok: false, status: 401, reason: 'malformed X-Hub-Signature-256 header' };
  const raw = typeof request.rawBody === 'string' ? Buffer.from(request.rawBody, 'utf8') : request.rawBody;
  const expected = crypto.createHmac('sha256', secret).update(raw).digest();
  const given = Buffer.from(match[1], 'hex');
  if (!crypto.timingSafeEqual(expected, given)) return { ok: false, status: 401, reason: 'signature does not match the body' };
  return { ok: true };
};

/** Meta's GET subscription check: echo `hub.challenge` when the verify token matches. */
export const handshake = (query: Record<string, unknown>, number: ProviderNumber): HandshakeResult => {
  const mode = query['hub.mode'];
  const token = query['hub.verify_token'];
  const challenge = query['hub.challenge'];
  if (mode !== 'subscribe' || typeof challenge !== 'string' || typeof token !== 'string') {
    return { status: 400, body: 'expected hub.mode=subscribe, hub.verify_token and hub.challenge' };
  }
  const expected = Buffer.from(number.credentials.verifyToken ?? '');
  const given = Buffer.from(token);
  // Bytes, not characters: `é` is one character and two bytes, and timingSafeEqual throws on unequal lengths.
  const same = expected.length > 0 && given.length === expected.length && crypto.timingSafeEqual(given, expected);
  return same ? { status: 200, body: challenge } : { status: 403, body: 'verify token does not match' };
};
