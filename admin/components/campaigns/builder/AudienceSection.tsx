import * as React from 'react';
import { Box, Checkbox, Grid, Typography } from '@strapi/design-system';
import type { HostContentType } from '../../../../contracts/host';
import { usePreviewAudienceQuery } from '../../../api';
import { useTranslate } from '../../../hooks/useTranslate';
import { recordLabel } from '../../notifications/form';
import { fieldFilters, FieldSelect, TypeSelect } from '../../settings/FieldSelect';
import { csvColumns, csvRows, filtersOf, leftoverErrors, phoneLike } from '../form';
import { CsvInput } from './CsvInput';
import { FilterRows } from './FilterRows';
import { ErrorList, Section, type CampaignSectionProps } from './shared';

/** The filter a little after the last change, so typing a value asks the count once. */
const useSettled = <T,>(value: T, ms = 400) => {
  const key = JSON.stringify(value);
  const [settled, setSettled] = React.useState(value);
  React.useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, ms]);
  return settled;
};

/** How many records the filter matches now (before exclusions), and a few of them. */
const LiveCount = ({ uid, filters }: { uid: string; filters: Record<string, unknown> | null }) => {
  const t = useTranslate();
  const settled = useSettled(filters);
  const { data, isFetching, isError } = usePreviewAudienceQuery({ uid, filters: settled });
  if (isError) return <Typography textColor="danger600">{t('campaigns.audience.countError', 'This filter cannot be counted: check its fields and values.')}</Typography>;
  if (!data) return <Typography textColor="neutral600">{t('campaigns.audience.counting', 'Counting…')}</Typography>;
  return (
    <Box background="neutral100" hasRadius padding={3} aria-busy={isFetching} data-testid="audience-count">
      <Typography fontWeight="semiBold">{t('campaigns.audience.count', '{n, plural, one {# record matches} other {# records match}}', { n: data.total })}</Typography>
      {data.results.length > 0 && (
        <Typography variant="pi" textColor="neutral600" tag="p" style={{ overflowWrap: 'anywhere' }}>
          {t('campaigns.audience.sample', 'For example: {names}', { names: data.results.map((r) => recordLabel(r)).join(', ') })}
        </Typography>
      )}
    </Box>
  );
};

/** Who is sent to: records of a host type narrowed by a filter, an uploaded CSV, or both. */
export const AudienceSection = ({ values, errors, set, change, types, type }: CampaignSectionProps & { types: HostContentType[]; type: HostContentType | undefined }) => {
  const t = useTranslate();
  const filters = filtersOf(values.filters, values.match, type);
  const pickType = (uid: string) => {
    const next = types.find((ty) => ty.uid === uid);
    change({ contentType: uid, phoneField: next?.fields.find(phoneLike)?.name ?? '', consentField: '', filters: [] }, 'audience.contentType');
  };
  const readCsv = (text: string, name: string) => {
    const columns = csvColumns(text);
    const phoneColumn = columns.find((c) => /phone|mobile|whats/i.test(c)) ?? columns[0] ?? 'phone';
    change({ csv: text, csvName: name, phoneColumn }, 'audience.csv');
  };
  const columns = values.csv !== null ? csvColumns(values.csv) : values.csvSaved?.columns ?? [];
  const rows = values.csv !== null ? csvRows(values.csv) : values.csvSaved?.rows ?? 0;
  const shown = ['audience.contentType', 'audience.phoneField', 'audience.consentField', 'audience.csv', 'audience.phoneColumn'];
  return (
    <Section title={t('campaigns.form.audience', 'Audience')} description={t('campaigns.form.audience.hint', 'The filter is evaluated when each occurrence runs; phones are normalised and de-duplicated.')}>
      <ErrorList messages={leftoverErrors(errors, 'audience', shown)} />
      <Checkbox checked={values.useRecords} onCheckedChange={(c: boolean) => set('useRecords', c, 'audience')}>
        {t('campaigns.audience.records', 'CRM records')}
      </Checkbox>
      {values.useRecords && (
        <>
          <Grid.Root gap={4}>
            <Grid.Item col={4} m={12} xs={12} direction="column" alignItems="stretch">
              <TypeSelect name="audience.contentType" label={t('campaigns.audience.type', 'Content type')} error={errors['audience.contentType']} value={values.contentType} types={types} onChange={pickType} />
            </Grid.Item>
            <Grid.Item col={4} m={12} xs={12} direction="column" alignItems="stretch">
              <FieldSelect name="audience.phoneField" label={t('campaigns.audience.phoneField', 'Phone field')} error={errors['audience.phoneField']} value={values.phoneField || null} fields={(type?.fields ?? []).filter(fieldFilters.text)} required disabled={!type} onChange={(v) => set('phoneField', v ?? '', 'audience.phoneField')} />
            </Grid.Item>
            <Grid.Item col={4} m={12} xs={12} direction="column" alignItems="stretch">
              <FieldSelect
                name="audience.consentField"
                label={t('campaigns.audience.consentField', 'Marketing consent field')}
                hint={t('campaigns.audience.consentField.hint', 'Marketing templates go only to records where it is true.')}
                error={errors['audience.consentField']}
                value={values.consentField || null}
                fields={(type?.fields ?? []).filter(fieldFilters.boolean)}
                optional
                disabled={!type}
                onChange={(v) => set('consentField', v ?? '', 'audience.consentField')}
              />
            </Grid.Item>
          </Grid.Root>
          <FilterRows values={values} change={change} type={type} />
          {values.contentType && <LiveCount uid={values.contentType} filters={filters} />}
        </>
      )}
      <Checkbox checked={values.useCsv} onCheckedChange={(c: boolean) => set('useCsv', c, 'audience.csv')}>
        {t('campaigns.audience.csv', 'An uploaded CSV')}
      </Checkbox>
      {values.useCsv && <CsvInput values={values} errors={errors} set={set} columns={columns} rows={rows} onRead={readCsv} />}
    </Section>
  );
};
