import * as React from 'react';
import { Field, Grid, Toggle } from '@strapi/design-system';
import { useTranslate } from '../../../hooks/useTranslate';
import { GridField } from '../../FormField';
import { leftoverErrors, type CampaignFormValues } from '../form';
import { ErrorList, inputValue, Section, type CampaignSectionProps } from './shared';

type NumberKey = 'contactedWithinHours' | 'replyWindowHours' | 'ecosystemRetries' | 'autoPauseWindow' | 'autoPauseRate';

/** Frequency capping, reply attribution, retries and the automatic pause. */
export const OptionsSection = ({ values, errors, set }: CampaignSectionProps) => {
  const t = useTranslate();
  const field = (key: NumberKey, errorKey: string, label: string, hint?: string) => (
    <GridField col={4} name={errorKey} label={label} hint={hint} error={errors[errorKey]}>
      <Field.Input type="number" min={0} value={values[key]} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set(key, inputValue(e) as CampaignFormValues[NumberKey], errorKey)} />
    </GridField>
  );
  const shown = ['options.contactedWithinHours', 'options.replyWindowHours', 'options.ecosystemRetries', 'options.autoPause', 'options.autoPause.window', 'options.autoPause.failureRate'];
  return (
    <Section title={t('campaigns.form.options', 'Options')}>
      <ErrorList messages={leftoverErrors(errors, 'options', shown)} />
      <Grid.Root gap={5}>
        {field('contactedWithinHours', 'options.contactedWithinHours', t('campaigns.options.contacted', 'Skip if another campaign sent within (hours)'), t('campaigns.options.contacted.hint', 'Empty or 0: no check.'))}
        {field('replyWindowHours', 'options.replyWindowHours', t('campaigns.options.reply', 'A reply counts within (hours)'))}
        {field('ecosystemRetries', 'options.ecosystemRetries', t('campaigns.options.ecosystem', 'Retries after a 131049 failure'), t('campaigns.options.ecosystem.hint', 'Each no sooner than 24 h later.'))}
        <GridField col={4} name="options.autoPause" label={t('campaigns.options.autoPause', 'Pause automatically on failures')} error={errors['options.autoPause']}>
          <Toggle checked={values.autoPause} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('autoPause', e.target.checked, 'options.autoPause')} onLabel={t('campaigns.on', 'On')} offLabel={t('campaigns.off', 'Off')} />
        </GridField>
        {values.autoPause && field('autoPauseWindow', 'options.autoPause.window', t('campaigns.options.window', 'Of the last (sends)'))}
        {values.autoPause && field('autoPauseRate', 'options.autoPause.failureRate', t('campaigns.options.rate', 'More than (% failed)'))}
      </Grid.Root>
    </Section>
  );
};
