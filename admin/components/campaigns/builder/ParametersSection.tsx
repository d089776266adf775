import { Box, Field, Flex, SingleSelect, SingleSelectOption, Typography } from '@strapi/design-system';
import { useTranslate } from '../../../hooks/useTranslate';
import type { Slot } from '../../notifications/form';
import { PathSelect } from '../../notifications/rule/shared';
import { leftoverErrors, type Binding } from '../form';
import { ErrorList, inputValue, Section, type CampaignSectionProps } from './shared';

interface Props extends CampaignSectionProps {
  slots: Slot[];
  /** Field paths of the audience's records. */
  paths: string[];
  /** Columns of the CSV. */
  columns: string[];
}

/** Where each template parameter comes from (a field, a CSV column or a constant), with a fallback. */
export const ParametersSection = ({ values, errors, change, slots, paths, columns }: Props) => {
  const t = useTranslate();
  if (!slots.length) return null;
  const setBinding = (slot: Slot, patch: Partial<Binding>, i: number) =>
    change({ bindings: { ...values.bindings, [slot.key]: { ...(values.bindings[slot.key] ?? { from: 'field', value: '', fallback: '' }), ...patch } } }, `parameters.${i}.value`);
  const slotLabel = (slot: Slot) => {
    const where = slot.component === 'header' ? t('campaigns.form.param.header', 'Header') : slot.component === 'button' ? t('campaigns.form.param.button', 'Button {n} link', { n: slot.index + 1 }) : t('campaigns.form.param.body', 'Body');
    return `${where} {{${slot.label}}}`;
  };
  const shown = slots.flatMap((_, i) => [`parameters.${i}`, `parameters.${i}.value`, `parameters.${i}.fallback`]);
  return (
    <Section title={t('campaigns.form.params', 'Template parameters')} description={t('campaigns.form.params.hint', 'Without a value and a fallback, a recipient is skipped (missing parameter value).')}>
      <ErrorList messages={leftoverErrors(errors, 'parameters', shown)} />
      {slots.map((slot, i) => {
        const b = values.bindings[slot.key] ?? { from: 'field' as const, value: '', fallback: '' };
        const label = slotLabel(slot);
        const error = [errors[`parameters.${i}`], errors[`parameters.${i}.value`]].filter(Boolean).join('; ') || undefined;
        const valueLabel = t('campaigns.form.param.value', '{param} value', { param: label });
        return (
          <Flex key={slot.key} direction="column" alignItems="stretch" gap={1}>
            <Flex gap={2} alignItems="flex-end" wrap="wrap">
              <Box flex="1 1 150px" minWidth={0}>
                <Field.Root name={`parameters.${i}.from`} width="100%">
                  <Field.Label>{label}</Field.Label>
                  <SingleSelect aria-label={t('campaigns.form.param.source', '{param} from', { param: label })} value={b.from} onChange={(v) => setBinding(slot, { from: v as Binding['from'], value: '' }, i)}>
                    <SingleSelectOption value="field">{t('campaigns.form.param.field', 'A field of the record')}</SingleSelectOption>
                    <SingleSelectOption value="column">{t('campaigns.form.param.column', 'A CSV column')}</SingleSelectOption>
                    <SingleSelectOption value="constant">{t('campaigns.form.param.constant', 'A fixed text')}</SingleSelectOption>
                  </SingleSelect>
                </Field.Root>
              </Box>
              <Box flex="1 1 160px" minWidth={0}>
                {b.from === 'field' && <PathSelect value={b.value} paths={paths} label={valueLabel} placeholder={t('campaigns.form.field.placeholder', 'Choose a field')} onChange={(v) => setBinding(slot, { value: v }, i)} />}
                {b.from === 'column' && <PathSelect value={b.value} paths={columns} label={valueLabel} placeholder={t('campaigns.form.column.placeholder', 'Choose a column')} onChange={(v) => setBinding(slot, { value: v }, i)} />}
                {b.from === 'constant' && (
                  <Field.Root name={`parameters.${i}.value`} width="100%">
                    <Field.Input aria-label={valueLabel} value={b.value} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setBinding(slot, { value: inputValue(e) }, i)} />
                  </Field.Root>
                )}
              </Box>
              <Box flex="1 1 140px" minWidth={0}>
                <Field.Root name={`parameters.${i}.fallback`} width="100%" error={errors[`parameters.${i}.fallback`]}>
                  <Field.Input
                    aria-label={t('campaigns.form.param.fallback', '{param} fallback', { param: label })}
                    placeholder={t('campaigns.form.param.fallback.placeholder', 'Fallback (optional)')}
                    value={b.fallback}
                    onChange={(e: React.ChangeEvent<HTMLInputElement>) => setBinding(slot, { fallback: inputValue(e) }, i)}
                  />
                  <Field.Error />
                </Field.Root>
              </Box>
            </Flex>
            {error && (
              <Typography variant="pi" textColor="danger600" role="alert">
                {error}
              </Typography>
            )}
          </Flex>
        );
      })}
    </Section>
  );
};
