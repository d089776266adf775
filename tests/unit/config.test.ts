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
    expect(check({ redis: { url: 'redis://127.0.0.1', prefix: '' } })).toThrow(/`redis.prefix`/);
  });
});
