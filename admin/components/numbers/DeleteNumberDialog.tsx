import * as React from 'react';
import { Button, Dialog, Flex, Typography } from '@strapi/design-system';
import { WarningCircle } from '@strapi/icons';
import type { WhatsAppNumber } from '../../../contracts/numbers';
import { useTranslate } from '../../hooks/useTranslate';

export interface DeleteNumberDialogProps {
  number: WhatsAppNumber | null;
  onCancel: () => void;
  onConfirm: (number: WhatsAppNumber) => Promise<void>;
}

/** Confirms removing a number; says plainly that its conversations and messages stay. */
export const DeleteNumberDialog = ({ number, onCancel, onConfirm }: DeleteNumberDialogProps) => {
  const t = useTranslate();
  const [busy, setBusy] = React.useState(false);

  const confirm = async (event: React.MouseEvent) => {
    // Keep the dialog open until the request is done, so a failure is seen in context.
    event.preventDefault();
    if (!number || busy) return;
    setBusy(true);
    try {
      await onConfirm(number);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog.Root open={number !== null} onOpenChange={(open) => !open && !busy && onCancel()}>
      <Dialog.Content>
        <Dialog.Header>{t('numbers.delete.title', 'Delete this number?')}</Dialog.Header>
        <Dialog.Body>
          <Flex direction="column" alignItems="center" gap={2}>
            <WarningCircle width="2.4rem" height="2.4rem" fill="danger600" aria-hidden />
            <Dialog.Description textAlign="center">
              {t(
                'numbers.delete.body',
                '{label} ({phone}) will stop sending and receiving messages, and its webhook URL will stop working.',
                { label: number?.label ?? '', phone: number?.phone ?? '' }
              )}
            </Dialog.Description>
            <Typography tag="p" textAlign="center" textColor="neutral600">
              {t('numbers.delete.kept', 'Its conversations and messages are kept, so your history stays complete.')}
            </Typography>
          </Flex>
        </Dialog.Body>
        <Dialog.Footer>
          <Dialog.Cancel>
            <Button fullWidth variant="tertiary" disabled={busy}>
              {t('numbers.delete.cancel', 'Cancel')}
            </Button>
          </Dialog.Cancel>
          <Dialog.Action>
            <Button fullWidth variant="danger-light" loading={busy} onClick={confirm}>
              {t('numbers.delete.confirm', 'Delete')}
            </Button>
          </Dialog.Action>
        </Dialog.Footer>
      </Dialog.Content>
    </Dialog.Root>
  );
};
