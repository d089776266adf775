import * as React from 'react';
import { Badge, Box, Button, Flex, LinkButton, SingleSelect, SingleSelectOption, Typography } from '@strapi/design-system';
import { ArrowClockwise, Check, ExternalLink, Plus } from '@strapi/icons';
import { useNotification } from '@strapi/strapi/admin';
import { NavLink } from 'react-router-dom';
import type { AssigneeOption, ConversationDetail } from '../../../contracts/inbox';
import { useActOnConversationMutation, useNotifyError, type ConversationAction } from '../../api';
import { useInboxSettings } from '../../hooks/useInboxSettings';
import { useTranslate, type Translate } from '../../hooks/useTranslate';
import { useAllowed } from '../../hooks/useAllowed';
import { PERMISSIONS } from '../../permissions';
import { ConsentBadge } from '../consents/ConsentBadge';
import { CrmBadge, conversationName } from './ConversationList';

const UNASSIGNED = 'unassigned';

/** Re-renders every `ms`, for countdowns. */
const useNow = (ms: number) => {
  const [now, setNow] = React.useState(() => Date.now());
  React.useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
};

const windowText = (t: Translate, expiresAt: string | null, now: number) => {
  const left = expiresAt ? new Date(expiresAt).getTime() - now : 0;
  if (!(left > 0)) return { open: false, text: t('inbox.window.closed', 'Window closed') };
  const minutes = Math.max(1, Math.floor(left / 60_000));
  const hours = Math.floor(minutes / 60);
  const duration = hours ? t('inbox.window.hours', '{hours} h {minutes} min', { hours, minutes: minutes % 60 }) : t('inbox.window.minutes', '{minutes} min', { minutes });
  return { open: true, text: t('inbox.window.left', 'Window open: {duration} left', { duration }) };
};

export interface ConversationHeaderProps {
  conversation: ConversationDetail;
  /** The user holds inbox.assign: assign, close, reopen, create a ticket. */
  canAssign: boolean;
  /** Who the conversation may be assigned to; null while unknown. */
  assignees: AssigneeOption[] | null;
}

