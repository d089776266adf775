import * as React from 'react';
import { Button, Field, Flex, Modal, SingleSelect, SingleSelectOption, Textarea, Typography } from '@strapi/design-system';
import type { WhatsAppNumber } from '../../../contracts/numbers';
import { TEMPLATE_CATEGORIES, type RegisterTemplate } from '../../../contracts/templates';
import { useErrorMessage, useRegisterTemplateMutation } from '../../api';
import { useTranslate } from '../../hooks/useTranslate';
import { FormField } from '../FormField';
import { fieldErrorsOf, type FieldErrors } from '../settings/fieldErrors';
import { humanize } from './messages';

type Values = Omit<RegisterTemplate.Request, 'numberId'> & { numberId: string };

/**
 * A template approved at a provider that cannot list them (AiSensy), entered as it was approved:
 * its name, language, category and body text with {{1}}, {{2}}… where the parameters go.
 */
export const AddTemplateModal = ({ numbers, onClose, onAdded }: { numbers: WhatsAppNumber[]; onClose: () => void; onAdded: (name: string) => void }) => {
  const t = useTranslate();
  const messageOf = useErrorMessage();
  const [register, { isLoading: saving }] = useRegisterTemplateMutation();
  const [values, setValues] = React.useState<Values>({ numberId: numbers.length === 1 ? String(numbers[0].id) : '', name: '', language: 'en', category: 'UTILITY', body: '' });
  const [errors, setErrors] = React.useState<FieldErrors>({});
  const [failure, setFailure] = React.useState<string | null>(null);
  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors(({ [key]: _gone, ...rest }) => rest);
  };
  const text = (key: 'name' | 'language') => (e: React.ChangeEvent<HTMLInputElement>) => set(key, e.target.value);

  const save = async () => {
    setFailure(null);
    if (!values.numberId) return setErrors({ numberId: t('templates.add.numberRequired', 'Choose the number') });
    try {
      const saved = await register({ ...values, numberId: Number(values.numberId) }).unwrap();
      onAdded(saved.name);
    } catch (error) {
      const fields = fieldErrorsOf(error);
      if (fields && Object.keys(fields).length) setErrors(fields);
      else setFailure(messageOf(error));
    }
  };

  return (
    <Modal.Root open onOpenChange={(open) => !open && !saving && onClose()}>
      <Modal.Content>
        <Modal.Header closeLabel={t('templates.add.close', 'Close')}>
          <Modal.Title>{t('templates.add.title', 'Add a template')}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <Flex direction="column" alignItems="stretch" gap={4}>
            <Typography variant="pi" textColor="neutral600">
              {t('templates.add.hint', 'For numbers whose provider cannot list its templates: enter one exactly as the provider approved it.')}
            </Typography>
            <FormField name="numberId" label={t('templates.add.number', 'Number')} error={errors.numberId} required>
              <SingleSelect value={values.numberId || null} onChange={(v) => set('numberId', String(v))} placeholder={t('templates.add.numberPlaceholder', 'Choose a number')}>
                {numbers.map((n) => (
                  <SingleSelectOption key={n.id} value={String(n.id)}>
                    {n.label}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
            </FormField>
            <FormField name="name" label={t('templates.add.name', 'Name')} hint={t('templates.add.nameHint', 'As at the provider: lower-case letters, digits and _.')} error={errors.name} required>
              <Field.Input value={values.name} onChange={text('name')} autoComplete="off" />
            </FormField>
            <FormField name="language" label={t('templates.add.language', 'Language')} hint={t('templates.add.languageHint', 'A code such as en or en_US.')} error={errors.language} required>
              <Field.Input value={values.language} onChange={text('language')} autoComplete="off" />
            </FormField>
            <FormField name="category" label={t('templates.add.category', 'Category')} error={errors.category} required>
              <SingleSelect value={values.category} onChange={(v) => set('category', String(v) as Values['category'])}>
                {TEMPLATE_CATEGORIES.map((c) => (
                  <SingleSelectOption key={c} value={c}>
                    {humanize(c)}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
            </FormField>
            <FormField name="body" label={t('templates.add.body', 'Body')} hint={t('templates.add.bodyHint', 'The approved text, with {{1}}, {{2}}… where the parameters go.')} error={errors.body} required>
              <Textarea value={values.body} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => set('body', e.target.value)} />
            </FormField>
            {failure && (
              <Typography textColor="danger600" role="alert">
                {failure}
              </Typography>
            )}
          </Flex>
        </Modal.Body>
        <Modal.Footer>
          <Modal.Close>
            <Button variant="tertiary" disabled={saving}>
              {t('templates.add.cancel', 'Cancel')}
            </Button>
          </Modal.Close>
          <Button onClick={save} loading={saving}>
            {t('templates.add.save', 'Add template')}
          </Button>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
