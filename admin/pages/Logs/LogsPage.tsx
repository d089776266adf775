import * as React from 'react';
import {
  Box,
  Button,
  EmptyStateLayout,
  Field,
  Flex,
  Loader,
  SingleSelect,
  SingleSelectOption,
  Tabs,
  Typography,
} from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { EmptyDocuments } from '@strapi/icons/symbols';
import { Layouts, Page, isFetchError, useAPIErrorHandler, useFetchClient, useNotification, useRBAC } from '@strapi/strapi/admin';
import {
  WEBHOOK_STATES,
  type ApiLogEntry,
  type ListApiLogs,
  type ListWebhookLogs,
  type Pagination,
  type WebhookLogEntry,
} from '../../../contracts/logs';
import type { ListNumbers, WhatsAppNumber } from '../../../contracts/numbers';
import { PluginNav } from '../../components/PluginNav';
import { ApiLogList } from '../../components/logs/ApiLogList';
import { Pager } from '../../components/logs/Pager';
import { ReplayRangeModal } from '../../components/logs/ReplayRangeModal';
import { WebhookDetailModal } from '../../components/logs/WebhookDetailModal';
import { WebhookLogList } from '../../components/logs/WebhookLogList';
import { stateName } from '../../components/logs/messages';
import { useIsCompact } from '../../hooks/useIsCompact';
import { useTranslate } from '../../hooks/useTranslate';
import { PERMISSIONS } from '../../permissions';

const ALL = 'all';
const PAGE_SIZE = 25;

type Load<T> = { status: 'loading' | 'error' | 'ready'; data: T[]; pagination: Pagination };
const initial = <T,>(): Load<T> => ({ status: 'loading', data: [], pagination: { page: 1, pageSize: PAGE_SIZE, total: 0, pageCount: 0 } });

/** One page of a log list, reloaded when its query changes. */
const usePagedLog = <T,>(url: string, params: Record<string, string>) => {
  const { get } = useFetchClient();
  const [state, setState] = React.useState<Load<T>>(initial);
  const key = JSON.stringify(params);
  const load = React.useCallback(async () => {
    setState((prev) => ({ ...prev, status: prev.status === 'ready' ? 'ready' : 'loading' }));
    try {
      const res = await get<{ data: T[]; meta: { pagination: Pagination } }>(url, { params: JSON.parse(key) });
      setState({ status: 'ready', data: res.data.data, pagination: res.data.meta.pagination });
    } catch {
      setState((prev) => ({ ...prev, status: 'error' }));
    }
  }, [get, key, url]);
  React.useEffect(() => {
    load();
  }, [load]);
  return { ...state, reload: load };
};

const Filter = ({
  label,
  value,
  onChange,
  children,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  children: React.ReactNode;
}) => (
  <Box style={{ flex: '0 1 16rem', minWidth: '12rem', maxWidth: '100%' }}>
    <SingleSelect aria-label={label} value={value} onChange={(v) => onChange(String(v))}>
      {children}
    </SingleSelect>
  </Box>
);

const TimeBound = ({
  label,
  value,
  compact,
  onChange,
}: {
  label: string;
  value: string;
  compact: boolean;
  onChange: (v: string) => void;
}) => (
  <Box style={{ flex: compact ? '1 1 100%' : '0 1 16rem', minWidth: '12rem', maxWidth: '100%' }}>
    <Field.Root name={label}>
      <Field.Label>{label}</Field.Label>
      <Field.Input type="datetime-local" value={value} onChange={(e: React.ChangeEvent<HTMLInputElement>) => onChange(e.target.value)} />
    </Field.Root>
  </Box>
);

const LogError = ({ onRetry }: { onRetry: () => void }) => {
  const t = useTranslate();
  return (
    <EmptyStateLayout
      icon={<EmptyDocuments width="16rem" />}
      content={t('logs.loadError', 'The log could not be loaded.')}
      action={
        <Button variant="secondary" startIcon={<ArrowClockwise />} onClick={onRetry}>
          {t('logs.retry', 'Try again')}
        </Button>
      }
    />
  );
};

