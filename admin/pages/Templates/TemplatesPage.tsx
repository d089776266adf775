import * as React from 'react';
import {
  Box,
  Button,
  Checkbox,
  Flex,
  Loader,
  Searchbar,
  SingleSelect,
  SingleSelectOption,
  Typography,
} from '@strapi/design-system';
import { ArrowClockwise, Plus } from '@strapi/icons';
import { Page, useNotification } from '@strapi/strapi/admin';
import { HAND_ENTERED_TEMPLATES, type SyncResult, type SyncTemplates } from '../../../contracts/templates';
import { useListNumbersQuery, useListTemplatesQuery, useNotifyError, useSyncTemplatesMutation } from '../../api';
import { EmptyState, PluginPage } from '../../components/PluginPage';
import { AddTemplateModal } from '../../components/templates/AddTemplateModal';
import { SyncResults } from '../../components/templates/SyncResults';
import { TemplatesList } from '../../components/templates/TemplatesList';
import { TEMPLATE_STATUSES, humanize } from '../../components/templates/messages';
import { useAllowed } from '../../hooks/useAllowed';
import { useIsCompact } from '../../hooks/useIsCompact';
import { useTranslate } from '../../hooks/useTranslate';
import { PERMISSIONS } from '../../permissions';

const ALL = 'all';

const Templates = () => {
  const t = useTranslate();
  const notifyError = useNotifyError();
  const compact = useIsCompact();
  const { isLoading: isLoadingRBAC, allowed: canSync } = useAllowed(PERMISSIONS.syncTemplates);

  const [numberId, setNumberId] = React.useState<string>(ALL);
  const [statusFilter, setStatusFilter] = React.useState<string>(ALL);
  const [includeRemoved, setIncludeRemoved] = React.useState(false);
  const [search, setSearch] = React.useState('');
  const [syncResults, setSyncResults] = React.useState<SyncResult[] | null>(null);
  const [adding, setAdding] = React.useState(false);
  const { toggleNotification } = useNotification();
  const list = useListTemplatesQuery({
    numberId: numberId !== ALL ? numberId : undefined,
    status: statusFilter !== ALL ? statusFilter : undefined,
    includeRemoved: includeRemoved || undefined,
  });
  // Labels only: without numbers.read the page still works and shows number ids.
  const { data: numbers = [] } = useListNumbersQuery();
  const [syncTemplates, { isLoading: syncing }] = useSyncTemplatesMutation();
  const templates = list.data ?? [];
  // Numbers whose provider cannot list templates: theirs are entered by hand (same permission as syncing).
  const handEntered = numbers.filter((n) => HAND_ENTERED_TEMPLATES.includes(n.provider));

  const numberLabel = React.useCallback(
    (id: number) => numbers.find((n) => n.id === id)?.label ?? t('templates.number.fallback', 'Number #{id}', { id }),
    [numbers, t],
  );

  const sync = async () => {
    setSyncResults(null);
    try {
      const body: SyncTemplates.Request = numberId !== ALL ? { numberId: Number(numberId) } : {};
      setSyncResults(await syncTemplates(body).unwrap());
    } catch (error) {
      notifyError(error);
    }
  };

  const query = search.trim().toLowerCase();
  const shown = query ? templates.filter((tpl) => tpl.name.toLowerCase().includes(query)) : templates;
  const statuses = [...new Set([...TEMPLATE_STATUSES, ...templates.map((tpl) => tpl.status).filter((s): s is string => Boolean(s))])];
  const filtered = Boolean(query) || numberId !== ALL || statusFilter !== ALL;

  return (
    <PluginPage
      title={t('nav.templates', 'Templates')}
      subtitle={t('templates.subtitle', 'Message templates approved by your providers, synced every hour and on demand.')}
      withNav
      queries={[list]}
      loading={isLoadingRBAC}
      primaryAction={
        canSync ? (
          <Flex gap={2}>
            {handEntered.length > 0 && (
              <Button variant="secondary" startIcon={<Plus />} onClick={() => setAdding(true)} size="S">
                {t('templates.add', 'Add template')}
              </Button>
            )}
            <Button startIcon={syncing ? <Loader small /> : <ArrowClockwise />} onClick={sync} disabled={syncing} size="S">
              {syncing ? t('templates.sync.running', 'Syncing…') : t('templates.sync', 'Sync now')}
            </Button>
          </Flex>
        ) : undefined
      }
    >
      {adding && (
        <AddTemplateModal
          numbers={handEntered}
          onClose={() => setAdding(false)}
          onAdded={(name) => {
            setAdding(false);
            toggleNotification({ type: 'success', message: t('templates.add.done', 'Template {name} added.', { name }) });
          }}
        />
      )}
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
        <EmptyState
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
    </PluginPage>
  );
};

/** WhatsApp → Templates: every number's synced templates, and "Sync now" for those allowed. */
const TemplatesPage = () => (
  <Page.Protect permissions={PERMISSIONS.readTemplates}>
    <Templates />
  </Page.Protect>
);

export default TemplatesPage;
