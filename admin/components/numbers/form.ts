import {
  CREDENTIAL_FIELDS,
  DEFAULT_THROUGHPUT_MPS,
  PROVIDER_ID_FIELDS,
  REQUIRED_CREDENTIALS,
  type CredentialField,
  type NumberInput,
  type Provider,
  type ProviderIdField,
  type WhatsAppNumber,
} from '../../../contracts/numbers';

/** What the add/edit form holds: every input as the user typed it (secrets and provider ids included). */
export interface NumberFormValues extends Record<CredentialField, string>, Record<ProviderIdField, string> {
  label: string;
  provider: Provider;
  phone: string;
  region: string;
  active: boolean;
  /** Role ids as strings, the way MultiSelect hands them back. */
  teamRoleIds: string[];
  throughputMps: number | undefined;
}

export type NumberFormErrors = Partial<Record<string, string>>;

/** The provider id fields the form shows: the required ones, plus Meta's optional app id. */
export const idFieldsOf = (provider: Provider): ProviderIdField[] =>
  provider === 'meta' ? [...PROVIDER_ID_FIELDS.meta, 'appId'] : [...PROVIDER_ID_FIELDS[provider]];

export const credentialFieldsOf = (provider: Provider): CredentialField[] => [...CREDENTIAL_FIELDS[provider]];

/** Whether a secret must be typed: required by the provider and not stored yet. */
export const isRequiredCredential = (provider: Provider, field: CredentialField, alreadySet: boolean) =>
  !alreadySet && (REQUIRED_CREDENTIALS[provider] as readonly string[]).includes(field);

export const isRequiredIdField = (provider: Provider, field: ProviderIdField) =>
  (PROVIDER_ID_FIELDS[provider] as readonly string[]).includes(field);

const blank = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, ''])) as Record<K, string>;
const ALL_SECRETS = [...new Set(Object.values(CREDENTIAL_FIELDS).flat())] as CredentialField[];
const ALL_IDS: ProviderIdField[] = ['phoneNumberId', 'wabaId', 'appId', 'appName'];

export const emptyValues = (): NumberFormValues => ({
  ...blank(ALL_SECRETS),
  ...blank(ALL_IDS),
  label: '',
  provider: 'meta',
  phone: '',
  region: '',
  active: true,
  teamRoleIds: [],
  throughputMps: DEFAULT_THROUGHPUT_MPS,
});

/** The form for editing a stored number: secrets start empty ("leave empty to keep"). */
export const valuesFromNumber = (n: WhatsAppNumber): NumberFormValues => ({
  ...emptyValues(),
  label: n.label,
  provider: n.provider,
  phone: n.phone,
  region: n.region ?? '',
  active: n.active,
  teamRoleIds: n.teamRoleIds.map(String),
  throughputMps: n.throughputMps,
  phoneNumberId: n.phoneNumberId ?? '',
  wabaId: n.wabaId ?? '',
  appId: n.appId ?? '',
  appName: n.appName ?? '',
});

const text = (value: string) => value.trim();

/**
 * The request body. Only the chosen provider's fields are sent; on update a blank optional
 * field is sent as `null` (cleared) and a blank secret is left out (the stored one is kept).
 */
export const toRequestBody = (values: NumberFormValues, mode: 'create' | 'edit'): Partial<NumberInput> => {
  const body: Partial<NumberInput> = {
    label: text(values.label),
    phone: text(values.phone),
    active: values.active,
    teamRoleIds: values.teamRoleIds.map(Number).filter((id) => Number.isInteger(id) && id > 0),
  };
  if (mode === 'create') body.provider = values.provider;

  const region = text(values.region).toUpperCase();
  if (region) body.region = region;
  else if (mode === 'edit') body.region = null;

  if (values.throughputMps !== undefined && Number.isFinite(values.throughputMps)) body.throughputMps = values.throughputMps;

  for (const field of idFieldsOf(values.provider)) {
    const value = text(values[field]);
    if (value) body[field] = value;
    else if (mode === 'edit') body[field] = null;
  }
  for (const field of credentialFieldsOf(values.provider)) {
    const value = text(values[field]);
    if (value) body[field] = value;
  }
  return body;
};

interface ValidationErrorBody {
  name?: string;
  message?: string;
  details?: { errors?: Array<{ path?: Array<string | number>; message?: string }> };
}

/** `{ phone: 'phone must be …' }` from a 400 ValidationError's `details.errors`, first message per field. */
export const fieldErrorsOf = (error: ValidationErrorBody | undefined): NumberFormErrors => {
  const out: NumberFormErrors = {};
  for (const issue of error?.details?.errors ?? []) {
    const field = issue.path?.[0];
    if (field === undefined || !issue.message) continue;
    const key = String(field);
    if (!out[key]) out[key] = issue.message;
  }
  return out;
};
