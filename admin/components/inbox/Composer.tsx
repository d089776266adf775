import * as React from 'react';
import { Box, Button, Field, Flex, Textarea, Typography } from '@strapi/design-system';
import { PaperPlane } from '@strapi/icons';
import { isFetchError, useAPIErrorHandler, useFetchClient, useNotification } from '@strapi/strapi/admin';
import type { Conversation, ReplyRequest } from '../../../contracts/inbox';
import { useTranslate } from '../../hooks/useTranslate';

export interface ComposerProps {
  conversation: Conversation;
  /** The user holds inbox.send. */
  canSend: boolean;
  /** Called after the API accepted a message, so the page refreshes the thread and the list. */
  onSent: () => void;
}

/** The reply box: free text inside the 24-hour window, a note otherwise. */
export const Composer = ({ conversation, canSend, onSent }: ComposerProps) => {
  const t = useTranslate();
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { formatAPIError } = useAPIErrorHandler();
  const [text, setText] = React.useState('');
  const [sending, setSending] = React.useState(false);
  const canSendFreeText = conversation.canSendFreeText;

  const onSend = async (value: string) => {
    try {
      await post<unknown, ReplyRequest>(`/whatsapp/conversations/${conversation.id}/messages`, { type: 'text', text: value });
      onSent();
      return true;
    } catch (error) {
      toggleNotification({
        type: 'danger',
        message: isFetchError(error) ? formatAPIError(error) : t('inbox.notification.error', 'Something went wrong. Try again.'),
      });
      return false;
    }
  };

  if (!canSend) {
    return (
      <Box padding={4} background="neutral100">
        <Typography textColor="neutral600">{t('inbox.composer.noPermission', 'You can read this conversation but not reply to it.')}</Typography>
      </Box>
    );
  }
  if (!canSendFreeText) {
    return (
      <Box padding={4} background="warning100">
        <Typography textColor="warning700">{t('inbox.composer.windowClosed', 'The 24-hour window is closed — send a template')}</Typography>
      </Box>
    );
  }

  const submit = async () => {
    const value = text.trim();
    if (!value || sending) return;
    setSending(true);
    const ok = await onSend(value);
    setSending(false);
    if (ok) setText('');
  };

  return (
    <Box
      tag="form"
      padding={4}
      background="neutral0"
      onSubmit={(e: React.FormEvent) => {
        e.preventDefault();
        submit();
      }}
    >
      <Flex gap={2} alignItems="flex-end" wrap="wrap">
        <Box flex="1 1 16rem" minWidth={0}>
          <Field.Root name="message">
            <Field.Label>{t('inbox.composer.label', 'Message')}</Field.Label>
            <Textarea
              value={text}
              placeholder={t('inbox.composer.placeholder', 'Type a reply…')}
              onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setText(e.target.value)}
              onKeyDown={(e: React.KeyboardEvent<HTMLTextAreaElement>) => {
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                  e.preventDefault();
                  submit();
                }
              }}
            />
          </Field.Root>
        </Box>
        <Button type="submit" startIcon={<PaperPlane />} loading={sending} disabled={!text.trim()}>
          {t('inbox.composer.send', 'Send')}
        </Button>
      </Flex>
    </Box>
  );
};
