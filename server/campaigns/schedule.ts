/** When a campaign's occurrences are due: now, once at a time in a time zone, or recurring (a preset or a cron expression) until an end. */
import { Cron } from 'croner';
import type { CampaignSchedule } from '../../contracts/campaigns';

/** The UTC offset (ms) of a time zone at an instant. */
const offsetAt = (timeZone: string, at: number) => {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(at))
      .map((p) => [p.type, p.value])
  );
  return Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second) - Math.floor(at / 1000) * 1000;
};

export const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** An ISO date-time: with an offset (or Z) as written, without one read as wall time in `timeZone`. */
export const instantOf = (value: string, timeZone = 'UTC'): Date | null => {
  if (/(?:Z|[+-]\d\d:?\d\d)$/i.test(value)) {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  const m = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d))?)?$/.exec(value);
  if (!m) return null;
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  // Twice: the offset at the guessed instant can differ from the offset at the answer around a DST change.
  let at = wall - offsetAt(timeZone, wall);
  at = wall - offsetAt(timeZone, at);
  return new Date(at);
};

/** A preset as a cron expression, at the first run's local time of day (and weekday or day of month). */
export const cronOf = (schedule: CampaignSchedule): string | null => {
  if (schedule.cron) return schedule.cron;
  const zone = schedule.timeZone || 'UTC';
  const first = schedule.at ? instantOf(schedule.at, zone) : null;
  const local = first ? new Date(first.getTime() + offsetAt(zone, first.getTime())) : new Date(Date.UTC(2000, 0, 1, 9));
  const [min, hour] = [local.getUTCMinutes(), local.getUTCHours()];
  if (schedule.frequency === 'daily') return `${min} ${hour} * * *`;
  if (schedule.frequency === 'weekly') return `${min} ${hour} * * ${local.getUTCDay()}`;
  if (schedule.frequency === 'monthly') return `${min} ${hour} ${local.getUTCDate()} * *`;
  return null;
};

/** Why a cron expression cannot be used, or null: five fields, and at most one run an hour (a single minute). */
export const cronProblem = (expression: string, timeZone = 'UTC') => {
  const fields = expression.trim().split(/\s+/);
  if (!expression.trim().startsWith('@') && fields.length !== 5) return 'use five fields: minute hour day-of-month month day-of-week';
  if (fields.length === 5 && !/^[0-5]?\d$/.test(fields[0])) return 'a campaign runs at most once an hour: give a single minute (e.g. 0)';
  try {
    new Cron(expression, { timezone: timeZone, paused: true });
    return null;
  } catch (error) {
    return (error as Error).message;
  }
};

/** The first due time strictly after `after` (and not before `at`), or null when there is none (a past `once`, a recurrence past its end). */
export const nextRun = (schedule: CampaignSchedule, after: Date): Date | null => {
  const zone = schedule.timeZone || 'UTC';
  if (schedule.type === 'now') return null;
  const at = schedule.at ? instantOf(schedule.at, zone) : null;
  if (schedule.type === 'once') return at && at > after ? at : null;
  const expression = cronOf(schedule);
  if (!expression) return null;
  const from = at && at.getTime() - 1000 > after.getTime() ? new Date(at.getTime() - 1000) : after;
  const next = new Cron(expression, { timezone: zone, paused: true }).nextRun(from);
  const until = schedule.until ? instantOf(schedule.until, zone) : null;
  return next && (!until || next <= until) ? next : null;
};
