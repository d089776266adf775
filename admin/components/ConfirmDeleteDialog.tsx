import * as React from 'react';
import { Button, Dialog, Flex, Typography } from '@strapi/design-system';
import { WarningCircle } from '@strapi/icons';

export interface ConfirmDeleteDialogProps<T> {
  /** What is about to be deleted; null keeps the dialog closed. */
  item: T | null;
  title: string;
  body: string;
  /** A second, quieter line: what stays after the delete. */
  note?: string;
  cancelLabel: string;
  confirmLabel: string;
  onCancel: () => void;
  onConfirm: (item: T) => Promise<void>;
}

/** Asks before a delete, and stays open until the request is done, so a failure is seen in context. */
export const ConfirmDeleteDialog = <T,>({ item, title, body, note, cancelLabel, confirmLabel, onCancel, onConfirm }: ConfirmDeleteDialogProps<T>) => {
  const [busy, setBusy] = React.useState(false);

  const confirm = async (event: React.MouseEvent) => {
    event.preventDefault();
    if (item === null || busy) return;
    setBusy(true);
    try {
      await onConfirm(item);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog.Root open={item !== null} onOpenChange={(open) => !open && !busy && onCancel()}>
      <Dialog.Content>
        <Dialog.Header>{title}</Dialog.Header>
        <Dialog.Body>
          <Flex direction="column" alignItems="center" gap={2}>
            <WarningCircle width="2.4rem" height="2.4rem" fill="danger600" aria-hidden />
            <Dialog.Description textAlign="center">{body}</Dialog.Description>
            {note && (
              <Typography tag="p" textAlign="center" textColor="neutral600">
                {note}
              </Typography>
            )}
          </Flex>
        </Dialog.Body>
        <Dialog.Footer>
          <Dialog.Cancel>
            <Button fullWidth variant="tertiary" disabled={busy}>
              {cancelLabel}
            </Button>
          </Dialog.Cancel>
          <Dialog.Action>
            <Button fullWidth variant="danger-light" loading={busy} onClick={confirm}>
              {confirmLabel}
            </Button>
          </Dialog.Action>
        </Dialog.Footer>
      </Dialog.Content>
    </Dialog.Root>
  );
};
