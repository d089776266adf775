import * as React from 'react';
import { SingleSelectOption, Tabs } from '@strapi/design-system';
import { Page } from '@strapi/strapi/admin';
import { useListNumbersQuery } from '../../api';
import { PluginPage } from '../../components/PluginPage';
import { ApiLogTab } from '../../components/logs/ApiLogTab';
import { Filter } from '../../components/logs/LogParts';
import { WebhookLogTab } from '../../components/logs/WebhookLogTab';
import { useAllowed } from '../../hooks/useAllowed';
import { useIsCompact } from '../../hooks/useIsCompact';
import { useTranslate } from '../../hooks/useTranslate';
import { PERMISSIONS } from '../../permissions';

const ALL = 'all';
const PAGE_SIZE = 25;

const Logs = () => {
  const t = useTranslate();
  const compact = useIsCompact();
  const { isLoading: isLoadingRBAC, allowed: canReplay } = useAllowed(PERMISSIONS.replayLogs);
  // Labels only: without numbers.read the page shows number ids.
  const { data: numbers = [] } = useListNumbersQuery();
  const [tab, setTab] = React.useState('webhooks');
  const [number, setNumber] = React.useState(ALL);

  const numberLabel = React.useCallback(
    (id: number | null) => (id === null ? t('logs.number.none', 'No number') : (numbers.find((n) => n.id === id)?.label ?? t('logs.number.fallback', 'Number #{id}', { id }))),
    [numbers, t]
  );

  const numberFilter = (
    <Filter label={t('logs.filter.number', 'Number')} value={number} onChange={setNumber}>
      <SingleSelectOption value={ALL}>{t('logs.filter.allNumbers', 'All numbers')}</SingleSelectOption>
      {numbers.map((n) => (
        <SingleSelectOption key={n.id} value={String(n.id)}>
          {n.label}
        </SingleSelectOption>
      ))}
    </Filter>
  );
  const tabProps = { numberId: number !== ALL ? Number(number) : undefined, numberFilter, numberLabel, compact, pageSize: PAGE_SIZE };

  return (
    <PluginPage title={t('nav.logs', 'Logs')} subtitle={t('logs.subtitle', 'Every webhook call received and every call made to a provider.')} withNav loading={isLoadingRBAC}>
      <Tabs.Root value={tab} onValueChange={setTab}>
        <Tabs.List aria-label={t('logs.tabs', 'Log type')}>
          <Tabs.Trigger value="webhooks">{t('logs.tab.webhooks', 'Webhook events')}</Tabs.Trigger>
          <Tabs.Trigger value="api">{t('logs.tab.api', 'API calls')}</Tabs.Trigger>
        </Tabs.List>
        {/* Both tabs stay mounted: both logs load with the page, and a tab keeps its filters. */}
        <Tabs.Content value="webhooks" forceMount style={tab === 'webhooks' ? undefined : { display: 'none' }}>
          <WebhookLogTab {...tabProps} canReplay={Boolean(canReplay)} />
        </Tabs.Content>
        <Tabs.Content value="api" forceMount style={tab === 'api' ? undefined : { display: 'none' }}>
          <ApiLogTab {...tabProps} />
        </Tabs.Content>
      </Tabs.Root>
    </PluginPage>
  );
};

/** WhatsApp → Logs: webhook calls (with their raw bodies and replay) and provider API calls. */
const LogsPage = () => (
  <Page.Protect permissions={PERMISSIONS.readLogs}>
    <Logs />
  </Page.Protect>
);

export default LogsPage;
