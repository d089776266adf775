import * as React from 'react';
import { Box, Field, Flex, Loader, SingleSelect, SingleSelectOption, TextInput, Typography } from '@strapi/design-system';
import type { WhatsAppTemplate } from '../../../../contracts/templates';
import { useTranslate, type Translate } from '../../../hooks/useTranslate';
import { useSendOptions, type SendOptionsState } from './useSendOptions';
import { fieldsOf, isComplete, previewOf, toParams, unsupported, type TemplateField, type TemplateValues } from './templateValues';

export interface TemplateChoice {
  template: WhatsAppTemplate | null;
  values: TemplateValues;
}

export const EMPTY_CHOICE: TemplateChoice = { template: null, values: {} };

export const choiceReady = (c: TemplateChoice) => Boolean(c.template && isComplete(c.template.parameterSchema, c.values));

/** The `template` of a reply or of a new conversation. */
export const templateRequest = (c: TemplateChoice) => ({
  name: c.template!.name,
  language: c.template!.language,
  params: toParams(c.template!, c.values),
});

const templateKey = (t: WhatsAppTemplate) => String(t.id);
const templateLabel = (t: WhatsAppTemplate) => `${t.name} (${t.language})`;

export const fieldLabel = (t: Translate, f: TemplateField) => {
  if (f.media) return t('inbox.template.headerMedia', 'Header {kind} link', { kind: f.media });
  const placeholder = `{{${f.name}}}`;
  if (f.section === 'header') return t('inbox.template.headerParam', 'Header {placeholder}', { placeholder });
  if (f.section === 'button') return t('inbox.template.buttonParam', 'Button {index} {placeholder}', { index: (f.buttonIndex ?? 0) + 1, placeholder });
  return t('inbox.template.bodyParam', 'Body {placeholder}', { placeholder });
};

/** What the customer will read, updated as the parameters are typed. */
export const TemplatePreviewBox = ({ template, values }: { template: WhatsAppTemplate; values: TemplateValues }) => {
  const t = useTranslate();
  const preview = previewOf(template, values);
  return (
    <Box tag="section" aria-label={t('inbox.template.preview', 'Preview')} background="success100" hasRadius padding={3} style={{ overflowWrap: 'anywhere' }}>
      <Typography variant="sigma" textColor="neutral600">
        {t('inbox.template.preview', 'Preview')}
      </Typography>
      {preview.headerMedia && (
        <Typography tag="p" variant="pi" textColor="neutral600">
          {t('inbox.template.previewMedia', '[{kind}]', { kind: preview.headerMedia })}
        </Typography>
      )}
      {preview.header && (
        <Typography tag="p" fontWeight="bold" textColor="neutral800">
          {preview.header}
        </Typography>
      )}
      <Typography tag="p" textColor="neutral800" style={{ whiteSpace: 'pre-wrap' }} data-testid="template-preview-body">
        {preview.body}
      </Typography>
      {preview.footer && (
        <Typography tag="p" variant="pi" textColor="neutral600">
          {preview.footer}
        </Typography>
      )}
      {preview.buttons.length > 0 && (
        <Flex gap={2} wrap="wrap" paddingTop={2}>
          {preview.buttons.map((b, i) => (
            <Box key={`${b}-${i}`} background="neutral0" hasRadius paddingLeft={2} paddingRight={2} paddingTop={1} paddingBottom={1}>
              <Typography variant="pi" textColor="primary600">
                {b}
              </Typography>
            </Box>
          ))}
        </Flex>
      )}
    </Box>
  );
};

export interface TemplatePickerProps {
  /** The number the template is sent from; templates are per number. */
  numberId: number | null;
  /** Send options already loaded by the caller; loaded here otherwise. */
  sendOptions?: SendOptionsState;
  value: TemplateChoice;
  /**
   * A state setter: changes are applied to the latest choice, so a value typed right after another
   * (or after the select reports the same template again) never overwrites it with an older one.
   */
  onChange: React.Dispatch<React.SetStateAction<TemplateChoice>>;
  disabled?: boolean;
}

/** Choose one of the number's approved templates and fill in its parameters, with a live preview. */
export const TemplatePicker = ({ numberId, sendOptions, value, onChange, disabled }: TemplatePickerProps) => {
  const t = useTranslate();
  const loaded = useSendOptions(!sendOptions);
  const { status, options } = sendOptions ?? loaded;
  const templates = options.find((o) => o.numberId === numberId)?.templates ?? [];
  const template = value.template;

  if (!numberId) return null;
  if (status === 'loading') {
    return (
      <Flex justifyContent="center" padding={2}>
        <Loader small>{t('inbox.template.loading', 'Loading templates…')}</Loader>
      </Flex>
    );
  }
  if (status === 'error') {
    return <Typography textColor="danger600">{t('inbox.template.error', 'The templates could not be loaded. Try again.')}</Typography>;
  }
  if (!templates.length) {
    return <Typography textColor="neutral600">{t('inbox.template.none', 'No approved template to send from this number. Sync or create templates first.')}</Typography>;
  }

  const fields = template ? fieldsOf(template.parameterSchema) : [];
  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Field.Root name="template" required>
        <Field.Label>{t('inbox.template.label', 'Template')}</Field.Label>
        <SingleSelect
          value={template ? templateKey(template) : undefined}
          placeholder={t('inbox.template.placeholder', 'Choose a template')}
          disabled={disabled}
          onChange={(key) =>
            onChange((prev) => (prev.template && templateKey(prev.template) === String(key) ? prev : { template: templates.find((x) => templateKey(x) === String(key)) ?? null, values: {} }))
          }
        >
          {templates.map((x) => (
            <SingleSelectOption key={x.id} value={templateKey(x)}>
              {templateLabel(x)}
            </SingleSelectOption>
          ))}
        </SingleSelect>
      </Field.Root>
      {template && unsupported(template.parameterSchema) && (
        <Typography textColor="danger600">{t('inbox.template.unsupported', 'This template needs a location header, which cannot be sent from here.')}</Typography>
      )}
      {fields.map((f) => (
        <Field.Root key={f.key} name={f.key} required>
          <Field.Label>{fieldLabel(t, f)}</Field.Label>
          <TextInput
            value={value.values[f.key] ?? ''}
            disabled={disabled}
            type={f.media ? 'url' : 'text'}
            placeholder={f.media ? 'https://…' : undefined}
            onChange={(e: React.ChangeEvent<HTMLInputElement>) => {
              const typed = e.target.value;
              onChange((prev) => ({ template: prev.template, values: { ...prev.values, [f.key]: typed } }));
            }}
          />
        </Field.Root>
      ))}
      {template && <TemplatePreviewBox template={template} values={value.values} />}
    </Flex>
  );
};
