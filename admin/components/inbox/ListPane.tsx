import * as React from 'react';
import { Box, Button, Flex, Loader, Typography } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import type { Conversation } from '../../../contracts/inbox';
import { useListConversationsQuery } from '../../api';
import { useTranslate } from '../../hooks/useTranslate';
import { ConversationList } from './ConversationList';
import { filtersQuery, type InboxFilters } from './ConversationFilters';

const PAGE_SIZE = 25;

const dedupe = (rows: Conversation[]) => {
  const seen = new Set<number>();
  return rows.filter((c) => (seen.has(c.id) ? false : (seen.add(c.id), true)));
};

/**
 * The conversations for the filters: the first page, and the pages "Load more" added as one more
 * query. Each reloads on its own when a live event invalidates the list, so a page on its way never
 * holds back the reload of what is shown (nor the other way round).
 */
export const useConversationPages = (filters: InboxFilters, pollingInterval: number) => {
  const query = filtersQuery(filters).toString();
  // The page count belongs to one query: new filters start again from their first page.
  const [paging, setPaging] = React.useState({ query, pages: 1 });
  const pages = paging.query === query ? paging.pages : 1;
  const first = useListConversationsQuery({ query, page: 1, pages: 1, pageSize: PAGE_SIZE }, { pollingInterval });
  const more = useListConversationsQuery({ query, page: 2, pages: pages - 1, pageSize: PAGE_SIZE }, { skip: pages < 2, pollingInterval });
  const moreData = pages > 1 ? more.data : undefined;
  const rows = React.useMemo(() => dedupe([...(first.data?.rows ?? []), ...(moreData?.rows ?? [])]), [first.data, moreData]);
  // A page that could not be added is not counted, so "Load more" asks for it again.
  const moreFailed = pages > 1 && more.isError && !more.isFetching && more.currentData === undefined;
  React.useEffect(() => {
    if (moreFailed) setPaging({ query, pages: pages - 1 });
  }, [moreFailed]); // eslint-disable-line react-hooks/exhaustive-deps
  return {
    first,
    rows,
    total: first.data?.total ?? 0,
    /** New filters are on their way (the list shown is the previous one's). */
    refreshing: first.isFetching && first.currentData === undefined,
    loadingMore: pages > 1 && more.isFetching && more.currentData === undefined,
    /** The last reload failed: what is shown may be stale. */
    stale: Boolean(first.data && (first.isError || (pages > 1 && more.isError))),
    loadMore: () => setPaging({ query, pages: pages + 1 }),
    retry: () => {
      first.refetch();
      if (pages > 1) more.refetch();
    },
  };
};

export type ConversationPages = ReturnType<typeof useConversationPages>;

export interface ListPaneProps {
  list: ConversationPages;
  selectedId: number | null;
  compact: boolean;
  onSelect: (c: Pick<Conversation, 'id'>) => void;
  onClearFilters: () => void;
}

/** The inbox's left pane: the conversations, newest activity first, with "Load more". */
export const ListPane = ({ list, selectedId, compact, onSelect, onClearFilters }: ListPaneProps) => {
  const t = useTranslate();
  return (
    <Box
      width={compact ? '100%' : '32rem'}
      shrink={0}
      borderColor="neutral150"
      borderStyle="solid"
      style={{ borderWidth: compact ? '0 0 1px 0' : '0 1px 0 0', overflowY: 'auto', maxHeight: compact ? '40vh' : '75vh', minWidth: 0 }}
      aria-busy={list.refreshing}
    >
      {list.refreshing && (
        <Flex justifyContent="center" padding={2}>
          <Loader small>{t('inbox.list.loading', 'Loading conversations…')}</Loader>
        </Flex>
      )}
      {list.stale && (
        <Flex gap={2} padding={3} wrap="wrap" alignItems="center" background="danger100">
          <Typography variant="pi" textColor="danger700">
            {t('inbox.list.stale', 'The list could not be refreshed.')}
          </Typography>
          <Button variant="tertiary" size="S" startIcon={<ArrowClockwise />} onClick={list.retry}>
            {t('inbox.retry', 'Try again')}
          </Button>
        </Flex>
      )}
      {list.rows.length === 0 && !list.refreshing ? (
        <Flex direction="column" gap={3} padding={6} alignItems="center">
          <Typography textColor="neutral600" textAlign="center">
            {t('inbox.list.noMatch', 'No conversations match these filters.')}
          </Typography>
          <Button variant="tertiary" size="S" onClick={onClearFilters}>
            {t('inbox.filters.clear', 'Clear filters')}
          </Button>
        </Flex>
      ) : (
        <ConversationList
          conversations={list.rows}
          selectedId={selectedId}
          onSelect={onSelect}
          hasMore={list.rows.length < list.total}
          loadingMore={list.loadingMore}
          onLoadMore={list.loadMore}
        />
      )}
    </Box>
  );
};
