import * as React from 'react';
import {
  Box,
  Button,
  Field,
  Flex,
  Grid,
  Modal,
  MultiSelect,
  MultiSelectOption,
  NumberInput,
  SingleSelect,
  SingleSelectOption,
  Toggle,
  Typography,
} from '@strapi/design-system';
import { isFetchError, useAPIErrorHandler, useFetchClient, useNotification } from '@strapi/strapi/admin';
import {
  DEFAULT_THROUGHPUT_MPS,
  MAX_THROUGHPUT_MPS,
  PROVIDERS,
  type CreateNumber,
  type CredentialField,
  type Provider,
  type ProviderIdField,
  type Team,
  type UpdateNumber,
  type WhatsAppNumber,
} from '../../../contracts/numbers';
import { useTranslate } from '../../hooks/useTranslate';
import {
  credentialFieldsOf,
  emptyValues,
  fieldErrorsOf,
  idFieldsOf,
  isRequiredCredential,
  isRequiredIdField,
  toRequestBody,
  valuesFromNumber,
  type NumberFormErrors,
  type NumberFormValues,
} from './form';
import { fieldHint, fieldLabel, providerName } from './messages';

export interface NumberFormModalProps {
  /** The number being edited; null adds a new one. */
  number: WhatsAppNumber | null;
  teams: Team[];
  onClose: () => void;
  onSaved: (number: WhatsAppNumber, mode: 'create' | 'edit') => void;
}

type TextField = Exclude<keyof NumberFormValues, 'provider' | 'active' | 'teamRoleIds' | 'throughputMps'>;

