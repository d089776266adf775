import { Box, Field, NumberInput, SingleSelect, SingleSelectOption } from '@strapi/design-system';
import type { WhatsAppNumber } from '../../../contracts/numbers';
import { useTranslate } from '../../hooks/useTranslate';
import { Section } from './Section';
import type { FieldErrors } from './fieldErrors';

const NONE = '__none__';

/** The number new outgoing conversations use when none is chosen. */
export const DefaultNumberSection = ({
  value,
  numbers,
  errors,
  onChange,
}: {
  value: number | null;
  numbers: WhatsAppNumber[] | null;
  errors: FieldErrors;
  onChange: (id: number | null) => void;
}) => {
  const t = useTranslate();
  const label = t('settings.defaultNumber.label', 'Default number');
  const hint = t('settings.defaultNumber.hint', 'Used for outgoing messages when no number is chosen.');
  return (
    <Section id="settings-default-number" title={t('settings.defaultNumber.title', 'Outgoing messages')}>
      <Box maxWidth="32rem">
        <Field.Root name="defaultNumberId" error={errors.defaultNumberId} hint={hint} width="100%">
          <Field.Label>{label}</Field.Label>
          {numbers ? (
            <SingleSelect value={value ? String(value) : NONE} onChange={(v) => onChange(v === NONE ? null : Number(v))}>
              <SingleSelectOption value={NONE}>{t('settings.defaultNumber.none', 'None')}</SingleSelectOption>
              {numbers.map((n) => (
                <SingleSelectOption key={n.id} value={String(n.id)}>
                  {`${n.label} (${n.phone})${n.active ? '' : ` · ${t('settings.defaultNumber.inactive', 'inactive')}`}`}
                </SingleSelectOption>
              ))}
              {value && !numbers.some((n) => n.id === value) && (
                <SingleSelectOption value={String(value)}>{`#${value}`}</SingleSelectOption>
              )}
            </SingleSelect>
          ) : (
            <NumberInput
              value={value ?? undefined}
              step={1}
              min={1}
              onValueChange={(v) => onChange(v ?? null)}
              placeholder={t('settings.defaultNumber.id', 'Number id')}
            />
          )}
          <Field.Hint />
          <Field.Error />
        </Field.Root>
      </Box>
    </Section>
  );
};
