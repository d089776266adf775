import type { QuickReply } from '../../../contracts/quick-replies';
import { useTranslate } from '../../hooks/useTranslate';
import { ConfirmDeleteDialog } from '../ConfirmDeleteDialog';

/** Confirms deleting a quick reply. */
export const DeleteQuickReplyDialog = ({ reply, onCancel, onConfirm }: { reply: QuickReply | null; onCancel: () => void; onConfirm: (reply: QuickReply) => Promise<void> }) => {
  const t = useTranslate();
  return (
    <ConfirmDeleteDialog
      item={reply}
      title={t('quickReplies.delete.title', 'Delete this quick reply?')}
      body={t('quickReplies.delete.body', '/{name} will no longer be offered in the inbox. Messages already sent with it stay.', { name: reply?.name ?? '' })}
      cancelLabel={t('quickReplies.cancel', 'Cancel')}
      confirmLabel={t('quickReplies.delete.confirm', 'Delete')}
      onCancel={onCancel}
      onConfirm={onConfirm}
    />
  );
};
