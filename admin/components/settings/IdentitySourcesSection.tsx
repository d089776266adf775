import { Box, Button, Field, Flex, Grid, IconButton, SingleSelect, SingleSelectOption, Typography } from '@strapi/design-system';
import { ArrowDown, ArrowUp, Plus, Trash } from '@strapi/icons';
import type { HostContentType } from '../../../contracts/host';
import type { IdentitySource } from '../../../contracts/settings';
import { useTranslate, type Translate } from '../../hooks/useTranslate';
import { FieldSelect, TypeSelect, fieldFilters, typeOf } from './FieldSelect';
import { Section } from './Section';
import type { FieldErrors } from './fieldErrors';

/** The server keeps at most this many sources. */
const MAX_SOURCES = 10;
const KINDS: IdentitySource['kind'][] = ['lead', 'contact', 'staff'];

export const kindName = (t: Translate, kind: IdentitySource['kind']) =>
  kind === 'lead'
    ? t('settings.identity.kind.lead', 'Lead')
    : kind === 'contact'
      ? t('settings.identity.kind.contact', 'Contact')
      : t('settings.identity.kind.staff', 'Staff');

interface Props {
  value: IdentitySource[];
  types: HostContentType[];
  errors: FieldErrors;
  onChange: (next: IdentitySource[]) => void;
}

/** Where the inbox looks up who is writing, first match wins: add, remove and reorder. */
export const IdentitySourcesSection = ({ value, types, errors, onChange }: Props) => {
  const t = useTranslate();
  const update = (i: number, patch: Partial<IdentitySource>) => onChange(value.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  const move = (i: number, by: -1 | 1) => {
    const next = [...value];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    onChange(next);
  };
  const add = () => {
    const used = new Set(value.map((s) => s.uid));
    const type = types.find((ct) => !used.has(ct.uid) && ct.fields.some((f) => f.name === 'phone')) ?? types[0];
    onChange([
      ...value,
      { kind: 'contact', uid: type?.uid ?? '', phoneField: type?.fields.find((f) => f.name === 'phone')?.name ?? '', nameField: null },
    ]);
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
        <Typography textColor="neutral600">
          {t('settings.identity.empty', 'No source: every person shows as unknown (or becomes a lead with auto-lead on).')}
        </Typography>
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
                    <Field.Root name={`identitySources.${i}.kind`} error={err('kind')} width="100%">
                      <Field.Label>{t('settings.identity.kind', 'Shown as')}</Field.Label>
                      <SingleSelect value={source.kind} onChange={(v) => update(i, { kind: v as IdentitySource['kind'] })}>
                        {KINDS.map((k) => (
                          <SingleSelectOption key={k} value={k}>
                            {kindName(t, k)}
                          </SingleSelectOption>
                        ))}
                      </SingleSelect>
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
