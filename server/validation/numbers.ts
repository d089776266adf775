import { errors, yup } from '@strapi/utils';
import {
  CREDENTIAL_FIELDS,
  REQUIRED_CREDENTIALS,
  MAX_THROUGHPUT_MPS,
  PROVIDERS,
  PROVIDER_ID_FIELDS,
  type NumberInput,
  type Provider,
} from '../../contracts/numbers';
import { MESSAGING_TIERS } from '../../contracts/campaigns';
import { isRegion, parseBusinessPhone } from '../phone';
import { idNumber } from '../ids';

const optionalText = (max: number) => yup.string().nullable().max(max);
const secret = yup.string().max(4096);

const fields = yup
  .object({
    label: yup.string().max(100),
    provider: yup.string().oneOf([...PROVIDERS], `provider must be one of: ${PROVIDERS.join(', ')}`),
    phone: yup
      .string()
      .max(32)
      .test('e164', 'phone must be a valid phone number in international format, e.g. +14155550123', function (value) {
        if (value === undefined) return true;
        return parseBusinessPhone(value, typeof this.parent.region === 'string' ? this.parent.region : null) !== null;
      }),
    region: yup
      .string()
      .nullable()
      .test('region', 'region must be a two-letter country code, e.g. US', (value) => !value || (typeof value === 'string' && isRegion(value))),
    active: yup.boolean(),
    teamRoleIds: yup.array().of(idNumber().required()).max(100),
    throughputMps: yup.number().integer().min(1).max(MAX_THROUGHPUT_MPS),
    messagingTier: yup.string().nullable().oneOf([...Object.keys(MESSAGING_TIERS), null], `messagingTier must be one of ${Object.keys(MESSAGING_TIERS).join(', ')}`),
    phoneNumberId: optionalText(64).matches(/^\d*$/, { message: 'phoneNumberId must contain digits only', excludeEmptyString: true }),
    wabaId: optionalText(64).matches(/^\d*$/, { message: 'wabaId must contain digits only', excludeEmptyString: true }),
    appId: optionalText(64),
    appName: optionalText(100),
    accessToken: secret,
    appSecret: secret,
    verifyToken: secret,
    apiKey: secret,
    webhookSecret: secret,
  })
  .required();

type Issue = { path: string; message: string };

const throwIssues = (issues: Issue[]) => {
  const message = issues.length > 1 ? `${issues.length} errors occurred` : issues[0].message;
  throw new errors.ValidationError(message, {
    errors: issues.map(({ path, message: msg }) => ({ path: [path], message: msg, name: 'ValidationError', value: null })),
  });
};

const KNOWN = new Set(Object.keys(fields.fields));

/**
 * Every problem of a body in one answer, so a form is fixed in one go: unknown keys and type or
 * format errors are collected here, requirements are added by the callers.
 */
const validateFields = async (body: unknown): Promise<{ input: Partial<NumberInput>; issues: Issue[] }> => {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throwIssues([{ path: 'body', message: 'the body must be a JSON object' }]);
  const issues: Issue[] = Object.keys(body as object)
    .filter((key) => !KNOWN.has(key))
    .map((path) => ({ path, message: `${path} is not a field of a number` }));
  try {
    await fields.validate(body, { strict: true, abortEarly: false });
  } catch (error) {
    if (!(error instanceof yup.ValidationError)) throw error;
    for (const e of error.inner.length ? error.inner : [error]) issues.push({ path: e.path ?? 'body', message: e.message });
  }
  return { input: body as Partial<NumberInput>, issues };
};

const isBlank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/**
 * Per-provider requirements on the number as it will be once saved: `merged` is the stored
 * number overlaid with the request, `storedSecrets` the credentials already set.
 */
const requireProviderFields = (merged: Partial<NumberInput>, storedSecrets: ReadonlySet<string>): Issue[] => {
  const provider = merged.provider as Provider;
  const issues: Issue[] = [];
  for (const field of PROVIDER_ID_FIELDS[provider]) {
    if (isBlank(merged[field])) issues.push({ path: field, message: `${field} is required for ${provider} numbers` });
  }
  for (const field of REQUIRED_CREDENTIALS[provider]) {
    if (isBlank(merged[field]) && !storedSecrets.has(field)) {
      issues.push({ path: field, message: `${field} is required for ${provider} numbers` });
    }
  }
  return issues;
};

const rejectForeignFields = (provider: Provider, body: Partial<NumberInput>): Issue[] => {
  const own = new Set<string>([...PROVIDER_ID_FIELDS[provider], ...CREDENTIAL_FIELDS[provider]]);
  const foreign = ['phoneNumberId', 'wabaId', 'appId', 'appName', 'accessToken', 'appSecret', 'verifyToken', 'apiKey', 'webhookSecret'].filter(
    (f) => !own.has(f) && !((provider === 'meta' || provider === 'gupshup') && f === 'appId') && !isBlank(body[f as keyof NumberInput])
  );
  return foreign.map((path) => ({ path, message: `${path} does not apply to ${provider} numbers` }));
};

export const validateCreateNumber = async (body: unknown): Promise<NumberInput> => {
  const { input, issues } = await validateFields(body);
  const flagged = new Set(issues.map((i) => i.path));
  for (const field of ['label', 'provider', 'phone'] as const) {
    if (isBlank(input[field]) && !flagged.has(field)) issues.push({ path: field, message: `${field} is required` });
  }
  if (PROVIDERS.includes(input.provider as Provider)) {
    const more = [...requireProviderFields(input, new Set()), ...rejectForeignFields(input.provider as Provider, input)];
    issues.push(...more.filter((i) => !flagged.has(i.path)));
  }
  if (issues.length) throwIssues(issues);
  return input as NumberInput;
};

export const validateUpdateNumber = async (
  body: unknown,
  stored: Partial<NumberInput> & { provider: Provider },
  storedSecrets: ReadonlySet<string>
): Promise<Partial<NumberInput>> => {
  const { input, issues } = await validateFields(body);
  const flagged = new Set(issues.map((i) => i.path));
  if (input.provider !== undefined && input.provider !== stored.provider && !flagged.has('provider')) {
    issues.push({ path: 'provider', message: 'provider cannot be changed; add the number again with the new provider' });
  }
  for (const field of ['label', 'phone'] as const) {
    if (field in input && isBlank(input[field]) && !flagged.has(field)) issues.push({ path: field, message: `${field} must not be empty` });
  }
  const merged = { ...stored, ...input, provider: stored.provider };
  const more = [...requireProviderFields(merged, storedSecrets), ...rejectForeignFields(stored.provider, input)];
  issues.push(...more.filter((i) => !flagged.has(i.path) && !issues.some((j) => j.path === i.path)));
  if (issues.length) throwIssues(issues);
  return input;
};
