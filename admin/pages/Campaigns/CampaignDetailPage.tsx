import * as React from 'react';
import { Alert, Box, Flex, Grid, Typography } from '@strapi/design-system';
import { Page } from '@strapi/strapi/admin';
import { useNavigate, useParams } from 'react-router-dom';
import { useApiAction, useDeleteCampaignMutation, useGetCampaignQuery, useListNumbersQuery } from '../../api';
import { ConfirmDeleteDialog } from '../../components/ConfirmDeleteDialog';
import { AuditTrail } from '../../components/campaigns/detail/AuditTrail';
import { CampaignActions } from '../../components/campaigns/detail/CampaignActions';
import { Funnel } from '../../components/campaigns/detail/Funnel';
import { OccurrencePicker } from '../../components/campaigns/detail/OccurrencePicker';
import { RecipientsTable } from '../../components/campaigns/detail/RecipientsTable';
import { TestSendModal } from '../../components/campaigns/detail/TestSendModal';
import { TimelineChart } from '../../components/campaigns/detail/TimelineChart';
import { dateTime } from '../../components/campaigns/messages';
import { CampaignProgress, StateBadge } from '../../components/campaigns/parts';
import { Section } from '../../components/campaigns/builder/shared';
import { PluginPage } from '../../components/PluginPage';
import { useAllowed } from '../../hooks/useAllowed';
import { useIsCompact } from '../../hooks/useIsCompact';
import { useTranslate } from '../../hooks/useTranslate';
import { PERMISSIONS } from '../../permissions';
import { CAMPAIGNS_PATH } from './CampaignBuilderPage';
import { pollingOf } from './live';

const Detail = ({ id }: { id: number }) => {
  const t = useTranslate();
  const navigate = useNavigate();
  const run = useApiAction();
  const compact = useIsCompact();
  const { isLoading: isLoadingRBAC, allowed: canManage } = useAllowed(PERMISSIONS.manageCampaigns);
  const { allowed: canLaunch } = useAllowed(PERMISSIONS.launchCampaigns);
  const [poll, setPoll] = React.useState(0);
  const query = useGetCampaignQuery(id, { pollingInterval: poll });
  const { data: numbers = [] } = useListNumbersQuery();
  const [deleteCampaign] = useDeleteCampaignMutation();
  const [testing, setTesting] = React.useState(false);
  const [deleting, setDeleting] = React.useState<number | null>(null);
  // Null follows the latest occurrence, so a new run of a recurring campaign shows by itself.
  const [occurrenceId, setOccurrenceId] = React.useState<number | null>(null);
  const campaign = query.data;
  // The funnel, chart and recipients move by themselves while it runs.
  const wanted = pollingOf(campaign);
  React.useEffect(() => setPoll(wanted), [wanted]);
  const number = campaign && numbers.find((n) => n.id === campaign.numberId);

  const remove = async (campaignId: number) => {
    if (await run(() => deleteCampaign(campaignId).unwrap(), t('campaigns.deleted', 'Campaign deleted.'))) navigate(CAMPAIGNS_PATH);
    setDeleting(null);
  };

  return (
    <PluginPage
      title={campaign?.name ?? t('nav.campaigns', 'Campaigns')}
      subtitle={campaign ? `${campaign.template.name} (${campaign.template.language}) · ${number ? `${number.label} (${number.phone})` : `#${campaign.numberId}`}` : ''}
      withNav
      queries={[query]}
      loading={isLoadingRBAC}
      dialogs={
        <>
          {testing && <TestSendModal campaignId={id} onClose={() => setTesting(false)} />}
          <ConfirmDeleteDialog
            item={deleting}
            title={t('campaigns.delete.title', 'Delete this campaign?')}
            body={t('campaigns.delete.body', 'Its recipients and figures are deleted with it. Messages already sent stay in the inbox.')}
            cancelLabel={t('campaigns.delete.cancel', 'Keep it')}
            confirmLabel={t('campaigns.delete.confirm', 'Delete')}
            onCancel={() => setDeleting(null)}
            onConfirm={remove}
          />
        </>
      }
    >
      {campaign && (
        <Flex direction="column" alignItems="stretch" gap={5}>
          <Flex justifyContent="space-between" alignItems="flex-start" gap={3} wrap="wrap">
            <Flex gap={2} alignItems="center" wrap="wrap">
              <StateBadge state={campaign.state} />
              <Typography variant="pi" textColor="neutral600">
                {campaign.nextRunAt ? t('campaigns.nextRun', 'Next run {at}', { at: dateTime(campaign.nextRunAt) }) : t('campaigns.updated', 'Updated {at}', { at: dateTime(campaign.updatedAt) })}
              </Typography>
            </Flex>
            <CampaignActions
              campaign={campaign}
              canManage={canManage}
              canLaunch={canLaunch}
              onEdit={() => navigate(`${CAMPAIGNS_PATH}/${id}/edit`)}
              onTestSend={() => setTesting(true)}
              onDelete={() => setDeleting(id)}
            />
          </Flex>
          {campaign.state === 'paused' && campaign.pausedReason && (
            <Alert variant="warning" closeLabel={t('campaigns.close', 'Close')} title={t('campaigns.pausedBecause', 'Paused')}>
              {campaign.pausedReason}
            </Alert>
          )}
          <Section title={t('campaigns.progressTitle', 'Progress')}>
            <CampaignProgress name={campaign.name} counters={campaign.counters} />
          </Section>
          <Grid.Root gap={5}>
            <Grid.Item col={5} m={12} xs={12} direction="column" alignItems="stretch">
              <Section title={t('campaigns.funnel', 'Funnel')}>
                <Funnel funnel={campaign.funnel} />
              </Section>
            </Grid.Item>
            <Grid.Item col={7} m={12} xs={12} direction="column" alignItems="stretch">
              <Section title={t('campaigns.chart', 'Sends over time')}>
                <TimelineChart buckets={campaign.timeline.buckets} />
              </Section>
            </Grid.Item>
          </Grid.Root>
          {(campaign.schedule.type === 'recurring' || campaign.occurrences.length > 1) && (
            <Section title={t('campaigns.occurrences', 'Occurrences')}>
              <OccurrencePicker name={campaign.name} occurrences={campaign.occurrences} value={occurrenceId} onChange={setOccurrenceId} />
            </Section>
          )}
          <Section title={t('campaigns.recipients', 'Recipients')}>
            <RecipientsTable key={occurrenceId ?? 'latest'} campaignId={id} occurrenceId={occurrenceId ?? undefined} pollingInterval={poll} compact={compact} />
          </Section>
          <Section title={t('campaigns.audit', 'Audit trail')}>
            <Box>
              <AuditTrail entries={campaign.audit} />
            </Box>
          </Section>
        </Flex>
      )}
    </PluginPage>
  );
};

/** WhatsApp → Campaigns → one campaign: progress, funnel, chart, recipients, actions and audit trail. */
const CampaignDetailPage = () => {
  const { id } = useParams();
  return (
    <Page.Protect permissions={PERMISSIONS.readCampaigns}>
      <Detail id={Number(id)} />
    </Page.Protect>
  );
};

export default CampaignDetailPage;
