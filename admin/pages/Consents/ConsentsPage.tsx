import * as React from 'react';
import { Badge, Box, Button, Flex, SingleSelectOption, Table, Tbody, Td, TextInput, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Download } from '@strapi/icons';
import { Page } from '@strapi/strapi/admin';
import { CONSENT_SOURCES, type ConsentSource, type ConsentStatus, type ListConsents } from '../../../contracts/consent';
import { useApiAction, useExportConsentsMutation, useListConsentsQuery, useListNumbersQuery } from '../../api';
import { PluginPage } from '../../components/PluginPage';
import { Filter, LogBody } from '../../components/logs/LogParts';
import { Pager } from '../../components/logs/Pager';
import { useTranslate } from '../../hooks/useTranslate';
import { PERMISSIONS } from '../../permissions';

const ALL = 'all';
const PAGE_SIZE = 25;

/** Saves text as a file through a temporary link. */
const saveFile = (text: string, name: string) => {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
};

const Consents = () => {
  const t = useTranslate();
  const run = useApiAction();
  const { data: numbers = [] } = useListNumbersQuery();
  const [status, setStatus] = React.useState(ALL);
  const [source, setSource] = React.useState(ALL);
  const [number, setNumber] = React.useState(ALL);
  const [search, setSearch] = React.useState('');
  const [page, setPage] = React.useState(1);
  const filters: ListConsents.Query = {
    status: status === ALL ? undefined : (status as ConsentStatus),
    source: source === ALL ? undefined : (source as ConsentSource),
    numberId: number === ALL ? undefined : Number(number),
    search: search.trim() || undefined,
  };
  React.useEffect(() => setPage(1), [status, source, number, search]);
  const query = useListConsentsQuery({ ...filters, page, pageSize: PAGE_SIZE });
  const [exportCsv, { isLoading: exporting }] = useExportConsentsMutation();
  const rows = query.data?.data ?? [];
  const numberLabel = (id: number) => numbers.find((n) => n.id === id)?.label ?? t('logs.number.fallback', 'Number #{id}', { id });

  return (
    <PluginPage title={t('nav.consents', 'Consent')} subtitle={t('consents.subtitle', 'Who opted out of or into business-initiated messages, on which number, when and why.')} withNav>
      <Flex gap={3} wrap="wrap" alignItems="flex-end" justifyContent="space-between" paddingBottom={4}>
        <Flex gap={3} wrap="wrap" alignItems="flex-end">
          <Filter label={t('consents.filter.status', 'Status')} value={status} onChange={setStatus}>
            <SingleSelectOption value={ALL}>{t('consents.filter.any', 'Any')}</SingleSelectOption>
            <SingleSelectOption value="opted-out">{t('consent.badge.out', 'Opted out')}</SingleSelectOption>
            <SingleSelectOption value="opted-in">{t('consent.badge.in', 'Opted in')}</SingleSelectOption>
          </Filter>
          <Filter label={t('consents.filter.source', 'Source')} value={source} onChange={setSource}>
            <SingleSelectOption value={ALL}>{t('consents.filter.any', 'Any')}</SingleSelectOption>
            {CONSENT_SOURCES.map((s) => (
              <SingleSelectOption key={s} value={s}>
                {s}
              </SingleSelectOption>
            ))}
          </Filter>
          <Filter label={t('logs.filter.number', 'Number')} value={number} onChange={setNumber}>
            <SingleSelectOption value={ALL}>{t('logs.filter.allNumbers', 'All numbers')}</SingleSelectOption>
            {numbers.map((n) => (
              <SingleSelectOption key={n.id} value={String(n.id)}>
                {n.label}
              </SingleSelectOption>
            ))}
          </Filter>
          <Box style={{ minWidth: '12rem' }}>
            <TextInput aria-label={t('consents.search', 'Search by phone')} placeholder={t('consents.search', 'Search by phone')} value={search} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setSearch(e.target.value)} />
          </Box>
        </Flex>
        <Button variant="secondary" startIcon={<Download />} loading={exporting} onClick={() => run(async () => saveFile(await exportCsv(filters).unwrap(), 'whatsapp-consents.csv'), t('consents.exported', 'Consents exported.'))}>
          {t('consents.export', 'Export CSV')}
        </Button>
      </Flex>
      <LogBody query={query} empty={rows.length === 0} emptyText={t('consents.empty', 'No consent recorded yet: customers opt out with STOP, in WhatsApp, or by staff here and in the CRM.')}>
        <Box style={{ overflowX: 'auto' }}>
          <Table colCount={5} rowCount={rows.length + 1}>
            <Thead>
              <Tr>
                <Th><Typography variant="sigma">{t('consents.col.phone', 'Phone')}</Typography></Th>
                <Th><Typography variant="sigma">{t('consents.col.status', 'Status')}</Typography></Th>
                <Th><Typography variant="sigma">{t('consents.col.source', 'Source')}</Typography></Th>
                <Th><Typography variant="sigma">{t('consents.col.number', 'Number')}</Typography></Th>
                <Th><Typography variant="sigma">{t('consents.col.when', 'When and why')}</Typography></Th>
              </Tr>
            </Thead>
            <Tbody>
              {rows.map((c) => (
                <Tr key={c.id} data-testid="consent-row">
                  <Td><Typography>{c.phone}</Typography></Td>
                  <Td>
                    <Badge backgroundColor={c.status === 'opted-out' ? 'danger100' : 'success100'} textColor={c.status === 'opted-out' ? 'danger700' : 'success700'}>
                      {c.status === 'opted-out' ? t('consent.badge.out', 'Opted out') : t('consent.badge.in', 'Opted in')}
                    </Badge>
                  </Td>
                  <Td><Typography>{c.source}</Typography></Td>
                  <Td><Typography>{numberLabel(c.numberId)}</Typography></Td>
                  <Td><Typography variant="pi">{new Date(c.at).toLocaleString()}{c.detail ? ` · ${c.detail}` : ''}</Typography></Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        </Box>
        {query.data && <Pager pagination={query.data.meta.pagination} onPage={setPage} label={t('consents.pages', 'Consent pages')} />}
      </LogBody>
    </PluginPage>
  );
};

/** WhatsApp → Consent: every customer's consent per number, filtered and exported. */
const ConsentsPage = () => (
  <Page.Protect permissions={PERMISSIONS.readConsents}>
    <Consents />
  </Page.Protect>
);

export default ConsentsPage;
