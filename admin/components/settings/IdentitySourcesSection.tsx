import * as React from 'react';
import { Box, Button, Field, Flex, Grid, IconButton, TextInput, Typography } from '@strapi/design-system';
import { ArrowDown, ArrowUp, Plus, Trash } from '@strapi/icons';
import type { HostContentType } from '../../../contracts/host';
import type { IdentitySource, SuggestedSource } from '../../../contracts/settings';
import { useTranslate } from '../../hooks/useTranslate';
import { FieldSelect, TypeSelect, fieldFilters, typeOf } from './FieldSelect';
import { Section } from './Section';
import type { FieldErrors } from './fieldErrors';

/** The server keeps at most this many sources. */
const MAX_SOURCES = 10;

/** A kind key from a label: "VIP Customer" → `vip-customer`. */
const slug = (label: string) =>
  label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);

const fromSuggestion = (s: SuggestedSource): IdentitySource => ({ kind: s.kind, label: s.label, uid: s.uid, phoneField: s.phoneField, nameField: s.nameField, optOutField: null });

interface Props {
  value: IdentitySource[];
  types: HostContentType[];
  errors: FieldErrors;
  /** The app's types with a phone-like field that are no source yet, with a suggested mapping. */
  suggestions: SuggestedSource[];
  onChange: (next: IdentitySource[]) => void;
}

