import * as React from 'react';
import { Field, Grid, NumberInput, SingleSelect, SingleSelectOption } from '@strapi/design-system';
import type { HostContentType } from '../../../../contracts/host';
import { useTranslate } from '../../../hooks/useTranslate';
import { GridField } from '../../FormField';
import { EVENTS, type RuleFormValues } from '../form';
import { eventLabel } from '../messages';
import { PathSelect, type RuleSectionProps } from './shared';

/** What fires the rule: its name, the content type, the event and the event's field. */
export const TriggerSection = ({ values, errors, set, change, types, ownPaths, datePaths }: RuleSectionProps & { types: HostContentType[]; ownPaths: string[]; datePaths: string[] }) => {
  const t = useTranslate();
  const fieldPlaceholder = t('notifications.form.field.placeholder', 'Choose a field');
  return (
    <Grid.Root gap={5}>
      <GridField name="name" label={t('notifications.form.name', 'Name')} error={errors.name} required>
        <Field.Input value={values.name} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('name', e.target.value)} autoComplete="off" />
      </GridField>
      <GridField name="contentType" label={t('notifications.form.contentType', 'Content type')} error={errors.contentType} required hint={t('notifications.form.contentType.hint', 'The CRM records whose events send the template.')}>
        <SingleSelect
          value={values.contentType || null}
          onChange={(v) => change({ contentType: String(v), field: '', condition: [], mapping: {}, recipient: '' }, 'contentType')}
          placeholder={t('notifications.form.contentType.placeholder', 'Choose a content type')}
        >
          {types.map((ty) => (
            <SingleSelectOption key={ty.uid} value={ty.uid}>
              {ty.displayName}
            </SingleSelectOption>
          ))}
        </SingleSelect>
      </GridField>
      <GridField name="event" label={t('notifications.form.event', 'Event')} error={errors.event} required>
        <SingleSelect value={values.event} onChange={(v) => set('event', v as RuleFormValues['event'])}>
          {EVENTS.map((e) => (
            <SingleSelectOption key={e} value={e}>
              {eventLabel(t, e)}
            </SingleSelectOption>
          ))}
        </SingleSelect>
      </GridField>
      {values.event === 'fieldChanged' && (
        <>
          <GridField name="field" label={t('notifications.form.field', 'Field')} error={errors.field} required>
            <PathSelect value={values.field} paths={ownPaths} onChange={(v) => set('field', v)} placeholder={fieldPlaceholder} />
          </GridField>
          <GridField name="value" label={t('notifications.form.value', 'Changed to')} error={errors.value} hint={t('notifications.form.value.hint', 'Only when it changes to this value. Leave empty for any change.')}>
            <Field.Input value={values.value} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('value', e.target.value)} autoComplete="off" />
          </GridField>
        </>
      )}
      {values.event === 'dateOffset' && (
        <>
          <GridField name="field" label={t('notifications.form.dateField', 'Date field')} error={errors.field} required>
            <PathSelect value={values.field} paths={datePaths} onChange={(v) => set('field', v)} placeholder={fieldPlaceholder} />
          </GridField>
          <GridField
            name="offsetDays"
            label={t('notifications.form.offsetDays', 'Offset in days')}
            error={errors.offsetDays}
            required
            hint={t('notifications.form.offsetDays.hint', 'Negative: days before the date (-3: three days before); 0: on the day; positive: after.')}
          >
            <NumberInput value={values.offsetDays} onValueChange={(v) => set('offsetDays', v)} step={1} min={-365} max={365} />
          </GridField>
        </>
      )}
    </Grid.Root>
  );
};
