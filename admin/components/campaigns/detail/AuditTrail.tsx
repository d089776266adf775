import { Flex, Typography } from '@strapi/design-system';
import type { CampaignAuditEntry } from '../../../../contracts/campaigns';
import { useTranslate, type Translate } from '../../../hooks/useTranslate';
import { dateTime } from '../messages';

const actionLabel = (t: Translate, action: CampaignAuditEntry['action']) =>
  ({
    created: t('campaigns.audit.created', 'Created'),
    edited: t('campaigns.audit.edited', 'Edited'),
    launched: t('campaigns.audit.launched', 'Launched'),
    paused: t('campaigns.audit.paused', 'Paused'),
    resumed: t('campaigns.audit.resumed', 'Resumed'),
    cancelled: t('campaigns.audit.cancelled', 'Cancelled'),
    'auto-paused': t('campaigns.audit.autoPaused', 'Paused automatically'),
    retried: t('campaigns.audit.retried', 'Failed recipients retried'),
    'test-sent': t('campaigns.audit.testSent', 'Test sent'),
    scheduled: t('campaigns.audit.scheduled', 'Scheduled'),
    done: t('campaigns.audit.done', 'Done'),
  })[action] ?? action;

/** Who did what and when, newest first. */
export const AuditTrail = ({ entries }: { entries: CampaignAuditEntry[] }) => {
  const t = useTranslate();
  const sorted = [...entries].sort((a, b) => b.at.localeCompare(a.at));
  return (
    <Flex tag="ol" direction="column" alignItems="stretch" gap={2} aria-label={t('campaigns.audit', 'Audit trail')}>
      {sorted.map((e, i) => (
        <Flex tag="li" key={i} direction="column" alignItems="flex-start" gap={0} style={{ listStyle: 'none' }}>
          <Typography>
            {actionLabel(t, e.action)} · {e.userName ?? t('campaigns.audit.system', 'the scheduler')}
          </Typography>
          <Typography variant="pi" textColor="neutral600" style={{ overflowWrap: 'anywhere' }}>
            {dateTime(e.at)}
            {e.detail ? ` · ${e.detail}` : ''}
          </Typography>
        </Flex>
      ))}
    </Flex>
  );
};
