import * as React from 'react';
import { Box, Button, Field, Flex, Grid, Modal, MultiSelect, MultiSelectOption, NumberInput, SingleSelect, SingleSelectOption, Toggle, Typography } from '@strapi/design-system';
import { useNotification } from '@strapi/strapi/admin';
import { DEFAULT_THROUGHPUT_MPS, MAX_THROUGHPUT_MPS, PROVIDERS, type CreateNumber, type CredentialField, type Provider, type ProviderIdField, type Team, type WhatsAppNumber } from '../../../contracts/numbers';
import { errorOf, useCreateNumberMutation, useNotifyError, useUpdateNumberMutation } from '../../api';
import { useFormState } from '../../hooks/useFormState';
import { useTranslate } from '../../hooks/useTranslate';
import { GridField } from '../FormField';
import { credentialFieldsOf, emptyValues, fieldErrorsOf, idFieldsOf, isRequiredCredential, isRequiredIdField, toRequestBody, valuesFromNumber, type NumberFormValues } from './form';
import { fieldHint, fieldLabel, providerName } from './messages';

export interface NumberFormModalProps {
  /** The number being edited; null adds a new one. */
  number: WhatsAppNumber | null;
  teams: Team[];
  onClose: () => void;
  onSaved: (number: WhatsAppNumber, mode: 'create' | 'edit') => void;
}

type TextField = Exclude<keyof NumberFormValues, 'provider' | 'active' | 'teamRoleIds' | 'throughputMps'>;
const GENERAL_FIELDS = ['label', 'provider', 'phone', 'region', 'throughputMps', 'teamRoleIds', 'active'];