/** Who the customer is, their window, and what staff can do with the conversation. */
export const ConversationHeader = ({ conversation: c, canAssign, assignees }: ConversationHeaderProps) => {
  const t = useTranslate();
  const { toggleNotification } = useNotification();
  const notifyError = useNotifyError();
  const [actOn] = useActOnConversationMutation();
  const [busy, setBusy] = React.useState<null | 'assign' | 'state' | 'ticket'>(null);
  // Tickets switched off in the settings: no "Create ticket" that can only fail.
  const { tickets } = useInboxSettings();
  const now = useNow(30_000);
  const { allowed: canManageConsent } = useAllowed(PERMISSIONS.manageConsents);
  const win = windowText(t, c.windowExpiresAt, now);

  // The conversation and the list reload through their tags once the API has answered.
  const act = async (kind: 'assign' | 'state' | 'ticket', action: ConversationAction, body: object, done?: () => void) => {
    setBusy(kind);
    try {
      await actOn({ id: c.id, action, body }).unwrap();
      done?.();
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(null);
    }
  };

  const options = [...(assignees ?? [])];
  if (c.assignee && !options.some((a) => a.id === c.assignee!.id)) options.push({ ...c.assignee, email: '' });

  return (
    <Flex direction="column" alignItems="stretch" gap={3} padding={4} background="neutral0" borderColor="neutral150" borderStyle="solid" style={{ borderWidth: '0 0 1px 0' }}>
      <Flex gap={2} justifyContent="space-between" alignItems="flex-start" wrap="wrap">
        <Flex direction="column" alignItems="flex-start" minWidth={0} gap={1} style={{ flex: '1 1 12rem' }}>
          <Typography tag="h2" variant="delta" textColor="neutral800" ellipsis style={{ maxWidth: '100%' }}>
            {conversationName(c)}
          </Typography>
          <Flex gap={2} wrap="wrap" alignItems="center">
            <Typography variant="pi" textColor="neutral600">
              {c.customerPhone ?? c.customerWaId}
            </Typography>
            {c.numberLabel && (
              <Typography variant="pi" textColor="neutral500">
                {t('inbox.list.via', 'via {number}', { number: c.numberLabel })}
              </Typography>
            )}
          </Flex>
        </Flex>
        <Flex gap={2} wrap="wrap" alignItems="center">
          <CrmBadge kind={c.crm?.kind ?? 'unknown'} />
          <ConsentBadge consent={c.consent ?? null} numberId={c.numberId} phone={c.customerPhone ?? `+${c.customerWaId}`} conversationId={c.id} canManage={Boolean(canManageConsent)} />
          {c.state === 'closed' && (
            <Badge backgroundColor="neutral150" textColor="neutral700">
              {t('inbox.list.closed', 'Closed')}
            </Badge>
          )}
          <Box data-testid="conversation-window" background={win.open ? 'success100' : 'warning100'} hasRadius paddingLeft={2} paddingRight={2} paddingTop={1} paddingBottom={1}>
            <Typography variant="pi" fontWeight="semiBold" textColor={win.open ? 'success700' : 'warning700'}>
              {win.text}
            </Typography>
          </Box>
        </Flex>
      </Flex>
      <Flex gap={2} wrap="wrap" alignItems="center">
        {canAssign ? (
          <div style={{ minWidth: '12rem', maxWidth: '100%', flex: '0 1 16rem' }}>
            <SingleSelect
              aria-label={t('inbox.header.assignee', 'Assignee')}
              size="S"
              value={c.assigneeId ? String(c.assigneeId) : UNASSIGNED}
              disabled={busy !== null || assignees === null}
              onChange={(value: string | number) => {
                const assigneeId = value === UNASSIGNED ? null : Number(value);
                if (assigneeId !== c.assigneeId) act('assign', 'assign', { assigneeId });
              }}
            >
              <SingleSelectOption value={UNASSIGNED}>{t('inbox.header.unassigned', 'Unassigned')}</SingleSelectOption>
              {options.map((a) => (
                <SingleSelectOption key={a.id} value={String(a.id)}>
                  {a.name}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </div>
        ) : (
          <Typography variant="pi" textColor="neutral600">
            {c.assignee ? t('inbox.list.assignedTo', 'Assigned to {name}', { name: c.assignee.name }) : t('inbox.header.unassigned', 'Unassigned')}
          </Typography>
        )}
        {canAssign &&
          (c.state === 'open' ? (
            <Button variant="secondary" size="S" startIcon={<Check />} loading={busy === 'state'} disabled={busy !== null} onClick={() => act('state', 'close', {})}>
              {t('inbox.header.close', 'Close conversation')}
            </Button>
          ) : (
            <Button variant="secondary" size="S" startIcon={<ArrowClockwise />} loading={busy === 'state'} disabled={busy !== null} onClick={() => act('state', 'reopen', {})}>
              {t('inbox.header.reopen', 'Reopen')}
            </Button>
          ))}
        {c.ticket ? (
          <LinkButton tag={NavLink} to={c.ticket.adminPath} variant="tertiary" size="S" startIcon={<ExternalLink />}>
            {t('inbox.header.openTicket', 'Open ticket')}
          </LinkButton>
        ) : (
          canAssign &&
          tickets && (
            <Button
              variant="tertiary"
              size="S"
              startIcon={<Plus />}
              loading={busy === 'ticket'}
              disabled={busy !== null}
              onClick={() => act('ticket', 'ticket', {}, () => toggleNotification({ type: 'success', message: t('inbox.header.ticketCreated', 'Ticket created') }))}
            >
              {t('inbox.header.createTicket', 'Create ticket')}
            </Button>
          )
        )}
        {c.crmRecord && (
          <LinkButton tag={NavLink} to={c.crmRecord.adminPath} variant="tertiary" size="S" startIcon={<ExternalLink />}>
            {t('inbox.header.openRecord', 'Open {type}', { type: c.crmRecord.type })}
          </LinkButton>
        )}
      </Flex>
    </Flex>
  );
};
