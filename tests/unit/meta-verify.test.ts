import crypto from 'node:crypto';
import { meta } from '../../server/providers/meta';
import type { ProviderNumber } from '../../server/providers/types';
import { fixtureText } from '../helpers/fixtures';

const number: ProviderNumber = {
  id: 1, provider: 'meta', phone: '+15550001111', region: 'US', phoneNumberId: '109876543210987', wabaId: '102030405060708',
  appId: null, appName: null, credentials: { appSecret: 'test-app-secret', verifyToken: 'my-verify-token' },
};
const sign = (raw: string | Buffer, secret = 'test-app-secret') => `sha256=${crypto.createHmac('sha256', secret).update(raw).digest('hex')}`;

describe('Meta signature', () => {
  const raw = fixtureText('meta/inbound-text.json');

  test('the right signature over the exact bytes passes', () => {
    expect(meta.verify({ rawBody: raw, headers: { 'x-hub-signature-256': sign(raw) } }, number)).toEqual({ ok: true });
  });

  test('non-ASCII bytes are hashed as sent', () => {
    const body = '{"object":"whatsapp_business_account","entry":[],"note":"Olá, café ☕"}';
    expect(meta.verify({ rawBody: Buffer.from(body), headers: { 'x-hub-signature-256': sign(Buffer.from(body)) } }, number).ok).toBe(true);
  });

  test.each([
    ['missing header', {}, 401],
    ['another secret', { 'x-hub-signature-256': sign(raw, 'other') }, 401],
    ['not hex', { 'x-hub-signature-256': 'sha256=zz' }, 401],
    ['sha1 style', { 'x-hub-signature-256': 'sha1=abc' }, 401],
  ])('%s is refused', (_n, headers, status) => {
    const result = meta.verify({ rawBody: raw, headers }, number);
    expect(result).toMatchObject({ ok: false, status });
  });

  test('one changed byte is refused', () => {
    const tampered = raw.replace('Hello', 'Hellp');
    expect(meta.verify({ rawBody: tampered, headers: { 'x-hub-signature-256': sign(raw) } }, number).ok).toBe(false);
  });

  test('a number without an app secret cannot accept signed webhooks', () => {
    expect(meta.verify({ rawBody: raw, headers: { 'x-hub-signature-256': sign(raw) } }, { ...number, credentials: {} })).toMatchObject({ ok: false, status: 403 });
  });
});

describe('Meta handshake', () => {
  test('echoes the challenge when the verify token matches', () => {
    expect(meta.handshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'my-verify-token', 'hub.challenge': '1158201444' }, number)).toEqual({ status: 200, body: '1158201444' });
  });
  test('refuses another token with 403 and an incomplete query with 400', () => {
    expect(meta.handshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': '1' }, number).status).toBe(403);
    expect(meta.handshake({ 'hub.challenge': '1' }, number).status).toBe(400);
  });
  test('a token as long as the real one in characters but not in bytes is a 403, not a throw', () => {
    expect(meta.handshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'my-verify-tokén', 'hub.challenge': '1' }, number).status).toBe(403);
    expect(meta.handshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'é'.repeat(15), 'hub.challenge': '1' }, number).status).toBe(403);
  });
});

describe('Meta error classes', () => {
  const graph = (code: number, status = 400) => ({ response: { status, data: { error: { code, message: `(#${code}) x`, error_data: { details: 'd' } } } } });
  test.each([
    [130429, 'rate-limited'],
    [131056, 'pair-rate-limited'],
    [131047, 'window-closed'],
    [131026, 'invalid-recipient'],
    [132000, 'template-problem'],
    [132001, 'template-problem'],
    [190, 'auth-problem'],
    [131000, 'retryable'],
    [100, 'permanent'],
  ])('%s → %s, keeping code and text', (code, cls) => {
    const result = meta.classify(graph(code));
    expect(result).toMatchObject({ class: cls, code: String(code) });
    expect(result.text).toContain(`(#${code})`);
  });
  test('a 5xx without an envelope, a timeout or a reset connection may have been sent; a refused connection or DNS failure is retryable', () => {
    expect(meta.classify({ response: { status: 503, data: 'Service Unavailable' } }).class).toBe('maybe-sent');
    expect(meta.classify({ response: { status: 502, data: '<html>Bad Gateway</html>' } }).class).toBe('maybe-sent');
    expect(meta.classify({ code: 'ECONNRESET', message: 'socket hang up' }).class).toBe('maybe-sent');
    expect(meta.classify({ code: 'ECONNABORTED', message: 'timeout of 15000ms exceeded' }).class).toBe('maybe-sent');
    expect(meta.classify({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }).class).toBe('retryable');
    expect(meta.classify({ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND' }).class).toBe('retryable');
    expect(meta.classify({ code: 'ETIMEDOUT', syscall: 'connect', message: 'connect ETIMEDOUT' }).class).toBe('retryable');
    expect(meta.classify({ response: { status: 500, data: { error: { code: 1, message: 'An unexpected error has occurred. Please retry your request later.' } } } }).class).toBe('retryable');
  });
});
