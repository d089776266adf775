/** The composer outside the 24-hour window, on its own because it shares nothing with the free composer but the send. */
import * as React from 'react';
import { Box, Button, Flex, Typography } from '@strapi/design-system';
import { PaperPlane } from '@strapi/icons';
import type { Conversation } from '../../../../contracts/inbox';
import { useTranslate } from '../../../hooks/useTranslate';
import { EMPTY_CHOICE, TemplatePicker, choiceReady, templateRequest, type TemplateChoice } from './TemplatePicker';
import { useReply } from './useReply';
import type { SendOptionsState } from './useSendOptions';

/** Outside the 24-hour window only a template may be sent: choose one and fill it in. */
export const TemplateComposer = ({ conversation, sendOptions, templatesOnly }: { conversation: Conversation; sendOptions: SendOptionsState; templatesOnly: boolean }) => {
  const t = useTranslate();
  const { send } = useReply(conversation.id);
  const [choice, setChoice] = React.useState<TemplateChoice>(EMPTY_CHOICE);
  const [sending, setSending] = React.useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!choiceReady(choice) || sending) return;
    setSending(true);
    const ok = await send({ type: 'template', template: templateRequest(choice) });
    setSending(false);
    if (ok) setChoice(EMPTY_CHOICE);
  };
  return (
    <Box tag="form" padding={4} background="neutral0" onSubmit={submit} aria-label={t('inbox.composer.templateForm', 'Send a template')}>
      <Flex direction="column" alignItems="stretch" gap={3}>
        <Box background="warning100" hasRadius padding={3}>
          <Typography textColor="warning700">
            {templatesOnly
              ? t('inbox.composer.templatesOnly', 'This number’s provider sends templates only')
              : t('inbox.composer.windowClosed', 'The 24-hour window is closed — send a template')}
          </Typography>
        </Box>
        <TemplatePicker numberId={conversation.numberId} sendOptions={sendOptions} value={choice} onChange={setChoice} disabled={sending} />
        <Flex justifyContent="flex-end">
          <Button type="submit" startIcon={<PaperPlane />} loading={sending} disabled={!choiceReady(choice)}>
            {t('inbox.template.send', 'Send template')}
          </Button>
        </Flex>
      </Flex>
    </Box>
  );
};
