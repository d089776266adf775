import { Grid, NumberInput, Typography } from '@strapi/design-system';
import { BOT_LIMITS } from '../../../../contracts/bots';
import { useTranslate } from '../../../hooks/useTranslate';
import { GridField } from '../../FormField';
import { errorAt, type BotFormValues } from '../form';
import type { BotSectionProps } from './shared';

type LimitKey = keyof BotFormValues['limits'];

/** How much the bot may say: the hourly cap, the pause after a staff message, the burst debounce. */
export const LimitsSection = ({ values, errors, set }: BotSectionProps) => {
  const t = useTranslate();
  const field = (key: LimitKey, label: string, hint: string) => (
    <GridField col={4} name={`limits.${key}`} label={label} error={errorAt(errors, `limits.${key}`)} hint={hint}>
      <NumberInput value={values.limits[key]} onValueChange={(v) => set('limits', { ...values.limits, [key]: v }, `limits.${key}`)} step={1} />
    </GridField>
  );
  return (
    <Grid.Root gap={4} tag="section" aria-label={t('bots.form.limits', 'Limits')}>
      <Grid.Item col={12}>
        <Typography variant="delta" tag="h2">
          {t('bots.form.limits', 'Limits')}
        </Typography>
      </Grid.Item>
      {field('maxPerHour', t('bots.form.maxPerHour', 'Replies per conversation per hour'), t('bots.form.maxPerHour.hint', '{min}-{max}; the next message goes to a person.', BOT_LIMITS.maxPerHour))}
      {field('pauseAfterStaffMinutes', t('bots.form.pause', 'Quiet after a staff message (minutes)'), t('bots.form.pause.hint', '{min}-{max}.', BOT_LIMITS.pauseAfterStaffMinutes))}
      {field('debounceMs', t('bots.form.debounce', 'Wait for a burst to end (ms)'), t('bots.form.debounce.hint', '{min}-{max}; a burst is answered once.', BOT_LIMITS.debounceMs))}
    </Grid.Root>
  );
};
