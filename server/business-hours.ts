import type { BusinessHours, Weekday } from '../contracts/settings';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The weekday and `HH:mm` wall-clock time at `at` in a time zone (DST included, via Intl). */
export const wallClock = (at: Date, timeZone: string): { day: Weekday; time: string } => {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return { day: parts.weekday.toLowerCase().slice(0, 3) as Weekday, time: `${parts.hour}:${parts.minute}` };
};

/**
 * Whether the business is open at `at`: no business hours means always open; otherwise the
 * weekday's interval in the settings' time zone, opening time included and closing time not.
 */
export const isOpenAt = (hours: BusinessHours | null, at: Date = new Date()) => {
  if (!hours) return true;
  const { day, time } = wallClock(at, hours.timezone);
  const interval = hours.days[day];
  return Boolean(interval && time >= interval.open && time < interval.close);
};
