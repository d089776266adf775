import * as React from 'react';
import { Button, Dialog, Flex } from '@strapi/design-system';
import { WarningCircle } from '@strapi/icons';
import type { QuickReply } from '../../../contracts/quick-replies';
import { useTranslate } from '../../hooks/useTranslate';

/** Confirms deleting a quick reply. */
export const DeleteQuickReplyDialog = ({
  reply,
  onCancel,
  onConfirm,
}: {
  reply: QuickReply | null;
  onCancel: () => void;
  onConfirm: (reply: QuickReply) => Promise<void>;
}) => {
  const t = useTranslate();
  const [busy, setBusy] = React.useState(false);
  const confirm = async (event: React.MouseEvent) => {
    event.preventDefault();
    if (!reply || busy) return;
    setBusy(true);
    try {
      await onConfirm(reply);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog.Root open={reply !== null} onOpenChange={(open) => !open && !busy && onCancel()}>
      <Dialog.Content>
        <Dialog.Header>{t('quickReplies.delete.title', 'Delete this quick reply?')}</Dialog.Header>
        <Dialog.Body>
          <Flex direction="column" alignItems="center" gap={2}>
            <WarningCircle width="2.4rem" height="2.4rem" fill="danger600" aria-hidden />
            <Dialog.Description textAlign="center">
              {t('quickReplies.delete.body', '/{name} will no longer be offered in the inbox. Messages already sent with it stay.', {
                name: reply?.name ?? '',
              })}
            </Dialog.Description>
          </Flex>
        </Dialog.Body>
        <Dialog.Footer>
          <Dialog.Cancel>
            <Button fullWidth variant="tertiary" disabled={busy}>
              {t('quickReplies.cancel', 'Cancel')}
            </Button>
          </Dialog.Cancel>
          <Dialog.Action>
            <Button fullWidth variant="danger-light" loading={busy} onClick={confirm}>
              {t('quickReplies.delete.confirm', 'Delete')}
            </Button>
          </Dialog.Action>
        </Dialog.Footer>
      </Dialog.Content>
    </Dialog.Root>
  );
};
