import { Field, Grid, NumberInput, SingleSelect, SingleSelectOption, Toggle } from '@strapi/design-system';
import type { HostContentType } from '../../../contracts/host';
import type { AutoLeadSettings } from '../../../contracts/settings';
import { useTranslate } from '../../hooks/useTranslate';
import { FieldSelect, TypeSelect, fieldFilters, typeOf } from './FieldSelect';
import { Section } from './Section';
import { Cell, FieldValuePair } from './FieldValuePair';
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
        <Cell>
          <TypeSelect
            name="autoLead.uid"
            label={t('settings.autoLead.type', 'Lead type')}
            error={err('uid')}
            value={value.uid}
            types={types}
            onChange={(uid) => onChange({ ...value, uid })}
          />
        </Cell>
        <Cell>
          <FieldSelect
            name="autoLead.nameField"
            label={t('settings.autoLead.nameField', 'Name field')}
            error={err('nameField')}
            value={value.nameField}
            fields={fields.filter(fieldFilters.text)}
            onChange={(v) => set('nameField', v ?? '')}
            required
          />
        </Cell>
        <Cell>
          <FieldSelect
            name="autoLead.phoneField"
            label={t('settings.autoLead.phoneField', 'Phone field')}
            error={err('phoneField')}
            value={value.phoneField}
            fields={fields.filter(fieldFilters.text)}
            onChange={(v) => set('phoneField', v ?? '')}
            required
          />
        </Cell>
        <FieldValuePair
          base="autoLead"
          fieldKey="statusField"
          valueKey="status"
          fieldLabel={t('settings.autoLead.statusField', 'Status field')}
          valueLabel={t('settings.autoLead.status', 'Lead status')}
          fields={fields}
          field={value.statusField}
          value={value.status}
          errors={errors}
          onChange={(statusField, status) => onChange({ ...value, statusField, status })}
        />
        <FieldValuePair
          base="autoLead"
          fieldKey="sourceField"
          valueKey="source"
          fieldLabel={t('settings.autoLead.sourceField', 'Source field')}
          valueLabel={t('settings.autoLead.source', 'Source')}
          valueHint={t('settings.autoLead.source.hint', 'Written into the source field, e.g. whatsapp.')}
          fields={fields}
          field={value.sourceField}
          value={value.source}
          errors={errors}
          onChange={(sourceField, source) => onChange({ ...value, sourceField, source })}
        />
        <Cell>
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
        </Cell>
        <Cell>
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
        </Cell>
      </Grid.Root>
    </Section>
  );
};