/** The add / edit form. Mount it only while open: it takes its initial values on mount. */
export const NumberFormModal = ({ number, teams, onClose, onSaved }: NumberFormModalProps) => {
  const t = useTranslate();
  const { post, put } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { formatAPIError } = useAPIErrorHandler();
  const mode = number ? 'edit' : 'create';

  const [values, setValues] = React.useState<NumberFormValues>(() => (number ? valuesFromNumber(number) : emptyValues()));
  const [errors, setErrors] = React.useState<NumberFormErrors>({});
  const [submitting, setSubmitting] = React.useState(false);
  const formRef = React.useRef<HTMLFormElement>(null);
  /** Bumped on each rejected save, so focus moves then and not while the user types. */
  const [rejections, setRejections] = React.useState(0);

  // After a failed save, bring the first field the server complained about into view.
  React.useEffect(() => {
    const order = [
      'label',
      'provider',
      'phone',
      'region',
      'throughputMps',
      'teamRoleIds',
      'active',
      ...idFieldsOf(values.provider),
      ...credentialFieldsOf(values.provider),
    ];
    const first = order.find((field) => errors[field]);
    if (!first) return;
    const input = formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`);
    input?.focus();
    input?.scrollIntoView({ block: 'center' });
  }, [rejections]); // eslint-disable-line react-hooks/exhaustive-deps

  const set = <K extends keyof NumberFormValues>(key: K, value: NumberFormValues[K]) => {
    setValues((prev) => ({ ...prev, [key]: value }));
    setErrors((prev) => {
      if (!prev[key]) return prev;
      const { [key]: _removed, ...rest } = prev;
      return rest;
    });
  };

  const onText = (key: TextField) => (event: React.ChangeEvent<HTMLInputElement>) => set(key, event.target.value);

  const handleSubmit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    event.stopPropagation();
    if (submitting) return;
    setSubmitting(true);
    setErrors({});
    try {
      const body = toRequestBody(values, mode);
      const res = number
        ? await put<UpdateNumber.Response, UpdateNumber.Request>(`/whatsapp/numbers/${number.id}`, body)
        : await post<CreateNumber.Response, CreateNumber.Request>('/whatsapp/numbers', body as CreateNumber.Request);
      toggleNotification({
        type: 'success',
        message:
          mode === 'create'
            ? t('numbers.notification.created', 'Number added. Paste its webhook URL into {provider}.', { provider: providerName(t, values.provider) })
            : t('numbers.notification.updated', 'Number saved.'),
      });
      onSaved(res.data.data, mode);
    } catch (error) {
      if (isFetchError(error)) {
        const apiError = error.response?.data?.error;
        if (apiError?.name === 'ValidationError') {
          setErrors(fieldErrorsOf(apiError as Parameters<typeof fieldErrorsOf>[0]));
          setRejections((n) => n + 1);
        }
        toggleNotification({ type: 'danger', message: formatAPIError(error) });
      } else {
        toggleNotification({ type: 'danger', message: t('numbers.notification.error', 'Something went wrong. Try again.') });
      }
    } finally {
      setSubmitting(false);
    }
  };

  const title =
    mode === 'create' ? t('numbers.form.title.create', 'Add a WhatsApp number') : t('numbers.form.title.edit', 'Edit {label}', { label: number!.label });

  const secretHint = (field: CredentialField): React.ReactNode => {
    const where = fieldHint(t, values.provider, field);
    const state = number?.credentials?.[field];
    if (!state?.set) return where;
    const kept = state.hint
      ? t('numbers.form.secret.set', 'Set ({hint}). Leave empty to keep it.', { hint: state.hint })
      : t('numbers.form.secret.setNoHint', 'Set. Leave empty to keep it.');
    return where ? (
      <>
        <strong>{kept}</strong> {where}
      </>
    ) : (
      <strong>{kept}</strong>
    );
  };

  const idField = (field: ProviderIdField) => (
    <Grid.Item key={field} col={6} m={6} xs={12} direction="column" alignItems="stretch">
      <Field.Root
        name={field}
        error={errors[field]}
        hint={fieldHint(t, values.provider, field)}
        required={isRequiredIdField(values.provider, field)}
        width="100%"
      >
        <Field.Label>{fieldLabel(t, field)}</Field.Label>
        <Field.Input
          value={values[field]}
          onChange={onText(field)}
          autoComplete="off"
          inputMode={field === 'appName' ? undefined : 'numeric'}
        />
        <Field.Hint />
        <Field.Error />
      </Field.Root>
    </Grid.Item>
  );

  const secretField = (field: CredentialField) => (
    <Grid.Item key={field} col={6} m={6} xs={12} direction="column" alignItems="stretch">
      <Field.Root
        name={field}
        error={errors[field]}
        hint={secretHint(field)}
        required={isRequiredCredential(values.provider, field, Boolean(number?.credentials?.[field]?.set))}
        width="100%"
      >
        <Field.Label>{fieldLabel(t, field)}</Field.Label>
        <Field.Input
          type="password"
          value={values[field]}
          onChange={onText(field)}
          autoComplete="new-password"
          spellCheck={false}
          placeholder={number?.credentials?.[field]?.set ? t('numbers.form.secret.placeholder', 'Leave empty to keep') : undefined}
        />
        <Field.Hint />
        <Field.Error />
      </Field.Root>
    </Grid.Item>
  );

  return (
    <Modal.Root open onOpenChange={(open) => !open && !submitting && onClose()}>
      <Modal.Content>
        <form ref={formRef} noValidate onSubmit={handleSubmit} aria-label={title}>
          <Modal.Header closeLabel={t('numbers.form.close', 'Close')}>
            <Modal.Title>{title}</Modal.Title>
          </Modal.Header>
          <Modal.Body>
            <Flex direction="column" alignItems="stretch" gap={6}>
              <Grid.Root gap={5}>
                <Grid.Item col={6} m={6} xs={12} direction="column" alignItems="stretch">
                  <Field.Root
                    name="label"
                    error={errors.label}
                    hint={t('numbers.form.label.hint', 'How your team will recognise it, e.g. “Sales – US”.')}
                    required
                    width="100%"
                  >
                    <Field.Label>{t('numbers.form.label.label', 'Label')}</Field.Label>
                    <Field.Input value={values.label} onChange={onText('label')} autoComplete="off" maxLength={100} />
                    <Field.Hint />
                    <Field.Error />
                  </Field.Root>
                </Grid.Item>
                <Grid.Item col={6} m={6} xs={12} direction="column" alignItems="stretch">
                  <Field.Root
                    name="provider"
                    error={errors.provider}
                    hint={
                      mode === 'edit'
                        ? t('numbers.form.provider.locked', 'The provider cannot change. To switch, add the number again.')
                        : undefined
                    }
                    required
                    width="100%"
                  >
                    <Field.Label>{t('numbers.form.provider.label', 'Provider')}</Field.Label>
                    <SingleSelect
                      value={values.provider}
                      disabled={mode === 'edit'}
                      onChange={(value) => set('provider', value as Provider)}
                    >
                      {PROVIDERS.map((p) => (
                        <SingleSelectOption key={p} value={p}>
                          {providerName(t, p)}
                        </SingleSelectOption>
                      ))}
                    </SingleSelect>
                    <Field.Hint />
                    <Field.Error />
                  </Field.Root>
                </Grid.Item>
                <Grid.Item col={6} m={6} xs={12} direction="column" alignItems="stretch">
                  <Field.Root
                    name="phone"
                    error={errors.phone}
                    hint={t('numbers.form.phone.hint', 'International format with country code, e.g. +15550001111.')}
                    required
                    width="100%"
                  >
                    <Field.Label>{t('numbers.form.phone.label', 'Phone number')}</Field.Label>
                    <Field.Input
                      type="tel"
                      value={values.phone}
                      onChange={onText('phone')}
                      autoComplete="off"
                      placeholder="+15550001111"
                    />
                    <Field.Hint />
                    <Field.Error />
                  </Field.Root>
                </Grid.Item>
                <Grid.Item col={6} m={6} xs={12} direction="column" alignItems="stretch">
                  <Field.Root
                    name="region"
                    error={errors.region}
                    hint={t('numbers.form.region.hint', 'Optional two-letter country code, e.g. US. Found from the phone number when empty.')}
                    width="100%"
                  >
                    <Field.Label>{t('numbers.form.region.label', 'Region')}</Field.Label>
                    <Field.Input
                      value={values.region}
                      onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('region', e.target.value.toUpperCase())}
                      maxLength={2}
                      autoComplete="off"
                      placeholder="US"
                    />
                    <Field.Hint />
                    <Field.Error />
                  </Field.Root>
                </Grid.Item>
                <Grid.Item col={6} m={6} xs={12} direction="column" alignItems="stretch">
                  <Field.Root
                    name="throughputMps"
                    error={errors.throughputMps}
                    hint={t('numbers.form.throughput.hint', 'Messages per second this number may send: 1 to {max}, {default} by default.', {
                      max: MAX_THROUGHPUT_MPS,
                      default: DEFAULT_THROUGHPUT_MPS,
                    })}
                    width="100%"
                  >
                    <Field.Label>{t('numbers.form.throughput.label', 'Throughput (messages/second)')}</Field.Label>
                    <NumberInput
                      value={values.throughputMps}
                      onValueChange={(value) => set('throughputMps', value)}
                      step={1}
                      min={1}
                      max={MAX_THROUGHPUT_MPS}
                    />
                    <Field.Hint />
                    <Field.Error />
                  </Field.Root>
                </Grid.Item>
                <Grid.Item col={6} m={6} xs={12} direction="column" alignItems="stretch">
                  <Field.Root
                    name="teamRoleIds"
                    error={errors.teamRoleIds}
                    hint={t('numbers.form.teams.hint', 'Admin roles that see this number’s conversations. Leave empty for everyone.')}
                    width="100%"
                  >
                    <Field.Label>{t('numbers.form.teams.label', 'Team')}</Field.Label>
                    <MultiSelect
                      value={values.teamRoleIds}
                      onChange={(value) => set('teamRoleIds', value)}
                      placeholder={t('numbers.form.teams.placeholder', 'Everyone')}
                      withTags
                      onClear={() => set('teamRoleIds', [])}
                      clearLabel={t('numbers.form.teams.clear', 'Clear teams')}
                    >
                      {/* Offered: the teams the caller may assign, and those the number already has (kept or removed). */}
                      {teams.filter((team) => team.assignable || number?.teamRoleIds.includes(team.id)).map((team) => (
                        <MultiSelectOption key={team.id} value={String(team.id)}>
                          {team.name}
                        </MultiSelectOption>
                      ))}
                    </MultiSelect>
                    <Field.Hint />
                    <Field.Error />
                  </Field.Root>
                </Grid.Item>
                <Grid.Item col={6} m={6} xs={12} direction="column" alignItems="stretch">
                  <Field.Root
                    name="active"
                    error={errors.active}
                    hint={t('numbers.form.active.hint', 'Inactive numbers keep their history but send and receive nothing.')}
                    width="100%"
                  >
                    <Field.Label>{t('numbers.form.active.label', 'Active')}</Field.Label>
                    <Toggle
                      checked={values.active}
                      onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('active', e.target.checked)}
                      onLabel={t('numbers.form.active.on', 'Active')}
                      offLabel={t('numbers.form.active.off', 'Inactive')}
                    />
                    <Field.Hint />
                    <Field.Error />
                  </Field.Root>
                </Grid.Item>
              </Grid.Root>

              <Box
                tag="section"
                aria-label={t('numbers.form.connection.title', '{provider} connection', { provider: providerName(t, values.provider) })}
              >
                <Flex direction="column" alignItems="stretch" gap={1} paddingBottom={4}>
                  <Typography variant="delta" tag="h3">
                    {t('numbers.form.connection.title', '{provider} connection', { provider: providerName(t, values.provider) })}
                  </Typography>
                  <Typography variant="pi" textColor="neutral600">
                    {mode === 'edit'
                      ? t('numbers.form.connection.subtitleEdit', 'Secrets are stored encrypted and never shown again. Leave a secret empty to keep it.')
                      : t('numbers.form.connection.subtitle', 'Secrets are stored encrypted and never shown again.')}
                  </Typography>
                </Flex>
                <Grid.Root gap={5}>
                  {idFieldsOf(values.provider).map(idField)}
                  {credentialFieldsOf(values.provider).map(secretField)}
                </Grid.Root>
              </Box>
            </Flex>
          </Modal.Body>
          <Modal.Footer>
            <Modal.Close>
              <Button variant="tertiary" type="button" disabled={submitting}>
                {t('numbers.form.cancel', 'Cancel')}
              </Button>
            </Modal.Close>
            <Button type="submit" loading={submitting}>
              {t('numbers.form.submit', 'Save')}
            </Button>
          </Modal.Footer>
        </form>
      </Modal.Content>
    </Modal.Root>
  );
};
