import * as React from 'react';
import { Box, Button, Flex, SingleSelectOption, Typography } from '@strapi/design-system';
import { WEBHOOK_STATES, type WebhookLogEntry, type WebhookState } from '../../../contracts/logs';
import { useApiAction, useListWebhookLogsQuery, useReplayWebhookMutation } from '../../api';
import { useTranslate } from '../../hooks/useTranslate';
import { usePending } from '../PageStatus';
import type { LogTabProps } from './ApiLogTab';
import { Filter, LogBody, RefreshButton, TimeBound } from './LogParts';
import { Pager } from './Pager';
import { ReplayRangeModal } from './ReplayRangeModal';
import { WebhookDetailModal } from './WebhookDetailModal';
import { WebhookLogList } from './WebhookLogList';
import { stateName } from './messages';

const ALL = 'all';
const isoOf = (local: string, plusMs = 0) => (local && !Number.isNaN(Date.parse(local)) ? new Date(Date.parse(local) + plusMs).toISOString() : undefined);

/** The Logs page's "Webhook events" tab: calls received, filtered, with their raw bodies and replay. */
export const WebhookLogTab = ({ numberId, numberFilter, numberLabel, compact, pageSize, canReplay }: LogTabProps & { canReplay: boolean }) => {
  const t = useTranslate();
  const run = useApiAction();
  const [state, setState] = React.useState(ALL);
  /** `datetime-local` values (local time, minutes); empty = unbounded. */
  const [from, setFrom] = React.useState('');
  const [to, setTo] = React.useState('');
  const [page, setPage] = React.useState(1);
  const [viewing, setViewing] = React.useState<number | null>(null);
  const [rangeOpen, setRangeOpen] = React.useState(false);
  const { pending: replaying, track } = usePending();
  const [replayOne] = useReplayWebhookMutation();
  React.useEffect(() => setPage(1), [numberId, state, from, to]);

  const query = useListWebhookLogsQuery({
    numberId,
    state: state !== ALL ? (state as WebhookState) : undefined,
    from: isoOf(from),
    // Minutes only: "to 13:45" means up to the end of that minute.
    to: isoOf(to, 59_999),
    page,
    pageSize,
  });
  const entries = query.data?.data ?? [];

  const replay = (entry: WebhookLogEntry) => track(entry.id, () => run(() => replayOne(entry.id).unwrap(), t('logs.webhooks.replayed', 'Call #{id} queued for replay.', { id: entry.id })));

  const filtered = state !== ALL || numberId !== undefined || from || to;
  return (
    <Box paddingTop={4}>
      <Flex gap={3} wrap="wrap" alignItems="flex-end" justifyContent="space-between" paddingBottom={4}>
        <Flex gap={3} wrap="wrap" alignItems="flex-end" style={{ flex: '1 1 auto' }}>
          <Filter label={t('logs.filter.state', 'State')} value={state} onChange={setState}>
            <SingleSelectOption value={ALL}>{t('logs.filter.allStates', 'All states')}</SingleSelectOption>
            {WEBHOOK_STATES.map((s) => (
              <SingleSelectOption key={s} value={s}>
                {stateName(t, s)}
              </SingleSelectOption>
            ))}
          </Filter>
          {numberFilter}
          <TimeBound label={t('logs.filter.from', 'Received from')} value={from} compact={compact} onChange={setFrom} />
          <TimeBound label={t('logs.filter.to', 'Received until')} value={to} compact={compact} onChange={setTo} />
        </Flex>
        <Flex gap={2}>
          <RefreshButton onClick={query.refetch} />
          {canReplay && (
            <Button variant="secondary" size="S" onClick={() => setRangeOpen(true)}>
              {t('logs.replayRange.open', 'Replay a range…')}
            </Button>
          )}
        </Flex>
      </Flex>
      <LogBody
        query={query}
        empty={entries.length === 0}
        emptyText={
          filtered
            ? t('logs.webhooks.empty.filtered', 'No webhook call matches these filters.')
            : t('logs.webhooks.empty', 'No webhook call received yet. Paste a number’s webhook URL into your provider’s settings.')
        }
      >
        <WebhookLogList entries={entries} numberLabel={numberLabel} canReplay={canReplay} replaying={replaying} compact={compact} onView={(entry) => setViewing(entry.id)} onReplay={replay} />
        {query.data && <Pager pagination={query.data.meta.pagination} onPage={setPage} label={t('logs.webhooks.pages', 'Webhook call pages')} />}
      </LogBody>
      <Box paddingTop={2}>
        <Typography variant="pi" textColor="neutral600">
          {t('logs.help', 'Rejected calls failed their signature or could not be read; they are kept for inspection and never applied.')}
        </Typography>
      </Box>
      {viewing !== null && <WebhookDetailModal id={viewing} numberLabel={numberLabel} onClose={() => setViewing(null)} />}
      {rangeOpen && <ReplayRangeModal numberId={numberId ?? null} onClose={() => setRangeOpen(false)} onReplayed={() => setRangeOpen(false)} />}
    </Box>
  );
};
