/** Quiet hours: a daily span of local time (wrapping midnight when it ends before it starts) in which a campaign sends nothing. */
import type { CampaignSchedule } from '../../contracts/campaigns';
import { instantOf } from './schedule';

type Quiet = NonNullable<CampaignSchedule['quietHours']>;

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

/** The local date and minute of the day of an instant in a time zone. */
const localParts = (at: Date, timeZone: string) => {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(at)
      .map((x) => [x.type, x.value])
  );
  return { y: +p.year, mo: +p.month, d: +p.day, minute: +p.hour * 60 + +p.minute };
};

/** The zone quiet hours are read in: their own, else the schedule's, else UTC. */
export const quietZone = (schedule: CampaignSchedule | null | undefined) => schedule?.quietHours?.timeZone || schedule?.timeZone || 'UTC';

/** Whether quiet hours are read in each recipient's own zone rather than one zone for all. */
export const perRecipient = (schedule: CampaignSchedule | null | undefined) => Boolean(schedule?.quietHours?.perRecipient);

/** When the quiet hours around `now` end, or null when `now` is outside them (or none are set); `zone` overrides the campaign's (a recipient's own). */
export const quietUntil = (schedule: CampaignSchedule | null | undefined, now = new Date(), zoneOverride?: string | null): Date | null => {
  const quiet: Quiet | null | undefined = schedule?.quietHours;
  if (!quiet?.start || !quiet?.end) return null;
  const [start, end] = [minutesOf(quiet.start), minutesOf(quiet.end)];
  if (start === end) return null;
  const zone = zoneOverride || quietZone(schedule);
  const local = localParts(now, zone);
  const inside = start < end ? local.minute >= start && local.minute < end : local.minute >= start || local.minute < end;
  if (!inside) return null;
  // The end is later today, or tomorrow when the span wraps past midnight; read as wall time so a DST change is respected.
  const day = new Date(Date.UTC(local.y, local.mo - 1, local.d + (end > local.minute ? 0 : 1)));
  return instantOf(`${day.toISOString().slice(0, 10)}T${quiet.end}`, zone);
};
