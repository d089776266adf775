import * as React from 'react';
import { Page } from '@strapi/strapi/admin';
import type { QuickReply } from '../../../contracts/quick-replies';
import { useApiAction, useDeleteQuickReplyMutation, useListQuickRepliesQuery } from '../../api';
import { AddButton, PluginPage } from '../../components/PluginPage';
import { DeleteQuickReplyDialog } from '../../components/settings/DeleteQuickReplyDialog';
import { QuickRepliesList } from '../../components/settings/QuickRepliesList';
import { QuickReplyFormModal } from '../../components/settings/QuickReplyFormModal';
import { useAllowed } from '../../hooks/useAllowed';
import { useIsCompact } from '../../hooks/useIsCompact';
import { useTranslate } from '../../hooks/useTranslate';
import { PERMISSIONS } from '../../permissions';

type EditorState = { open: false } | { open: true; reply: QuickReply | null };

const byName = (a: QuickReply, b: QuickReply) => a.name.localeCompare(b.name);

const QuickReplies = () => {
  const t = useTranslate();
  const run = useApiAction();
  const compact = useIsCompact();
  const { isLoading: isLoadingRBAC, allowed: canManage } = useAllowed(PERMISSIONS.manageQuickReplies);
  const list = useListQuickRepliesQuery();
  const [deleteReply] = useDeleteQuickReplyMutation();
  const replies = React.useMemo(() => [...(list.data ?? [])].sort(byName), [list.data]);
  const [editor, setEditor] = React.useState<EditorState>({ open: false });
  const [deleting, setDeleting] = React.useState<QuickReply | null>(null);

  const confirmDelete = async (reply: QuickReply) => {
    await run(() => deleteReply(reply.id).unwrap(), t('quickReplies.deleted', '/{name} was deleted.', { name: reply.name }));
    setDeleting(null);
  };

  const openCreate = () => setEditor({ open: true, reply: null });
  return (
    <PluginPage
      title={t('quickReplies.title', 'Quick replies')}
      subtitle={t('quickReplies.subtitle', 'Saved answers your team sends from the inbox by typing /name.')}
      queries={[list]}
      loading={isLoadingRBAC}
      primaryAction={canManage ? <AddButton onClick={openCreate}>{t('quickReplies.add', 'Add quick reply')}</AddButton> : undefined}
      empty={
        replies.length === 0 && {
          content: canManage ? t('quickReplies.empty', 'No quick reply yet. Save the answers your team types most often.') : t('quickReplies.empty.readOnly', 'No quick reply yet.'),
          action: canManage ? (
            <AddButton first onClick={openCreate}>
              {t('quickReplies.add.first', 'Add your first quick reply')}
            </AddButton>
          ) : undefined,
        }
      }
      dialogs={
        <>
          {editor.open && <QuickReplyFormModal reply={editor.reply} onClose={() => setEditor({ open: false })} onSaved={() => setEditor({ open: false })} />}
          <DeleteQuickReplyDialog reply={deleting} onCancel={() => setDeleting(null)} onConfirm={confirmDelete} />
        </>
      }
    >
      <QuickRepliesList replies={replies} canManage={Boolean(canManage)} compact={compact} onEdit={(reply) => setEditor({ open: true, reply })} onDelete={setDeleting} />
    </PluginPage>
  );
};

/** Settings → WhatsApp → Quick replies: everyone with the inbox sees them; quick-replies.manage edits. */
const QuickRepliesPage = () => (
  <Page.Protect permissions={[...PERMISSIONS.inbox, ...PERMISSIONS.manageQuickReplies]}>
    <QuickReplies />
  </Page.Protect>
);

export default QuickRepliesPage;
