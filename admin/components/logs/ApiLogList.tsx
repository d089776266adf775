import * as React from 'react';
import { Badge, Box, Flex, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { ApiLogEntry } from '../../../contracts/logs';
import type { Provider } from '../../../contracts/numbers';
import { providerName } from '../numbers/messages';
import { useTranslate } from '../../hooks/useTranslate';
import { TableHeader } from '../TableHeader';

export interface ApiLogListProps {
  entries: ApiLogEntry[];
  numberLabel: (id: number | null) => string;
  compact: boolean;
}

const HttpStatus = ({ entry }: { entry: ApiLogEntry }) => {
  const t = useTranslate();
  if (entry.status === null)
    return (
      <Badge backgroundColor="danger100" textColor="danger700">
        {t('logs.api.noAnswer', 'No answer')}
      </Badge>
    );
  const ok = entry.status < 400;
  return (
    <Badge backgroundColor={ok ? 'success100' : 'danger100'} textColor={ok ? 'success700' : 'danger700'}>
      {String(entry.status)}
    </Badge>
  );
};

/** The URL without its origin: the Graph API path is what tells calls apart. */
const endpointOf = (url: string | null) => {
  if (!url) return '—';
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  } catch {
    return url;
  }
};

const ErrorText = ({ entry }: { entry: ApiLogEntry }) =>
  entry.errorCode || entry.errorText ? (
    <Typography variant="pi" textColor="danger600" style={{ overflowWrap: 'anywhere' }}>
      {[entry.errorCode, entry.errorText].filter(Boolean).join(' · ')}
    </Typography>
  ) : (
    <Typography textColor="neutral500">—</Typography>
  );

/** Calls the plugin made to providers, newest first. */
export const ApiLogList = ({ entries, numberLabel, compact }: ApiLogListProps) => {
  const t = useTranslate();
  const { formatDate } = useIntl();
  const when = (iso: string) => formatDate(iso, { dateStyle: 'short', timeStyle: 'medium' });
  const latency = (ms: number | null) => (ms === null ? '—' : t('logs.api.latencyMs', '{ms} ms', { ms }));
  const label = t('logs.api.label', 'API calls');
  const provider = (entry: ApiLogEntry) => (entry.provider ? providerName(t, entry.provider as Provider) : '—');

  if (compact) {
    return (
      <Flex tag="ul" direction="column" alignItems="stretch" gap={3} aria-label={label}>
        {entries.map((entry) => (
          <Box tag="li" key={entry.id} background="neutral0" hasRadius shadow="tableShadow" padding={4} style={{ listStyle: 'none' }}>
            <Flex direction="column" alignItems="stretch" gap={2}>
              <Flex justifyContent="space-between" gap={2} wrap="wrap">
                <Typography fontWeight="semiBold" textColor="neutral800">
                  {entry.call}
                </Typography>
                <HttpStatus entry={entry} />
              </Flex>
              <Typography variant="pi" textColor="neutral700" style={{ overflowWrap: 'anywhere', fontFamily: 'monospace' }}>
                {entry.method ?? ''} {endpointOf(entry.url)}
              </Typography>
              <Typography variant="pi" textColor="neutral600">
                {[when(entry.createdAt), provider(entry), numberLabel(entry.numberId), latency(entry.latencyMs)].join(' · ')}
              </Typography>
              <ErrorText entry={entry} />
            </Flex>
          </Box>
        ))}
      </Flex>
    );
  }

  return (
    <Table colCount={7} rowCount={entries.length + 1} aria-label={label}>
      <TableHeader columns={[t('logs.api.time', 'Time'), t('logs.api.provider', 'Provider'), t('logs.api.call', 'Call'), t('logs.api.endpoint', 'Method and endpoint'), t('logs.api.status', 'Status'), t('logs.api.latency', 'Latency'), t('logs.api.error', 'Error')]} />
      <Tbody>
        {entries.map((entry) => (
          <Tr key={entry.id}>
            <Td>
              <Typography textColor="neutral800" style={{ whiteSpace: 'nowrap' }}>
                {when(entry.createdAt)}
              </Typography>
            </Td>
            <Td>
              <Flex direction="column" alignItems="flex-start">
                <Typography textColor="neutral800">{provider(entry)}</Typography>
                <Typography variant="pi" textColor="neutral600">
                  {numberLabel(entry.numberId)}
                </Typography>
              </Flex>
            </Td>
            <Td>
              <Typography textColor="neutral800">{entry.call}</Typography>
            </Td>
            <Td style={{ maxWidth: '28rem', whiteSpace: 'normal' }}>
              <Typography variant="pi" textColor="neutral800" style={{ overflowWrap: 'anywhere', fontFamily: 'monospace' }}>
                {entry.method ?? ''} {endpointOf(entry.url)}
              </Typography>
            </Td>
            <Td>
              <HttpStatus entry={entry} />
            </Td>
            <Td>
              <Typography textColor="neutral800" style={{ whiteSpace: 'nowrap' }}>
                {latency(entry.latencyMs)}
              </Typography>
            </Td>
            <Td style={{ maxWidth: '24rem', whiteSpace: 'normal' }}>
              <ErrorText entry={entry} />
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
