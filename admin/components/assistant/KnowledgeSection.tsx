import * as React from 'react';
import { Button, Flex, IconButton, Table, Tbody, Td, Textarea, TextInput, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Trash } from '@strapi/icons';
import { KNOWLEDGE_EXTENSIONS } from '../../../contracts/assistant';
import { useAddKnowledgeMutation, useDeleteKnowledgeMutation, useListKnowledgeQuery, useReindexKnowledgeMutation, useUploadKnowledgeMutation } from '../../api';
import { useApiAction } from '../../api/errors';
import { useTranslate } from '../../hooks/useTranslate';
import { FormField } from '../FormField';
import { CollectionKnowledgeForm } from './CollectionKnowledgeForm';
import { KnowledgeNumbersField, numbersErrorOf, useNumbersLabel } from './KnowledgeNumbers';
import { Section } from '../settings/Section';
import { fieldErrorsOf, type FieldErrors } from '../settings/fieldErrors';

/** The knowledge sources: a typed text, uploaded .txt/.md/.pdf files or a host collection, listed with their chunks; deleted, re-indexed. */
export const KnowledgeSection = () => {
  const t = useTranslate();
  const run = useApiAction();
  const list = useListKnowledgeQuery();
  const [add, adding] = useAddKnowledgeMutation();
  const [upload, uploading] = useUploadKnowledgeMutation();
  const [remove] = useDeleteKnowledgeMutation();
  const [reindex, reindexing] = useReindexKnowledgeMutation();
  const [title, setTitle] = React.useState('');
  const [text, setText] = React.useState('');
  const [errors, setErrors] = React.useState<FieldErrors>({});
  const [numberIds, setNumberIds] = React.useState<number[]>([]);
  const [numbersError, setNumbersError] = React.useState<string | undefined>();
  const numbersLabel = useNumbersLabel();
  const fileInput = React.useRef<HTMLInputElement>(null);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setErrors({});
    setNumbersError(undefined);
    const ok = await run(async () => {
      try {
        await add({ title, text, numberIds }).unwrap();
      } catch (error) {
        const found = fieldErrorsOf(error) ?? {};
        setErrors(found);
        setNumbersError(numbersErrorOf(found));
        throw error;
      }
    }, t('assistant.knowledge.added', '“{title}” was added.', { title }));
    if (ok) {
      setTitle('');
      setText('');
    }
  };

  const rows = list.data ?? [];
  return (
    <Section id="assistant-knowledge" title={t('assistant.knowledge.title', 'Knowledge')} description={t('assistant.knowledge.description', 'What the assistant answers from: FAQs, policies, prices. Markdown headings make good sections (an FAQ question per heading).')}>
      {rows.length === 0 ? (
        <Typography textColor="neutral600">{t('assistant.knowledge.empty', 'No knowledge yet: add a text, upload .txt, .md or .pdf files, or add a collection.')}</Typography>
      ) : (
        <Table colCount={5} rowCount={rows.length + 1}>
          <Thead>
            <Tr>
              <Th><Typography variant="sigma">{t('assistant.knowledge.source', 'Source')}</Typography></Th>
              <Th><Typography variant="sigma">{t('assistant.knowledge.file', 'File')}</Typography></Th>
              <Th><Typography variant="sigma">{t('assistant.knowledge.chunks', 'Sections')}</Typography></Th>
              <Th><Typography variant="sigma">{t('assistant.knowledge.numbersColumn', 'Numbers')}</Typography></Th>
              <Th><Typography variant="sigma">{t('assistant.knowledge.actions', 'Actions')}</Typography></Th>
            </Tr>
          </Thead>
          <Tbody>
            {rows.map((s) => (
              <Tr key={s.id}>
                <Td><Typography>{s.title}</Typography></Td>
                <Td><Typography textColor="neutral600">{s.filename ?? s.collection?.contentType ?? '—'}</Typography></Td>
                <Td>
                  <Typography>{s.chunks}</Typography>
                  {s.error && <Typography variant="pi" textColor="danger600" display="block">{s.error}</Typography>}
                </Td>
                <Td><Typography>{numbersLabel(s)}</Typography></Td>
                <Td>
                  <IconButton label={t('assistant.knowledge.delete', 'Delete {title}', { title: s.title })} variant="ghost" onClick={() => run(() => remove(s.id).unwrap(), t('assistant.knowledge.deleted', '“{title}” was deleted.', { title: s.title }))}>
                    <Trash />
                  </IconButton>
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
      <KnowledgeNumbersField value={numberIds} onChange={(ids) => { setNumberIds(ids); setNumbersError(undefined); }} error={numbersError} />
      <Flex gap={2} wrap="wrap">
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          aria-label={t('assistant.knowledge.files', 'Knowledge files')}
          accept={KNOWLEDGE_EXTENSIONS.join(',')}
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            if (!files.length) return;
            setNumbersError(undefined);
            run(async () => {
              try {
                await upload({ files, numberIds }).unwrap();
              } catch (error) {
                setNumbersError(numbersErrorOf(fieldErrorsOf(error) ?? {}));
                throw error;
              }
            }, t('assistant.knowledge.uploaded', 'The files were added.'));
          }}
        />
        <Button variant="secondary" loading={uploading.isLoading} onClick={() => fileInput.current?.click()}>
          {t('assistant.knowledge.upload', 'Upload .txt, .md or .pdf files')}
        </Button>
        <Button variant="tertiary" loading={reindexing.isLoading} onClick={() => run(() => reindex().unwrap(), t('assistant.knowledge.reindexed', 'The knowledge was re-indexed.'))}>
          {t('assistant.knowledge.reindex', 'Re-index')}
        </Button>
      </Flex>
      <form onSubmit={submit} aria-label={t('assistant.knowledge.addForm', 'Add a knowledge text')}>
        <Flex direction="column" alignItems="stretch" gap={3}>
          <FormField name="title" label={t('assistant.knowledge.titleField', 'Title')} error={errors.title} required>
            <TextInput value={title} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setTitle(e.target.value)} />
          </FormField>
          <FormField name="text" label={t('assistant.knowledge.textField', 'Text (Markdown)')} error={errors.text} required>
            <Textarea value={text} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setText(e.target.value)} />
          </FormField>
          <Flex justifyContent="flex-end">
            <Button type="submit" loading={adding.isLoading} disabled={!title.trim() || !text.trim()}>
              {t('assistant.knowledge.add', 'Add text')}
            </Button>
          </Flex>
        </Flex>
      </form>
      <CollectionKnowledgeForm numberIds={numberIds} onNumbersError={setNumbersError} />
    </Section>
  );
};
