import { Badge, Box, Flex, Typography } from '@strapi/design-system';
import type { CampaignCounters, CampaignState } from '../../../contracts/campaigns';
import { useTranslate } from '../../hooks/useTranslate';
import { progressOf, stateColors, stateLabel } from './messages';

export const StateBadge = ({ state }: { state: CampaignState }) => {
  const t = useTranslate();
  return <Badge {...stateColors(state)}>{stateLabel(t, state)}</Badge>;
};

/** The progress bar (sent, failed or skipped of the total) and the live counts under it. */
export const CampaignProgress = ({ name, counters }: { name: string; counters: CampaignCounters }) => {
  const t = useTranslate();
  const { done, total, percent } = progressOf(counters);
  return (
    <Flex direction="column" alignItems="stretch" gap={1} minWidth={0}>
      <Flex gap={2} alignItems="center">
        <Box flex="1" minWidth={0}>
          {/* The design system's ProgressBar is drawn for dark backgrounds: this one reads on a white card. */}
          <Box
            role="progressbar"
            aria-label={t('campaigns.progress.aria', 'Progress of {name}', { name })}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            background="neutral150"
            hasRadius
            height="0.8rem"
            overflow="hidden"
          >
            <Box background="primary600" height="100%" style={{ width: `${percent}%`, transition: 'width 0.3s' }} />
          </Box>
        </Box>
        <Typography variant="pi" textColor="neutral600" data-testid="progress-text">
          {t('campaigns.progress', '{done} / {total}', { done, total })}
        </Typography>
      </Flex>
      <Typography variant="pi" textColor="neutral600" data-testid="live-counts" style={{ overflowWrap: 'anywhere' }}>
        {t('campaigns.counts', '{sent} sent · {delivered} delivered · {read} read · {replied} replied · {failed} failed · {skipped} skipped', { ...counters })}
      </Typography>
    </Flex>
  );
};
