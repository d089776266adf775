import config from '../../server/config';

const check = (extra: Record<string, unknown>) => () => config.validator({ ...config.default(), ...extra } as any);

describe('plugin config: redis', () => {
  test('unset or a redis:// / rediss:// URL with a plain prefix is accepted', () => {
    expect(check({ redis: { url: undefined, prefix: 'whatsapp' } })).not.toThrow();
    expect(check({ redis: { url: 'redis://127.0.0.1:6379/2', prefix: 'crm-prod.wa_1' } })).not.toThrow();
    expect(check({ redis: { url: 'rediss://user:secret@redis.example.com:6380' } })).not.toThrow();
  });

  test('anything else is refused with the key it is about', () => {
    expect(check({ redis: 'redis://127.0.0.1:6379' })).toThrow(/`redis` must be an object/);
    expect(check({ redis: { url: 'http://127.0.0.1:6379' } })).toThrow(/`redis.url`/);
    expect(check({ redis: { url: 6379 } })).toThrow(/`redis.url`/);
    expect(check({ redis: { url: 'redis://127.0.0.1', prefix: 'has spaces' } })).toThrow(/`redis.prefix`/);
    expect(check({ redis: { url: 'redis://127.0.0.1', prefix: 'a:b' } })).toThrow(/`redis.prefix`/);
  });
});

describe('plugin config: an empty string means unset', () => {
  const fp = require('lodash/fp');
  // As Strapi loads a plugin's config: the user's object over the defaults, then the validator, then kept.
  const load = (user: Record<string, unknown>) => {
    const merged = fp.defaultsDeep(config.default(), user);
    config.validator(merged);
    return merged;
  };

  test('`WHATSAPP_PUBLIC_URL=` (and every other blank string key) falls back to the default instead of stopping Strapi', () => {
    const loaded = load({
      publicUrl: '',
      encryptionKey: '  ',
      previousEncryptionKeys: ['', 'old-key'],
      redis: { url: '', prefix: '' },
      cron: { templateSync: '' },
      providers: { meta: { baseUrl: '' }, gupshup: { baseUrl: 'http://127.0.0.1:9' } },
    });
    expect(loaded.publicUrl).toBeUndefined();
    expect(loaded.encryptionKey).toBeUndefined();
    expect(loaded.previousEncryptionKeys).toEqual(['old-key']);
    expect(loaded.redis).toEqual({ prefix: 'whatsapp' });
    expect(loaded.cron.templateSync).toBe('17 * * * *');
    expect(loaded.providers.meta.baseUrl).toBe('https://graph.facebook.com');
    expect(loaded.providers.gupshup.baseUrl).toBe('http://127.0.0.1:9');
  });

  test('an empty variable read by the defaults is unset too', () => {
    const before = process.env.WHATSAPP_PUBLIC_URL;
    process.env.WHATSAPP_PUBLIC_URL = '';
    try {
      expect(config.default().publicUrl).toBeUndefined();
    } finally {
      if (before === undefined) delete process.env.WHATSAPP_PUBLIC_URL;
      else process.env.WHATSAPP_PUBLIC_URL = before;
    }
  });

  test('a non-empty wrong value is still refused', () => {
    expect(() => load({ publicUrl: 'crm.example.com' })).toThrow(/`publicUrl` must start with http/);
  });
});