/** Where the inbox looks up who is writing, first match wins: add, remove and reorder. */
export const IdentitySourcesSection = ({ value, types, errors, suggestions, onChange }: Props) => {
  const t = useTranslate();
  const update = (i: number, patch: Partial<IdentitySource>) => onChange(value.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  const move = (i: number, by: -1 | 1) => {
    const next = [...value];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    onChange(next);
  };
  const used = new Set(value.map((s) => s.uid));
  const offered = suggestions.filter((s) => !used.has(s.uid));
  const add = () => {
    const suggested = offered[0];
    if (suggested) return onChange([...value, fromSuggestion(suggested)]);
    const type = types.find((ct) => !used.has(ct.uid)) ?? types[0];
    const kind = slug(type?.singularName ?? 'source');
    onChange([...value, { kind, label: type?.displayName ?? kind, uid: type?.uid ?? '', phoneField: '', nameField: null, optOutField: null }]);
  };

  return (
    <Section
      id="settings-identity"
      title={t('settings.identity.title', 'Identity sources')}
      description={t(
        'settings.identity.description',
        'Where the inbox looks up who is writing, by phone number, in this order. The first match wins.',
      )}
    >
      {value.length === 0 && (
        <Box background="warning100" borderColor="warning200" hasRadius padding={4} role="status">
          <Flex direction="column" alignItems="flex-start" gap={2}>
            <Typography fontWeight="semiBold" textColor="warning700">
              {t('settings.identity.needsSetup', 'Needs setup: no identity source, so every person who writes shows as unknown.')}
            </Typography>
            {offered.length > 0 && (
              <Typography variant="pi">{t('settings.identity.suggested', 'Your content types with a phone field, to confirm:')}</Typography>
            )}
            <Flex gap={2} wrap="wrap">
              {offered.map((s) => (
                <Button key={s.uid} variant="secondary" size="S" startIcon={<Plus />} onClick={() => onChange([...value, fromSuggestion(s)])}>
                  {t('settings.identity.useSuggestion', 'Use {type} ({phone})', { type: s.displayName, phone: s.phoneField })}
                </Button>
              ))}
            </Flex>
          </Flex>
        </Box>
      )}
      <Flex
        tag="ol"
        direction="column"
        alignItems="stretch"
        gap={3}
        aria-label={t('settings.identity.list', 'Identity sources')}
        style={{ margin: 0, padding: 0 }}
      >
        {value.map((source, i) => {
          const fields = typeOf(types, source.uid)?.fields ?? [];
          const err = (key: string) => errors[`identitySources.${i}.${key}`];
          const position = i + 1;
          return (
            <Box
              tag="li"
              key={i}
              aria-label={t('settings.identity.item', 'Source {position}', { position })}
              background="neutral100"
              hasRadius
              padding={4}
              style={{ listStyle: 'none' }}
            >
              <Flex direction="column" alignItems="stretch" gap={3}>
                <Flex justifyContent="space-between" alignItems="center" gap={2} wrap="wrap">
                  <Typography variant="omega" fontWeight="semiBold">
                    {t('settings.identity.item', 'Source {position}', { position })}
                  </Typography>
                  <Flex gap={1}>
                    <IconButton
                      label={t('settings.identity.up', 'Move source {position} up', { position })}
                      variant="ghost"
                      disabled={i === 0}
                      onClick={() => move(i, -1)}
                    >
                      <ArrowUp />
                    </IconButton>
                    <IconButton
                      label={t('settings.identity.down', 'Move source {position} down', { position })}
                      variant="ghost"
                      disabled={i === value.length - 1}
                      onClick={() => move(i, 1)}
                    >
                      <ArrowDown />
                    </IconButton>
                    <IconButton
                      label={t('settings.identity.remove', 'Remove source {position}', { position })}
                      variant="ghost"
                      onClick={() => onChange(value.filter((_, j) => j !== i))}
                    >
                      <Trash />
                    </IconButton>
                  </Flex>
                </Flex>
                <Grid.Root gap={3}>
                  <Grid.Item col={3} s={12} xs={12} direction="column" alignItems="stretch">
                    <Field.Root name={`identitySources.${i}.label`} error={err('label')} hint={t('settings.identity.label.hint', 'Your word for them, shown in the inbox.')} width="100%">
                      <Field.Label>{t('settings.identity.label', 'Shown as')}</Field.Label>
                      <TextInput
                        value={source.label ?? ''}
                        onChange={(e: React.ChangeEvent<HTMLInputElement>) => {
                          const label = e.target.value;
                          // The key follows the label until edited on its own.
                          const follows = source.kind === slug(source.label ?? '');
                          update(i, { label, ...(follows && slug(label) ? { kind: slug(label) } : {}) });
                        }}
                      />
                      <Field.Hint />
                      <Field.Error />
                    </Field.Root>
                  </Grid.Item>
                  <Grid.Item col={3} s={12} xs={12} direction="column" alignItems="stretch">
                    <Field.Root name={`identitySources.${i}.kind`} error={err('kind')} hint={t('settings.identity.kind.hint', 'A short key for filters, such as customer.')} width="100%">
                      <Field.Label>{t('settings.identity.kind', 'Key')}</Field.Label>
                      <TextInput value={source.kind} onChange={(e: React.ChangeEvent<HTMLInputElement>) => update(i, { kind: e.target.value })} />
                      <Field.Hint />
                      <Field.Error />
                    </Field.Root>
                  </Grid.Item>
                  <Grid.Item col={3} s={12} xs={12} direction="column" alignItems="stretch">
                    <TypeSelect
                      name={`identitySources.${i}.uid`}
                      label={t('settings.identity.type', 'Content type')}
                      error={err('uid')}
                      value={source.uid}
                      types={types}
                      onChange={(uid) => {
                        const next = typeOf(types, uid)?.fields ?? [];
                        update(i, {
                          uid,
                          phoneField: next.find((f) => f.name === source.phoneField)
                            ? source.phoneField
                            : (next.find((f) => f.name === 'phone')?.name ?? ''),
                          nameField: next.find((f) => f.name === source.nameField) ? source.nameField : null,
                          // Never carried over to a type that may not have it.
                          optOutField: null,
                        });
                      }}
                    />
                  </Grid.Item>
                  <Grid.Item col={3} s={12} xs={12} direction="column" alignItems="stretch">
                    <FieldSelect
                      name={`identitySources.${i}.phoneField`}
                      label={t('settings.identity.phoneField', 'Phone field')}
                      error={err('phoneField')}
                      value={source.phoneField || null}
                      fields={fields.filter(fieldFilters.text)}
                      required
                      onChange={(v) => update(i, { phoneField: v ?? '' })}
                    />
                  </Grid.Item>
                  <Grid.Item col={3} s={12} xs={12} direction="column" alignItems="stretch">
                    <FieldSelect
                      name={`identitySources.${i}.nameField`}
                      label={t('settings.identity.nameField', 'Name field')}
                      error={err('nameField')}
                      value={source.nameField ?? null}
                      fields={fields.filter(fieldFilters.text)}
                      optional
                      onChange={(v) => update(i, { nameField: v })}
                    />
                  </Grid.Item>
                  <Grid.Item col={3} s={12} xs={12} direction="column" alignItems="stretch">
                    <FieldSelect
                      name={`identitySources.${i}.optOutField`}
                      label={t('settings.identity.optOutField', 'Opt-out field')}
                      hint={t('settings.identity.optOutField.hint', 'A yes/no field: STOP sets it, and CRM events skip them.')}
                      error={err('optOutField')}
                      value={source.optOutField ?? null}
                      fields={fields.filter(fieldFilters.boolean)}
                      optional
                      onChange={(v) => update(i, { optOutField: v })}
                    />
                  </Grid.Item>
                </Grid.Root>
              </Flex>
            </Box>
          );
        })}
      </Flex>
      {errors.identitySources && <Typography textColor="danger600">{errors.identitySources}</Typography>}
      <Box>
        <Button variant="secondary" startIcon={<Plus />} disabled={value.length >= MAX_SOURCES || types.length === 0} onClick={add}>
          {t('settings.identity.add', 'Add a source')}
        </Button>
      </Box>
    </Section>
  );
};
