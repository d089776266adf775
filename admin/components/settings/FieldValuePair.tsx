import * as React from 'react';
import { Grid } from '@strapi/design-system';
import type { HostField } from '../../../contracts/host';
import { FieldSelect, fieldFilters } from './FieldSelect';
import { ValueInput } from './ValueInput';

/** One half-width cell of a settings grid (full width on phones). */
export const Cell = ({ children }: { children: React.ReactNode }) => (
  <Grid.Item col={6} s={12} xs={12} direction="column" alignItems="stretch">
    {children}
  </Grid.Item>
);

/**
 * A field of the host type and the value written into it (a lead's status, a ticket's status…):
 * the value follows the field (an enumeration offers its values) and is cleared when the field is.
 */
export const FieldValuePair = ({
  base,
  fieldKey,
  valueKey,
  fieldLabel,
  valueLabel,
  valueHint,
  fields,
  field,
  value,
  errors,
  onChange,
}: {
  /** The settings key both sit under (`autoLead`, `ticket`), for names and error paths. */
  base: string;
  fieldKey: string;
  valueKey: string;
  fieldLabel: string;
  valueLabel: string;
  valueHint?: string;
  fields: HostField[];
  field: string | null;
  value: string | null;
  errors: Record<string, string>;
  onChange: (field: string | null, value: string | null) => void;
}) => (
  <>
    <Cell>
      <FieldSelect
        name={`${base}.${fieldKey}`}
        label={fieldLabel}
        error={errors[`${base}.${fieldKey}`]}
        value={field}
        fields={fields.filter(fieldFilters.status)}
        optional
        onChange={(next) => onChange(next, next ? value : null)}
      />
    </Cell>
    <Cell>
      <ValueInput
        name={`${base}.${valueKey}`}
        label={valueLabel}
        hint={valueHint}
        error={errors[`${base}.${valueKey}`]}
        field={fields.find((f) => f.name === field)}
        value={value}
        disabled={!field}
        onChange={(next) => onChange(field, next)}
      />
    </Cell>
  </>
);
