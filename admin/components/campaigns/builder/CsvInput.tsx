import * as React from 'react';
import { Box, Field, Flex, Grid, Typography } from '@strapi/design-system';
import { useTranslate } from '../../../hooks/useTranslate';
import { FieldSelect } from '../../settings/FieldSelect';
import type { CampaignSectionProps } from './shared';

interface Props extends Pick<CampaignSectionProps, 'values' | 'errors' | 'set'> {
  columns: string[];
  rows: number;
  onRead: (text: string, fileName: string) => void;
}

/** A CSV with a header row, read in the browser as text, and which of its columns holds the phone. */
export const CsvInput = ({ values, errors, set, columns, rows, onRead }: Props) => {
  const t = useTranslate();
  const read = async (event: React.ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) onRead(await file.text(), file.name);
  };
  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Grid.Root gap={4}>
        <Grid.Item col={6} m={12} xs={12} direction="column" alignItems="stretch">
          <Field.Root name="audience.csv" error={errors['audience.csv']} width="100%" hint={t('campaigns.audience.csv.hint', 'A header row, one column with the phone; other columns can fill parameters.')}>
            <Field.Label>{t('campaigns.audience.csv.file', 'CSV file')}</Field.Label>
            <Box paddingTop={1}>
              <input type="file" accept=".csv,text/csv,text/plain" onChange={read} aria-label={t('campaigns.audience.csv.file', 'CSV file')} style={{ maxWidth: '100%' }} />
            </Box>
            <Field.Hint />
            <Field.Error />
          </Field.Root>
        </Grid.Item>
        <Grid.Item col={6} m={12} xs={12} direction="column" alignItems="stretch">
          <FieldSelect
            name="audience.phoneColumn"
            label={t('campaigns.audience.phoneColumn', 'Phone column')}
            error={errors['audience.phoneColumn']}
            value={values.phoneColumn || null}
            fields={columns.map((name) => ({ name, type: 'string' }))}
            disabled={!columns.length}
            onChange={(v) => set('phoneColumn', v ?? '', 'audience.phoneColumn')}
          />
        </Grid.Item>
      </Grid.Root>
      {columns.length > 0 && (
        <Typography variant="pi" textColor="neutral600" style={{ overflowWrap: 'anywhere' }}>
          {t('campaigns.audience.csv.summary', '{file}{rows, plural, one {# row} other {# rows}} · columns: {columns}', { file: values.csvName ? `${values.csvName}: ` : '', rows, columns: columns.join(', ') })}
        </Typography>
      )}
    </Flex>
  );
};
