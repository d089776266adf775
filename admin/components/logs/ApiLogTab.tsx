import * as React from 'react';
import { Box, Flex } from '@strapi/design-system';
import { useListApiLogsQuery } from '../../api';
import { useTranslate } from '../../hooks/useTranslate';
import { ApiLogList } from './ApiLogList';
import { LogBody, RefreshButton } from './LogParts';
import { Pager } from './Pager';

export interface LogTabProps {
  /** The page's number filter (undefined: all numbers), and its select. */
  numberId: number | undefined;
  numberFilter: React.ReactNode;
  numberLabel: (id: number | null) => string;
  compact: boolean;
  pageSize: number;
}

/** The Logs page's "API calls" tab: every call made to a provider, a page at a time. */
export const ApiLogTab = ({ numberId, numberFilter, numberLabel, compact, pageSize }: LogTabProps) => {
  const t = useTranslate();
  const [page, setPage] = React.useState(1);
  React.useEffect(() => setPage(1), [numberId]);
  const query = useListApiLogsQuery({ numberId, page, pageSize });
  const entries = query.data?.data ?? [];
  return (
    <Box paddingTop={4}>
      <Flex gap={3} wrap="wrap" alignItems="center" justifyContent="space-between" paddingBottom={4}>
        {numberFilter}
        <RefreshButton onClick={query.refetch} />
      </Flex>
      <LogBody
        query={query}
        empty={entries.length === 0}
        emptyText={numberId !== undefined ? t('logs.api.empty.filtered', 'No provider call for this number.') : t('logs.api.empty', 'No call made to a provider yet.')}
      >
        <ApiLogList entries={entries} numberLabel={numberLabel} compact={compact} />
        {query.data && <Pager pagination={query.data.meta.pagination} onPage={setPage} label={t('logs.api.pages', 'API call pages')} />}
      </LogBody>
    </Box>
  );
};
