import { Badge, Box, Button, Checkbox, Flex, Grid, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { PaperPlane } from '@strapi/icons';
import { EXCLUSION_LABELS, type PreflightResult } from '../../../contracts/campaigns';
import type { WhatsAppTemplate } from '../../../contracts/templates';
import { useTranslate } from '../../hooks/useTranslate';
import { renderTemplate } from '../notifications/form';
import { TableHeader } from '../TableHeader';
import { durationText } from './messages';

export interface PreflightPanelProps {
  result: PreflightResult;
  template: WhatsAppTemplate | undefined;
  spread: boolean;
  canLaunchPermission: boolean;
  launching: boolean;
  checking: boolean;
  onSpread: (spread: boolean) => void;
  onLaunch: () => void;
}

const Figure = ({ label, value, testId }: { label: string; value: React.ReactNode; testId?: string }) => (
  <Grid.Item col={3} s={6} xs={12} direction="column" alignItems="flex-start">
    <Typography variant="sigma" textColor="neutral600">
      {label}
    </Typography>
    <Typography variant="beta" tag="p" data-testid={testId}>
      {value}
    </Typography>
  </Grid.Item>
);

/** A list of the pre-flight's notes (problems or warnings), in one colour; nothing when there are none. */
const Notes = ({ label, color, items }: { label: string; color: string; items: { message: string }[] }) =>
  items.length ? (
    <Flex tag="ul" direction="column" alignItems="stretch" gap={1} aria-label={label}>
      {items.map((note, i) => (
        <Typography key={i} tag="li" textColor={color}>
          {note.message}
        </Typography>
      ))}
    </Flex>
  ) : null;

/** What launching now would do: who is sent to and who is left out, the template, the budget, the problems; then Launch. */
export const PreflightPanel = ({ result, template, spread, canLaunchPermission, launching, checking, onSpread, onLaunch }: PreflightPanelProps) => {
  const t = useTranslate();
  const { number } = result;
  const qualityColor = result.template.quality === 'RED' ? 'danger' : result.template.quality === 'YELLOW' ? 'warning' : 'success';
  const blocked = !result.canLaunch ? result.problems.map((p) => p.message).join(' ') || t('campaigns.preflight.cannot', 'This campaign cannot be launched yet.') : !canLaunchPermission ? t('campaigns.preflight.noPermission', 'You may not launch campaigns.') : null;
  const preview = result.sample[0];
  const rendered = preview ? renderTemplate(template, preview.parameters as Parameters<typeof renderTemplate>[1]) : null;
  return (
    <Box tag="section" aria-label={t('campaigns.preflight', 'Pre-flight')} background="neutral0" hasRadius shadow="tableShadow" padding={{ initial: 4, medium: 6 }}>
      <Flex direction="column" alignItems="stretch" gap={5}>
        <Typography variant="delta" tag="h2">
          {t('campaigns.preflight', 'Pre-flight')}
        </Typography>
        <Grid.Root gap={4}>
          <Figure label={t('campaigns.preflight.audience', 'Audience')} value={result.audience} testId="preflight-audience" />
          <Figure label={t('campaigns.preflight.sendable', 'Will be sent')} value={result.sendable} testId="preflight-sendable" />
          <Figure label={t('campaigns.preflight.duration', 'Estimated duration')} value={durationText(t, result.estimatedSeconds)} />
          <Figure
            label={t('campaigns.preflight.budget', 'Daily budget left')}
            value={number.remainingToday === null ? t('campaigns.preflight.unlimited', 'Unlimited') : `${number.remainingToday} / ${number.dailyLimit ?? '—'}`}
          />
        </Grid.Root>
        <Flex gap={2} wrap="wrap" alignItems="center">
          <Typography>
            {t('campaigns.preflight.template', 'Template {name} ({language})', { name: result.template.name, language: result.template.language })}
          </Typography>
          <Badge backgroundColor={result.template.sendable ? 'success100' : 'danger100'} textColor={result.template.sendable ? 'success700' : 'danger700'}>
            {result.template.status ?? t('campaigns.preflight.unknown', 'unknown')}
          </Badge>
          {result.template.quality && (
            <Badge backgroundColor={`${qualityColor}100`} textColor={`${qualityColor}700`}>
              {t('campaigns.preflight.quality', 'Quality {quality}', { quality: result.template.quality })}
            </Badge>
          )}
          <Typography variant="pi" textColor="neutral600">
            {t('campaigns.preflight.rate', '{mps} messages/s · tier {tier} · {used} sent today', { mps: number.throughputMps, tier: number.messagingTier ?? '—', used: number.usedToday })}
          </Typography>
        </Flex>
        {result.exclusions.length > 0 && (
          <Box overflow="auto">
            <Table colCount={3} rowCount={result.exclusions.length + 1} aria-label={t('campaigns.preflight.exclusions', 'Left out')}>
              <TableHeader columns={[t('campaigns.preflight.reason', 'Left out because'), t('campaigns.preflight.count', 'Count'), t('campaigns.preflight.examples', 'Examples')]} />
              <Tbody>
                {result.exclusions.map((x) => (
                  <Tr key={x.reason} aria-label={EXCLUSION_LABELS[x.reason] ?? x.reason}>
                    <Td>
                      <Typography>{EXCLUSION_LABELS[x.reason] ?? x.reason}</Typography>
                    </Td>
                    <Td>
                      <Typography>{x.count}</Typography>
                    </Td>
                    <Td>
                      <Typography variant="pi" textColor="neutral600">
                        {x.sample.slice(0, 3).join(', ')}
                      </Typography>
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
          </Box>
        )}
        {preview && (
          <Box background="neutral100" hasRadius padding={3}>
            <Typography variant="sigma" textColor="neutral600">
              {t('campaigns.preflight.preview', 'Preview for {phone}', { phone: preview.phone })}
            </Typography>
            <Typography tag="p" data-testid="preflight-preview" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {rendered || JSON.stringify(preview.parameters)}
            </Typography>
          </Box>
        )}
        {result.days > 1 && (
          <Checkbox checked={spread} disabled={checking} onCheckedChange={(c: boolean) => onSpread(c)}>
            {t('campaigns.preflight.spread', 'Past today’s budget: spread the sends over {days} days', { days: result.days })}
          </Checkbox>
        )}
        <Notes label={t('campaigns.preflight.problems', 'Problems')} color="danger600" items={result.problems} />
        <Notes label={t('campaigns.preflight.warnings', 'Provider limits')} color="warning600" items={result.warnings ?? []} />
        <Flex gap={3} wrap="wrap" alignItems="center">
          <Button startIcon={<PaperPlane />} onClick={onLaunch} disabled={Boolean(blocked) || checking} loading={launching}>
            {t('campaigns.launch', 'Launch')}
          </Button>
          {blocked && (
            <Typography variant="pi" textColor="neutral600" data-testid="launch-blocked">
              {blocked}
            </Typography>
          )}
        </Flex>
      </Flex>
    </Box>
  );
};
