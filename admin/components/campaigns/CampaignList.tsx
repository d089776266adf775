import { Box, Flex, Link, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { NavLink } from 'react-router-dom';
import type { Campaign } from '../../../contracts/campaigns';
import { useTranslate } from '../../hooks/useTranslate';
import { TableHeader } from '../TableHeader';
import { dateTime } from './messages';
import { CampaignProgress, StateBadge } from './parts';

export interface CampaignListProps {
  campaigns: Campaign[];
  numberName: (id: number) => string;
  compact: boolean;
}

const NameLink = ({ campaign }: { campaign: Campaign }) => (
  <Link tag={NavLink} to={String(campaign.id)}>
    {campaign.name}
  </Link>
);

/** When it ran or runs next: the latest occurrence's start, else the next run. */
const when = (c: Campaign) => dateTime(c.occurrence?.startedAt ?? c.nextRunAt);

/** The campaigns as a table, or as cards on a phone-sized screen. */
export const CampaignList = ({ campaigns, numberName, compact }: CampaignListProps) => {
  const t = useTranslate();
  const label = t('campaigns.list.label', 'Campaigns');
  if (compact) {
    return (
      <Flex tag="ul" direction="column" alignItems="stretch" gap={3} aria-label={label}>
        {campaigns.map((c) => (
          <Box tag="li" key={c.id} aria-label={c.name} background="neutral0" hasRadius shadow="tableShadow" padding={4} style={{ listStyle: 'none' }}>
            <Flex direction="column" alignItems="stretch" gap={2}>
              <Flex justifyContent="space-between" alignItems="flex-start" gap={2}>
                <Box minWidth={0} style={{ overflowWrap: 'anywhere' }}>
                  <NameLink campaign={c} />
                </Box>
                <StateBadge state={c.state} />
              </Flex>
              <Typography variant="pi" textColor="neutral600" style={{ overflowWrap: 'anywhere' }}>
                {c.template.name} · {numberName(c.numberId)} · {when(c)}
              </Typography>
              <CampaignProgress name={c.name} counters={c.counters} />
            </Flex>
          </Box>
        ))}
      </Flex>
    );
  }
  const columns = [
    t('campaigns.list.name', 'Name'),
    t('campaigns.list.state', 'State'),
    t('campaigns.list.progress', 'Progress'),
    t('campaigns.list.number', 'Number'),
    t('campaigns.list.template', 'Template'),
    t('campaigns.list.when', 'Started / next run'),
  ];
  return (
    <Table colCount={columns.length} rowCount={campaigns.length + 1} aria-label={label}>
      <TableHeader columns={columns} />
      <Tbody>
        {campaigns.map((c) => (
          <Tr key={c.id} aria-label={c.name}>
            <Td>
              <NameLink campaign={c} />
            </Td>
            <Td>
              <StateBadge state={c.state} />
            </Td>
            <Td style={{ minWidth: '24rem' }}>
              <CampaignProgress name={c.name} counters={c.counters} />
            </Td>
            <Td>
              <Typography textColor="neutral800">{numberName(c.numberId)}</Typography>
            </Td>
            <Td>
              <Typography textColor="neutral800">
                {c.template.name} ({c.template.language})
              </Typography>
            </Td>
            <Td>
              <Typography textColor="neutral800">{when(c)}</Typography>
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