/** The add / edit form. Mount it only while open: it takes its initial values on mount. */
export const NumberFormModal = ({ number, teams, onClose, onSaved }: NumberFormModalProps) => {
  const t = useTranslate();
  const { toggleNotification } = useNotification();
  const notifyError = useNotifyError();
  const [create, created] = useCreateNumberMutation();
  const [update, updated] = useUpdateNumberMutation();
  const submitting = created.isLoading || updated.isLoading;
  const mode = number ? 'edit' : 'create';
  const { values, errors, set, reject, rejected } = useFormState<NumberFormValues>(() => (number ? valuesFromNumber(number) : emptyValues()));
  const formRef = React.useRef<HTMLFormElement>(null);

  // After a failed save, bring the first field the server complained about into view.
  React.useEffect(() => {
    const first = [...GENERAL_FIELDS, ...idFieldsOf(values.provider), ...credentialFieldsOf(values.provider)].find((field) => errors[field]);
    if (!first) return;
    const input = formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`);
    input?.focus();
    input?.scrollIntoView({ block: 'center' });
  }, [rejected]); // eslint-disable-line react-hooks/exhaustive-deps

  const text = (key: TextField) => ({ value: values[key], onChange: (e: React.ChangeEvent<HTMLInputElement>) => set(key, e.target.value) });

  const handleSubmit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    event.stopPropagation();
    if (submitting) return;
    try {
      const body = toRequestBody(values, mode);
      const saved = number ? await update({ id: number.id, body }).unwrap() : await create(body as CreateNumber.Request).unwrap();
      toggleNotification({
        type: 'success',
        message:
          mode === 'create'
            ? t('numbers.notification.created', 'Number added. Paste its webhook URL into {provider}.', { provider: providerName(t, values.provider) })
            : t('numbers.notification.updated', 'Number saved.'),
      });
      onSaved(saved, mode);
    } catch (error) {
      const body = errorOf(error);
      reject(body?.name === 'ValidationError' ? fieldErrorsOf(body as Parameters<typeof fieldErrorsOf>[0]) : {});
      notifyError(error);
    }
  };

  const title = mode === 'create' ? t('numbers.form.title.create', 'Add a WhatsApp number') : t('numbers.form.title.edit', 'Edit {label}', { label: number!.label });

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
    <GridField key={field} name={field} label={fieldLabel(t, field)} error={errors[field]} hint={fieldHint(t, values.provider, field)} required={isRequiredIdField(values.provider, field)}>
      <Field.Input {...text(field)} autoComplete="off" inputMode={field === 'appName' ? undefined : 'numeric'} />
    </GridField>
  );

  const secretField = (field: CredentialField) => {
    const kept = Boolean(number?.credentials?.[field]?.set);
    return (
      <GridField key={field} name={field} label={fieldLabel(t, field)} error={errors[field]} hint={secretHint(field)} required={isRequiredCredential(values.provider, field, kept)}>
        <Field.Input type="password" {...text(field)} autoComplete="new-password" spellCheck={false} placeholder={kept ? t('numbers.form.secret.placeholder', 'Leave empty to keep') : undefined} />
      </GridField>
    );
  };

  const connection = t('numbers.form.connection.title', '{provider} connection', { provider: providerName(t, values.provider) });
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
                <GridField name="label" label={t('numbers.form.label.label', 'Label')} error={errors.label} hint={t('numbers.form.label.hint', 'How your team will recognise it, e.g. “Sales – US”.')} required>
                  <Field.Input {...text('label')} autoComplete="off" maxLength={100} />
                </GridField>
                <GridField
                  name="provider"
                  label={t('numbers.form.provider.label', 'Provider')}
                  error={errors.provider}
                  hint={mode === 'edit' ? t('numbers.form.provider.locked', 'The provider cannot change. To switch, add the number again.') : undefined}
                  required
                >
                  <SingleSelect value={values.provider} disabled={mode === 'edit'} onChange={(value) => set('provider', value as Provider)}>
                    {PROVIDERS.map((p) => (
                      <SingleSelectOption key={p} value={p}>
                        {providerName(t, p)}
                      </SingleSelectOption>
                    ))}
                  </SingleSelect>
                </GridField>
                <GridField name="phone" label={t('numbers.form.phone.label', 'Phone number')} error={errors.phone} hint={t('numbers.form.phone.hint', 'International format with country code, e.g. +15550001111.')} required>
                  <Field.Input type="tel" {...text('phone')} autoComplete="off" placeholder="+15550001111" />
                </GridField>
                <GridField name="region" label={t('numbers.form.region.label', 'Region')} error={errors.region} hint={t('numbers.form.region.hint', 'Optional two-letter country code, e.g. US. Found from the phone number when empty.')}>
                  <Field.Input value={values.region} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('region', e.target.value.toUpperCase())} maxLength={2} autoComplete="off" placeholder="US" />
                </GridField>
                <GridField
                  name="throughputMps"
                  label={t('numbers.form.throughput.label', 'Throughput (messages/second)')}
                  error={errors.throughputMps}
                  hint={t('numbers.form.throughput.hint', 'Messages per second this number may send: 1 to {max}, {default} by default.', { max: MAX_THROUGHPUT_MPS, default: DEFAULT_THROUGHPUT_MPS })}
                >
                  <NumberInput value={values.throughputMps} onValueChange={(value) => set('throughputMps', value)} step={1} min={1} max={MAX_THROUGHPUT_MPS} />
                </GridField>
                <GridField name="teamRoleIds" label={t('numbers.form.teams.label', 'Team')} error={errors.teamRoleIds} hint={t('numbers.form.teams.hint', 'Admin roles that see this number’s conversations. Leave empty for everyone.')}>
                  <MultiSelect
                    value={values.teamRoleIds}
                    onChange={(value) => set('teamRoleIds', value)}
                    placeholder={t('numbers.form.teams.placeholder', 'Everyone')}
                    withTags
                    onClear={() => set('teamRoleIds', [])}
                    clearLabel={t('numbers.form.teams.clear', 'Clear teams')}
                  >
                    {/* Offered: the teams the caller may assign, and those the number already has (kept or removed). */}
                    {teams
                      .filter((team) => team.assignable || number?.teamRoleIds.includes(team.id))
                      .map((team) => (
                        <MultiSelectOption key={team.id} value={String(team.id)}>
                          {team.name}
                        </MultiSelectOption>
                      ))}
                  </MultiSelect>
                </GridField>
                <GridField name="active" label={t('numbers.form.active.label', 'Active')} error={errors.active} hint={t('numbers.form.active.hint', 'Inactive numbers keep their history but send and receive nothing.')}>
                  <Toggle
                    checked={values.active}
                    onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('active', e.target.checked)}
                    onLabel={t('numbers.form.active.on', 'Active')}
                    offLabel={t('numbers.form.active.off', 'Inactive')}
                  />
                </GridField>
              </Grid.Root>

              <Box tag="section" aria-label={connection}>
                <Flex direction="column" alignItems="stretch" gap={1} paddingBottom={4}>
                  <Typography variant="delta" tag="h3">
                    {connection}
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
