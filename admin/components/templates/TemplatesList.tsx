import * as React from 'react';
import { Badge, Box, Flex, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import type { WhatsAppTemplate } from '../../../contracts/templates';
import { useTranslate } from '../../hooks/useTranslate';
import { humanize, parameterSummary, qualityTone, statusTone } from './messages';
import { TableHeader } from '../TableHeader';

export interface TemplatesListProps {
  templates: WhatsAppTemplate[];
  numberLabel: (numberId: number) => string;
  /** A phone-sized screen: cards instead of a table. */
  compact: boolean;
}

const StatusBadge = ({ template }: { template: WhatsAppTemplate }) => {
  const t = useTranslate();
  return (
    <Flex gap={1} wrap="wrap">
      <Badge {...statusTone(template.status)}>
        {template.status ? humanize(template.status) : t('templates.status.unknown', 'Unknown')}
      </Badge>
      {template.removedAt && (
        <Badge backgroundColor="neutral150" textColor="neutral700" title={new Date(template.removedAt).toLocaleString()}>
          {t('templates.removed', 'Removed at provider')}
        </Badge>
      )}
    </Flex>
  );
};

const Quality = ({ quality }: { quality: string | null }) => {
  if (!quality) return <Typography textColor="neutral500">—</Typography>;
  return <Badge {...qualityTone(quality)}>{humanize(quality)}</Badge>;
};

const Rejection = ({ reason }: { reason: string | null }) =>
  reason ? (
    <Typography variant="pi" textColor="danger600" style={{ overflowWrap: 'anywhere' }}>
      {humanize(reason)}
    </Typography>
  ) : (
    <Typography textColor="neutral500">—</Typography>
  );

/** The synced templates as a table, or as cards on a phone-sized screen. */
export const TemplatesList = ({ templates, numberLabel, compact }: TemplatesListProps) => {
  const t = useTranslate();
  const label = t('templates.table.label', 'Templates');

  if (compact) {
    return (
      <Flex tag="ul" direction="column" alignItems="stretch" gap={3} aria-label={label}>
        {templates.map((tpl) => (
          <Box
            tag="li"
            key={tpl.id}
            aria-label={tpl.name}
            background="neutral0"
            hasRadius
            shadow="tableShadow"
            padding={4}
            style={{ listStyle: 'none' }}
          >
            <Flex direction="column" alignItems="stretch" gap={2}>
              <Flex justifyContent="space-between" alignItems="flex-start" gap={2} wrap="wrap">
                <Typography fontWeight="semiBold" textColor="neutral800" style={{ overflowWrap: 'anywhere' }}>
                  {tpl.name}
                </Typography>
                <StatusBadge template={tpl} />
              </Flex>
              <Typography variant="pi" textColor="neutral600">
                {[numberLabel(tpl.numberId), tpl.category ? humanize(tpl.category) : null, tpl.language].filter(Boolean).join(' · ')}
              </Typography>
              <Typography variant="pi" textColor="neutral700" style={{ overflowWrap: 'anywhere' }}>
                {parameterSummary(t, tpl.parameterSchema)}
              </Typography>
              {tpl.quality && (
                <Flex gap={2} alignItems="center">
                  <Typography variant="pi" textColor="neutral600">
                    {t('templates.table.quality', 'Quality')}
                  </Typography>
                  <Quality quality={tpl.quality} />
                </Flex>
              )}
              {tpl.rejectionReason && <Rejection reason={tpl.rejectionReason} />}
            </Flex>
          </Box>
        ))}
      </Flex>
    );
  }

  return (
    <Table colCount={8} rowCount={templates.length + 1} aria-label={label}>
      <TableHeader columns={[t('templates.table.name', 'Name'), t('templates.table.number', 'Number'), t('templates.table.status', 'Status'), t('templates.table.category', 'Category'), t('templates.table.language', 'Language'), t('templates.table.quality', 'Quality'), t('templates.table.rejection', 'Rejection reason'), t('templates.table.params', 'Parameters')]} />
      <Tbody>
        {templates.map((tpl) => (
          <Tr key={tpl.id}>
            <Td>
              <Typography fontWeight="semiBold" textColor="neutral800">
                {tpl.name}
              </Typography>
            </Td>
            <Td>
              <Typography textColor="neutral800">{numberLabel(tpl.numberId)}</Typography>
            </Td>
            <Td>
              <StatusBadge template={tpl} />
            </Td>
            <Td>
              <Typography textColor="neutral800">{tpl.category ? humanize(tpl.category) : '—'}</Typography>
            </Td>
            <Td>
              <Typography textColor="neutral800">{tpl.language}</Typography>
            </Td>
            <Td>
              <Quality quality={tpl.quality} />
            </Td>
            <Td>
              <Rejection reason={tpl.rejectionReason} />
            </Td>
            <Td style={{ maxWidth: '28rem', whiteSpace: 'normal' }}>
              <Typography variant="pi" textColor="neutral700">
                {parameterSummary(t, tpl.parameterSchema)}
              </Typography>
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
