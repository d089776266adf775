import * as React from 'react';
import { Badge, Box, Flex, Typography } from '@strapi/design-system';
import type { Conversation, CrmLink } from '../../../contracts/inbox';
import { useTranslate, type Translate } from '../../hooks/useTranslate';

export const conversationName = (c: Conversation) => c.customerName || c.customerPhone || c.customerWaId;

const crmLabel = (t: Translate, kind: CrmLink['kind']) => {
  switch (kind) {
    case 'lead':
      return t('inbox.crm.lead', 'Lead');
    case 'contact':
      return t('inbox.crm.contact', 'Contact');
    case 'staff':
      return t('inbox.crm.staff', 'Staff');
    default:
      return t('inbox.crm.unknown', 'Unknown');
  }
};

const CRM_COLORS: Record<CrmLink['kind'], { backgroundColor: string; textColor: string }> = {
  lead: { backgroundColor: 'warning100', textColor: 'warning700' },
  contact: { backgroundColor: 'success100', textColor: 'success700' },
  staff: { backgroundColor: 'primary100', textColor: 'primary700' },
  unknown: { backgroundColor: 'neutral150', textColor: 'neutral700' },
};

export const CrmBadge = ({ kind }: { kind: CrmLink['kind'] }) => {
  const t = useTranslate();
  return <Badge {...CRM_COLORS[kind] ?? CRM_COLORS.unknown}>{crmLabel(t, kind)}</Badge>;
};

export interface ConversationListProps {
  conversations: Conversation[];
  selectedId: number | null;
  onSelect: (conversation: Conversation) => void;
}

/** The conversations, newest activity first; each item is named by the customer. */
export const ConversationList = ({ conversations, selectedId, onSelect }: ConversationListProps) => {
  const t = useTranslate();
  return (
    <Box tag="ul" aria-label={t('inbox.list.label', 'Conversations')} style={{ listStyle: 'none', margin: 0, padding: 0 }}>
      {conversations.map((c) => {
        const name = conversationName(c);
        const nameId = `whatsapp-conversation-${c.id}-name`;
        const selected = c.id === selectedId;
        return (
          <li key={c.id} aria-labelledby={nameId} style={{ listStyle: 'none' }}>
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
                  <Typography id={nameId} fontWeight="semiBold" textColor="neutral800" ellipsis>
                    {name}
                  </Typography>
                  <Flex gap={1} alignItems="center" shrink={0}>
                    <CrmBadge kind={c.crm?.kind ?? 'unknown'} />
                    {c.unread > 0 && (
                      <Badge
                        active
                        aria-label={t('inbox.list.unread', '{count} unread', { count: c.unread })}
                        backgroundColor="success500"
                        textColor="neutral0"
                      >
                        {c.unread}
                      </Badge>
                    )}
                  </Flex>
                </Flex>
                {c.customerName && c.customerPhone && (
                  <Typography variant="pi" textColor="neutral500">
                    {c.customerPhone}
                  </Typography>
                )}
                <Typography variant="pi" textColor="neutral600" ellipsis>
                  {c.lastMessagePreview ?? t('inbox.list.noPreview', 'No messages yet')}
                </Typography>
              </Flex>
            </Box>
          </li>
        );
      })}
    </Box>
  );
};
