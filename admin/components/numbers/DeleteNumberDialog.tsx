import type { WhatsAppNumber } from '../../../contracts/numbers';
import { useTranslate } from '../../hooks/useTranslate';
import { ConfirmDeleteDialog } from '../ConfirmDeleteDialog';

export interface DeleteNumberDialogProps {
  number: WhatsAppNumber | null;
  onCancel: () => void;
  onConfirm: (number: WhatsAppNumber) => Promise<void>;
}

/** Confirms removing a number; says plainly that its conversations and messages stay. */
export const DeleteNumberDialog = ({ number, onCancel, onConfirm }: DeleteNumberDialogProps) => {
  const t = useTranslate();
  return (
    <ConfirmDeleteDialog
      item={number}
      title={t('numbers.delete.title', 'Delete this number?')}
      body={t('numbers.delete.body', '{label} ({phone}) will stop sending and receiving messages, and its webhook URL will stop working.', {
        label: number?.label ?? '',
        phone: number?.phone ?? '',
      })}
      note={t('numbers.delete.kept', 'Its conversations and messages are kept, so your history stays complete.')}
      cancelLabel={t('numbers.delete.cancel', 'Cancel')}
      confirmLabel={t('numbers.delete.confirm', 'Delete')}
      onCancel={onCancel}
      onConfirm={onConfirm}
    />
  );
};