const Logs = () => {
  const t = useTranslate();
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { formatAPIError } = useAPIErrorHandler();
  const compact = useIsCompact();
  const {
    isLoading: isLoadingRBAC,
    allowedActions: { canReplay },
  } = useRBAC(PERMISSIONS.replayLogs);

  const [numbers, setNumbers] = React.useState<WhatsAppNumber[]>([]);
  const [tab, setTab] = React.useState('webhooks');
  const [numberId, setNumberId] = React.useState(ALL);
  const [state, setState] = React.useState(ALL);
  /** `datetime-local` values (local time, minutes); empty = unbounded. */
  const [from, setFrom] = React.useState('');
  const [to, setTo] = React.useState('');
  const [webhookPage, setWebhookPage] = React.useState(1);
  const [apiPage, setApiPage] = React.useState(1);
  const [viewing, setViewing] = React.useState<number | null>(null);
  const [replaying, setReplaying] = React.useState<ReadonlySet<number>>(new Set());
  const [rangeOpen, setRangeOpen] = React.useState(false);

  const common: Record<string, string> = numberId !== ALL ? { numberId } : {};
  const range: Record<string, string> = {
    ...(from && !Number.isNaN(Date.parse(from)) ? { from: new Date(from).toISOString() } : {}),
    // Minutes only: "to 13:45" means up to the end of that minute.
    ...(to && !Number.isNaN(Date.parse(to)) ? { to: new Date(Date.parse(to) + 59_999).toISOString() } : {}),
  };
  const webhooks = usePagedLog<WebhookLogEntry>('/whatsapp/logs/webhooks', {
    ...common,
    ...range,
    ...(state !== ALL ? { state } : {}),
    page: String(webhookPage),
    pageSize: String(PAGE_SIZE),
  });
  const api = usePagedLog<ApiLogEntry>('/whatsapp/logs/api', { ...common, page: String(apiPage), pageSize: String(PAGE_SIZE) });

  React.useEffect(() => {
    // Labels only: without numbers.read the page shows number ids.
    get<ListNumbers.Response>('/whatsapp/numbers')
      .then((res) => setNumbers(res.data.data))
      .catch(() => setNumbers([]));
  }, [get]);

  const numberLabel = React.useCallback(
    (id: number | null) =>
      id === null
        ? t('logs.number.none', 'No number')
        : (numbers.find((n) => n.id === id)?.label ?? t('logs.number.fallback', 'Number #{id}', { id })),
    [numbers, t],
  );

  const replay = async (entry: WebhookLogEntry) => {
    setReplaying((prev) => new Set(prev).add(entry.id));
    try {
      await post(`/whatsapp/logs/webhooks/${entry.id}/replay`);
      toggleNotification({ type: 'success', message: t('logs.webhooks.replayed', 'Call #{id} queued for replay.', { id: entry.id }) });
      await webhooks.reload();
    } catch (error) {
      toggleNotification({
        type: 'danger',
        message: isFetchError(error) ? formatAPIError(error) : t('logs.error', 'Something went wrong. Try again.'),
      });
    } finally {
      setReplaying((prev) => {
        const next = new Set(prev);
        next.delete(entry.id);
        return next;
      });
    }
  };

  const onNumber = (v: string) => {
    setNumberId(v);
    setWebhookPage(1);
    setApiPage(1);
  };

  if (isLoadingRBAC) return <Page.Loading />;

  const numberFilter = (
    <Filter label={t('logs.filter.number', 'Number')} value={numberId} onChange={onNumber}>
      <SingleSelectOption value={ALL}>{t('logs.filter.allNumbers', 'All numbers')}</SingleSelectOption>
      {numbers.map((n) => (
        <SingleSelectOption key={n.id} value={String(n.id)}>
          {n.label}
        </SingleSelectOption>
      ))}
    </Filter>
  );

  const busy = (status: string) =>
    status === 'loading' ? (
      <Flex justifyContent="center" padding={8}>
        <Loader>{t('logs.loading', 'Loading…')}</Loader>
      </Flex>
    ) : null;

  return (
    <Page.Main>
      <Page.Title>{t('nav.logs', 'Logs')}</Page.Title>
      <Layouts.Header
        title={t('nav.logs', 'Logs')}
        subtitle={t('logs.subtitle', 'Every webhook call received and every call made to a provider.')}
        navigationAction={<PluginNav />}
      />
      <Layouts.Content>
        <Tabs.Root value={tab} onValueChange={setTab}>
          <Tabs.List aria-label={t('logs.tabs', 'Log type')}>
            <Tabs.Trigger value="webhooks">{t('logs.tab.webhooks', 'Webhook events')}</Tabs.Trigger>
            <Tabs.Trigger value="api">{t('logs.tab.api', 'API calls')}</Tabs.Trigger>
          </Tabs.List>
          <Tabs.Content value="webhooks">
            <Box paddingTop={4}>
              <Flex gap={3} wrap="wrap" alignItems="flex-end" justifyContent="space-between" paddingBottom={4}>
                <Flex gap={3} wrap="wrap" alignItems="flex-end" style={{ flex: '1 1 auto' }}>
                  <Filter
                    label={t('logs.filter.state', 'State')}
                    value={state}
                    onChange={(v) => {
                      setState(v);
                      setWebhookPage(1);
                    }}
                  >
                    <SingleSelectOption value={ALL}>{t('logs.filter.allStates', 'All states')}</SingleSelectOption>
                    {WEBHOOK_STATES.map((s) => (
                      <SingleSelectOption key={s} value={s}>
                        {stateName(t, s)}
                      </SingleSelectOption>
                    ))}
                  </Filter>
                  {numberFilter}
                  <TimeBound
                    label={t('logs.filter.from', 'Received from')}
                    value={from}
                    compact={compact}
                    onChange={(v) => {
                      setFrom(v);
                      setWebhookPage(1);
                    }}
                  />
                  <TimeBound
                    label={t('logs.filter.to', 'Received until')}
                    value={to}
                    compact={compact}
                    onChange={(v) => {
                      setTo(v);
                      setWebhookPage(1);
                    }}
                  />
                </Flex>
                <Flex gap={2}>
                  <Button variant="tertiary" size="S" startIcon={<ArrowClockwise />} onClick={webhooks.reload}>
                    {t('logs.refresh', 'Refresh')}
                  </Button>
                  {canReplay && (
                    <Button variant="secondary" size="S" onClick={() => setRangeOpen(true)}>
                      {t('logs.replayRange.open', 'Replay a range…')}
                    </Button>
                  )}
                </Flex>
              </Flex>
              {busy(webhooks.status) ??
                (webhooks.status === 'error' ? (
                  <LogError onRetry={webhooks.reload} />
                ) : webhooks.data.length === 0 ? (
                  <EmptyStateLayout
                    icon={<EmptyDocuments width="16rem" />}
                    content={
                      state !== ALL || numberId !== ALL || from || to
                        ? t('logs.webhooks.empty.filtered', 'No webhook call matches these filters.')
                        : t(
                            'logs.webhooks.empty',
                            'No webhook call received yet. Paste a number’s webhook URL into your provider’s settings.',
                          )
                    }
                  />
                ) : (
                  <>
                    <WebhookLogList
                      entries={webhooks.data}
                      numberLabel={numberLabel}
                      canReplay={Boolean(canReplay)}
                      replaying={replaying}
                      compact={compact}
                      onView={(entry) => setViewing(entry.id)}
                      onReplay={replay}
                    />
                    <Pager
                      pagination={webhooks.pagination}
                      onPage={setWebhookPage}
                      label={t('logs.webhooks.pages', 'Webhook call pages')}
                    />
                  </>
                ))}
              <Box paddingTop={2}>
                <Typography variant="pi" textColor="neutral600">
                  {t(
                    'logs.help',
                    'Rejected calls failed their signature or could not be read; they are kept for inspection and never applied.',
                  )}
                </Typography>
              </Box>
            </Box>
          </Tabs.Content>
          <Tabs.Content value="api">
            <Box paddingTop={4}>
              <Flex gap={3} wrap="wrap" alignItems="center" justifyContent="space-between" paddingBottom={4}>
                {numberFilter}
                <Button variant="tertiary" size="S" startIcon={<ArrowClockwise />} onClick={api.reload}>
                  {t('logs.refresh', 'Refresh')}
                </Button>
              </Flex>
              {busy(api.status) ??
                (api.status === 'error' ? (
                  <LogError onRetry={api.reload} />
                ) : api.data.length === 0 ? (
                  <EmptyStateLayout
                    icon={<EmptyDocuments width="16rem" />}
                    content={
                      numberId !== ALL
                        ? t('logs.api.empty.filtered', 'No provider call for this number.')
                        : t('logs.api.empty', 'No call made to a provider yet.')
                    }
                  />
                ) : (
                  <>
                    <ApiLogList entries={api.data} numberLabel={numberLabel} compact={compact} />
                    <Pager pagination={api.pagination} onPage={setApiPage} label={t('logs.api.pages', 'API call pages')} />
                  </>
                ))}
            </Box>
          </Tabs.Content>
        </Tabs.Root>
      </Layouts.Content>
      {viewing !== null && <WebhookDetailModal id={viewing} numberLabel={numberLabel} onClose={() => setViewing(null)} />}
      {rangeOpen && (
        <ReplayRangeModal
          numberId={numberId !== ALL ? Number(numberId) : null}
          onClose={() => setRangeOpen(false)}
          onReplayed={() => {
            setRangeOpen(false);
            webhooks.reload();
          }}
        />
      )}
    </Page.Main>
  );
};

/** WhatsApp → Logs: webhook calls (with their raw bodies and replay) and provider API calls. */
const LogsPage = () => (
  <Page.Protect permissions={PERMISSIONS.readLogs}>
    <Logs />
  </Page.Protect>
);

export default LogsPage;
