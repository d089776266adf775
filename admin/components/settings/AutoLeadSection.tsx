import { Field, Grid, NumberInput, SingleSelect, SingleSelectOption, Toggle } from '@strapi/design-system';
import type { HostContentType } from '../../../contracts/host';
import type { AutoLeadSettings } from '../../../contracts/settings';
import { useTranslate } from '../../hooks/useTranslate';
import { FieldSelect, TypeSelect, fieldFilters, typeOf } from './FieldSelect';
import { Section } from './Section';
import { ValueInput } from './ValueInput';
import type { FieldErrors } from './fieldErrors';

export interface AdminUserOption {
  id: number;
  name: string;
}

interface Props {
  value: AutoLeadSettings;
  types: HostContentType[];
  /** Null when the admin user list is not readable: the assignee is then typed as an id. */
  users: AdminUserOption[] | null;
  errors: FieldErrors;
  onChange: (next: AutoLeadSettings) => void;
}

const NOBODY = '__nobody__';

/** Creating a lead for every unknown person who writes, and what the lead gets. */
export const AutoLeadSection = ({ value, types, users, errors, onChange }: Props) => {
  const t = useTranslate();
  const type = typeOf(types, value.uid);
  const fields = type?.fields ?? [];
  const set = <K extends keyof AutoLeadSettings>(key: K, v: AutoLeadSettings[K]) => onChange({ ...value, [key]: v });
  const err = (key: string) => errors[`autoLead.${key}`];

  return (
    <Section
      id="settings-auto-lead"
      title={t('settings.autoLead.title', 'Auto-lead')}
      description={t('settings.autoLead.description', 'Create a lead for each unknown person who writes to one of your numbers.')}
    >
      <Field.Root
        name="autoLead.enabled"
        error={err('enabled')}
        hint={t('settings.autoLead.enabled.hint', 'Off: unknown people show as “Unknown” in the inbox.')}
      >
        <Field.Label>{t('settings.autoLead.enabled', 'Create leads automatically')}</Field.Label>
        <Toggle
          checked={value.enabled}
          onLabel={t('settings.on', 'On')}
          offLabel={t('settings.off', 'Off')}
          onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('enabled', e.target.checked)}
        />
        <Field.Hint />
        <Field.Error />
      </Field.Root>
      <Grid.Root gap={4}>
        <Grid.Item col={6} s={12} xs={12} direction="column" alignItems="stretch">
          <TypeSelect
            name="autoLead.uid"
            label={t('settings.autoLead.type', 'Lead type')}
            error={err('uid')}
            value={value.uid}
            types={types}
            onChange={(uid) => onChange({ ...value, uid })}
          />
        </Grid.Item>
        <Grid.Item col={6} s={12} xs={12} direction="column" alignItems="stretch">
          <FieldSelect
            name="autoLead.nameField"
            label={t('settings.autoLead.nameField', 'Name field')}
            error={err('nameField')}
            value={value.nameField}
            fields={fields.filter(fieldFilters.text)}
            onChange={(v) => set('nameField', v ?? '')}
            required
          />
        </Grid.Item>
        <Grid.Item col={6} s={12} xs={12} direction="column" alignItems="stretch">
          <FieldSelect
            name="autoLead.phoneField"
            label={t('settings.autoLead.phoneField', 'Phone field')}
            error={err('phoneField')}
            value={value.phoneField}
            fields={fields.filter(fieldFilters.text)}
            onChange={(v) => set('phoneField', v ?? '')}
            required
          />
        </Grid.Item>
        <Grid.Item col={6} s={12} xs={12} direction="column" alignItems="stretch">
          <FieldSelect
            name="autoLead.statusField"
            label={t('settings.autoLead.statusField', 'Status field')}
            error={err('statusField')}
            value={value.statusField}
            fields={fields.filter(fieldFilters.status)}
            optional
            onChange={(v) => onChange({ ...value, statusField: v, status: v ? value.status : null })}
          />
        </Grid.Item>
        <Grid.Item col={6} s={12} xs={12} direction="column" alignItems="stretch">
          <ValueInput
            name="autoLead.status"
            label={t('settings.autoLead.status', 'Lead status')}
            error={err('status')}
            field={fields.find((f) => f.name === value.statusField)}
            value={value.status}
            disabled={!value.statusField}
            onChange={(v) => set('status', v)}
          />
        </Grid.Item>
        <Grid.Item col={6} s={12} xs={12} direction="column" alignItems="stretch">
          <FieldSelect
            name="autoLead.sourceField"
            label={t('settings.autoLead.sourceField', 'Source field')}
            error={err('sourceField')}
            value={value.sourceField}
            fields={fields.filter(fieldFilters.status)}
            optional
            onChange={(v) => onChange({ ...value, sourceField: v, source: v ? value.source : null })}
          />
        </Grid.Item>
        <Grid.Item col={6} s={12} xs={12} direction="column" alignItems="stretch">
          <ValueInput
            name="autoLead.source"
            label={t('settings.autoLead.source', 'Source')}
            hint={t('settings.autoLead.source.hint', 'Written into the source field, e.g. whatsapp.')}
            error={err('source')}
            field={fields.find((f) => f.name === value.sourceField)}
            value={value.source}
            disabled={!value.sourceField}
            onChange={(v) => set('source', v)}
          />
        </Grid.Item>
        <Grid.Item col={6} s={12} xs={12} direction="column" alignItems="stretch">
          <FieldSelect
            name="autoLead.assigneeField"
            label={t('settings.autoLead.assigneeField', 'Assignee field')}
            hint={t('settings.autoLead.assigneeField.hint', 'A relation to admin users on the lead type.')}
            error={err('assigneeField')}
            value={value.assigneeField}
            fields={fields.filter(fieldFilters.adminUser)}
            optional
            onChange={(v) => onChange({ ...value, assigneeField: v, assigneeId: v ? value.assigneeId : null })}
          />
        </Grid.Item>
        <Grid.Item col={6} s={12} xs={12} direction="column" alignItems="stretch">
          <Field.Root name="autoLead.assigneeId" error={err('assigneeId')} width="100%">
            <Field.Label>{t('settings.autoLead.assignee', 'Assignee')}</Field.Label>
            {users ? (
              <SingleSelect
                value={value.assigneeId ? String(value.assigneeId) : NOBODY}
                disabled={!value.assigneeField}
                onChange={(v) => set('assigneeId', v === NOBODY ? null : Number(v))}
              >
                <SingleSelectOption value={NOBODY}>{t('settings.autoLead.nobody', 'Nobody')}</SingleSelectOption>
                {users.map((u) => (
                  <SingleSelectOption key={u.id} value={String(u.id)}>
                    {u.name}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
            ) : (
              <NumberInput
                value={value.assigneeId ?? undefined}
                disabled={!value.assigneeField}
                step={1}
                min={1}
                onValueChange={(v) => set('assigneeId', v ?? null)}
                placeholder={t('settings.autoLead.assigneeId', 'Admin user id')}
              />
            )}
            <Field.Error />
          </Field.Root>
        </Grid.Item>
      </Grid.Root>
    </Section>
  );
};
