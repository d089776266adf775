import * as React from 'react';
import { Box, Button, Divider, Flex, Modal, Typography } from '@strapi/design-system';
import { useNotification } from '@strapi/strapi/admin';
import type { Bot } from '../../../contracts/bots';
import type { WhatsAppNumber } from '../../../contracts/numbers';
import { errorOf, useNotifyError, useSaveBotMutation } from '../../api';
import { useFormState } from '../../hooks/useFormState';
import { useTranslate } from '../../hooks/useTranslate';
import { BotPreview } from './BotPreview';
import { LimitsSection } from './editor/LimitsSection';
import { ResponseSection } from './editor/ResponseSection';
import type { BotSectionProps } from './editor/shared';
import { TriggerSection } from './editor/TriggerSection';
import { botErrorsOf, toBotRequest, type BotFormValues } from './form';

/** Fields the editor draws; an error under none of them is shown at the top of the form. */
const SHOWN = /^(name|numberId|active|trigger|response|limits)(\.|$)/;

export interface BotEditorModalProps {
  /** The bot being edited; null adds one. */
  bot: Bot | null;
  initial: BotFormValues;
  numbers: WhatsAppNumber[];
  onClose: () => void;
}

/** Add / edit a bot: trigger, response and limits, and the preview of the number's saved bots. Mount only while open. */
export const BotEditorModal = ({ bot, initial, numbers, onClose }: BotEditorModalProps) => {
  const t = useTranslate();
  const { toggleNotification } = useNotification();
  const notifyError = useNotifyError();
  const [saveBot, { isLoading: submitting }] = useSaveBotMutation();
  const { values, errors, setErrors, setValues, clearError, reject } = useFormState<BotFormValues>(initial);
  const set: BotSectionProps['set'] = (key, value, errorKey) => {
    setValues((prev) => ({ ...prev, [key]: value }));
    // A changed field takes its own error away, and those about anything under it.
    setErrors((prev) => Object.fromEntries(Object.entries(prev).filter(([k]) => k !== 'form' && k !== errorKey && !k.startsWith(`${errorKey}.`))));
    clearError(errorKey);
  };
  const section: BotSectionProps = { values, errors, set };
  const unplaced = Object.entries(errors).filter(([k, m]) => m && (k === 'form' || !SHOWN.test(k)));

  const handleSubmit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    event.stopPropagation();
    if (submitting) return;
    setErrors({});
    try {
      await saveBot({ id: bot?.id ?? null, body: toBotRequest(values) }).unwrap();
      toggleNotification({ type: 'success', message: bot ? t('bots.notification.updated', 'Bot saved.') : t('bots.notification.created', 'Bot added.') });
      onClose();
    } catch (error) {
      const apiError = errorOf(error);
      if (apiError?.name === 'ValidationError') reject(botErrorsOf(apiError));
      notifyError(error);
    }
  };

  return (
    <Modal.Root open onOpenChange={(open) => !open && !submitting && onClose()}>
      <Modal.Content style={{ width: 'min(96rem, 100vw - 1.6rem)' }}>
        <form noValidate onSubmit={handleSubmit} aria-label={t('bots.form.label', 'Bot')}>
          <Modal.Header closeLabel={t('bots.form.close', 'Close')}>
            <Modal.Title>{bot ? t('bots.form.title.edit', 'Edit {name}', { name: bot.name }) : t('bots.form.title.create', 'Add a bot')}</Modal.Title>
          </Modal.Header>
          <Modal.Body>
            <Flex direction="column" alignItems="stretch" gap={6}>
              {unplaced.length > 0 && (
                <Box role="alert">
                  {unplaced.map(([k, m]) => (
                    <Typography key={k} tag="p" textColor="danger600">
                      {k === 'form' ? m : `${k}: ${m}`}
                    </Typography>
                  ))}
                </Box>
              )}
              <TriggerSection {...section} numbers={numbers} />
              <Divider />
              <ResponseSection {...section} />
              <Divider />
              <LimitsSection {...section} />
              <Divider />
              {values.numberId && <BotPreview numberId={Number(values.numberId)} note={t('bots.preview.savedOnly', 'Tries the number’s saved bots: save to try your changes.')} />}
            </Flex>
          </Modal.Body>
          <Modal.Footer>
            <Modal.Close>
              <Button variant="tertiary" type="button" disabled={submitting}>
                {t('bots.form.cancel', 'Cancel')}
              </Button>
            </Modal.Close>
            <Button type="submit" loading={submitting}>
              {t('bots.form.submit', 'Save')}
            </Button>
          </Modal.Footer>
        </form>
      </Modal.Content>
    </Modal.Root>
  );
};
