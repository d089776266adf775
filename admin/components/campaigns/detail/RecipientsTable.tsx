import * as React from 'react';
import { Badge, Box, Flex, SingleSelect, SingleSelectOption, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { RECIPIENT_STATUSES, type CampaignRecipient, type RecipientStatus } from '../../../../contracts/campaigns';
import { useListCampaignRecipientsQuery } from '../../../api';
import { useTranslate } from '../../../hooks/useTranslate';
import { Pager } from '../../logs/Pager';
import { TableHeader } from '../../TableHeader';
import { dateTime, reasonText, recipientStatusColors, recipientStatusLabel } from '../messages';

const ALL = 'all';
const PAGE_SIZE = 25;

/** The latest moment a recipient reached. */
const lastAt = (r: CampaignRecipient) => r.failedAt ?? r.repliedAt ?? r.readAt ?? r.deliveredAt ?? r.sentAt ?? r.queuedAt;

const Status = ({ r }: { r: CampaignRecipient }) => {
  const t = useTranslate();
  return <Badge {...recipientStatusColors(r.status)}>{recipientStatusLabel(t, r.status)}</Badge>;
};

const Reason = ({ r }: { r: CampaignRecipient }) => (
  <Typography variant="pi" textColor={r.status === 'failed' ? 'danger600' : 'neutral600'} style={{ overflowWrap: 'anywhere' }}>
    {[r.errorCode, reasonText(r.reason)].filter(Boolean).join(' · ')}
  </Typography>
);

export interface RecipientsTableProps {
  campaignId: number;
  /** One occurrence's recipients; undefined: the latest occurrence's. */
  occurrenceId?: number;
  pollingInterval: number;
  compact: boolean;
}

/** One occurrence's recipients (the latest by default), filtered by status, a page at a time; polled while the campaign runs. */
export const RecipientsTable = ({ campaignId, occurrenceId, pollingInterval, compact }: RecipientsTableProps) => {
  const t = useTranslate();
  const [status, setStatus] = React.useState<string>(ALL);
  const [page, setPage] = React.useState(1);
  const { data, isError } = useListCampaignRecipientsQuery({ id: campaignId, occurrenceId, status: status === ALL ? undefined : (status as RecipientStatus), page, pageSize: PAGE_SIZE }, { pollingInterval });
  const rows = data?.data ?? [];
  const pagination = data?.meta.pagination;
  const label = t('campaigns.recipients', 'Recipients');
  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Box maxWidth="24rem">
        <SingleSelect aria-label={t('campaigns.recipients.status', 'Recipient status')} value={status} onChange={(v) => (setStatus(String(v)), setPage(1))}>
          <SingleSelectOption value={ALL}>{t('campaigns.recipients.all', 'All statuses')}</SingleSelectOption>
          {RECIPIENT_STATUSES.map((s) => (
            <SingleSelectOption key={s} value={s}>
              {recipientStatusLabel(t, s)}
            </SingleSelectOption>
          ))}
        </SingleSelect>
      </Box>
      {isError && <Typography textColor="danger600">{t('campaigns.recipients.error', 'Could not load the recipients.')}</Typography>}
      {data && !rows.length && <Typography textColor="neutral600">{t('campaigns.recipients.none', 'No recipient here yet.')}</Typography>}
      {rows.length > 0 && compact && (
        <Flex tag="ul" direction="column" alignItems="stretch" gap={2} aria-label={label}>
          {rows.map((r) => (
            <Box tag="li" key={r.id} aria-label={r.phone} background="neutral0" hasRadius shadow="tableShadow" padding={3} style={{ listStyle: 'none' }}>
              <Flex justifyContent="space-between" gap={2}>
                <Typography fontWeight="semiBold">{r.phone}</Typography>
                <Status r={r} />
              </Flex>
              <Typography variant="pi" textColor="neutral600">
                {dateTime(lastAt(r))}
              </Typography>
              <Reason r={r} />
            </Box>
          ))}
        </Flex>
      )}
      {rows.length > 0 && !compact && (
        <Table colCount={4} rowCount={rows.length + 1} aria-label={label}>
          <TableHeader columns={[t('campaigns.recipients.phone', 'Phone'), t('campaigns.recipients.statusCol', 'Status'), t('campaigns.recipients.when', 'Last change'), t('campaigns.recipients.reason', 'Reason')]} />
          <Tbody>
            {rows.map((r) => (
              <Tr key={r.id} aria-label={r.phone}>
                <Td>
                  <Typography>{r.phone}</Typography>
                </Td>
                <Td>
                  <Status r={r} />
                </Td>
                <Td>
                  <Typography variant="pi">{dateTime(lastAt(r))}</Typography>
                </Td>
                <Td style={{ whiteSpace: 'normal' }}>
                  <Reason r={r} />
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
      {pagination && pagination.total > pagination.pageSize && (
        <Pager pagination={{ ...pagination, pageCount: Math.ceil(pagination.total / pagination.pageSize) }} onPage={setPage} label={t('campaigns.recipients.pager', 'Recipient pages')} />
      )}
    </Flex>
  );
};
