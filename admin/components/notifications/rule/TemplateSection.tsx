import * as React from 'react';
import { Box, Field, Flex, Grid, SingleSelect, SingleSelectOption, Typography } from '@strapi/design-system';
import type { WhatsAppNumber } from '../../../../contracts/numbers';
import type { WhatsAppTemplate } from '../../../../contracts/templates';
import { useTranslate } from '../../../hooks/useTranslate';
import { GridField } from '../../FormField';
import { slotsOf, templateKey, type Mapping } from '../form';
import type { useApprovedTemplates } from '../useTemplates';
import { PathSelect, type RuleSectionProps } from './shared';

type Slot = ReturnType<typeof slotsOf>[number];

export interface TemplateSectionProps extends RuleSectionProps {
  numbers: WhatsAppNumber[];
  templates: ReturnType<typeof useApprovedTemplates>;
  /** The chosen template, once the number's list has it. */
  template: WhatsAppTemplate | undefined;
  slots: Slot[];
  /** Fields the settings let this type send. */
  sentPaths: string[];
}

/** What is sent: the number, its approved template, and where each of the template's parameters comes from. */
export const TemplateSection = ({ values, errors, set, change, numbers, templates, template, slots, sentPaths }: TemplateSectionProps) => {
  const t = useTranslate();
  const setMapping = (slot: string, mapping: Mapping) => change({ mapping: { ...values.mapping, [slot]: mapping } }, 'parameters');

  const slotLabel = (slot: Slot) => {
    const where =
      slot.component === 'header'
        ? t('notifications.form.param.header', 'Header')
        : slot.component === 'button'
          ? t('notifications.form.param.button', 'Button {n} link', { n: slot.index + 1 })
          : t('notifications.form.param.body', 'Body');
    return `${where} {{${slot.label}}}`;
  };

  const templateHint = () => {
    if (!values.numberId) return t('notifications.form.template.pickNumber', 'Choose a number first.');
    if (templates.status === 'loading') return t('notifications.form.template.loading', 'Loading templates…');
    if (templates.status === 'error') return t('notifications.form.template.error', 'Could not load this number’s templates.');
    if (!templates.templates.length) return t('notifications.form.template.none', 'This number has no approved template. Create one at your provider and sync templates.');
    return t('notifications.form.template.hint', 'Approved templates of this number.');
  };

  return (
    <>
      <Grid.Root gap={5}>
        <GridField name="numberId" label={t('notifications.form.number', 'Number')} error={errors.numberId} required>
          <SingleSelect value={values.numberId || null} onChange={(v) => change({ numberId: String(v), template: '' }, 'numberId')} placeholder={t('notifications.form.number.placeholder', 'Choose a number')}>
            {numbers.map((n) => (
              <SingleSelectOption key={n.id} value={String(n.id)}>
                {`${n.label} (${n.phone})`}
              </SingleSelectOption>
            ))}
          </SingleSelect>
        </GridField>
        <GridField name="template" label={t('notifications.form.template', 'Template')} error={errors.template} required hint={templateHint()}>
          <SingleSelect value={values.template || null} onChange={(v) => set('template', String(v))} disabled={!values.numberId} placeholder={t('notifications.form.template.placeholder', 'Choose a template')}>
            {/* The rule's template shows while the list loads, and stays if it is no longer approved, so saving keeps it. */}
            {values.template && !template && <SingleSelectOption value={values.template}>{values.template.replace('|', ' · ')}</SingleSelectOption>}
            {templates.templates.map((tpl) => (
              <SingleSelectOption key={tpl.id} value={templateKey(tpl)}>
                {`${tpl.name} · ${tpl.language}`}
              </SingleSelectOption>
            ))}
          </SingleSelect>
        </GridField>
      </Grid.Root>

      {slots.length > 0 && (
        <Box tag="section" aria-label={t('notifications.form.params.title', 'Template parameters')}>
          <Flex direction="column" alignItems="stretch" gap={3}>
            <Typography variant="delta" tag="h3">
              {t('notifications.form.params.title', 'Template parameters')}
            </Typography>
            {slots.map((slot) => {
              const m = values.mapping[slot.key] ?? { from: 'field' as const, value: '' };
              const label = slotLabel(slot);
              const valueLabel = t('notifications.form.param.value', '{param} value', { param: label });
              return (
                <Flex key={slot.key} gap={2} alignItems="flex-end" wrap="wrap">
                  <Box flex="1 1 150px" minWidth={0}>
                    <Field.Root name={`param-${slot.key}`} width="100%">
                      <Field.Label>{label}</Field.Label>
                      <SingleSelect aria-label={t('notifications.form.param.source', '{param} from', { param: label })} value={m.from} onChange={(v) => setMapping(slot.key, { from: v as Mapping['from'], value: '' })}>
                        <SingleSelectOption value="field">{t('notifications.form.param.field', 'A field of the record')}</SingleSelectOption>
                        <SingleSelectOption value="constant">{t('notifications.form.param.constant', 'A fixed text')}</SingleSelectOption>
                        <SingleSelectOption value="link">{t('notifications.form.param.link', 'The record’s admin link')}</SingleSelectOption>
                      </SingleSelect>
                    </Field.Root>
                  </Box>
                  <Box flex="1 1 180px" minWidth={0}>
                    {m.from === 'field' && (
                      <PathSelect value={m.value} paths={sentPaths} label={valueLabel} placeholder={t('notifications.form.field.placeholder', 'Choose a field')} onChange={(v) => setMapping(slot.key, { from: 'field', value: v })} />
                    )}
                    {m.from === 'constant' && (
                      <Field.Root name={`param-${slot.key}-value`} width="100%">
                        <Field.Input aria-label={valueLabel} value={m.value} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setMapping(slot.key, { from: 'constant', value: e.target.value })} />
                      </Field.Root>
                    )}
                  </Box>
                </Flex>
              );
            })}
            {errors.parameters && (
              <Typography variant="pi" textColor="danger600" role="alert">
                {errors.parameters}
              </Typography>
            )}
          </Flex>
        </Box>
      )}
    </>
  );
};
