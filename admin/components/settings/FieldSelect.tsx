import { Field, SingleSelect, SingleSelectOption } from '@strapi/design-system';
import type { HostContentType, HostField } from '../../../contracts/host';
import { useTranslate } from '../../hooks/useTranslate';

const NONE = '__none__';

/** Attributes that hold one plain value (what a phone, name, subject or status can be kept in). */
const SCALAR = ['string', 'text', 'email', 'uid', 'enumeration', 'integer', 'biginteger', 'richtext'];

export const fieldFilters = {
  text: (f: HostField) => SCALAR.includes(f.type),
  status: (f: HostField) => f.type === 'enumeration' || f.type === 'string',
  number: (f: HostField) => f.type === 'integer' || f.type === 'biginteger',
  adminUser: (f: HostField) => f.type === 'relation' && f.target === 'admin::user',
  boolean: (f: HostField) => f.type === 'boolean',
};

export const typeOf = (types: HostContentType[], uid: string) => types.find((ct) => ct.uid === uid);

interface FieldSelectProps {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  value: string | null;
  fields: HostField[];
  /** Offers "None" (null) when set. */
  optional?: boolean;
  required?: boolean;
  disabled?: boolean;
  onChange: (value: string | null) => void;
}

/**
 * A field of a host content type. A stored value the type does not have is still shown, so the
 * server's "has no field" error has something to point at.
 */
export const FieldSelect = ({ name, label, hint, error, value, fields, optional, required, disabled, onChange }: FieldSelectProps) => {
  const t = useTranslate();
  const names = fields.map((f) => f.name);
  if (value && !names.includes(value)) names.push(value);
  return (
    <Field.Root name={name} error={error} hint={hint} required={required} width="100%">
      <Field.Label>{label}</Field.Label>
      <SingleSelect
        value={value ?? (optional ? NONE : undefined)}
        disabled={disabled}
        onChange={(v) => onChange(v === NONE ? null : String(v))}
      >
        {optional && <SingleSelectOption value={NONE}>{t('settings.field.none', 'None')}</SingleSelectOption>}
        {names.map((n) => (
          <SingleSelectOption key={n} value={n}>
            {n}
          </SingleSelectOption>
        ))}
      </SingleSelect>
      <Field.Hint />
      <Field.Error />
    </Field.Root>
  );
};

/** A host collection type. */
export const TypeSelect = ({
  name,
  label,
  hint,
  error,
  value,
  types,
  disabled,
  onChange,
}: {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  value: string;
  types: HostContentType[];
  disabled?: boolean;
  onChange: (uid: string) => void;
}) => {
  const options = types.map((ct) => ({ uid: ct.uid, label: ct.displayName }));
  if (value && !options.some((o) => o.uid === value)) options.push({ uid: value, label: value });
  return (
    <Field.Root name={name} error={error} hint={hint} required width="100%">
      <Field.Label>{label}</Field.Label>
      <SingleSelect value={value || undefined} disabled={disabled} onChange={(v) => onChange(String(v))}>
        {options.map((o) => (
          <SingleSelectOption key={o.uid} value={o.uid}>
            {o.label}
          </SingleSelectOption>
        ))}
      </SingleSelect>
      <Field.Hint />
      <Field.Error />
    </Field.Root>
  );
};
