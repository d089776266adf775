import * as React from 'react';
import { Button, Flex } from '@strapi/design-system';
import { ArrowClockwise, Cross, Download, Pencil, PaperPlane, Play, Stop, Trash } from '@strapi/icons';
import type { Campaign } from '../../../../contracts/campaigns';
import { useApiAction, useCampaignActionMutation, useExportCampaignRecipientsMutation, useRetryFailedCampaignMutation, type CampaignActionName } from '../../../api';
import { useTranslate } from '../../../hooks/useTranslate';

export interface CampaignActionsProps {
  campaign: Campaign;
  canManage: boolean;
  canLaunch: boolean;
  onEdit: () => void;
  onTestSend: () => void;
  onDelete: () => void;
}

/** Saves text as a file through a temporary link. */
const saveFile = (text: string, name: string) => {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
};

/** What can be done to a campaign in its state, as far as the viewer's permissions go. */
export const CampaignActions = ({ campaign, canManage, canLaunch, onEdit, onTestSend, onDelete }: CampaignActionsProps) => {
  const t = useTranslate();
  const run = useApiAction();
  const [act, { isLoading: acting }] = useCampaignActionMutation();
  const [retry, { isLoading: retrying }] = useRetryFailedCampaignMutation();
  const [exportCsv, { isLoading: exporting }] = useExportCampaignRecipientsMutation();
  const { id, state, name } = campaign;
  const action = (kind: CampaignActionName, done: string) => run(() => act({ id, action: kind }).unwrap(), done);
  const download = () => run(async () => saveFile(await exportCsv(id).unwrap(), `campaign-${id}-recipients.csv`), t('campaigns.export.done', 'Recipients exported.'));
  // What a run sends is fixed once it started: the server refuses content edits past draft and scheduled.
  const editable = state === 'draft' || state === 'scheduled';
  return (
    <Flex gap={2} wrap="wrap">
      {canLaunch && state === 'running' && (
        <Button size="S" variant="secondary" startIcon={<Stop />} loading={acting} onClick={() => action('pause', t('campaigns.paused', '“{name}” is paused.', { name }))}>
          {t('campaigns.pause', 'Pause')}
        </Button>
      )}
      {canLaunch && state === 'paused' && (
        <Button size="S" variant="secondary" startIcon={<Play />} loading={acting} onClick={() => action('resume', t('campaigns.resumed', '“{name}” is running again.', { name }))}>
          {t('campaigns.resume', 'Resume')}
        </Button>
      )}
      {canLaunch && ['scheduled', 'running', 'paused'].includes(state) && (
        <Button size="S" variant="danger-light" startIcon={<Cross />} loading={acting} onClick={() => action('cancel', t('campaigns.cancelled', '“{name}” is cancelled.', { name }))}>
          {t('campaigns.cancel', 'Cancel campaign')}
        </Button>
      )}
      {canLaunch && campaign.counters.failed > 0 && (
        <Button
          size="S"
          variant="secondary"
          startIcon={<ArrowClockwise />}
          loading={retrying}
          onClick={() => run(() => retry(id).unwrap(), t('campaigns.retried', 'Retryable failures queued again.'))}
        >
          {t('campaigns.retry', 'Retry failed')}
        </Button>
      )}
      {canManage && (
        <Button size="S" variant="tertiary" startIcon={<PaperPlane />} onClick={onTestSend}>
          {t('campaigns.test', 'Test send')}
        </Button>
      )}
      <Button size="S" variant="tertiary" startIcon={<Download />} loading={exporting} onClick={download}>
        {t('campaigns.export', 'Export CSV')}
      </Button>
      {canManage && editable && (
        <Button size="S" variant="tertiary" startIcon={<Pencil />} onClick={onEdit}>
          {t('campaigns.edit', 'Edit')}
        </Button>
      )}
      {canManage && state !== 'running' && (
        <Button size="S" variant="danger-light" startIcon={<Trash />} onClick={onDelete}>
          {t('campaigns.delete', 'Delete')}
        </Button>
      )}
    </Flex>
  );
};
