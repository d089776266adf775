import * as React from 'react';
import { Avatar, Badge, Box, Button, Flex, Typography } from '@strapi/design-system';
import type { Conversation, CrmLink } from '../../../contracts/inbox';
import { labelOf, useInboxSettings } from '../../hooks/useInboxSettings';
import { useTranslate } from '../../hooks/useTranslate';

export const conversationName = (c: Conversation) => c.crmName || c.customerName || c.customerPhone || c.customerWaId;

// Colours by position among the configured kinds, so each kind keeps one colour in a list.
const KIND_COLORS = [
  { backgroundColor: 'success100', textColor: 'success700' },
  { backgroundColor: 'warning100', textColor: 'warning700' },
  { backgroundColor: 'primary100', textColor: 'primary700' },
  { backgroundColor: 'secondary100', textColor: 'secondary700' },
  { backgroundColor: 'alternative100', textColor: 'alternative700' },
];
const UNKNOWN_COLORS = { backgroundColor: 'neutral150', textColor: 'neutral700' };

/** The kind of CRM match, in the app's own word (the identity source's label). */
export const CrmBadge = ({ kind }: { kind: CrmLink['kind'] }) => {
  const t = useTranslate();
  const settings = useInboxSettings();
  if (kind === 'unknown') return <Badge {...UNKNOWN_COLORS}>{t('inbox.crm.unknown', 'Unknown')}</Badge>;
  const at = settings.kinds.findIndex((k) => k.kind === kind);
  return <Badge {...(at >= 0 ? KIND_COLORS[at % KIND_COLORS.length] : UNKNOWN_COLORS)}>{labelOf(settings, kind)}</Badge>;
};

/** Initials for an avatar: "Ada Lovelace" → "AL". */
export const initials = (name: string) =>
  name
    .split(/[\s@.]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]!.toUpperCase())
    .join('') || '?';

/** Today's activity by its time, older by its date. */
export const activityTime = (iso: string | null) => {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const today = new Date();
  return d.toDateString() === today.toDateString()
    ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
};

export interface ConversationListProps {
  conversations: Conversation[];
  selectedId: number | null;
  onSelect: (conversation: Conversation) => void;
  /** More conversations than shown match: offers "Load more". */
  hasMore?: boolean;
  loadingMore?: boolean;
  onLoadMore?: () => void;
}

/** The conversations, newest activity first; each item is named by the customer. */
export const ConversationList = ({ conversations, selectedId, onSelect, hasMore, loadingMore, onLoadMore }: ConversationListProps) => {
  const t = useTranslate();
  return (
    <>
      <Box tag="ul" aria-label={t('inbox.list.label', 'Conversations')} style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {conversations.map((c) => {
          const name = conversationName(c);
          const nameId = `whatsapp-conversation-${c.id}-name`;
          const selected = c.id === selectedId;
          return (
            <li key={c.id} aria-labelledby={nameId} data-conversation-id={c.id} style={{ listStyle: 'none' }}>
              <Box
                tag="button"
                type="button"
                onClick={() => onSelect(c)}
                aria-current={selected ? 'true' : undefined}
                background={selected ? 'primary100' : 'neutral0'}
                padding={3}
                width="100%"
                borderColor="neutral150"
                borderStyle="solid"
                style={{ borderWidth: '0 0 1px 0', textAlign: 'left', cursor: 'pointer', display: 'block' }}
              >
                <Flex direction="column" alignItems="stretch" gap={1}>
                  <Flex justifyContent="space-between" alignItems="center" gap={2}>
                    <Typography id={nameId} fontWeight={c.unread > 0 ? 'bold' : 'semiBold'} textColor="neutral800" ellipsis>
                      {name}
                    </Typography>
                    <Flex gap={1} alignItems="center" shrink={0}>
                      <Typography variant="pi" textColor={c.unread > 0 ? 'success600' : 'neutral500'} tag="time" dateTime={c.lastMessageAt ?? undefined}>
                        {activityTime(c.lastMessageAt)}
                      </Typography>
                      {c.unread > 0 && (
                        <Badge
                          aria-label={t('inbox.list.unread', '{count} unread', { count: c.unread })}
                          backgroundColor="success500"
                          textColor="neutral0"
                        >
                          {c.unread}
                        </Badge>
                      )}
                    </Flex>
                  </Flex>
                  <Flex justifyContent="space-between" alignItems="center" gap={2}>
                    <Typography variant="pi" textColor="neutral600" ellipsis>
                      {c.lastMessagePreview ?? t('inbox.list.noPreview', 'No messages yet')}
                    </Typography>
                    {c.state === 'closed' && (
                      <Badge shrink={0} backgroundColor="neutral150" textColor="neutral600">
                        {t('inbox.list.closed', 'Closed')}
                      </Badge>
                    )}
                  </Flex>
                  <Flex justifyContent="space-between" alignItems="center" gap={2} minWidth={0}>
                    <Flex gap={2} alignItems="center" minWidth={0} wrap="wrap">
                      <CrmBadge kind={c.crm?.kind ?? 'unknown'} />
                      {(c.crmName || c.customerName) && c.customerPhone && (
                        <Typography variant="pi" textColor="neutral500">
                          {c.customerPhone}
                        </Typography>
                      )}
                      {c.numberLabel && (
                        <Typography variant="pi" textColor="neutral500" ellipsis>
                          {t('inbox.list.via', 'via {number}', { number: c.numberLabel })}
                        </Typography>
                      )}
                    </Flex>
                    {c.assignee && (
                      <Flex shrink={0} title={t('inbox.list.assignedTo', 'Assigned to {name}', { name: c.assignee.name })} data-testid="conversation-assignee">
                        <Avatar.Item delayMs={0} fallback={initials(c.assignee.name)} aria-label={t('inbox.list.assignedTo', 'Assigned to {name}', { name: c.assignee.name })} />
                      </Flex>
                    )}
                  </Flex>
                </Flex>
              </Box>
            </li>
          );
        })}
      </Box>
      {hasMore && (
        <Flex justifyContent="center" padding={3}>
          <Button variant="tertiary" size="S" loading={loadingMore} onClick={onLoadMore}>
            {t('inbox.list.loadMore', 'Load more')}
          </Button>
        </Flex>
      )}
    </>
  );
};
