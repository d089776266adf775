import { Field, Grid, MultiSelect, MultiSelectOption } from '@strapi/design-system';
import type { HostContentType } from '../../../contracts/host';
import { fieldPaths } from '../notifications/form';
import { useTranslate } from '../../hooks/useTranslate';
import { Section } from './Section';
import type { FieldErrors } from './fieldErrors';

/**
 * Which fields CRM-event rules may put in a message or read a phone from, per host type. A bound
 * value leaves the CRM for a customer's phone, so an admin can keep, say, internal notes out of
 * every rule. No choice for a type: every field that is not private.
 */
export const NotificationFieldsSection = ({
  value,
  types,
  errors,
  onChange,
}: {
  value: Record<string, string[]>;
  types: HostContentType[];
  errors: FieldErrors;
  onChange: (next: Record<string, string[]>) => void;
}) => {
  const t = useTranslate();
  const set = (uid: string, paths: string[]) => {
    const { [uid]: _old, ...rest } = value;
    onChange(paths.length ? { ...rest, [uid]: paths } : rest);
  };
  return (
    <Section
      id="settings-notification-fields"
      title={t('settings.notificationFields.title', 'Fields CRM events may send')}
      description={t(
        'settings.notificationFields.description',
        'What a CRM-event rule may put into a template or use as the phone, per type. Leave a type empty to allow every field that is not private.',
      )}
    >
      <Grid.Root gap={4}>
        {types.map((type) => {
          const paths = fieldPaths(types, type.uid);
          const chosen = value[type.uid] ?? [];
          return (
            <Grid.Item key={type.uid} col={6} s={12} xs={12} direction="column" alignItems="stretch">
              <Field.Root name={`notificationFields.${type.uid}`} error={errors[`notificationFields.${type.uid}`] ?? errors.notificationFields} width="100%">
                <Field.Label>{type.displayName}</Field.Label>
                <MultiSelect
                  value={chosen}
                  onChange={(next: string[]) => set(type.uid, next)}
                  placeholder={t('settings.notificationFields.all', 'Every field')}
                  withTags
                  onClear={() => set(type.uid, [])}
                  clearLabel={t('settings.notificationFields.clear', 'Allow every field')}
                >
                  {[...new Set([...paths, ...chosen])].map((path) => (
                    <MultiSelectOption key={path} value={path}>
                      {path}
                    </MultiSelectOption>
                  ))}
                </MultiSelect>
                <Field.Error />
              </Field.Root>
            </Grid.Item>
          );
        })}
      </Grid.Root>
    </Section>
  );
};
