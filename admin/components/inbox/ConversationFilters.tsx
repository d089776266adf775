import * as React from 'react';
import { Box, Button, Flex, Searchbar, SingleSelect, SingleSelectOption } from '@strapi/design-system';
import type { CrmLink } from '../../../contracts/inbox';
import { useInboxSettings } from '../../hooks/useInboxSettings';
import { useTranslate } from '../../hooks/useTranslate';

/** The list's query, as `GET /whatsapp/conversations` takes it; `any` means no filter. */
export interface InboxFilters {
  numberId: string;
  assignee: 'any' | 'me' | 'unassigned';
  state: 'any' | 'open' | 'closed';
  crm: 'any' | CrmLink['kind'];
  q: string;
}

export const NO_FILTERS: InboxFilters = { numberId: 'any', assignee: 'any', state: 'any', crm: 'any', q: '' };

export const isFiltered = (f: InboxFilters) => (Object.keys(NO_FILTERS) as (keyof InboxFilters)[]).some((k) => f[k] !== NO_FILTERS[k]);

export const filtersQuery = (f: InboxFilters) => {
  const params = new URLSearchParams();
  if (f.numberId !== 'any') params.set('numberId', f.numberId);
  if (f.assignee !== 'any') params.set('assignee', f.assignee);
  if (f.state !== 'any') params.set('state', f.state);
  if (f.crm !== 'any') params.set('crm', f.crm);
  if (f.q.trim()) params.set('q', f.q.trim());
  return params;
};

/** Filters from a query string (the page's URL): what is not a valid filter value is left out. */
export const filtersFromQuery = (params: URLSearchParams): InboxFilters => {
  const pick = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const v = params.get(key);
    return v !== null && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
  };
  const numberId = params.get('numberId');
  return {
    numberId: numberId && /^[1-9]\d{0,9}$/.test(numberId) ? numberId : NO_FILTERS.numberId,
    assignee: pick('assignee', ['me', 'unassigned'] as const, NO_FILTERS.assignee),
    state: pick('state', ['open', 'closed'] as const, NO_FILTERS.state),
    // Any kind key the settings may name (`customer`, `patient`); one not configured simply matches nothing.
    crm: /^[a-z0-9-]{1,40}$/.test(params.get('crm') ?? '') ? params.get('crm')! : NO_FILTERS.crm,
    q: (params.get('q') ?? '').slice(0, 100),
  };
};

const SEARCH_DELAY_MS = 300;

export interface ConversationFiltersProps {
  value: InboxFilters;
  onChange: (next: InboxFilters) => void;
  /** The numbers to filter by (id and label); the filter is left out with fewer than two. */
  numbers: { id: number; label: string }[];
}

/** Search and filters above the conversation list; they wrap on narrow screens. */
export const ConversationFilters = ({ value, onChange, numbers }: ConversationFiltersProps) => {
  const t = useTranslate();
  const { kinds } = useInboxSettings();
  const [text, setText] = React.useState(value.q);
  const latest = React.useRef({ value, onChange });
  latest.current = { value, onChange };

  React.useEffect(() => setText(value.q), [value.q]);
  React.useEffect(() => {
    if (text === latest.current.value.q) return undefined;
    const timer = setTimeout(() => latest.current.onChange({ ...latest.current.value, q: text }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const set = <K extends keyof InboxFilters>(key: K) => (next: string | number) => onChange({ ...value, [key]: String(next) as InboxFilters[K] });
  const select = (label: string, key: keyof InboxFilters, options: [string, string][]) => (
    <Box style={{ flex: '1 1 11rem', minWidth: 0, maxWidth: '100%' }}>
      <SingleSelect aria-label={label} size="S" value={value[key]} onChange={set(key)}>
        {options.map(([v, text]) => (
          <SingleSelectOption key={v} value={v}>
            {text}
          </SingleSelectOption>
        ))}
      </SingleSelect>
    </Box>
  );

  return (
    <Flex gap={2} wrap="wrap" alignItems="center" paddingBottom={4}>
      <Box style={{ flex: '2 1 16rem', minWidth: 0, maxWidth: '100%' }}>
        <Searchbar
          name="q"
          size="S"
          value={text}
          placeholder={t('inbox.filters.searchPlaceholder', 'Search by name or phone')}
          onChange={(e: React.ChangeEvent<HTMLInputElement>) => setText(e.target.value)}
          onClear={() => {
            setText('');
            onChange({ ...value, q: '' });
          }}
          clearLabel={t('inbox.filters.clearSearch', 'Clear the search')}
        >
          {t('inbox.filters.search', 'Search conversations')}
        </Searchbar>
      </Box>
      {numbers.length > 1 &&
        select(t('inbox.filters.number', 'Filter by number'), 'numberId', [
          ['any', t('inbox.filters.anyNumber', 'All numbers')],
          ...numbers.map((n): [string, string] => [String(n.id), n.label]),
        ])}
      {select(t('inbox.filters.assignee', 'Filter by assignee'), 'assignee', [
        ['any', t('inbox.filters.anyone', 'Anyone')],
        ['me', t('inbox.filters.me', 'Assigned to me')],
        ['unassigned', t('inbox.filters.unassigned', 'Unassigned')],
      ])}
      {select(t('inbox.filters.state', 'Filter by status'), 'state', [
        ['any', t('inbox.filters.anyState', 'Open and closed')],
        ['open', t('inbox.filters.open', 'Open')],
        ['closed', t('inbox.filters.closed', 'Closed')],
      ])}
      {select(t('inbox.filters.crm', 'Filter by CRM record'), 'crm', [
        ['any', t('inbox.filters.anyCrm', 'Any customer')],
        ...kinds.map((k): [string, string] => [k.kind, k.label]),
        ['unknown', t('inbox.crm.unknown', 'Unknown')],
      ])}
      {isFiltered(value) && (
        <Button variant="tertiary" size="S" onClick={() => onChange(NO_FILTERS)}>
          {t('inbox.filters.clear', 'Clear filters')}
        </Button>
      )}
    </Flex>
  );
};
