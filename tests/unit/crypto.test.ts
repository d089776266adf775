import crypto from 'node:crypto';
import createCrypto from '../../server/services/crypto';

/** The service as Strapi builds it, reading only the plugin config it is given. */
const service = (encryptionKey?: string, previousEncryptionKeys: string[] = []) => {
  const config: Record<string, unknown> = { encryptionKey, previousEncryptionKeys };
  return createCrypto({ strapi: { plugin: () => ({ config: (key: string) => config[key] }) } as any });
};

/** A value as the first release wrote it: SHA-256 of the passphrase as the key, its id in clear. */
const v1 = (plain: string, secret: string) => {
  const key = crypto.createHash('sha256').update(secret, 'utf8').digest();
  const kid = crypto.createHash('sha256').update(key).digest('hex').slice(0, 8);
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', kid, ...[iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'))].join(':');
};

const parts = (stored: string) => stored.split(':');
const b64 = (s: string) => Buffer.from(s, 'base64url');

describe('credentials crypto', () => {
  const secret = 'a passphrase for the tests, long enough';

  test('v2: a round trip, a fresh iv each time, a salt in the value, and the passphrase appears nowhere', () => {
    const c = service(secret);
    const a = c.encrypt('{"accessToken":"EAAG-token"}');
    const b = c.encrypt('{"accessToken":"EAAG-token"}');
    expect(parts(a)).toHaveLength(5);
    expect(parts(a)[0]).toBe('v2');
    expect(b64(parts(a)[1])).toHaveLength(16);
    expect(b64(parts(a)[3])).toHaveLength(16);
    expect(parts(a)[2]).not.toBe(parts(b)[2]);
    expect(a).not.toContain('EAAG');
    expect(c.decrypt(a)).toBe('{"accessToken":"EAAG-token"}');
    expect(c.decrypt(b)).toBe('{"accessToken":"EAAG-token"}');
    expect(c.needsRotation(a)).toBe(false);
  });

  test('v2 is keyed by scrypt, not a bare hash of the passphrase', () => {
    const stored = service(secret).encrypt('x');
    const [, , iv, tag, body] = parts(stored).map(b64);
    const hashKey = crypto.createHash('sha256').update(secret, 'utf8').digest();
    const decipher = crypto.createDecipheriv('aes-256-gcm', hashKey, iv);
    decipher.setAuthTag(tag);
    expect(() => Buffer.concat([decipher.update(body), decipher.final()])).toThrow();
  });

  test('a wrong key opens nothing; a previous key still does', () => {
    const stored = service('the old key').encrypt('secret');
    expect(service('another key').decrypt(stored)).toBeNull();
    const rotated = service('the new key', ['the old key']);
    expect(rotated.decrypt(stored)).toBe('secret');
    expect(rotated.needsRotation(stored)).toBe(true);
    expect(rotated.needsRotation(rotated.encrypt('secret'))).toBe(false);
  });

  test('tampered ciphertext, tag or salt is refused', () => {
    const c = service(secret);
    const stored = c.encrypt('do not touch');
    const flip = (index: number) => {
      const p = parts(stored);
      const bytes = b64(p[index]);
      bytes[0] ^= 1;
      p[index] = bytes.toString('base64url');
      return p.join(':');
    };
    for (const index of [1, 2, 3, 4]) expect(c.decrypt(flip(index))).toBeNull();
  });

  test('a tag shorter than 16 bytes is refused, in v2 and in v1 (GCM would otherwise check only its first bytes)', () => {
    const c = service(secret);
    for (const stored of [c.encrypt('short tags'), v1('short tags', secret)]) {
      expect(c.decrypt(stored)).toBe('short tags');
      for (const length of [4, 8, 12, 15]) {
        const p = parts(stored);
        p[3] = b64(p[3]).subarray(0, length).toString('base64url');
        expect(c.decrypt(p.join(':'))).toBeNull();
      }
    }
  });

  test('v1 values of the first release are still read, with the current or a previous key, and flagged for re-saving', () => {
    expect(service(secret).decrypt(v1('{"apiKey":"k"}', secret))).toBe('{"apiKey":"k"}');
    expect(service('new', [secret]).decrypt(v1('{"apiKey":"k"}', secret))).toBe('{"apiKey":"k"}');
    expect(service('unrelated').decrypt(v1('{"apiKey":"k"}', secret))).toBeNull();
    expect(service(secret).needsRotation(v1('x', secret))).toBe(true);
  });

  test('garbage is no credential, and no key is no encryption', () => {
    const c = service(secret);
    for (const stored of ['', 'v2', 'v2:a:b:c:d', 'v3:a:b:c:d', 'v2:::::', `${c.encrypt('x')}:extra`]) expect(c.decrypt(stored)).toBeNull();
    expect(service(undefined).isConfigured()).toBe(false);
    expect(() => service(undefined).encrypt('x')).toThrow(/no encryption key/);
  });
});
