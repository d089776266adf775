import * as React from 'react';
import { Box, Button, Field, Flex, Textarea, Typography } from '@strapi/design-system';
import { PaperPlane } from '@strapi/icons';
import { useTranslate } from '../../hooks/useTranslate';

export interface ComposerProps {
  canSend: boolean;
  canSendFreeText: boolean;
  onSend: (text: string) => Promise<boolean>;
}

/** The reply box: free text inside the 24-hour window, a note otherwise. */
export const Composer = ({ canSend, canSendFreeText, onSend }: ComposerProps) => {
  const t = useTranslate();
  const [text, setText] = React.useState('');
  const [sending, setSending] = React.useState(false);

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
