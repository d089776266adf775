import * as React from 'react';
import { Button, Field, Flex, Grid, IconButton, NumberInput, SingleSelect, SingleSelectOption, Textarea, Typography } from '@strapi/design-system';
import { Plus, Trash } from '@strapi/icons';
import { BOT_LIMITS, BOT_RESPONSE_TYPES, type BotResponseType } from '../../../../contracts/bots';
import { useTranslate } from '../../../hooks/useTranslate';
import { GridField } from '../../FormField';
import { errorAt, type BotFormValues } from '../form';
import { responseLabel } from '../messages';
import { onText, type BotSectionProps } from './shared';

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
const ButtonsFields = ({ values, errors, set }: BotSectionProps) => {
  const t = useTranslate();
  const change = (i: number, patch: Partial<BotFormValues['buttons'][number]>) =>
    set('buttons', values.buttons.map((b, j) => (j === i ? { ...b, ...patch } : b)), `response.buttons.${i}`);
  return (
    <Grid.Item col={12} direction="column" alignItems="stretch" gap={2}>
      <Typography variant="pi" fontWeight="bold" tag="h3">
        {t('bots.form.buttons', 'Buttons')}
      </Typography>
      {values.buttons.map((b, i) => (
        <Flex key={i} gap={2} alignItems="flex-start" wrap="wrap" role="group" aria-label={t('bots.form.button', 'Button {n}', { n: i + 1 })}>
          <Flex flex="2 1 16rem" minWidth={0}>
            <Field.Root name={`response.buttons.${i}.title`} error={errorAt(errors, `response.buttons.${i}.title`) ?? errors[`response.buttons.${i}`]} hint={t('bots.form.buttonTitle.hint', 'Up to {n} characters.', { n: BOT_LIMITS.buttonTitle })} width="100%">
              <Field.Label>{t('bots.form.buttonTitle', 'Button {n} title', { n: i + 1 })}</Field.Label>
              <Field.Input value={b.title} onChange={onText((v) => change(i, { title: v }))} autoComplete="off" />
              <Field.Hint />
              <Field.Error />
            </Field.Root>
          </Flex>
          <Flex flex="1 1 10rem" minWidth={0}>
            <Field.Root name={`response.buttons.${i}.id`} error={errorAt(errors, `response.buttons.${i}.id`)} hint={t('bots.form.buttonId.hint', 'Empty: the title.')} width="100%">
              <Field.Label>{t('bots.form.buttonId', 'Button {n} id', { n: i + 1 })}</Field.Label>
              <Field.Input value={b.id} onChange={onText((v) => change(i, { id: v }))} autoComplete="off" />
              <Field.Hint />
              <Field.Error />
            </Field.Root>
          </Flex>
          <IconButton
            label={t('bots.form.buttonRemove', 'Remove button {n}', { n: i + 1 })}
            variant="ghost"
            disabled={values.buttons.length === 1}
            onClick={() => set('buttons', values.buttons.filter((_, j) => j !== i), 'response.buttons')}
            style={{ marginTop: '2.4rem' }}
          >
            <Trash />
          </IconButton>
        </Flex>
      ))}
      {errors['response.buttons'] && (
        <Typography variant="pi" textColor="danger600" role="alert">
          {errors['response.buttons']}
        </Typography>
      )}
      <div>
        <Button variant="tertiary" size="S" startIcon={<Plus />} disabled={values.buttons.length >= BOT_LIMITS.buttons} onClick={() => set('buttons', [...values.buttons, { id: '', title: '' }], 'response.buttons')}>
          {t('bots.form.buttonAdd', 'Add button')}
        </Button>
      </div>
    </Grid.Item>
  );
};

