import { Box, Flex, Typography } from '@strapi/design-system';
import type { CampaignFunnel } from '../../../../contracts/campaigns';
import { useTranslate } from '../../../hooks/useTranslate';

/** Sent → delivered → read → replied, and failed, each as a bar of the audience. */
export const Funnel = ({ funnel }: { funnel: CampaignFunnel }) => {
  const t = useTranslate();
  const steps = [
    { key: 'sent', label: t('campaigns.funnel.sent', 'Sent'), value: funnel.sent, color: 'primary600' },
    { key: 'delivered', label: t('campaigns.funnel.delivered', 'Delivered'), value: funnel.delivered, color: 'primary500' },
    { key: 'read', label: t('campaigns.funnel.read', 'Read'), value: funnel.read, color: 'success500' },
    { key: 'replied', label: t('campaigns.funnel.replied', 'Replied'), value: funnel.replied, color: 'success700' },
    { key: 'failed', label: t('campaigns.funnel.failed', 'Failed'), value: funnel.failed, color: 'danger500' },
  ];
  const base = Math.max(funnel.audience, 1);
  return (
    <Flex tag="ul" direction="column" alignItems="stretch" gap={2} aria-label={t('campaigns.funnel', 'Funnel')}>
      <Typography tag="li" variant="pi" textColor="neutral600" style={{ listStyle: 'none' }}>
        {t('campaigns.funnel.audience', 'Audience: {n}', { n: funnel.audience })}
      </Typography>
      {steps.map((s) => {
        const percent = Math.round((s.value / base) * 100);
        return (
          <Box tag="li" key={s.key} aria-label={s.label} data-testid={`funnel-${s.key}`} data-value={s.value} style={{ listStyle: 'none' }}>
            <Flex justifyContent="space-between" gap={2}>
              <Typography variant="omega">{s.label}</Typography>
              <Typography variant="omega" fontWeight="semiBold">
                {t('campaigns.funnel.value', '{n} ({percent}%)', { n: s.value, percent })}
              </Typography>
            </Flex>
            <Box background="neutral150" hasRadius height="0.8rem" marginTop={1}>
              <Box background={s.color} hasRadius height="100%" style={{ width: `${Math.min(100, percent)}%`, transition: 'width 0.3s' }} />
            </Box>
          </Box>
        );
      })}
    </Flex>
  );
};
