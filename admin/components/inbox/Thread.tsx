import * as React from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';
import type { Conversation, Message } from '../../../contracts/inbox';
import { useTranslate, type Translate } from '../../hooks/useTranslate';

const statusText = (t: Translate, m: Message) => {
  switch (m.status) {
    case 'queued':
    case 'sending':
      return t('inbox.status.queued', '🕓 Sending');
    case 'sent':
      return t('inbox.status.sent', '✓ Sent');
    case 'delivered':
      return t('inbox.status.delivered', '✓✓ Delivered');
    case 'read':
      return t('inbox.status.read', '✓✓ Read');
    case 'failed':
      return m.errorText
        ? t('inbox.status.failedWith', '✕ Failed: {error}', { error: m.errorText })
        : t('inbox.status.failed', '✕ Failed');
    default:
      return m.status;
  }
};

const time = (iso: string | null) => {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
};

const body = (t: Translate, m: Message) => {
  if (m.text) return m.text;
  if (m.type === 'template') return t('inbox.message.template', '[Template]');
  return t('inbox.message.other', '[{type}]', { type: m.type });
};

export interface ThreadProps {
  conversation: Conversation;
  messages: Message[];
}

/** Messages oldest first, customer on the left, the business on the right. */
export const Thread = ({ messages }: ThreadProps) => {
  const t = useTranslate();
  const end = React.useRef<HTMLDivElement>(null);
  const last = messages.length ? `${messages[messages.length - 1].id}:${messages.length}` : '';
  React.useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [last]);

  if (!messages.length) {
    return (
      <Box padding={6}>
        <Typography textColor="neutral600">{t('inbox.thread.empty', 'No messages in this conversation yet.')}</Typography>
      </Box>
    );
  }
  return (
    <Flex tag="ol" role="log" aria-label={t('inbox.thread.label', 'Messages')} direction="column" alignItems="stretch" gap={2} padding={4} style={{ listStyle: 'none', margin: 0 }}>
      {messages.map((m) => {
        const out = m.direction === 'out';
        return (
          <Flex tag="li" key={m.id} justifyContent={out ? 'flex-end' : 'flex-start'} data-direction={m.direction} style={{ listStyle: 'none' }}>
            <Box
              background={out ? 'success100' : 'neutral0'}
              hasRadius
              shadow="filterShadow"
              paddingTop={2}
              paddingBottom={2}
              paddingLeft={3}
              paddingRight={3}
              style={{ maxWidth: 'min(75%, 42rem)', overflowWrap: 'anywhere' }}
            >
              <Typography textColor="neutral800" style={{ whiteSpace: 'pre-wrap' }}>
                {body(t, m)}
              </Typography>
              <Flex justifyContent="flex-end" gap={2} paddingTop={1}>
                <Typography variant="pi" textColor="neutral500">
                  {time(m.sentAt ?? m.createdAt)}
                </Typography>
                {out && (
                  <Typography variant="pi" textColor={m.status === 'failed' ? 'danger600' : m.status === 'read' ? 'primary600' : 'neutral600'} data-testid="message-status">
                    {statusText(t, m)}
                  </Typography>
                )}
              </Flex>
            </Box>
          </Flex>
        );
      })}
      <div ref={end} />
    </Flex>
  );
};
