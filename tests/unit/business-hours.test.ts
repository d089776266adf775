import { isOpenAt, nextOpening, wallClock } from '../../server/business-hours';
import type { BusinessHours } from '../../contracts/settings';

const BERLIN: BusinessHours = {
  timezone: 'Europe/Berlin',
  days: { mon: { open: '09:00', close: '17:30' }, sat: { open: '10:00', close: '12:00' } },
};

test('no business hours is always open', () => {
  expect(isOpenAt(null, new Date('2026-03-29T03:00:00Z'))).toBe(true);
});

test('the wall clock is read in the time zone, summer time included', () => {
  // 30 March 2026 is a Monday, the day after Berlin moves to CEST (UTC+2).
  expect(wallClock(new Date('2026-03-30T07:00:00Z'), 'Europe/Berlin')).toEqual({ day: 'mon', time: '09:00' });
  // In winter (CET, UTC+1).
  expect(wallClock(new Date('2026-01-05T08:00:00Z'), 'Europe/Berlin')).toEqual({ day: 'mon', time: '09:00' });
  // Sunday late evening in UTC is already Monday in Tokyo.
  expect(wallClock(new Date('2026-03-29T23:30:00Z'), 'Asia/Tokyo')).toEqual({ day: 'mon', time: '08:30' });
  expect(wallClock(new Date('2026-03-30T00:05:00Z'), 'UTC')).toEqual({ day: 'mon', time: '00:05' });
});

test.each([
  ['Monday 09:00 Berlin (opening time)', '2026-03-30T07:00:00Z', true],
  ['Monday 08:59 Berlin', '2026-03-30T06:59:00Z', false],
  ['Monday 17:29 Berlin', '2026-03-30T15:29:00Z', true],
  ['Monday 17:30 Berlin (closing time)', '2026-03-30T15:30:00Z', false],
  ['Tuesday noon Berlin (closed day)', '2026-03-31T10:00:00Z', false],
  ['Saturday 11:00 Berlin', '2026-04-04T09:00:00Z', true],
  ['Monday 09:30 in winter', '2026-01-05T08:30:00Z', true],
  ['Monday 08:30 in winter (CET, UTC+1)', '2026-01-05T07:30:00Z', false],
])('%s', (_name, iso, open) => {
  expect(isOpenAt(BERLIN, new Date(iso))).toBe(open);
});

test('a closed period is named by the opening that ends it, in the time zone', () => {
  // 2026-03-30 is a Monday; Berlin is UTC+2 then.
  expect(nextOpening(BERLIN, new Date('2026-03-30T05:00:00Z'))).toBe('2026-03-30T09:00');
  expect(nextOpening(BERLIN, new Date('2026-03-30T07:00:00Z'))).toBeNull();
  // After Monday's close, and all of Tuesday to Friday, the next opening is Saturday 10:00.
  expect(nextOpening(BERLIN, new Date('2026-03-30T16:00:00Z'))).toBe('2026-04-04T10:00');
  expect(nextOpening(BERLIN, new Date('2026-04-02T12:00:00Z'))).toBe('2026-04-04T10:00');
  // Sunday evening in Berlin is Monday morning's period; a week wraps around.
  expect(nextOpening(BERLIN, new Date('2026-04-05T20:00:00Z'))).toBe('2026-04-06T09:00');
  expect(nextOpening({ timezone: 'UTC', days: { mon: { open: '09:00', close: '10:00' } } }, new Date('2026-03-30T11:00:00Z'))).toBe('2026-04-06T09:00');
  expect(nextOpening(null)).toBeNull();
});
