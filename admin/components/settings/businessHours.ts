import { WEEKDAYS, type BusinessHours, type Weekday } from '../../../contracts/settings';

/** What the business hours form holds: every weekday keeps its times while closed. */
export interface HoursDraft {
  enabled: boolean;
  timezone: string;
  days: Record<Weekday, { on: boolean; open: string; close: string }>;
  /** The out-of-hours auto-reply; empty sends none. */
  autoReply: string;
}

const browserZone = () => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
};

export const hoursDraftOf = (hours: BusinessHours | null, autoReply: string | null = null): HoursDraft => ({
  enabled: Boolean(hours),
  autoReply: autoReply ?? '',
  timezone: hours?.timezone ?? browserZone(),
  days: Object.fromEntries(
    WEEKDAYS.map((d) => {
      const set = hours?.days[d];
      // Without hours yet, offer office hours on weekdays as a starting point.
      const on = hours ? Boolean(set) : !['sat', 'sun'].includes(d);
      return [d, { on, open: set?.open ?? '09:00', close: set?.close ?? '17:00' }];
    }),
  ) as HoursDraft['days'],
});

export const businessHoursOf = (draft: HoursDraft): BusinessHours | null =>
  draft.enabled
    ? {
        timezone: draft.timezone,
        days: Object.fromEntries(
          WEEKDAYS.filter((d) => draft.days[d].on).map((d) => [d, { open: draft.days[d].open, close: draft.days[d].close }]),
        ),
      }
    : null;

/** Every IANA zone the browser knows (UTC first), for the time zone picker. */
export const timeZones = (): string[] => {
  const list = (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  return ['UTC', ...list.filter((z) => z !== 'UTC')];
};
