import * as React from 'react';
import { Field, Grid } from '@strapi/design-system';

export interface FormFieldProps {
  /** The input's name: a server error naming this field shows beside it, and focus finds it. */
  name: string;
  label?: React.ReactNode;
  hint?: React.ReactNode;
  error?: string;
  required?: boolean;
  /** The input itself (`Field.Input`, a select, a toggle…): it takes the field's id, label and error. */
  children: React.ReactNode;
}

/** The one labelled field of the panel's forms: label, input, hint and the server's error under it. */
export const FormField = ({ name, label, hint, error, required, children }: FormFieldProps) => (
  <Field.Root name={name} error={error} hint={hint} required={required} width="100%">
    {label !== undefined && <Field.Label>{label}</Field.Label>}
    {children}
    {hint !== undefined && <Field.Hint />}
    <Field.Error />
  </Field.Root>
);

/** A field in a two-column form grid: half the width on a wide screen, the whole of it on a phone. */
export const GridField = ({ col = 6, ...props }: FormFieldProps & { col?: number }) => (
  <Grid.Item col={col} m={col} xs={12} direction="column" alignItems="stretch">
    <FormField {...props} />
  </Grid.Item>
);
