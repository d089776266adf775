import { Box, Flex, SingleSelect, SingleSelectOption, Typography } from '@strapi/design-system';
import type { CampaignOccurrence } from '../../../../contracts/campaigns';
import { useTranslate } from '../../../hooks/useTranslate';
import { dateTime, progressOf, stateLabel } from '../messages';
import { CampaignProgress } from '../parts';

export interface OccurrencePickerProps {
  name: string;
  /** Newest first, as the server answers them. */
  occurrences: CampaignOccurrence[];
  /** The picked occurrence's id; null follows the latest. */
  value: number | null;
  onChange: (id: number | null) => void;
}

/** A recurring campaign's runs: pick one to see its own figures (the recipients table below follows it). */
export const OccurrencePicker = ({ name, occurrences, value, onChange }: OccurrencePickerProps) => {
  const t = useTranslate();
  const picked = occurrences.find((o) => o.id === value) ?? occurrences[0];
  if (!picked) return <Typography textColor="neutral600">{t('campaigns.occurrences.none', 'No occurrence has run yet.')}</Typography>;
  const label = (o: CampaignOccurrence) => {
    const { done, total } = progressOf(o.counters);
    return t('campaigns.occurrences.option', '{at} · {state} · {done} / {total}', { at: dateTime(o.scheduledFor), state: stateLabel(t, o.state), done, total });
  };
  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Box maxWidth="32rem" minWidth={0}>
        <SingleSelect aria-label={t('campaigns.occurrences.pick', 'Occurrence')} value={String(picked.id)} onChange={(v) => onChange(Number(v) === occurrences[0].id ? null : Number(v))}>
          {occurrences.map((o) => (
            <SingleSelectOption key={o.id} value={String(o.id)}>
              {label(o)}
            </SingleSelectOption>
          ))}
        </SingleSelect>
      </Box>
      <Box data-testid="occurrence-figures" data-occurrence={picked.id}>
        <CampaignProgress name={t('campaigns.occurrences.of', '{name}, occurrence of {at}', { name, at: dateTime(picked.scheduledFor) })} counters={picked.counters} />
      </Box>
    </Flex>
  );
};
