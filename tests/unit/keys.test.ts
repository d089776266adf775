import * as keys from '../../server/keys';

/**
 * Stored rows hold these keys under unique indexes: a changed format would let a redelivered event
 * or a retried send through a second time, so each format is pinned here.
 */
describe('event keys', () => {
  test('inbound: one applied event per provider, number and event; one lead per person; ordering per person', () => {
    expect(keys.appliedEventKey('meta', 3, 'message:wamid.A')).toBe('meta:3:message:wamid.A');
    expect(keys.appliedEventKey('gupshup', 12, 'status:gs-1:read')).toBe('gupshup:12:status:gs-1:read');
    // Brazil's ninth digit: both spellings are one person, so one lead.
    expect(keys.autoLeadKey('+551187654321')).toBe('autolead:+5511987654321');
    expect(keys.autoLeadKey('+5511987654321')).toBe('autolead:+5511987654321');
    expect(keys.personOrderKey('15550001111')).toBe('person:15550001111');
  });

  test('outbound: caller keys are scoped to their conversation', () => {
    expect(keys.replyKey(7, 'abc')).toBe('reply:7:abc');
    expect(keys.replyKey(8, 'abc')).not.toBe(keys.replyKey(7, 'abc'));
    expect(keys.outOfHoursKey('2026-01-05T09:00:00.000Z')).toBe('out-of-hours:2026-01-05T09:00:00.000Z');
    expect(keys.firingMessageKey(42)).toBe('firing:42');
    expect(keys.firingSourceRef(5, 42)).toBe('rule:5:firing:42');
  });

  test('notifications: one firing per rule, record (and locale) and occurrence; one reminder per record and day', () => {
    expect(keys.recordKey('doc1')).toBe('doc1');
    expect(keys.recordKey('doc1', 'fr')).toBe('doc1@fr');
    expect(keys.firingKey(5, keys.recordKey('doc1', 'fr'), 'created', 'created')).toBe('5:doc1@fr:created:created');
    expect(keys.reminderKey(5, 'doc1', '2026-01-05')).toBe('5:doc1:dateOffset:2026-01-05');
  });

  test('limits and locks', () => {
    expect(keys.numberRateKey(3)).toBe('number:3');
    expect(keys.pairRateKey(3, '15550001111')).toBe('pair:3:15550001111');
    expect(keys.cronLockKey('template-sync')).toBe('cron:template-sync');
  });
});
