import * as React from 'react';
import { Button, Flex, Modal, Typography } from '@strapi/design-system';
import { useNotification } from '@strapi/strapi/admin';
import type { HostContentType } from '../../../contracts/host';
import type { NotificationRule } from '../../../contracts/notifications';
import type { WhatsAppNumber } from '../../../contracts/numbers';
import { errorOf, useNotifyError, useSaveRuleMutation } from '../../api';
import { useFormState } from '../../hooks/useFormState';
import { useTranslate } from '../../hooks/useTranslate';
import { fieldErrorsOf, fieldPaths, isDateType, slotsOf, slotsOfMapping, templateKey, toRequestBody, type RuleFormValues } from './form';
import { ConditionSection } from './rule/ConditionSection';
import { RecipientSection } from './rule/RecipientSection';
import { TemplateSection } from './rule/TemplateSection';
import { TriggerSection } from './rule/TriggerSection';
import type { RuleSectionProps } from './rule/shared';
import { useApprovedTemplates } from './useTemplates';

export interface RuleEditorModalProps {
  /** The rule being edited; null adds a new one (from `initial`, e.g. a preset). */
  rule: NotificationRule | null;
  initial: RuleFormValues;
  types: HostContentType[];
  numbers: WhatsAppNumber[];
  onClose: () => void;
  onSaved: (rule: NotificationRule, mode: 'create' | 'edit') => void;
  /** The number a new rule starts from, once the numbers have loaded (they may answer after the editor opened). */
  defaultNumberId?: string;
}

/** Add / edit a rule, section by section. Mount it only while open: it takes its initial values on mount. */
export const RuleEditorModal = ({ rule, initial, types, numbers, onClose, onSaved, defaultNumberId }: RuleEditorModalProps) => {
  const t = useTranslate();
  const { toggleNotification } = useNotification();
  const notifyError = useNotifyError();
  const [saveRule, { isLoading: submitting }] = useSaveRuleMutation();
  const mode = rule ? 'edit' : 'create';
  const { values, setValues, errors, setErrors, set, clearError, reject } = useFormState<RuleFormValues>(initial);
  const templates = useApprovedTemplates(values.numberId);
  React.useEffect(() => {
    if (!rule && !values.numberId && defaultNumberId) setValues((prev) => (prev.numberId ? prev : { ...prev, numberId: defaultNumberId }));
  }, [rule, values.numberId, defaultNumberId, setValues]);

  const template = templates.templates.find((tpl) => templateKey(tpl) === values.template);
  const slots = slotsOf(template);
  const type = types.find((ty) => ty.uid === values.contentType);
  // What is sent (parameters, recipient) only from what the settings allow for this type; what triggers from any field.
  const allowed = (path: string) => !type?.notificationFields?.length || type.notificationFields.includes(path);
  const allPaths = fieldPaths(types, values.contentType);
  const sentPaths = allPaths.filter(allowed);
  const ownPaths = allPaths.filter((p) => !p.includes('.'));
  const datePaths = type?.fields.filter((f) => isDateType(f.type)).map((f) => f.name) ?? [];
  const phonePaths = fieldPaths(types, values.contentType, (ty) => ['string', 'text', 'biginteger', 'integer'].includes(ty)).filter(allowed);

  const change = (patch: Partial<RuleFormValues>, errorKey: string) => {
    setValues((prev) => ({ ...prev, ...patch }));
    clearError(errorKey);
  };
  const section: RuleSectionProps = { values, errors, set, change };

  const handleSubmit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    event.stopPropagation();
    if (submitting) return;
    // A condition value without its field would be dropped unseen: ask for the field instead.
    const orphan = values.condition.findIndex((c) => !c.path && c.value.trim());
    if (orphan >= 0) {
      setErrors({ condition: t('notifications.form.condition.noField', 'Condition {n}: choose the field it checks.', { n: orphan + 1 }) });
      return;
    }
    setErrors({});
    try {
      const body = toRequestBody(values, template ? slots : slotsOfMapping(values.mapping));
      const saved = await saveRule({ id: rule?.id ?? null, body }).unwrap();
      toggleNotification({ type: 'success', message: mode === 'create' ? t('notifications.notification.created', 'Rule added.') : t('notifications.notification.updated', 'Rule saved.') });
      onSaved(saved, mode);
    } catch (error) {
      const apiError = errorOf(error);
      if (apiError?.name === 'ValidationError') reject(fieldErrorsOf(apiError as Parameters<typeof fieldErrorsOf>[0]));
      notifyError(error);
    }
  };

  return (
    <Modal.Root open onOpenChange={(open) => !open && !submitting && onClose()}>
      <Modal.Content>
        <form noValidate onSubmit={handleSubmit} aria-label={t('notifications.form.label', 'Notification rule')}>
          <Modal.Header closeLabel={t('notifications.form.close', 'Close')}>
            <Modal.Title>{mode === 'create' ? t('notifications.form.title.create', 'Add a rule') : t('notifications.form.title.edit', 'Edit {name}', { name: rule!.name })}</Modal.Title>
          </Modal.Header>
          <Modal.Body>
            <Flex direction="column" alignItems="stretch" gap={6}>
              {errors.form && (
                <Typography textColor="danger600" role="alert">
                  {errors.form}
                </Typography>
              )}
              <TriggerSection {...section} types={types} ownPaths={ownPaths} datePaths={datePaths} />
              <ConditionSection {...section} allPaths={allPaths} />
              <TemplateSection {...section} numbers={numbers} templates={templates} template={template} slots={slots} sentPaths={sentPaths} />
              <RecipientSection {...section} phonePaths={phonePaths} />
            </Flex>
          </Modal.Body>
          <Modal.Footer>
            <Modal.Close>
              <Button variant="tertiary" type="button" disabled={submitting}>
                {t('notifications.form.cancel', 'Cancel')}
              </Button>
            </Modal.Close>
            <Button type="submit" loading={submitting}>
              {t('notifications.form.submit', 'Save')}
            </Button>
          </Modal.Footer>
        </form>
      </Modal.Content>
    </Modal.Root>
  );
};
