import * as React from 'react';
import { Box, Field, Flex, Loader, TextInput, Typography } from '@strapi/design-system';
import { Search } from '@strapi/icons';
import type { Recipient } from '../../../../contracts/host';
import { useSearchRecipientsQuery } from '../../../api';
import { useTranslate } from '../../../hooks/useTranslate';
import { CrmBadge } from '../ConversationList';

const DEBOUNCE_MS = 300;

export interface RecipientSearchProps {
  value: Recipient | null;
  onChange: (value: Recipient | null) => void;
  disabled?: boolean;
}

/** Finds a lead, contact or staff member with a phone, by name or phone, among the types the user may read. */
export const RecipientSearch = ({ value, onChange, disabled }: RecipientSearchProps) => {
  const t = useTranslate();
  const [query, setQuery] = React.useState('');
  // The search asks once typing pauses, and only from 2 characters.
  const [asked, setAsked] = React.useState('');
  React.useEffect(() => {
    const timer = setTimeout(() => setAsked(query.trim()), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query]);
  const q = query.trim();
  const search = useSearchRecipientsQuery(asked, { skip: asked.length < 2 });
  const state = {
    status: q.length < 2 ? 'idle' : asked !== q || search.isFetching ? 'loading' : search.isError ? 'error' : 'ready',
    results: q.length < 2 || asked !== q ? [] : (search.currentData ?? []),
  };

  const listLabel = t('inbox.recipients.results', 'Matching records');
  return (
    <Flex direction="column" alignItems="stretch" gap={2}>
      <Field.Root name="recipient-search" hint={t('inbox.recipients.hint', 'A name or part of a phone number (2 characters or more).')}>
        <Field.Label>{t('inbox.recipients.search', 'Search leads and contacts')}</Field.Label>
        <TextInput startAction={<Search />} value={query} disabled={disabled} autoComplete="off" onChange={(e: React.ChangeEvent<HTMLInputElement>) => setQuery(e.target.value)} />
        <Field.Hint />
      </Field.Root>
      {state.status === 'loading' && <Loader small>{t('inbox.recipients.loading', 'Searching…')}</Loader>}
      {state.status === 'error' && <Typography textColor="danger600">{t('inbox.recipients.error', 'The search failed. Try again.')}</Typography>}
      {state.status === 'ready' && state.results.length === 0 && (
        <Typography textColor="neutral600">{t('inbox.recipients.none', 'No record with a phone matches (or you may not read that type).')}</Typography>
      )}
      {state.results.length > 0 && (
        <Box tag="ul" aria-label={listLabel} style={{ listStyle: 'none', margin: 0, padding: 0, maxHeight: '16rem', overflowY: 'auto' }}>
          {state.results.map((r) => {
            const selected = value?.uid === r.uid && value.documentId === r.documentId;
            return (
              <li key={`${r.uid}:${r.documentId}`}>
                <Box
                  tag="button"
                  type="button"
                  aria-pressed={selected}
                  disabled={disabled}
                  onClick={() => onChange(selected ? null : r)}
                  width="100%"
                  padding={2}
                  hasRadius
                  background={selected ? 'primary100' : 'neutral0'}
                  borderColor={selected ? 'primary600' : 'neutral200'}
                  borderStyle="solid"
                  borderWidth="1px"
                  marginBottom={1}
                  style={{ textAlign: 'left', cursor: 'pointer', display: 'block' }}
                >
                  <Flex justifyContent="space-between" gap={2} alignItems="center">
                    <Flex direction="column" alignItems="flex-start" minWidth={0}>
                      <Typography fontWeight="semiBold" textColor="neutral800" ellipsis>
                        {r.name ?? r.phone}
                      </Typography>
                      <Typography variant="pi" textColor="neutral600">
                        {r.phone}
                      </Typography>
                    </Flex>
                    <CrmBadge kind={r.kind} />
                  </Flex>
                </Box>
              </li>
            );
          })}
        </Box>
      )}
    </Flex>
  );
};
