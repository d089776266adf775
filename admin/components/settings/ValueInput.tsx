import * as React from 'react';
import { Field, SingleSelect, SingleSelectOption } from '@strapi/design-system';
import type { HostField } from '../../../contracts/host';

/** A value to write into a field: one of its values for an enumeration, free text otherwise. */
export const ValueInput = ({
  name,
  label,
  hint,
  error,
  field,
  value,
  disabled,
  onChange,
}: {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  field: HostField | undefined;
  value: string | null;
  disabled?: boolean;
  onChange: (value: string | null) => void;
}) => (
  <Field.Root name={name} error={error} hint={hint} width="100%">
    <Field.Label>{label}</Field.Label>
    {field?.type === 'enumeration' && field.enum ? (
      <SingleSelect value={value ?? undefined} disabled={disabled} onChange={(v) => onChange(String(v))}>
        {[...field.enum, ...(value && !field.enum.includes(value) ? [value] : [])].map((v) => (
          <SingleSelectOption key={v} value={v}>
            {v}
          </SingleSelectOption>
        ))}
      </SingleSelect>
    ) : (
      <Field.Input
        value={value ?? ''}
        disabled={disabled}
        maxLength={100}
        onChange={(e: React.ChangeEvent<HTMLInputElement>) => onChange(e.target.value.trim() === '' ? null : e.target.value)}
      />
    )}
    <Field.Hint />
    <Field.Error />
  </Field.Root>
);
