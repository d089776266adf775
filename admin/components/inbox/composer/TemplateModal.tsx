import * as React from 'react';
import { Button, Modal } from '@strapi/design-system';
import { useTranslate } from '../../../hooks/useTranslate';
import type { SendOptionsState } from './useSendOptions';
import { EMPTY_CHOICE, TemplatePicker, choiceReady, type TemplateChoice } from './TemplatePicker';

export interface TemplateModalProps {
  numberId: number;
  sendOptions?: SendOptionsState;
  onClose: () => void;
  /** Resolves true when the message was accepted (the modal then closes). */
  onSubmit: (choice: TemplateChoice) => Promise<boolean>;
}

/** A template inside the 24-hour window (a formatted message, or one with buttons or media). */
export const TemplateModal = ({ numberId, sendOptions, onClose, onSubmit }: TemplateModalProps) => {
  const t = useTranslate();
  const [choice, setChoice] = React.useState<TemplateChoice>(EMPTY_CHOICE);
  const [sending, setSending] = React.useState(false);
  const title = t('inbox.template.modalTitle', 'Send a template');
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!choiceReady(choice) || sending) return;
    setSending(true);
    const ok = await onSubmit(choice);
    setSending(false);
    if (ok) onClose();
  };
  return (
    <Modal.Root open onOpenChange={(open) => !open && !sending && onClose()}>
      <Modal.Content>
        <form onSubmit={submit} aria-label={title} noValidate>
          <Modal.Header closeLabel={t('inbox.modal.close', 'Close')}>
            <Modal.Title>{title}</Modal.Title>
          </Modal.Header>
          <Modal.Body>
            <TemplatePicker numberId={numberId} sendOptions={sendOptions} value={choice} onChange={setChoice} disabled={sending} />
          </Modal.Body>
          <Modal.Footer>
            <Modal.Close>
              <Button variant="tertiary" type="button" disabled={sending}>
                {t('inbox.modal.cancel', 'Cancel')}
              </Button>
            </Modal.Close>
            <Button type="submit" loading={sending} disabled={!choiceReady(choice)}>
              {t('inbox.template.send', 'Send template')}
            </Button>
          </Modal.Footer>
        </form>
      </Modal.Content>
    </Modal.Root>
  );
};
