import { customerE164, parseBusinessPhone, recordE164, regionOf, samePersonKey } from '../../server/phone';

describe('phone numbers', () => {
  test('business numbers: E.164, national with a region, Meta test range; not garbage', () => {
    expect(parseBusinessPhone('+4915123456789')).toEqual({ e164: '+4915123456789', region: 'DE' });
    expect(parseBusinessPhone('0151 23456789', 'de')).toEqual({ e164: '+4915123456789', region: 'DE' });
    expect(parseBusinessPhone('+15550001111')).toEqual({ e164: '+15550001111', region: 'US' });
    expect(parseBusinessPhone('0151 23456789')).toBeNull();
    expect(parseBusinessPhone('12')).toBeNull();
  });

  test('a customer wa_id becomes E.164', () => {
    expect(customerE164('15550002222')).toBe('+15550002222');
    expect(customerE164('5511987654321')).toBe('+5511987654321');
    expect(customerE164('12')).toBeNull();
  });

  test('phones as people type them in CRM records', () => {
    expect(recordE164('(555) 000-2222', 'US')).toBe('+15550002222');
    expect(recordE164('+55 11 98765-4321')).toBe('+5511987654321');
    expect(recordE164('0049 151 23456789')).toBe('+4915123456789');
    expect(recordE164('not a phone', 'US')).toBeNull();
    expect(recordE164(null)).toBeNull();
  });

  test('national variants of one person share a key', () => {
    // Brazil: mobile numbers with and without the ninth digit.
    expect(samePersonKey('+551187654321')).toBe(samePersonKey('+5511987654321'));
    // Mexico: the old "1" after the country code.
    expect(samePersonKey('+5215512345678')).toBe(samePersonKey('+525512345678'));
    // Argentina: WhatsApp's "9" after the country code.
    expect(samePersonKey('+5491123456789')).toBe(samePersonKey('+541123456789'));
    // Different people stay different.
    expect(samePersonKey('+5511987654321')).not.toBe(samePersonKey('+5511987654322'));
    expect(samePersonKey('+15550002222')).toBe('+15550002222');
  });

  test('a number without a region reads national phones in its own country', () => {
    expect(regionOf({ region: null, phone: '+15550001111' })).toBe('US');
    expect(regionOf({ region: 'GB', phone: '+15550001111' })).toBe('GB');
    expect(regionOf({ region: null, phone: '+5511987654321' })).toBe('BR');
  });
});
