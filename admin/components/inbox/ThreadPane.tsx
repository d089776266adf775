import * as React from 'react';
import { Box, Button, Flex, Loader, Typography } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { errorOf, useGetConversationQuery, useListAssigneesQuery, useListMessagesQuery, useMarkReadMutation } from '../../api';
import { useTranslate } from '../../hooks/useTranslate';
import { Composer } from './Composer';
import { ConversationHeader } from './ConversationHeader';
import { Thread } from './Thread';

export interface ThreadPaneProps {
  conversationId: number;
  canSend: boolean;
  canAssign: boolean;
  compact: boolean;
  /** While the live stream is down, how often the thread asks again (0: never). */
  pollingInterval: number;
  /** The conversation is not there for this user (a link to another team's, or an old URL). */
  onMissing: () => void;
}

/** The inbox's right pane: the open conversation's header, its messages and the composer. */
export const ThreadPane = ({ conversationId: id, canSend, canAssign, compact, pollingInterval, onMissing }: ThreadPaneProps) => {
  const t = useTranslate();
  const detail = useGetConversationQuery(id, { pollingInterval });
  const messages = useListMessagesQuery(id, { pollingInterval });
  const conversation = detail.currentData;
  const assignees = useListAssigneesQuery(conversation?.numberId ?? 0, { skip: !canAssign || !conversation });
  const [markRead] = useMarkReadMutation();

  // A 404 is not an error that retrying can fix: nothing is selected instead.
  const missing = [detail.error, messages.error].some((e) => errorOf(e)?.status === 404);
  React.useEffect(() => {
    if (missing) onMissing();
  }, [missing]); // eslint-disable-line react-hooks/exhaustive-deps

  // The open conversation is read as messages arrive in it.
  const unread = conversation?.unread ?? 0;
  React.useEffect(() => {
    if (unread > 0) markRead(id);
  }, [id, unread, markRead]);

  if ((detail.isError && !conversation) || (messages.isError && !messages.currentData)) {
    return (
      <Flex direction="column" gap={3} padding={8} alignItems="flex-start">
        <Typography textColor="danger600">{t('inbox.thread.error', 'This conversation could not be loaded.')}</Typography>
        <Button
          variant="secondary"
          size="S"
          startIcon={<ArrowClockwise />}
          onClick={() => {
            detail.refetch();
            messages.refetch();
          }}
        >
          {t('inbox.retry', 'Try again')}
        </Button>
      </Flex>
    );
  }
  if (!conversation || !messages.currentData) {
    return (
      <Flex justifyContent="center" padding={6}>
        <Loader small>{t('inbox.thread.loading', 'Loading messages…')}</Loader>
      </Flex>
    );
  }
  return (
    <>
      <ConversationHeader conversation={conversation} canAssign={canAssign} assignees={canAssign ? (assignees.isError ? [] : (assignees.currentData ?? null)) : null} />
      <Box flex={1} style={{ overflowY: 'auto', maxHeight: compact ? undefined : '60vh' }}>
        <Thread conversation={conversation} messages={messages.currentData} />
      </Box>
      <Composer key={conversation.id} conversation={conversation} canSend={canSend} />
    </>
  );
};
