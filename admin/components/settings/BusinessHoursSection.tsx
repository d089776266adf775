import * as React from 'react';
import { Box, Checkbox, Combobox, ComboboxOption, Field, Flex, Grid, Textarea, Toggle, Typography } from '@strapi/design-system';
import { WEEKDAYS, type Weekday } from '../../../contracts/settings';
import { useTranslate, type Translate } from '../../hooks/useTranslate';
import { Section } from './Section';
import { timeZones, type HoursDraft } from './businessHours';
import type { FieldErrors } from './fieldErrors';

export const dayName = (t: Translate, day: Weekday) =>
  ({
    mon: t('settings.hours.mon', 'Monday'),
    tue: t('settings.hours.tue', 'Tuesday'),
    wed: t('settings.hours.wed', 'Wednesday'),
    thu: t('settings.hours.thu', 'Thursday'),
    fri: t('settings.hours.fri', 'Friday'),
    sat: t('settings.hours.sat', 'Saturday'),
    sun: t('settings.hours.sun', 'Sunday'),
  })[day];

/** Labels of the per-number form (bots page): its own hours or the global ones, no auto-reply of its own. */
export interface NumberHoursLabels {
  id: string;
  title: string;
  description: string;
  enabled: string;
  on: string;
  off: string;
}

/** Per weekday opening and closing times in one time zone, or always open (a number's form: `perNumber`, else the global one). */
export const BusinessHoursSection = ({
  value,
  errors,
  onChange,
  perNumber,
  children,
}: {
  value: HoursDraft;
  errors: FieldErrors;
  onChange: (next: HoursDraft) => void;
  perNumber?: NumberHoursLabels;
  children?: React.ReactNode;
}) => {
  const t = useTranslate();
  const zones = React.useMemo(() => {
    const all = timeZones();
    return all.includes(value.timezone) ? all : [value.timezone, ...all];
  }, [value.timezone]);
  const setDay = (day: Weekday, patch: Partial<HoursDraft['days'][Weekday]>) => onChange({ ...value, days: { ...value.days, [day]: { ...value.days[day], ...patch } } });
  const err = (path: string) => errors[`businessHours.${path}`];
  // The combobox shows what is typed; it starts as (and goes back to) the chosen zone.
  const [zoneText, setZoneText] = React.useState(value.timezone);
  React.useEffect(() => setZoneText(value.timezone), [value.timezone]);

  return (
    <Section
      id={perNumber?.id ?? 'settings-hours'}
      title={perNumber?.title ?? t('settings.hours.title', 'Business hours')}
      description={perNumber?.description ?? t('settings.hours.description', 'When your team answers. Without business hours the business counts as always open.')}
    >
      <Field.Root name="businessHours.enabled">
        <Field.Label>{perNumber?.enabled ?? t('settings.hours.enabled', 'Set business hours')}</Field.Label>
        <Toggle
          checked={value.enabled}
          onLabel={perNumber?.on ?? t('settings.hours.on', 'Set')}
          offLabel={perNumber?.off ?? t('settings.hours.off', 'Always open')}
          onChange={(e: React.ChangeEvent<HTMLInputElement>) => onChange({ ...value, enabled: e.target.checked })}
        />
      </Field.Root>
      {value.enabled && (
        <>
          <Box maxWidth="32rem">
            <Field.Root name="businessHours.timezone" error={err('timezone')} required>
              <Field.Label>{t('settings.hours.timezone', 'Time zone')}</Field.Label>
              <Combobox
                value={value.timezone}
                textValue={zoneText}
                onTextValueChange={setZoneText}
                onChange={(v) => (v ? onChange({ ...value, timezone: String(v) }) : undefined)}
                autocomplete={{ type: 'list', filter: 'contains' }}
              >
                {zones.map((z) => (
                  <ComboboxOption key={z} value={z}>
                    {z}
                  </ComboboxOption>
                ))}
              </Combobox>
              <Field.Error />
            </Field.Root>
          </Box>
          {err('days') && <Typography textColor="danger600">{err('days')}</Typography>}
          <Flex tag="ul" direction="column" alignItems="stretch" gap={2} aria-label={t('settings.hours.days', 'Opening times')} style={{ margin: 0, padding: 0 }}>
            {WEEKDAYS.map((day) => {
              const d = value.days[day];
              const name = dayName(t, day);
              return (
                <Box tag="li" key={day} style={{ listStyle: 'none' }} aria-label={name}>
                  <Grid.Root gap={3}>
                    <Grid.Item col={4} s={12} xs={12} alignItems="center">
                      <Checkbox checked={d.on} onCheckedChange={(c) => setDay(day, { on: c === true })}>
                        {name}
                      </Checkbox>
                    </Grid.Item>
                    {d.on ? (
                      <>
                        <Grid.Item col={4} s={6} xs={6} direction="column" alignItems="stretch">
                          <Field.Root name={`businessHours.days.${day}.open`} error={err(`days.${day}.open`)}>
                            <Field.Label>{t('settings.hours.open', 'Opens ({day})', { day: name })}</Field.Label>
                            <Field.Input type="time" value={d.open} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setDay(day, { open: e.target.value })} />
                            <Field.Error />
                          </Field.Root>
                        </Grid.Item>
                        <Grid.Item col={4} s={6} xs={6} direction="column" alignItems="stretch">
                          <Field.Root name={`businessHours.days.${day}.close`} error={err(`days.${day}.close`)}>
                            <Field.Label>{t('settings.hours.close', 'Closes ({day})', { day: name })}</Field.Label>
                            <Field.Input type="time" value={d.close} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setDay(day, { close: e.target.value })} />
                            <Field.Error />
                          </Field.Root>
                        </Grid.Item>
                      </>
                    ) : (
                      <Grid.Item col={8} s={12} xs={12} alignItems="center">
                        <Typography textColor="neutral600">{t('settings.hours.closed', 'Closed')}</Typography>
                      </Grid.Item>
                    )}
                  </Grid.Root>
                </Box>
              );
            })}
          </Flex>
          {!perNumber && (
            <Box maxWidth="48rem">
              <Field.Root
                name="outOfHoursReply"
                error={errors.outOfHoursReply}
                hint={t(
                  'settings.hours.autoReply.hint',
                  'Sent once per conversation and closed period when a customer writes outside these hours. Leave it empty to send nothing.',
                )}
              >
                <Field.Label>{t('settings.hours.autoReply', 'Out-of-hours auto-reply')}</Field.Label>
                <Textarea value={value.autoReply} maxLength={4096} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => onChange({ ...value, autoReply: e.target.value })} />
                <Field.Hint />
                <Field.Error />
              </Field.Root>
            </Box>
          )}
        </>
      )}
      {children}
    </Section>
  );
};
