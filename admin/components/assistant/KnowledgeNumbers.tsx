import * as React from 'react';
import { MultiSelect, MultiSelectOption } from '@strapi/design-system';
import type { KnowledgeSource } from '../../../contracts/assistant';
import { useListNumbersQuery } from '../../api';
import { useTranslate } from '../../hooks/useTranslate';
import { FormField } from '../FormField';
import type { FieldErrors } from '../settings/fieldErrors';

/** The server's error about `numberIds` or one of its entries, if any. */
export const numbersErrorOf = (errors: FieldErrors) => Object.entries(errors).find(([k]) => k === 'numberIds' || k.startsWith('numberIds.'))?.[1];

/** Which numbers answer from what is added next (texts, files and collections alike); none chosen: every number. */
export const KnowledgeNumbersField = ({ value, onChange, error }: { value: number[]; onChange: (ids: number[]) => void; error?: string }) => {
  const t = useTranslate();
  const numbers = useListNumbersQuery();
  return (
    <FormField name="numberIds" label={t('assistant.knowledge.numbers', 'Numbers that answer from what you add')} hint={t('assistant.knowledge.numbers.hint', 'None chosen: every number, which only admins whose teams see every number may add. Only your teams’ numbers are offered.')} error={error}>
      <MultiSelect
        value={value.map(String)}
        onChange={(next: string[]) => onChange(next.map(Number))}
        placeholder={t('assistant.knowledge.numbers.all', 'Every number')}
        withTags
        onClear={() => onChange([])}
        clearLabel={t('assistant.knowledge.numbers.clear', 'Every number')}
      >
        {(numbers.data ?? []).map((n) => (
          <MultiSelectOption key={n.id} value={String(n.id)}>
            {n.label}
          </MultiSelectOption>
        ))}
      </MultiSelect>
    </FormField>
  );
};

/** A source's numbers as a label: "Every number", or their names (an id for one the viewer's list lacks). */
export const useNumbersLabel = () => {
  const t = useTranslate();
  const numbers = useListNumbersQuery();
  return (source: KnowledgeSource) =>
    source.numberIds.length
      ? source.numberIds.map((id) => numbers.data?.find((n) => n.id === id)?.label ?? `#${id}`).join(', ')
      : t('assistant.knowledge.numbers.all', 'Every number');
};
