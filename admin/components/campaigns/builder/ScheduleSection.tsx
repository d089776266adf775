import * as React from 'react';
import { Checkbox, Field, Grid, SingleSelect, SingleSelectOption } from '@strapi/design-system';
import { useTranslate } from '../../../hooks/useTranslate';
import { GridField } from '../../FormField';
import { leftoverErrors, type CampaignFormValues } from '../form';
import { ErrorList, inputValue, Section, type CampaignSectionProps } from './shared';

/** Every IANA zone the browser knows, the chosen one kept if it is not among them. */
const timeZones = (current: string) => {
  const zones: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC'];
  return zones.includes(current) || !current ? zones : [current, ...zones];
};

/** Now, once at a date and time in a time zone, or recurring (a preset or cron) until a date; quiet hours. */
export const ScheduleSection = ({ values, errors, set }: CampaignSectionProps) => {
  const t = useTranslate();
  const zones = React.useMemo(() => timeZones(values.timeZone), [values.timeZone]);
  const type = values.scheduleType;
  const input = (key: 'at' | 'until' | 'cron' | 'quietStart' | 'quietEnd', errorKey: string) => (e: React.ChangeEvent<HTMLInputElement>) => set(key, inputValue(e), errorKey);
  const shown = ['schedule.type', 'schedule.at', 'schedule.timeZone', 'schedule.frequency', 'schedule.cron', 'schedule.until', 'schedule.quietHours', 'schedule.quietHours.start', 'schedule.quietHours.end'];
  return (
    <Section title={t('campaigns.form.schedule', 'When')}>
      <ErrorList messages={leftoverErrors(errors, 'schedule', shown)} />
      <Grid.Root gap={5}>
        <GridField name="schedule.type" label={t('campaigns.schedule.type', 'Send')} error={errors['schedule.type']}>
          <SingleSelect value={type} onChange={(v) => set('scheduleType', v as CampaignFormValues['scheduleType'], 'schedule.type')}>
            <SingleSelectOption value="now">{t('campaigns.schedule.now', 'Now, at launch')}</SingleSelectOption>
            <SingleSelectOption value="once">{t('campaigns.schedule.once', 'Once, at a date and time')}</SingleSelectOption>
            <SingleSelectOption value="recurring">{t('campaigns.schedule.recurring', 'Recurring')}</SingleSelectOption>
          </SingleSelect>
        </GridField>
        {type !== 'now' && (
          <GridField name="schedule.timeZone" label={t('campaigns.schedule.timeZone', 'Time zone')} error={errors['schedule.timeZone']}>
            <SingleSelect value={values.timeZone} onChange={(v) => set('timeZone', String(v), 'schedule.timeZone')}>
              {zones.map((z) => (
                <SingleSelectOption key={z} value={z}>
                  {z}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </GridField>
        )}
        {type !== 'now' && (
          <GridField name="schedule.at" label={type === 'once' ? t('campaigns.schedule.at', 'Date and time') : t('campaigns.schedule.start', 'First run no sooner than')} error={errors['schedule.at']} required={type === 'once'}>
            <Field.Input type="datetime-local" value={values.at} onChange={input('at', 'schedule.at')} />
          </GridField>
        )}
        {type === 'recurring' && (
          <>
            <GridField name="schedule.frequency" label={t('campaigns.schedule.frequency', 'Repeat')} error={errors['schedule.frequency']}>
              <SingleSelect value={values.frequency} onChange={(v) => set('frequency', v as CampaignFormValues['frequency'], 'schedule.frequency')}>
                <SingleSelectOption value="daily">{t('campaigns.schedule.daily', 'Every day')}</SingleSelectOption>
                <SingleSelectOption value="weekly">{t('campaigns.schedule.weekly', 'Every week')}</SingleSelectOption>
                <SingleSelectOption value="monthly">{t('campaigns.schedule.monthly', 'Every month')}</SingleSelectOption>
                <SingleSelectOption value="cron">{t('campaigns.schedule.cron', 'A cron expression')}</SingleSelectOption>
              </SingleSelect>
            </GridField>
            {values.frequency === 'cron' && (
              <GridField name="schedule.cron" label={t('campaigns.schedule.cronExpr', 'Cron expression')} error={errors['schedule.cron']} required hint={t('campaigns.schedule.cron.hint', 'Five fields: minute hour day month weekday, e.g. 0 9 * * 1.')}>
                <Field.Input value={values.cron} onChange={input('cron', 'schedule.cron')} placeholder="0 9 * * 1" />
              </GridField>
            )}
            <GridField name="schedule.until" label={t('campaigns.schedule.until', 'Until')} error={errors['schedule.until']} hint={t('campaigns.schedule.until.hint', 'No occurrence starts after this. Empty: no end.')}>
              <Field.Input type="datetime-local" value={values.until} onChange={input('until', 'schedule.until')} />
            </GridField>
          </>
        )}
        <GridField col={3} name="schedule.quietHours.start" label={t('campaigns.schedule.quietStart', 'Quiet hours from')} error={errors['schedule.quietHours.start'] ?? errors['schedule.quietHours']} hint={t('campaigns.schedule.quiet.hint', 'In the schedule’s time zone, or each recipient’s own.')}>
          <Field.Input type="time" value={values.quietStart} onChange={input('quietStart', 'schedule.quietHours')} />
        </GridField>
        <GridField col={3} name="schedule.quietHours.end" label={t('campaigns.schedule.quietEnd', 'to')} error={errors['schedule.quietHours.end']}>
          <Field.Input type="time" value={values.quietEnd} onChange={input('quietEnd', 'schedule.quietHours')} />
        </GridField>
        <Grid.Item col={6} alignItems="center">
          <Checkbox checked={values.quietPerRecipient} onCheckedChange={(c: boolean) => set('quietPerRecipient', c, 'schedule.quietHours')}>
            {t('campaigns.schedule.quietPerRecipient', 'In each recipient’s own time zone (a CSV timezone column, else the phone’s country)')}
          </Checkbox>
        </Grid.Item>
      </Grid.Root>
    </Section>
  );
};
