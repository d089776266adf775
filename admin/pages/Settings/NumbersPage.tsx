import * as React from 'react';
import { Page, useNotification } from '@strapi/strapi/admin';
import type { WhatsAppNumber } from '../../../contracts/numbers';
import { useApiAction, useDeleteNumberMutation, useListNumbersQuery, useListTeamsQuery, useUpdateNumberMutation } from '../../api';
import { usePending } from '../../components/PageStatus';
import { AddButton, PluginPage } from '../../components/PluginPage';
import { DeleteNumberDialog } from '../../components/numbers/DeleteNumberDialog';
import { NumberFormModal } from '../../components/numbers/NumberFormModal';
import { NumbersList } from '../../components/numbers/NumbersList';
import { useAllowed } from '../../hooks/useAllowed';
import { useIsCompact } from '../../hooks/useIsCompact';
import { useTranslate } from '../../hooks/useTranslate';
import { PERMISSIONS } from '../../permissions';
import { copyText } from '../../utils/copyText';

type EditorState = { open: false } | { open: true; number: WhatsAppNumber | null };

const NumbersSettings = () => {
  const t = useTranslate();
  const { toggleNotification } = useNotification();
  const run = useApiAction();
  const compact = useIsCompact();
  const { isLoading: isLoadingRBAC, allowed: canManage } = useAllowed(PERMISSIONS.manageNumbers);

  const list = useListNumbersQuery();
  // Without the role list the page still works; team names fall back to ids.
  const { data: teams = [] } = useListTeamsQuery();
  const [updateNumber] = useUpdateNumberMutation();
  const [deleteNumber] = useDeleteNumberMutation();
  const [editor, setEditor] = React.useState<EditorState>({ open: false });
  const [deleting, setDeleting] = React.useState<WhatsAppNumber | null>(null);
  const { pending, track } = usePending();
  const numbers = list.data ?? [];

  const openCreate = () => setEditor({ open: true, number: null });

  const toggleActive = (number: WhatsAppNumber, active: boolean) =>
    track(number.id, () =>
      run(
        () => updateNumber({ id: number.id, body: { active } }).unwrap(),
        active ? t('numbers.notification.activated', '{label} is active.', { label: number.label }) : t('numbers.notification.deactivated', '{label} is inactive.', { label: number.label })
      )
    );

  const confirmDelete = async (number: WhatsAppNumber) => {
    await run(() => deleteNumber(number.id).unwrap(), t('numbers.notification.deleted', '{label} was deleted. Its conversations and messages are kept.', { label: number.label }));
    setDeleting(null);
  };

  const copy = async (url: string) => {
    const ok = await copyText(url);
    toggleNotification(
      ok
        ? { type: 'success', message: t('numbers.notification.copied', 'Webhook URL copied.') }
        : { type: 'warning', message: t('numbers.notification.copyFailed', 'Could not copy. Select the URL and copy it by hand.') }
    );
  };

  return (
    <PluginPage
      footnote={t('numbers.webhook.help', 'Paste each number’s webhook URL into your provider’s webhook settings. For Meta: App Dashboard → WhatsApp → Configuration → Webhook, with the verify token you chose.')}
      title={t('numbers.page.title', 'WhatsApp numbers')}
      subtitle={t('numbers.page.subtitle', 'The WhatsApp Business numbers your team sends and receives messages with.')}
      queries={[list]}
      loading={isLoadingRBAC}
      primaryAction={canManage ? <AddButton onClick={openCreate}>{t('numbers.add', 'Add number')}</AddButton> : undefined}
      empty={
        numbers.length === 0 && {
          content: canManage
            ? t('numbers.empty', 'No WhatsApp number yet. Connect one to start sending and receiving messages.')
            : t('numbers.empty.readOnly', 'No WhatsApp number yet. Ask an administrator to connect one.'),
          action: canManage ? (
            <AddButton first onClick={openCreate}>
              {t('numbers.add.first', 'Add your first number')}
            </AddButton>
          ) : undefined,
        }
      }
      dialogs={
        <>
          {editor.open && <NumberFormModal number={editor.number} teams={teams} onClose={() => setEditor({ open: false })} onSaved={() => setEditor({ open: false })} />}
          <DeleteNumberDialog number={deleting} onCancel={() => setDeleting(null)} onConfirm={confirmDelete} />
        </>
      }
    >
      <NumbersList
        numbers={numbers}
        teams={teams}
        canManage={Boolean(canManage)}
        pending={pending}
        compact={compact}
        onAdd={openCreate}
        onToggleActive={toggleActive}
        onEdit={(number) => setEditor({ open: true, number })}
        onDelete={setDeleting}
        onCopy={copy}
      />
    </PluginPage>
  );
};

/** Settings → WhatsApp → Numbers. */
const NumbersPage = () => (
  <Page.Protect permissions={PERMISSIONS.readNumbers}>
    <NumbersSettings />
  </Page.Protect>
);

export default NumbersPage;
