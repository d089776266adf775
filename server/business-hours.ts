import { WEEKDAYS, type BusinessHours, type Weekday } from '../contracts/settings';

const formatters = new Map<string, Intl.DateTimeFormat>();
const dateFormatters = new Map<string, Intl.DateTimeFormat>();

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

/** The calendar date (`YYYY-MM-DD`) at `at` in a time zone. */
export const localDate = (at: Date, timeZone: string) => {
  let format = dateFormatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormatters.set(timeZone, format);
  }
  return format.format(at);
};

/** The calendar date `days` after `day` (both `YYYY-MM-DD`; negative goes back). */
export const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86400_000).toISOString().slice(0, 10);

/**
 * The opening that ends the closed period `at` falls in, as local `YYYY-MM-DDTHH:mm` (it names the
 * period); null when the business is open then or has no hours.
 */
export const nextOpening = (hours: BusinessHours | null, at: Date = new Date()): string | null => {
  if (!hours || isOpenAt(hours, at)) return null;
  const { day, time } = wallClock(at, hours.timezone);
  const date = localDate(at, hours.timezone);
  const today = WEEKDAYS.indexOf(day);
  for (let offset = 0; offset <= 7; offset += 1) {
    const interval = hours.days[WEEKDAYS[(today + offset) % 7]];
    if (!interval || (offset === 0 && time >= interval.open)) continue;
    return `${addDays(date, offset)}T${interval.open}`;
  }
  return null;
};

/** A number's hours as everything judges them (bots, the out-of-hours reply): its own or the global ones, and its holidays (closed all day). */
export interface NumberHours {
  hours: BusinessHours | null;
  holidays: string[];
}

const holiday = ({ hours, holidays }: NumberHours, at: Date) => Boolean(hours && holidays.includes(localDate(at, hours.timezone)));

/** Open at `at`: no hours means always open; a holiday is closed whatever its weekday says. */
export const openAt = (h: NumberHours, at: Date) => !holiday(h, at) && isOpenAt(h.hours, at);

/**
 * The closed period `at` falls in, named by the opening that ends it (local `YYYY-MM-DDTHH:mm`,
 * holidays skipped); null when open. One name per period, so an answer keyed by it goes once.
 */
export const closedPeriod = (h: NumberHours, at: Date): string | null => {
  if (!h.hours || openAt(h, at)) return null;
  let probe = at;
  // A weekday opening that falls on a holiday is not an opening: look past it, a day at a time.
  for (let i = 0; i <= h.holidays.length + 1; i += 1) {
    const next = holiday(h, probe) ? null : nextOpening(h.hours, probe);
    if (next && !h.holidays.includes(next.slice(0, 10))) return next;
    const day = next ? next.slice(0, 10) : localDate(probe, h.hours.timezone);
    probe = new Date(`${addDays(day, 1)}T00:00:00Z`);
    // Midnight UTC can still be the previous local day west of UTC: step on to that day's noon.
    if (localDate(probe, h.hours.timezone) !== addDays(day, 1)) probe = new Date(probe.getTime() + 12 * 3600_000);
  }
  return `closed-until-${localDate(at, h.hours.timezone)}`;
};
