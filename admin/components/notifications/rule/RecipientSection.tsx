import * as React from 'react';
import { Field, Grid, SingleSelect, SingleSelectOption, Toggle } from '@strapi/design-system';
import { useTranslate } from '../../../hooks/useTranslate';
import { GridField } from '../../FormField';
import { PathSelect, type RuleSectionProps } from './shared';

/** Who gets it (a phone field of the record, or a fixed number), and whether the rule is on. */
export const RecipientSection = ({ values, errors, set, change, phonePaths }: RuleSectionProps & { phonePaths: string[] }) => {
  const t = useTranslate();
  return (
    <Grid.Root gap={5}>
      <GridField name="recipientFrom" label={t('notifications.form.recipientFrom', 'Send to')}>
        <SingleSelect value={values.recipientFrom} onChange={(v) => change({ recipientFrom: v as 'field' | 'constant', recipient: '' }, 'recipient')}>
          <SingleSelectOption value="field">{t('notifications.form.recipient.field', 'A phone field of the record or a related record')}</SingleSelectOption>
          <SingleSelectOption value="constant">{t('notifications.form.recipient.constant', 'A fixed phone number')}</SingleSelectOption>
        </SingleSelect>
      </GridField>
      <GridField
        name="recipient"
        label={t('notifications.form.recipient', 'Recipient')}
        error={errors.recipient}
        required
        hint={values.recipientFrom === 'constant' ? t('notifications.form.recipient.phoneHint', 'International format, e.g. +15550001111.') : undefined}
      >
        {values.recipientFrom === 'field' ? (
          <PathSelect value={values.recipient} paths={phonePaths} onChange={(v) => set('recipient', v)} placeholder={t('notifications.form.recipient.placeholder', 'Choose the phone field')} />
        ) : (
          <Field.Input type="tel" value={values.recipient} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('recipient', e.target.value)} placeholder="+15550001111" />
        )}
      </GridField>
      <GridField name="active" label={t('notifications.form.active', 'Active')} hint={t('notifications.form.active.hint', 'Inactive rules keep their firings but send nothing.')}>
        <Toggle
          checked={values.active}
          onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('active', e.target.checked)}
          onLabel={t('notifications.active.on', 'Active')}
          offLabel={t('notifications.active.off', 'Inactive')}
        />
      </GridField>
    </Grid.Root>
  );
};
