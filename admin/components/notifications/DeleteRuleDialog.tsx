import type { NotificationRule } from '../../../contracts/notifications';
import { useTranslate } from '../../hooks/useTranslate';
import { ConfirmDeleteDialog } from '../ConfirmDeleteDialog';

/** Confirms removing a rule; messages it already sent stay in the inbox and logs. */
export const DeleteRuleDialog = ({ rule, onCancel, onConfirm }: { rule: NotificationRule | null; onCancel: () => void; onConfirm: (rule: NotificationRule) => Promise<void> }) => {
  const t = useTranslate();
  return (
    <ConfirmDeleteDialog
      item={rule}
      title={t('notifications.delete.title', 'Delete this rule?')}
      body={t('notifications.delete.body', '“{name}” will stop sending. Messages it already sent stay in the inbox.', { name: rule?.name ?? '' })}
      cancelLabel={t('notifications.form.cancel', 'Cancel')}
      confirmLabel={t('notifications.delete.confirm', 'Delete')}
      onCancel={onCancel}
      onConfirm={onConfirm}
    />
  );
};
