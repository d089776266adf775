import * as React from 'react';
import { Box, Flex, SingleSelect, SingleSelectOption } from '@strapi/design-system';
import { Page } from '@strapi/strapi/admin';
import { useNavigate } from 'react-router-dom';
import { CAMPAIGN_STATES, type CampaignState } from '../../../contracts/campaigns';
import { useListCampaignsQuery, useListNumbersQuery } from '../../api';
import { CampaignList } from '../../components/campaigns/CampaignList';
import { stateLabel } from '../../components/campaigns/messages';
import { Pager } from '../../components/logs/Pager';
import { AddButton, EmptyState, PluginPage } from '../../components/PluginPage';
import { useAllowed } from '../../hooks/useAllowed';
import { useIsCompact } from '../../hooks/useIsCompact';
import { useTranslate } from '../../hooks/useTranslate';
import { PERMISSIONS } from '../../permissions';
import { pollingOf } from './live';

const ALL = 'all';
const PAGE_SIZE = 20;

const Campaigns = () => {
  const t = useTranslate();
  const navigate = useNavigate();
  const compact = useIsCompact();
  const { isLoading: isLoadingRBAC, allowed: canManage } = useAllowed(PERMISSIONS.manageCampaigns);
  const [state, setState] = React.useState<string>(ALL);
  const [numberId, setNumberId] = React.useState<string>(ALL);
  const [page, setPage] = React.useState(1);
  const [poll, setPoll] = React.useState(0);
  const list = useListCampaignsQuery(
    { state: state === ALL ? undefined : (state as CampaignState), numberId: numberId === ALL ? undefined : Number(numberId), page, pageSize: PAGE_SIZE },
    { pollingInterval: poll }
  );
  // Labels only: without numbers.read the list shows number ids.
  const { data: numbers = [] } = useListNumbersQuery();
  const campaigns = list.data?.data ?? [];
  const pagination = list.data?.meta.pagination;
  // Counters move while a campaign runs: the list asks again until none is running.
  const intervals = campaigns.map(pollingOf).filter(Boolean);
  const wanted = intervals.length ? Math.min(...intervals) : 0;
  React.useEffect(() => setPoll(wanted), [wanted]);

  const numberName = (id: number) => {
    const n = numbers.find((x) => x.id === id);
    return n ? `${n.label} (${n.phone})` : `#${id}`;
  };
  const filtered = state !== ALL || numberId !== ALL;
  const create = () => navigate('new');

  return (
    <PluginPage
      title={t('nav.campaigns', 'Campaigns')}
      subtitle={t('campaigns.subtitle', 'Template sends to an audience of CRM records or a CSV: now, scheduled or recurring.')}
      withNav
      queries={[list]}
      loading={isLoadingRBAC}
      primaryAction={canManage ? <AddButton onClick={create}>{t('campaigns.new', 'New campaign')}</AddButton> : undefined}
      empty={
        campaigns.length === 0 &&
        !filtered && {
          content: canManage ? t('campaigns.empty', 'No campaign yet. Send an approved template to your leads, contacts or a CSV.') : t('campaigns.empty.readOnly', 'No campaign yet. Ask an administrator to create one.'),
          action: canManage ? (
            <AddButton first onClick={create}>
              {t('campaigns.new', 'New campaign')}
            </AddButton>
          ) : undefined,
        }
      }
    >
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex gap={2} wrap="wrap">
          <Box minWidth={0} flex="0 1 200px">
            <SingleSelect aria-label={t('campaigns.filter.state', 'State')} value={state} onChange={(v) => (setState(String(v)), setPage(1))}>
              <SingleSelectOption value={ALL}>{t('campaigns.filter.allStates', 'All states')}</SingleSelectOption>
              {CAMPAIGN_STATES.map((s) => (
                <SingleSelectOption key={s} value={s}>
                  {stateLabel(t, s)}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </Box>
          <Box minWidth={0} flex="0 1 260px">
            <SingleSelect aria-label={t('campaigns.filter.number', 'Number')} value={numberId} onChange={(v) => (setNumberId(String(v)), setPage(1))}>
              <SingleSelectOption value={ALL}>{t('campaigns.filter.allNumbers', 'All numbers')}</SingleSelectOption>
              {numbers.map((n) => (
                <SingleSelectOption key={n.id} value={String(n.id)}>
                  {`${n.label} (${n.phone})`}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </Box>
        </Flex>
        {campaigns.length ? (
          <CampaignList campaigns={campaigns} numberName={numberName} compact={compact} />
        ) : (
          <EmptyState content={t('campaigns.empty.filtered', 'No campaign matches these filters.')} />
        )}
        {pagination && pagination.total > pagination.pageSize && (
          <Pager pagination={{ ...pagination, pageCount: Math.ceil(pagination.total / pagination.pageSize) }} onPage={setPage} label={t('campaigns.pager', 'Campaign pages')} />
        )}
      </Flex>
    </PluginPage>
  );
};

/** WhatsApp → Campaigns: every campaign with its state and live progress. */
const CampaignsPage = () => (
  <Page.Protect permissions={PERMISSIONS.readCampaigns}>
    <Campaigns />
  </Page.Protect>
);

export default CampaignsPage;
