import * as React from 'react';
import { Button, Dialog, Flex } from '@strapi/design-system';
import { WarningCircle } from '@strapi/icons';
import type { NotificationRule } from '../../../contracts/notifications';
import { useTranslate } from '../../hooks/useTranslate';

/** Confirms removing a rule; messages it already sent stay in the inbox and logs. */
export const DeleteRuleDialog = ({ rule, onCancel, onConfirm }: { rule: NotificationRule | null; onCancel: () => void; onConfirm: (rule: NotificationRule) => Promise<void> }) => {
  const t = useTranslate();
  const [busy, setBusy] = React.useState(false);

  const confirm = async (event: React.MouseEvent) => {
    event.preventDefault();
    if (!rule || busy) return;
    setBusy(true);
    try {
      await onConfirm(rule);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog.Root open={rule !== null} onOpenChange={(open) => !open && !busy && onCancel()}>
      <Dialog.Content>
        <Dialog.Header>{t('notifications.delete.title', 'Delete this rule?')}</Dialog.Header>
        <Dialog.Body>
          <Flex direction="column" alignItems="center" gap={2}>
            <WarningCircle width="2.4rem" height="2.4rem" fill="danger600" aria-hidden />
            <Dialog.Description textAlign="center">
              {t('notifications.delete.body', '“{name}” will stop sending. Messages it already sent stay in the inbox.', { name: rule?.name ?? '' })}
            </Dialog.Description>
          </Flex>
        </Dialog.Body>
        <Dialog.Footer>
          <Dialog.Cancel>
            <Button fullWidth variant="tertiary" disabled={busy}>
              {t('notifications.form.cancel', 'Cancel')}
            </Button>
          </Dialog.Cancel>
          <Dialog.Action>
            <Button fullWidth variant="danger-light" loading={busy} onClick={confirm}>
              {t('notifications.delete.confirm', 'Delete')}
            </Button>
          </Dialog.Action>
        </Dialog.Footer>
      </Dialog.Content>
    </Dialog.Root>
  );
};
