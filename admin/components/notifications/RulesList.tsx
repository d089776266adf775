import * as React from 'react';
import { Badge, Box, Flex, IconButton, Switch, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { Clock, Pencil, PaperPlane, Trash } from '@strapi/icons';
import type { HostContentType } from '../../../contracts/host';
import type { Firing, NotificationRule } from '../../../contracts/notifications';
import type { WhatsAppNumber } from '../../../contracts/numbers';
import { useListFiringsQuery } from '../../api';
import { useTranslate } from '../../hooks/useTranslate';
import { firingStatus, ruleEventSummary, statusColors, statusLabel } from './messages';
import { TableHeader } from '../TableHeader';

export interface RulesListProps {
  rules: NotificationRule[];
  types: HostContentType[];
  numbers: WhatsAppNumber[];
  canManage: boolean;
  /** Ids whose active switch is saving. */
  pending: ReadonlySet<number>;
  compact: boolean;
  onToggleActive: (rule: NotificationRule, active: boolean) => void;
  onEdit: (rule: NotificationRule) => void;
  onFirings: (rule: NotificationRule) => void;
  onTest: (rule: NotificationRule) => void;
  onDelete: (rule: NotificationRule) => void;
}

/** The newest firing of each rule is refreshed this often while the page is open. */
const LAST_FIRING_POLL_MS = 10_000;

const LastFiring = ({ ruleId }: { ruleId: number }) => {
  const t = useTranslate();
  const { data } = useListFiringsQuery({ ruleId, limit: 1 }, { pollingInterval: LAST_FIRING_POLL_MS });
  const firing: Firing | undefined = data?.[0];
  if (!firing) {
    return (
      <Typography variant="pi" textColor="neutral500">
        {t('notifications.list.never', 'Not fired yet')}
      </Typography>
    );
  }
  const status = firingStatus(firing);
  return (
    <Flex direction="column" alignItems="flex-start" gap={1}>
      <Badge {...statusColors(status)}>{statusLabel(t, status)}</Badge>
      {firing.trace?.reason && (
        <Typography variant="pi" textColor="neutral600">
          {firing.trace.reason}
        </Typography>
      )}
    </Flex>
  );
};

const ActiveSwitch = ({ rule, canManage, pending, onToggleActive }: Pick<RulesListProps, 'canManage' | 'pending' | 'onToggleActive'> & { rule: NotificationRule }) => {
  const t = useTranslate();
  const on = t('notifications.active.on', 'Active');
  const off = t('notifications.active.off', 'Inactive');
  if (!canManage) {
    return (
      <Badge backgroundColor={rule.active ? 'success100' : 'neutral150'} textColor={rule.active ? 'success700' : 'neutral700'}>
        {rule.active ? on : off}
      </Badge>
    );
  }
  return (
    <Switch
      checked={rule.active}
      disabled={pending.has(rule.id)}
      onCheckedChange={(checked) => onToggleActive(rule, checked)}
      onLabel={on}
      offLabel={off}
      visibleLabels
      aria-label={t('notifications.active.aria', 'Active: {name}', { name: rule.name })}
    />
  );
};

const Actions = ({ rule, canManage, onEdit, onFirings, onTest, onDelete }: Pick<RulesListProps, 'canManage' | 'onEdit' | 'onFirings' | 'onTest' | 'onDelete'> & { rule: NotificationRule }) => {
  const t = useTranslate();
  return (
    <Flex gap={1} justifyContent="flex-end" wrap="wrap">
      <IconButton variant="ghost" label={t('notifications.firings.open', 'Firings of {name}', { name: rule.name })} onClick={() => onFirings(rule)}>
        <Clock />
      </IconButton>
      {canManage && (
        <>
          <IconButton variant="ghost" label={t('notifications.test.open', 'Test {name}', { name: rule.name })} onClick={() => onTest(rule)}>
            <PaperPlane />
          </IconButton>
          <IconButton variant="ghost" label={t('notifications.edit', 'Edit {name}', { name: rule.name })} onClick={() => onEdit(rule)}>
            <Pencil />
          </IconButton>
          <IconButton variant="ghost" label={t('notifications.delete', 'Delete {name}', { name: rule.name })} onClick={() => onDelete(rule)}>
            <Trash />
          </IconButton>
        </>
      )}
    </Flex>
  );
};

/** The rules as a table, or as cards on a phone-sized screen. */
export const RulesList = (props: RulesListProps) => {
  const t = useTranslate();
  const { rules, types, numbers, compact } = props;
  const typeName = (uid: string) => types.find((ty) => ty.uid === uid)?.displayName ?? uid;
  const numberName = (id: number) => {
    const n = numbers.find((x) => x.id === id);
    return n ? `${n.label} (${n.phone})` : `#${id}`;
  };
  const recipient = (rule: NotificationRule) => (rule.recipient.from === 'constant' ? rule.recipient.value : `${typeName(rule.contentType)} → ${rule.recipient.value}`);

  if (compact) {
    return (
      <Flex tag="ul" direction="column" alignItems="stretch" gap={3} aria-label={t('notifications.list.label', 'Notification rules')}>
        {rules.map((rule) => (
          <Box tag="li" key={rule.id} aria-label={rule.name} background="neutral0" hasRadius shadow="tableShadow" padding={4} style={{ listStyle: 'none' }}>
            <Flex direction="column" alignItems="stretch" gap={2}>
              <Flex justifyContent="space-between" alignItems="flex-start" gap={2}>
                <Flex direction="column" alignItems="flex-start" gap={1} minWidth={0}>
                  <Typography fontWeight="semiBold" textColor="neutral800" ellipsis>
                    {rule.name}
                  </Typography>
                  <Typography variant="pi" textColor="neutral600">
                    {typeName(rule.contentType)} · {ruleEventSummary(t, rule)}
                  </Typography>
                </Flex>
                <ActiveSwitch rule={rule} {...props} />
              </Flex>
              <Typography variant="pi" textColor="neutral600" style={{ overflowWrap: 'anywhere' }}>
                {rule.template.name} ({rule.template.language}) · {numberName(rule.numberId)} · {recipient(rule)}
              </Typography>
              <Flex justifyContent="space-between" alignItems="center" gap={2} wrap="wrap">
                <LastFiring ruleId={rule.id} />
                <Actions rule={rule} {...props} />
              </Flex>
            </Flex>
          </Box>
        ))}
      </Flex>
    );
  }

  return (
    <Table colCount={8} rowCount={rules.length + 1} aria-label={t('notifications.list.label', 'Notification rules')}>
      <TableHeader columns={[t('notifications.list.name', 'Name'), t('notifications.list.contentType', 'Content type'), t('notifications.list.event', 'Event'), t('notifications.list.number', 'Number'), t('notifications.list.template', 'Template'), t('notifications.list.active', 'Status'), t('notifications.list.lastFiring', 'Last firing'), t('notifications.list.actions', 'Actions')]} />
      <Tbody>
        {rules.map((rule) => (
          <Tr key={rule.id} aria-label={rule.name}>
            <Td>
              <Typography fontWeight="semiBold" textColor="neutral800">
                {rule.name}
              </Typography>
            </Td>
            <Td>
              <Typography textColor="neutral800">{typeName(rule.contentType)}</Typography>
            </Td>
            <Td>
              <Typography textColor="neutral800">{ruleEventSummary(t, rule)}</Typography>
            </Td>
            <Td>
              <Typography textColor="neutral800">{numberName(rule.numberId)}</Typography>
            </Td>
            <Td>
              <Typography textColor="neutral800">
                {rule.template.name} ({rule.template.language})
              </Typography>
            </Td>
            <Td>
              <ActiveSwitch rule={rule} {...props} />
            </Td>
            <Td>
              <LastFiring ruleId={rule.id} />
            </Td>
            <Td>
              <Actions rule={rule} {...props} />
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
