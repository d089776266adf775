import * as React from 'react';
import { Button, Field, Flex, Grid, IconButton, NumberInput, SingleSelect, SingleSelectOption, Textarea, Typography } from '@strapi/design-system';
import { Plus, Trash } from '@strapi/icons';
import { BOT_LIMITS, type BotResponseType } from '../../../../contracts/bots';
import type { FormErrors } from '../../../hooks/useFormState';
import { useTranslate } from '../../../hooks/useTranslate';
import { GridField } from '../../FormField';
import { errorAt, type ResponseValues } from '../form';
import { responseLabel } from '../messages';
import { onText } from './shared';

/** A response's fields, wherever it is edited: the bot's own (`response`) or a menu item's reply (`response.items.0.reply`). */
export interface FieldsProps {
  values: ResponseValues;
  errors: FormErrors;
  set: <K extends keyof ResponseValues>(key: K, value: ResponseValues[K], errorKey: string) => void;
  /** The path the server names this response's errors under. */
  prefix: string;
  /** A field's label as shown here (a menu item's say which item they belong to). */
  labelOf: (label: string) => string;
}

/** Responses with a main text the customer reads, and whether it is required and how long it may be. */
const TEXT_OF: Partial<Record<BotResponseType, { required: boolean; max: number }>> = {
  text: { required: true, max: BOT_LIMITS.text },
  buttons: { required: true, max: BOT_LIMITS.interactiveText },
  list: { required: true, max: BOT_LIMITS.interactiveText },
  menu: { required: true, max: BOT_LIMITS.interactiveText },
  assign: { required: false, max: BOT_LIMITS.text },
  ticket: { required: false, max: BOT_LIMITS.text },
  'set-field': { required: false, max: BOT_LIMITS.text },
  handoff: { required: false, max: BOT_LIMITS.text },
};

/** Reply buttons: up to three, each a title the customer taps and the id it sends back. */
const ButtonsFields = ({ values, errors, set, prefix, labelOf }: FieldsProps) => {
  const t = useTranslate();
  const change = (i: number, patch: Partial<ResponseValues['buttons'][number]>) =>
    set(
      'buttons',
      values.buttons.map((b, j) => (j === i ? { ...b, ...patch } : b)),
      `${prefix}.buttons.${i}`,
    );
  return (
    <Grid.Item col={12} direction="column" alignItems="stretch" gap={2}>
      <Typography variant="pi" fontWeight="bold" tag="h3">
        {labelOf(t('bots.form.buttons', 'Buttons'))}
      </Typography>
      {values.buttons.map((b, i) => (
        <Flex key={i} gap={2} alignItems="flex-start" wrap="wrap" role="group" aria-label={labelOf(t('bots.form.button', 'Button {n}', { n: i + 1 }))}>
          <Flex flex="2 1 16rem" minWidth={0}>
            <Field.Root
              name={`${prefix}.buttons.${i}.title`}
              error={errorAt(errors, `${prefix}.buttons.${i}.title`) ?? errors[`${prefix}.buttons.${i}`]}
              hint={t('bots.form.buttonTitle.hint', 'Up to {n} characters.', {
                n: BOT_LIMITS.buttonTitle,
              })}
              width="100%"
            >
              <Field.Label>{labelOf(t('bots.form.buttonTitle', 'Button {n} title', { n: i + 1 }))}</Field.Label>
              <Field.Input value={b.title} onChange={onText((v) => change(i, { title: v }))} autoComplete="off" />
              <Field.Hint />
              <Field.Error />
            </Field.Root>
          </Flex>
          <Flex flex="1 1 10rem" minWidth={0}>
            <Field.Root name={`${prefix}.buttons.${i}.id`} error={errorAt(errors, `${prefix}.buttons.${i}.id`)} hint={t('bots.form.buttonId.hint', 'Empty: the title.')} width="100%">
              <Field.Label>{labelOf(t('bots.form.buttonId', 'Button {n} id', { n: i + 1 }))}</Field.Label>
              <Field.Input value={b.id} onChange={onText((v) => change(i, { id: v }))} autoComplete="off" />
              <Field.Hint />
              <Field.Error />
            </Field.Root>
          </Flex>
          <IconButton
            label={labelOf(t('bots.form.buttonRemove', 'Remove button {n}', { n: i + 1 }))}
            variant="ghost"
            disabled={values.buttons.length === 1}
            onClick={() =>
              set(
                'buttons',
                values.buttons.filter((_, j) => j !== i),
                `${prefix}.buttons`,
              )
            }
            style={{ marginTop: '2.4rem' }}
          >
            <Trash />
          </IconButton>
        </Flex>
      ))}
      {errors[`${prefix}.buttons`] && (
        <Typography variant="pi" textColor="danger600" role="alert">
          {errors[`${prefix}.buttons`]}
        </Typography>
      )}
      <div>
        <Button
          variant="tertiary"
          size="S"
          startIcon={<Plus />}
          disabled={values.buttons.length >= BOT_LIMITS.buttons}
          onClick={() => set('buttons', [...values.buttons, { id: '', title: '' }], `${prefix}.buttons`)}
        >
          {labelOf(t('bots.form.buttonAdd', 'Add button'))}
        </Button>
      </div>
    </Grid.Item>
  );
};

