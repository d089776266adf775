import { quietUntil } from '../../server/campaigns/quiet-hours';

const at = (iso: string) => new Date(iso);

test('outside the hours, or with none set, nothing waits', () => {
  expect(quietUntil({ type: 'now', quietHours: { start: '21:00', end: '08:00' } }, at('2027-03-01T12:00:00Z'))).toBeNull();
  expect(quietUntil({ type: 'now' }, at('2027-03-01T23:00:00Z'))).toBeNull();
  expect(quietUntil({ type: 'now', quietHours: { start: '08:00', end: '08:00' } }, at('2027-03-01T08:00:00Z'))).toBeNull();
});

test('hours wrapping midnight end the next morning before midnight, the same morning after it', () => {
  const schedule = { type: 'now' as const, quietHours: { start: '21:00', end: '08:00' } };
  expect(quietUntil(schedule, at('2027-03-01T22:30:00Z'))?.toISOString()).toBe('2027-03-02T08:00:00.000Z');
  expect(quietUntil(schedule, at('2027-03-02T03:00:00Z'))?.toISOString()).toBe('2027-03-02T08:00:00.000Z');
  expect(quietUntil(schedule, at('2027-03-02T08:00:00Z'))).toBeNull();
});

test("the hours are read in their own zone, else the schedule's", () => {
  // 06:30 UTC is 07:30 in Paris (winter): quiet there until 08:00 local, 07:00 UTC.
  expect(quietUntil({ type: 'now', timeZone: 'Europe/Paris', quietHours: { start: '21:00', end: '08:00' } }, at('2027-01-10T06:30:00Z'))?.toISOString()).toBe('2027-01-10T07:00:00.000Z');
  expect(quietUntil({ type: 'now', timeZone: 'Europe/Paris', quietHours: { start: '21:00', end: '08:00', timeZone: 'UTC' } }, at('2027-01-10T06:30:00Z'))?.toISOString()).toBe('2027-01-10T08:00:00.000Z');
});

test('an end across a daylight-saving change is the local wall time', () => {
  // Paris goes to summer time on 2027-03-28 at 02:00: 08:00 local is 06:00 UTC that day.
  expect(quietUntil({ type: 'now', quietHours: { start: '22:00', end: '08:00', timeZone: 'Europe/Paris' } }, at('2027-03-27T22:00:00Z'))?.toISOString()).toBe('2027-03-28T06:00:00.000Z');
});
