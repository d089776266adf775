import * as React from 'react';
import { Badge, Box, Button, Flex, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { ArrowClockwise, Eye } from '@strapi/icons';
import { useIntl } from 'react-intl';
import type { WebhookLogEntry } from '../../../contracts/logs';
import { useTranslate } from '../../hooks/useTranslate';
import { isReplayable, stateName, stateTone } from './messages';
import { TableHeader } from '../TableHeader';

export interface WebhookLogListProps {
  entries: WebhookLogEntry[];
  numberLabel: (id: number | null) => string;
  canReplay: boolean;
  /** Ids whose replay is under way. */
  replaying: ReadonlySet<number>;
  compact: boolean;
  onView: (entry: WebhookLogEntry) => void;
  onReplay: (entry: WebhookLogEntry) => void;
}

const Reason = ({ entry }: { entry: WebhookLogEntry }) => {
  const t = useTranslate();
  if (entry.lastError) {
    return (
      <Typography variant="pi" textColor={entry.state === 'ignored' ? 'neutral700' : 'danger600'} style={{ overflowWrap: 'anywhere' }}>
        {entry.lastError}
      </Typography>
    );
  }
  return (
    <Typography variant="pi" textColor="neutral600">
      {entry.eventCount !== null
        ? t('logs.webhooks.events', '{count, plural, one {# event} other {# events}}', { count: entry.eventCount })
        : '—'}
    </Typography>
  );
};

const Actions = ({
  entry,
  canReplay,
  replaying,
  onView,
  onReplay,
}: { entry: WebhookLogEntry } & Pick<WebhookLogListProps, 'canReplay' | 'replaying' | 'onView' | 'onReplay'>) => {
  const t = useTranslate();
  return (
    <Flex gap={1} justifyContent="flex-end" wrap="wrap">
      <Button
        variant="tertiary"
        size="S"
        startIcon={<Eye />}
        onClick={() => onView(entry)}
        aria-label={t('logs.webhooks.view.aria', 'Raw body of call #{id}', { id: entry.id })}
      >
        {t('logs.webhooks.view', 'Raw body')}
      </Button>
      {canReplay && isReplayable(entry.state) && (
        <Button
          variant="secondary"
          size="S"
          startIcon={<ArrowClockwise />}
          loading={replaying.has(entry.id)}
          onClick={() => onReplay(entry)}
          aria-label={t('logs.webhooks.replay.aria', 'Replay call #{id}', { id: entry.id })}
        >
          {t('logs.webhooks.replay', 'Replay')}
        </Button>
      )}
    </Flex>
  );
};

/** Stored webhook calls, newest first: a table, or cards on a phone-sized screen. */
export const WebhookLogList = ({ entries, numberLabel, compact, ...actions }: WebhookLogListProps) => {
  const t = useTranslate();
  const { formatDate } = useIntl();
  const when = (iso: string) => formatDate(iso, { dateStyle: 'short', timeStyle: 'medium' });
  const label = t('logs.webhooks.label', 'Webhook calls');

  if (compact) {
    return (
      <Flex tag="ul" direction="column" alignItems="stretch" gap={3} aria-label={label}>
        {entries.map((entry) => (
          <Box
            tag="li"
            key={entry.id}
            aria-label={`#${entry.id}`}
            background="neutral0"
            hasRadius
            shadow="tableShadow"
            padding={4}
            style={{ listStyle: 'none' }}
          >
            <Flex direction="column" alignItems="stretch" gap={2}>
              <Flex justifyContent="space-between" gap={2} wrap="wrap">
                <Badge {...stateTone(entry.state)}>{stateName(t, entry.state)}</Badge>
                <Typography variant="pi" textColor="neutral600">
                  {when(entry.receivedAt)}
                </Typography>
              </Flex>
              <Typography variant="pi" textColor="neutral800">
                #{entry.id} · {numberLabel(entry.numberId)}
              </Typography>
              <Reason entry={entry} />
              <Actions entry={entry} {...actions} />
            </Flex>
          </Box>
        ))}
      </Flex>
    );
  }

  return (
    <Table colCount={6} rowCount={entries.length + 1} aria-label={label}>
      <TableHeader columns={[t('logs.table.time', 'Received'), t('logs.table.state', 'State'), t('logs.table.number', 'Number'), t('logs.table.attempts', 'Attempts'), t('logs.table.reason', 'Reason / error')]} hidden={t('logs.table.actions', 'Actions')} />
      <Tbody>
        {entries.map((entry) => (
          <Tr key={entry.id}>
            <Td>
              <Typography textColor="neutral800" style={{ whiteSpace: 'nowrap' }}>
                {when(entry.receivedAt)}
              </Typography>
            </Td>
            <Td>
              <Badge {...stateTone(entry.state)}>{stateName(t, entry.state)}</Badge>
            </Td>
            <Td>
              <Typography textColor="neutral800">{numberLabel(entry.numberId)}</Typography>
            </Td>
            <Td>
              <Typography textColor="neutral800">{entry.attempts}</Typography>
            </Td>
            <Td style={{ maxWidth: '32rem', whiteSpace: 'normal' }}>
              <Reason entry={entry} />
            </Td>
            <Td>
              <Actions entry={entry} {...actions} />
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
