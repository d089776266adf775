import { Box, Typography } from '@strapi/design-system';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TimelineBucket } from '../../../../contracts/campaigns';
import { useTranslate } from '../../../hooks/useTranslate';

/** The design system's palette, as CSS colours recharts can take. */
const COLORS = { sent: '#4945ff', delivered: '#7b79ff', read: '#328048', replied: '#5cb176', failed: '#ee5e52' };

/** Short bucket labels: the time of day, with the date when the campaign spans several days. */
const labelOf = (buckets: TimelineBucket[]) => {
  const days = new Set(buckets.map((b) => b.at.slice(0, 10))).size;
  return (at: string) => new Date(at).toLocaleString(undefined, days > 1 ? { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' } : { hour: '2-digit', minute: '2-digit', second: '2-digit' });
};

/** Sent / delivered / read / replied / failed per time bucket, stacked. */
export const TimelineChart = ({ buckets }: { buckets: TimelineBucket[] }) => {
  const t = useTranslate();
  if (!buckets.length) {
    return (
      <Typography variant="pi" textColor="neutral600">
        {t('campaigns.chart.empty', 'Nothing sent yet.')}
      </Typography>
    );
  }
  const label = labelOf(buckets);
  const series = [
    { key: 'sent', name: t('campaigns.funnel.sent', 'Sent') },
    { key: 'delivered', name: t('campaigns.funnel.delivered', 'Delivered') },
    { key: 'read', name: t('campaigns.funnel.read', 'Read') },
    { key: 'replied', name: t('campaigns.funnel.replied', 'Replied') },
    { key: 'failed', name: t('campaigns.funnel.failed', 'Failed') },
  ] as const;
  return (
    <Box width="100%" height="26rem" minWidth={0} role="img" aria-label={t('campaigns.chart', 'Sends over time')} data-testid="timeline-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={buckets} margin={{ top: 8, right: 8, left: -16, bottom: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="at" tickFormatter={label} fontSize={11} minTickGap={16} />
          <YAxis allowDecimals={false} fontSize={11} />
          <Tooltip labelFormatter={(at) => label(String(at))} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {series.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.name} stackId="all" fill={COLORS[s.key]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </Box>
  );
};
