import * as React from 'react';
import { Button, Checkbox, Flex, SingleSelect, SingleSelectOption, Typography } from '@strapi/design-system';
import { useAddCollectionKnowledgeMutation, useListHostTypesQuery } from '../../api';
import { useApiAction } from '../../api/errors';
import { useTranslate } from '../../hooks/useTranslate';
import { FormField } from '../FormField';
import { fieldErrorsOf, type FieldErrors } from '../settings/fieldErrors';
import { numbersErrorOf } from './KnowledgeNumbers';

/** Field types the server indexes (text, numbers, dates, choices, booleans). */
const INDEXED = new Set(['string', 'text', 'richtext', 'email', 'uid', 'enumeration', 'integer', 'biginteger', 'float', 'decimal', 'date', 'datetime', 'time', 'boolean']);

/**
 * "Add a collection": a host collection type, its title field and the fields to index, offered from
 * the types and fields the admin may read in the Content Manager (the server checks them again).
 */
export const CollectionKnowledgeForm = ({ numberIds, onNumbersError }: { numberIds: number[]; onNumbersError: (message: string | undefined) => void }) => {
  const t = useTranslate();
  const run = useApiAction();
  const types = useListHostTypesQuery();
  const [add, adding] = useAddCollectionKnowledgeMutation();
  const [contentType, setContentType] = React.useState('');
  const [titleField, setTitleField] = React.useState('');
  const [fields, setFields] = React.useState<string[]>([]);
  const [errors, setErrors] = React.useState<FieldErrors>({});
  const type = types.data?.find((ct) => ct.uid === contentType);
  const offered = (type?.fields ?? []).filter((f) => INDEXED.has(f.type));
  const fieldsError = Object.entries(errors).find(([k]) => k === 'fields' || k.startsWith('fields.'))?.[1];

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setErrors({});
    onNumbersError(undefined);
    const ok = await run(async () => {
      try {
        await add({ contentType, titleField, fields, numberIds }).unwrap();
      } catch (error) {
        const found = fieldErrorsOf(error) ?? {};
        setErrors(found);
        onNumbersError(numbersErrorOf(found));
        throw error;
      }
    }, t('assistant.knowledge.collectionAdded', '{name} was added: its records are indexed and follow their edits.', { name: type?.displayName ?? contentType }));
    if (ok) {
      setContentType('');
      setTitleField('');
      setFields([]);
    }
  };

  return (
    <form onSubmit={submit} aria-label={t('assistant.knowledge.collectionForm', 'Add a collection')}>
      <Flex direction="column" alignItems="stretch" gap={3}>
        <Typography variant="delta" tag="h3">{t('assistant.knowledge.collectionForm', 'Add a collection')}</Typography>
        <FormField name="contentType" label={t('assistant.knowledge.contentType', 'Collection type')} error={errors.contentType} required>
          <SingleSelect
            value={contentType}
            placeholder={t('assistant.knowledge.pickType', 'Pick a collection you may read')}
            onChange={(v) => {
              setContentType(String(v));
              setTitleField('');
              setFields([]);
            }}
          >
            {(types.data ?? []).map((ct) => (
              <SingleSelectOption key={ct.uid} value={ct.uid}>{ct.displayName}</SingleSelectOption>
            ))}
          </SingleSelect>
        </FormField>
        {type && (
          <>
            <FormField name="titleField" label={t('assistant.knowledge.titleOfRecord', 'Title field (each record’s section heading)')} error={errors.titleField} required>
              <SingleSelect value={titleField} onChange={(v) => setTitleField(String(v))}>
                {offered.map((f) => (
                  <SingleSelectOption key={f.name} value={f.name}>{f.name}</SingleSelectOption>
                ))}
              </SingleSelect>
            </FormField>
            <fieldset aria-label={t('assistant.knowledge.fields', 'Fields to index')} style={{ border: 0, padding: 0, margin: 0 }}>
              <Typography variant="pi" fontWeight="bold">{t('assistant.knowledge.fields', 'Fields to index')}</Typography>
              <Flex gap={4} wrap="wrap" paddingTop={1}>
                {offered.map((f) => (
                  <Checkbox key={f.name} checked={fields.includes(f.name)} onCheckedChange={(c) => setFields((now) => (c === true ? [...now, f.name] : now.filter((n) => n !== f.name)))}>
                    {f.name}
                  </Checkbox>
                ))}
              </Flex>
              {fieldsError && <Typography variant="pi" textColor="danger600" role="alert">{fieldsError}</Typography>}
            </fieldset>
          </>
        )}
        <Flex justifyContent="flex-end">
          <Button type="submit" loading={adding.isLoading} disabled={!contentType || !titleField || !fields.length}>
            {t('assistant.knowledge.addCollection', 'Add collection')}
          </Button>
        </Flex>
      </Flex>
    </form>
  );
};
