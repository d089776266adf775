import * as React from 'react';
import {
  Box,
  Button,
  Checkbox,
  EmptyStateLayout,
  Flex,
  Loader,
  Searchbar,
  SingleSelect,
  SingleSelectOption,
  Typography,
} from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { EmptyDocuments } from '@strapi/icons/symbols';
import { Layouts, Page, isFetchError, useAPIErrorHandler, useFetchClient, useNotification, useRBAC } from '@strapi/strapi/admin';
import type { ListNumbers, WhatsAppNumber } from '../../../contracts/numbers';
import type { ListTemplates, SyncResult, SyncTemplates, WhatsAppTemplate } from '../../../contracts/templates';
import { PluginNav } from '../../components/PluginNav';
import { SyncResults } from '../../components/templates/SyncResults';
import { TemplatesList } from '../../components/templates/TemplatesList';
import { TEMPLATE_STATUSES, humanize } from '../../components/templates/messages';
import { useIsCompact } from '../../hooks/useIsCompact';
import { useTranslate } from '../../hooks/useTranslate';
import { PERMISSIONS } from '../../permissions';

const ALL = 'all';

const Templates = () => {
  const t = useTranslate();
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { formatAPIError } = useAPIErrorHandler();
  const compact = useIsCompact();
  const {
    isLoading: isLoadingRBAC,
    allowedActions: { canSync },
  } = useRBAC(PERMISSIONS.syncTemplates);

  const [templates, setTemplates] = React.useState<WhatsAppTemplate[]>([]);
  const [numbers, setNumbers] = React.useState<WhatsAppNumber[]>([]);
  const [status, setStatus] = React.useState<'loading' | 'error' | 'ready'>('loading');
  const [numberId, setNumberId] = React.useState<string>(ALL);
  const [statusFilter, setStatusFilter] = React.useState<string>(ALL);
  const [includeRemoved, setIncludeRemoved] = React.useState(false);
  const [search, setSearch] = React.useState('');
  const [syncing, setSyncing] = React.useState(false);
  const [syncResults, setSyncResults] = React.useState<SyncResult[] | null>(null);

  const notifyError = React.useCallback(
    (error: unknown) =>
      toggleNotification({
        type: 'danger',
        message: isFetchError(error) ? formatAPIError(error) : t('templates.error', 'Something went wrong. Try again.'),
      }),
    [formatAPIError, t, toggleNotification],
  );

  const load = React.useCallback(async () => {
    setStatus((prev) => (prev === 'ready' ? prev : 'loading'));
    const params: Record<string, string> = {};
    if (numberId !== ALL) params.numberId = numberId;
    if (statusFilter !== ALL) params.status = statusFilter;
    if (includeRemoved) params.includeRemoved = 'true';
    try {
      const res = await get<ListTemplates.Response>('/whatsapp/templates', { params });
      setTemplates(res.data.data);
      setStatus('ready');
    } catch (error) {
      notifyError(error);
      setStatus('error');
    }
  }, [get, includeRemoved, notifyError, numberId, statusFilter]);

  React.useEffect(() => {
    load();
  }, [load]);

  React.useEffect(() => {
    // Labels only: without numbers.read the page still works and shows number ids.
    get<ListNumbers.Response>('/whatsapp/numbers')
      .then((res) => setNumbers(res.data.data))
      .catch(() => setNumbers([]));
  }, [get]);

  const numberLabel = React.useCallback(
    (id: number) => numbers.find((n) => n.id === id)?.label ?? t('templates.number.fallback', 'Number #{id}', { id }),
    [numbers, t],
  );

  const sync = async () => {
    setSyncing(true);
    setSyncResults(null);
    try {
      const body: SyncTemplates.Request = numberId !== ALL ? { numberId: Number(numberId) } : {};
      const res = await post<SyncTemplates.Response, SyncTemplates.Request>('/whatsapp/templates/sync', body);
      setSyncResults(res.data.data);
      await load();
    } catch (error) {
      notifyError(error);
    } finally {
      setSyncing(false);
    }
  };

  const query = search.trim().toLowerCase();
  const shown = query ? templates.filter((tpl) => tpl.name.toLowerCase().includes(query)) : templates;
  const statuses = [...new Set([...TEMPLATE_STATUSES, ...templates.map((tpl) => tpl.status).filter((s): s is string => Boolean(s))])];
  const filtered = Boolean(query) || numberId !== ALL || statusFilter !== ALL;

  if (isLoadingRBAC || status === 'loading') return <Page.Loading />;
  if (status === 'error') {
    return (
      <Page.Error
        action={
          <Button variant="secondary" startIcon={<ArrowClockwise />} onClick={load}>
            {t('templates.retry', 'Try again')}
          </Button>
        }
      />
    );
  }

  return (
    <Page.Main>
      <Page.Title>{t('nav.templates', 'Templates')}</Page.Title>
      <Layouts.Header
        title={t('nav.templates', 'Templates')}
        subtitle={t('templates.subtitle', 'Message templates approved by your providers, synced every hour and on demand.')}
        navigationAction={<PluginNav />}
        primaryAction={
          canSync ? (
            <Button startIcon={syncing ? <Loader small /> : <ArrowClockwise />} onClick={sync} disabled={syncing} size="S">
              {syncing ? t('templates.sync.running', 'Syncing…') : t('templates.sync', 'Sync now')}
            </Button>
          ) : undefined
        }
      />
      <Layouts.Content>
        {syncResults && <SyncResults results={syncResults} numberLabel={numberLabel} />}
        <Flex gap={3} wrap="wrap" alignItems="center" paddingBottom={4}>
          <Box minWidth={0} style={{ flex: compact ? '1 1 100%' : '1 1 14rem', maxWidth: '100%' }}>
            <Searchbar
              name="search"
              value={search}
              onChange={(e: React.ChangeEvent<HTMLInputElement>) => setSearch(e.target.value)}
              onClear={() => setSearch('')}
              clearLabel={t('templates.search.clear', 'Clear search')}
              placeholder={t('templates.search', 'Search by name')}
            >
              {t('templates.search', 'Search by name')}
            </Searchbar>
          </Box>
          <Box style={{ flex: '1 1 12rem', maxWidth: '100%' }}>
            <SingleSelect
              aria-label={t('templates.filter.number', 'Number')}
              value={numberId}
              onChange={(value) => setNumberId(String(value))}
            >
              <SingleSelectOption value={ALL}>{t('templates.filter.allNumbers', 'All numbers')}</SingleSelectOption>
              {numbers.map((n) => (
                <SingleSelectOption key={n.id} value={String(n.id)}>
                  {n.label}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </Box>
          <Box style={{ flex: '1 1 10rem', maxWidth: '100%' }}>
            <SingleSelect
              aria-label={t('templates.filter.status', 'Status')}
              value={statusFilter}
              onChange={(value) => setStatusFilter(String(value))}
            >
              <SingleSelectOption value={ALL}>{t('templates.filter.allStatuses', 'All statuses')}</SingleSelectOption>
              {statuses.map((s) => (
                <SingleSelectOption key={s} value={s}>
                  {humanize(s)}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </Box>
          <Checkbox checked={includeRemoved} onCheckedChange={(checked) => setIncludeRemoved(checked === true)}>
            {t('templates.filter.removed', 'Show removed')}
          </Checkbox>
        </Flex>
        {shown.length === 0 ? (
          <EmptyStateLayout
            icon={<EmptyDocuments width="16rem" />}
            content={
              filtered
                ? t('templates.empty.filtered', 'No template matches these filters.')
                : canSync
                  ? t('templates.empty', 'No templates yet. Create them at your provider, then sync.')
                  : t('templates.empty.readOnly', 'No templates yet. Ask an administrator to sync them.')
            }
            action={
              !filtered && canSync ? (
                <Button variant="secondary" startIcon={<ArrowClockwise />} onClick={sync} disabled={syncing}>
                  {t('templates.sync', 'Sync now')}
                </Button>
              ) : undefined
            }
          />
        ) : (
          <>
            <Box paddingBottom={2}>
              <Typography variant="pi" textColor="neutral600">
                {t('templates.count', '{count, plural, one {# template} other {# templates}}', { count: shown.length })}
              </Typography>
            </Box>
            <TemplatesList templates={shown} numberLabel={numberLabel} compact={compact} />
          </>
        )}
      </Layouts.Content>
    </Page.Main>
  );
};

/** WhatsApp → Templates: every number's synced templates, and "Sync now" for those allowed. */
const TemplatesPage = () => (
  <Page.Protect permissions={PERMISSIONS.readTemplates}>
    <Templates />
  </Page.Protect>
);

export default TemplatesPage;
