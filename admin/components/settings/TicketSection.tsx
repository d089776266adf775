import * as React from 'react';
import { Field, Grid, Toggle } from '@strapi/design-system';
import type { HostContentType } from '../../../contracts/host';
import type { TicketSettings } from '../../../contracts/settings';
import { useTranslate } from '../../hooks/useTranslate';
import { FieldSelect, TypeSelect, fieldFilters, typeOf } from './FieldSelect';
import { Section } from './Section';
import { Cell, FieldValuePair } from './FieldValuePair';
import type { FieldErrors } from './fieldErrors';

/**
 * The host type a conversation becomes a ticket in ("Create ticket" in the inbox), and its fields;
 * or tickets switched off (null). `fallback` is what switching them on starts from.
 */
export const TicketSection = ({
  value,
  fallback,
  types,
  errors,
  onChange,
}: {
  value: TicketSettings | null;
  fallback: TicketSettings;
  types: HostContentType[];
  errors: FieldErrors;
  onChange: (next: TicketSettings | null) => void;
}) => {
  const t = useTranslate();
  const toggle = (
    <Field.Root name="ticket.enabled" hint={t('settings.ticket.enabled.hint', 'Off: the inbox has no “Create ticket”.')}>
      <Field.Label>{t('settings.ticket.enabled', 'Create tickets from the inbox')}</Field.Label>
      <Toggle
        checked={value !== null}
        onLabel={t('settings.on', 'On')}
        offLabel={t('settings.off', 'Off')}
        onChange={(e: React.ChangeEvent<HTMLInputElement>) => onChange(e.target.checked ? fallback : null)}
      />
      <Field.Hint />
    </Field.Root>
  );
  if (!value) {
    return (
      <Section id="settings-ticket" title={t('settings.ticket.title', 'Tickets')} description={t('settings.ticket.description', 'What “Create ticket” in the inbox creates, and which fields it fills.')}>
        {toggle}
      </Section>
    );
  }
  const fields = typeOf(types, value.uid)?.fields ?? [];
  const err = (key: string) => errors[`ticket.${key}`];
  const set = <K extends keyof TicketSettings>(key: K, v: TicketSettings[K]) => onChange({ ...value, [key]: v });
  return (
    <Section
      id="settings-ticket"
      title={t('settings.ticket.title', 'Tickets')}
      description={t('settings.ticket.description', 'What “Create ticket” in the inbox creates, and which fields it fills.')}
    >
      {toggle}
      <Grid.Root gap={4}>
        <Cell>
          <TypeSelect
            name="ticket.uid"
            label={t('settings.ticket.type', 'Ticket type')}
            error={err('uid')}
            value={value.uid}
            types={types}
            onChange={(uid) => set('uid', uid)}
          />
        </Cell>
        <Cell>
          <FieldSelect
            name="ticket.subjectField"
            label={t('settings.ticket.subjectField', 'Subject field')}
            error={err('subjectField')}
            value={value.subjectField || null}
            fields={fields.filter(fieldFilters.text)}
            required
            onChange={(v) => set('subjectField', v ?? '')}
          />
        </Cell>
        <Cell>
          <FieldSelect
            name="ticket.descriptionField"
            label={t('settings.ticket.descriptionField', 'Description field')}
            hint={t('settings.ticket.descriptionField.hint', 'Gets the last messages of the conversation.')}
            error={err('descriptionField')}
            value={value.descriptionField}
            fields={fields.filter(fieldFilters.text)}
            optional
            onChange={(v) => set('descriptionField', v)}
          />
        </Cell>
        <Cell>
          <FieldSelect
            name="ticket.conversationField"
            label={t('settings.ticket.conversationField', 'Conversation id field')}
            hint={t('settings.ticket.conversationField.hint', 'A number field that links the ticket back to the conversation.')}
            error={err('conversationField')}
            value={value.conversationField}
            fields={fields.filter(fieldFilters.number)}
            optional
            onChange={(v) => set('conversationField', v)}
          />
        </Cell>
        <FieldValuePair
          base="ticket"
          fieldKey="statusField"
          valueKey="status"
          fieldLabel={t('settings.ticket.statusField', 'Status field')}
          valueLabel={t('settings.ticket.status', 'New ticket status')}
          fields={fields}
          field={value.statusField}
          value={value.status}
          errors={errors}
          onChange={(statusField, status) => onChange({ ...value, statusField, status })}
        />
      </Grid.Root>
    </Section>
  );
};