/** The fields of one response type (the main text is drawn by the section). */
const TypeFields = (props: BotSectionProps) => {
  const t = useTranslate();
  const { values: v, errors, set } = props;
  const text = (key: keyof BotFormValues, path: string, label: string, extra: { required?: boolean; hint?: string } = {}) => (
    <GridField name={path} label={label} error={errorAt(errors, path)} required={extra.required} hint={extra.hint}>
      <Field.Input value={String(v[key] ?? '')} onChange={onText((x) => set(key, x as never, path))} autoComplete="off" />
    </GridField>
  );
  const num = (key: 'latitude' | 'longitude' | 'userId', path: string, label: string, required = false) => (
    <GridField name={path} label={label} error={errorAt(errors, path)} required={required}>
      <NumberInput value={v[key]} onValueChange={(x) => set(key, x, path)} step={key.endsWith('Id') ? 1 : 0.000001} />
    </GridField>
  );
  const headerFooter = (
    <>
      {text('header', 'response.header', t('bots.form.header', 'Header'), {})}
      {text('footer', 'response.footer', t('bots.form.footer', 'Footer'), {})}
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
          {text('buttonText', 'response.buttonText', t('bots.form.buttonText', 'Menu button'), { required: true })}
          {headerFooter}
          <GridField col={12} name="response.sections" label={t('bots.form.rows', 'Rows')} error={errorAt(errors, 'response.sections')} required hint={t('bots.form.rows.hint', 'One a line: “id | title | description” (up to {n} rows).', { n: BOT_LIMITS.listRows })}>
            <Textarea value={v.rows} onChange={onText((x) => set('rows', x, 'response.sections'))} />
          </GridField>
        </>
      );
    case 'menu':
      return (
        <>
          {text('buttonText', 'response.buttonText', t('bots.form.buttonText', 'Menu button'), {})}
          <GridField col={12} name="response.items" label={t('bots.form.menuItems', 'Items (JSON)')} error={errorAt(errors, 'response.items')} required hint={t('bots.form.menuItems.hint', '[{ "id": "sales", "title": "Sales", "reply": { "type": "text", "text": "…" } }, { "id": "more", "title": "More", "text": "Pick one", "items": [ … ] }]')}>
            <Textarea value={v.menuItems} onChange={onText((x) => set('menuItems', x, 'response.items'))} />
          </GridField>
        </>
      );
    case 'template':
      return (
        <>
          {text('templateName', 'response.template.name', t('bots.form.templateName', 'Template name'), { required: true })}
          {text('templateLanguage', 'response.template.language', t('bots.form.templateLanguage', 'Language'), { required: true })}
        </>
      );
    case 'media':
      return (
        <>
          <GridField name="response.mediaType" label={t('bots.form.mediaType', 'Kind')} error={errorAt(errors, 'response.mediaType')} required>
            <SingleSelect value={v.mediaType} onChange={(x) => set('mediaType', x as BotFormValues['mediaType'], 'response.mediaType')}>
              {(['image', 'video', 'audio', 'document'] as const).map((m) => (
                <SingleSelectOption key={m} value={m}>
                  {m}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </GridField>
          {text('link', 'response.link', t('bots.form.link', 'Link (https)'), { required: true })}
          {text('caption', 'response.caption', t('bots.form.caption', 'Caption'))}
        </>
      );
    case 'location':
      return (
        <>
          {num('latitude', 'response.latitude', t('bots.form.latitude', 'Latitude'), true)}
          {num('longitude', 'response.longitude', t('bots.form.longitude', 'Longitude'), true)}
          {text('placeName', 'response.name', t('bots.form.placeName', 'Place name'))}
          {text('address', 'response.address', t('bots.form.address', 'Address'))}
        </>
      );
    case 'contact':
      return (
        <>
          {text('contactName', 'response.name', t('bots.form.contactName', 'Name'), { required: true })}
          {text('contactPhone', 'response.phone', t('bots.form.contactPhone', 'Phone'), { required: true })}
        </>
      );
    case 'assign':
      return num('userId', 'response.userId', t('bots.form.userId', 'Staff member (admin user id)'), true);
    case 'ticket':
      return text('subject', 'response.subject', t('bots.form.subject', 'Ticket subject'));
    case 'set-field':
      return (
        <>
          {text('field', 'response.field', t('bots.form.field', 'CRM field'), { required: true })}
          {text('value', 'response.value', t('bots.form.value', 'Value'))}
        </>
      );
    default:
      return null;
  }
};

/** What the bot answers: the response type, its text and its type's own fields. */
export const ResponseSection = (props: BotSectionProps) => {
  const t = useTranslate();
  const { values, errors, set } = props;
  const main = TEXT_OF[values.responseType];
  return (
    <Grid.Root gap={4} tag="section" aria-label={t('bots.form.response', 'Response')}>
      <Grid.Item col={12}>
        <Typography variant="delta" tag="h2">
          {t('bots.form.response', 'Response')}
        </Typography>
      </Grid.Item>
      <GridField name="response.type" label={t('bots.form.responseType', 'Answers with')} error={errorAt(errors, 'response.type') ?? errors.response} required>
        <SingleSelect value={values.responseType} onChange={(v) => set('responseType', v as BotResponseType, 'response.type')}>
          {BOT_RESPONSE_TYPES.map((ty) => (
            <SingleSelectOption key={ty} value={ty}>
              {responseLabel(t, ty)}
            </SingleSelectOption>
          ))}
        </SingleSelect>
      </GridField>
      {main && (
        <GridField col={12} name="response.text" label={main.required ? t('bots.form.text', 'Message') : t('bots.form.textOptional', 'Message to the customer')} error={errorAt(errors, 'response.text')} required={main.required} hint={t('bots.form.text.hint', 'Up to {n} characters.', { n: main.max })}>
          <Textarea value={values.text} onChange={onText((v) => set('text', v, 'response.text'))} />
        </GridField>
      )}
      <TypeFields {...props} />
    </Grid.Root>
  );
};
