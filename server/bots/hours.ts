import type { BusinessHours } from '../../contracts/settings';
import { addDays, isOpenAt, localDate, nextOpening } from '../business-hours';

/** A number's hours as bots judge them: its own or the global ones, and its holidays (closed all day). */
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