/** The fields of one response type beyond its main text. */
const TypeFields = (props: FieldsProps) => {
  const t = useTranslate();
  const { values: v, errors, set, prefix, labelOf } = props;
  const text = (key: keyof ResponseValues, field: string, label: string, extra: { required?: boolean; hint?: string } = {}) => {
    const path = `${prefix}.${field}`;
    return (
      <GridField name={path} label={labelOf(label)} error={errorAt(errors, path)} required={extra.required} hint={extra.hint}>
        <Field.Input value={String(v[key] ?? '')} onChange={onText((x) => set(key, x as never, path))} autoComplete="off" />
      </GridField>
    );
  };
  const num = (key: 'latitude' | 'longitude' | 'userId', field: string, label: string, required = false) => {
    const path = `${prefix}.${field}`;
    return (
      <GridField name={path} label={labelOf(label)} error={errorAt(errors, path)} required={required}>
        <NumberInput value={v[key]} onValueChange={(x) => set(key, x, path)} step={key.endsWith('Id') ? 1 : 0.000001} />
      </GridField>
    );
  };
  const headerFooter = (
    <>
      {text('header', 'header', t('bots.form.header', 'Header'), {})}
      {text('footer', 'footer', t('bots.form.footer', 'Footer'), {})}
    </>
  );
  switch (v.responseType) {
    case 'buttons':
      return (
        <>
          {headerFooter}
          <ButtonsFields {...props} />
        </>
      );
    case 'list':
      return (
        <>
          {text('buttonText', 'buttonText', t('bots.form.buttonText', 'Menu button'), { required: true })}
          {headerFooter}
          <GridField
            col={12}
            name={`${prefix}.sections`}
            label={labelOf(t('bots.form.rows', 'Rows'))}
            error={errorAt(errors, `${prefix}.sections`)}
            required
            hint={t('bots.form.rows.hint', 'One a line: “id | title | description” (up to {n} rows).', { n: BOT_LIMITS.listRows })}
          >
            <Textarea value={v.rows} onChange={onText((x) => set('rows', x, `${prefix}.sections`))} />
          </GridField>
        </>
      );
    case 'template':
      return (
        <>
          {text('templateName', 'template.name', t('bots.form.templateName', 'Template name'), { required: true })}
          {text('templateLanguage', 'template.language', t('bots.form.templateLanguage', 'Language'), { required: true })}
        </>
      );
    case 'media':
      return (
        <>
          <GridField name={`${prefix}.mediaType`} label={labelOf(t('bots.form.mediaType', 'Kind'))} error={errorAt(errors, `${prefix}.mediaType`)} required>
            <SingleSelect value={v.mediaType} onChange={(x) => set('mediaType', x as ResponseValues['mediaType'], `${prefix}.mediaType`)}>
              {(['image', 'video', 'audio', 'document'] as const).map((m) => (
                <SingleSelectOption key={m} value={m}>
                  {m}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </GridField>
          {text('link', 'link', t('bots.form.link', 'Link (https)'), {
            required: true,
          })}
          {text('caption', 'caption', t('bots.form.caption', 'Caption'))}
        </>
      );
    case 'location':
      return (
        <>
          {num('latitude', 'latitude', t('bots.form.latitude', 'Latitude'), true)}
          {num('longitude', 'longitude', t('bots.form.longitude', 'Longitude'), true)}
          {text('placeName', 'name', t('bots.form.placeName', 'Place name'))}
          {text('address', 'address', t('bots.form.address', 'Address'))}
        </>
      );
    case 'contact':
      return (
        <>
          {text('contactName', 'name', t('bots.form.contactName', 'Name'), {
            required: true,
          })}
          {text('contactPhone', 'phone', t('bots.form.contactPhone', 'Phone'), {
            required: true,
          })}
        </>
      );
    case 'assign':
      return num('userId', 'userId', t('bots.form.userId', 'Staff member (admin user id)'), true);
    case 'ticket':
      return text('subject', 'subject', t('bots.form.subject', 'Ticket subject'));
    case 'set-field':
      return (
        <>
          {text('field', 'field', t('bots.form.field', 'CRM field'), {
            required: true,
          })}
          {text('value', 'value', t('bots.form.value', 'Value'))}
        </>
      );
    default:
      return null;
  }
};

/** The response's type, its main text and its type's own fields; `menu` is drawn where a menu is allowed (the bot's own response). */
export const ResponseFields = (
  props: FieldsProps & {
    types: readonly BotResponseType[];
    menu?: React.ReactNode;
  },
) => {
  const t = useTranslate();
  const { values, errors, set, prefix, labelOf, types, menu } = props;
  const main = TEXT_OF[values.responseType];
  return (
    <>
      <GridField name={`${prefix}.type`} label={labelOf(t('bots.form.responseType', 'Answers with'))} error={errorAt(errors, `${prefix}.type`) ?? errors[prefix]} required>
        <SingleSelect value={values.responseType} onChange={(v) => set('responseType', v as BotResponseType, `${prefix}.type`)}>
          {types.map((ty) => (
            <SingleSelectOption key={ty} value={ty}>
              {responseLabel(t, ty)}
            </SingleSelectOption>
          ))}
        </SingleSelect>
      </GridField>
      {main && (
        <GridField
          col={12}
          name={`${prefix}.text`}
          label={labelOf(main.required ? t('bots.form.text', 'Message') : t('bots.form.textOptional', 'Message to the customer'))}
          error={errorAt(errors, `${prefix}.text`)}
          required={main.required}
          hint={t('bots.form.text.hint', 'Up to {n} characters.', {
            n: main.max,
          })}
        >
          <Textarea value={values.text} onChange={onText((v) => set('text', v, `${prefix}.text`))} />
        </GridField>
      )}
      {values.responseType === 'menu' ? menu : <TypeFields {...props} />}
    </>
  );
};
