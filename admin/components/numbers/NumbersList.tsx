import * as React from 'react';
import { Badge, Box, Flex, IconButton, Switch, Table, Tbody, Td, TFooter, Tr, Typography } from '@strapi/design-system';
import { Duplicate, Pencil, Plus, Trash } from '@strapi/icons';
import type { Team, WhatsAppNumber } from '../../../contracts/numbers';
import { useTranslate, type Translate } from '../../hooks/useTranslate';
import { providerName } from './messages';
import { TableHeader } from '../TableHeader';

export interface NumbersListProps {
  numbers: WhatsAppNumber[];
  teams: Team[];
  canManage: boolean;
  /** Ids whose active switch is saving. */
  pending: ReadonlySet<number>;
  /** A phone-sized screen: cards instead of a table. */
  compact: boolean;
  onAdd: () => void;
  onToggleActive: (number: WhatsAppNumber, active: boolean) => void;
  onEdit: (number: WhatsAppNumber) => void;
  onDelete: (number: WhatsAppNumber) => void;
  onCopy: (url: string) => void;
}

const teamNames = (t: Translate, number: WhatsAppNumber, teams: Team[]) => {
  if (!number.teamRoleIds.length) return t('numbers.teams.everyone', 'Everyone');
  const byId = new Map(teams.map((team) => [team.id, team.name]));
  return number.teamRoleIds.map((id) => byId.get(id) ?? `#${id}`).join(', ');
};

const StatusBadges = ({ number }: { number: WhatsAppNumber }) => {
  const t = useTranslate();
  if (number.health === 'credentials-unreadable') {
    return <Badge backgroundColor="danger100" textColor="danger700">{t('numbers.health.unreadable', 'Credentials unreadable')}</Badge>;
  }
  if (number.needsReauth) {
    return <Badge backgroundColor="warning100" textColor="warning700">{t('numbers.health.reauth', 'Needs new credentials')}</Badge>;
  }
  return null;
};

const ActiveCell = ({
  number,
  canManage,
  pending,
  onToggleActive,
}: Pick<NumbersListProps, 'canManage' | 'pending' | 'onToggleActive'> & { number: WhatsAppNumber }) => {
  const t = useTranslate();
  const on = t('numbers.active.on', 'Active');
  const off = t('numbers.active.off', 'Inactive');
  if (!canManage) {
    return (
      <Badge backgroundColor={number.active ? 'success100' : 'neutral150'} textColor={number.active ? 'success700' : 'neutral700'}>
        {number.active ? on : off}
      </Badge>
    );
  }
  return (
    <Switch
      checked={number.active}
      disabled={pending.has(number.id)}
      onCheckedChange={(checked) => onToggleActive(number, checked)}
      onLabel={on}
      offLabel={off}
      visibleLabels
      aria-label={t('numbers.active.aria', 'Active: {label}', { label: number.label })}
    />
  );
};

const WebhookUrl = ({ number, onCopy }: { number: WhatsAppNumber; onCopy: (url: string) => void }) => {
  const t = useTranslate();
  const url = number.webhookUrl;
  // The server leaves it out for those who may not manage numbers: its key is the number's credential.
  if (url === null) return <Typography textColor="neutral500">—</Typography>;
  return (
    <Flex gap={1} alignItems="center" minWidth={0}>
      <Box minWidth={0} flex={1}>
        <Typography
          variant="pi"
          textColor="neutral800"
          ellipsis
          title={url}
          data-testid="webhook-url"
          style={{ fontFamily: 'monospace', display: 'block' }}
        >
          {url}
        </Typography>
      </Box>
      <IconButton
        variant="ghost"
        size="S"
        label={t('numbers.webhook.copy', 'Copy webhook URL of {label}', { label: number.label })}
        onClick={() => onCopy(url)}
      >
        <Duplicate />
      </IconButton>
    </Flex>
  );
};

const RowActions = ({ number, onEdit, onDelete }: { number: WhatsAppNumber } & Pick<NumbersListProps, 'onEdit' | 'onDelete'>) => {
  const t = useTranslate();
  return (
    <Flex gap={1} justifyContent="flex-end">
      <IconButton variant="ghost" label={t('numbers.edit', 'Edit {label}', { label: number.label })} onClick={() => onEdit(number)}>
        <Pencil />
      </IconButton>
      <IconButton variant="ghost" label={t('numbers.delete', 'Delete {label}', { label: number.label })} onClick={() => onDelete(number)}>
        <Trash />
      </IconButton>
    </Flex>
  );
};

/** The numbers as a table, or as cards on a phone-sized screen. */
export const NumbersList = (props: NumbersListProps) => {
  const t = useTranslate();
  const { numbers, teams, canManage, compact, onAdd, onCopy, onEdit, onDelete } = props;

  if (compact) {
    return (
      <Flex tag="ul" direction="column" alignItems="stretch" gap={3} aria-label={t('numbers.table.label', 'WhatsApp numbers')}>
        {numbers.map((number) => (
          <Box tag="li" key={number.id} background="neutral0" hasRadius shadow="tableShadow" padding={4} style={{ listStyle: 'none' }}>
            <Flex direction="column" alignItems="stretch" gap={2}>
              <Flex justifyContent="space-between" alignItems="flex-start" gap={2}>
                <Flex direction="column" alignItems="flex-start" gap={1} minWidth={0}>
                  <Typography fontWeight="semiBold" textColor="neutral800" ellipsis>
                    {number.label}
                  </Typography>
                  <Typography variant="pi" textColor="neutral600">
                    {providerName(t, number.provider)} · {number.phone}
                  </Typography>
                  <StatusBadges number={number} />
                </Flex>
                <ActiveCell number={number} canManage={canManage} pending={props.pending} onToggleActive={props.onToggleActive} />
              </Flex>
              <WebhookUrl number={number} onCopy={onCopy} />
              <Flex justifyContent="space-between" alignItems="center" gap={2}>
                <Typography variant="pi" textColor="neutral600">
                  {t('numbers.table.team', 'Team')}: {teamNames(t, number, teams)}
                </Typography>
                {canManage && <RowActions number={number} onEdit={onEdit} onDelete={onDelete} />}
              </Flex>
            </Flex>
          </Box>
        ))}
      </Flex>
    );
  }

  const colCount = canManage ? 7 : 6;
  return (
    <Table
      colCount={colCount}
      rowCount={numbers.length + 1}
      aria-label={t('numbers.table.label', 'WhatsApp numbers')}
      footer={
        canManage ? (
          <TFooter icon={<Plus />} onClick={onAdd}>
            {t('numbers.add.another', 'Add another number')}
          </TFooter>
        ) : undefined
      }
    >
      <TableHeader columns={[t('numbers.table.label.column', 'Label'), t('numbers.table.provider', 'Provider'), t('numbers.table.phone', 'Phone'), t('numbers.table.active', 'Status'), t('numbers.table.team', 'Team'), t('numbers.table.webhook', 'Webhook URL')]} hidden={canManage ? t('numbers.table.actions', 'Actions') : undefined} />
      <Tbody>
        {numbers.map((number) => (
          <Tr key={number.id}>
            <Td>
              <Flex direction="column" alignItems="flex-start" gap={1}>
                <Typography fontWeight="semiBold" textColor="neutral800">
                  {number.label}
                </Typography>
                <StatusBadges number={number} />
              </Flex>
            </Td>
            <Td>
              <Typography textColor="neutral800">{providerName(t, number.provider)}</Typography>
            </Td>
            <Td>
              <Typography textColor="neutral800" style={{ whiteSpace: 'nowrap' }}>
                {number.phone}
              </Typography>
            </Td>
            <Td>
              <ActiveCell number={number} canManage={canManage} pending={props.pending} onToggleActive={props.onToggleActive} />
            </Td>
            <Td>
              <Typography textColor="neutral800">{teamNames(t, number, teams)}</Typography>
            </Td>
            <Td style={{ maxWidth: '32rem' }}>
              <WebhookUrl number={number} onCopy={onCopy} />
            </Td>
            {canManage && (
              <Td>
                <RowActions number={number} onEdit={onEdit} onDelete={onDelete} />
              </Td>
            )}
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
