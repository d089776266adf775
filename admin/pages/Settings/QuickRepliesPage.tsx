import * as React from 'react';
import { Button, EmptyStateLayout } from '@strapi/design-system';
import { ArrowClockwise, Plus } from '@strapi/icons';
import { EmptyDocuments } from '@strapi/icons/symbols';
import { Layouts, Page, isFetchError, useAPIErrorHandler, useFetchClient, useNotification, useRBAC } from '@strapi/strapi/admin';
import type { ListQuickReplies, QuickReply } from '../../../contracts/quick-replies';
import { DeleteQuickReplyDialog } from '../../components/settings/DeleteQuickReplyDialog';
import { QuickRepliesList } from '../../components/settings/QuickRepliesList';
import { QuickReplyFormModal } from '../../components/settings/QuickReplyFormModal';
import { useIsCompact } from '../../hooks/useIsCompact';
import { useTranslate } from '../../hooks/useTranslate';
import { PERMISSIONS } from '../../permissions';

type EditorState = { open: false } | { open: true; reply: QuickReply | null };

const byName = (a: QuickReply, b: QuickReply) => a.name.localeCompare(b.name);

const QuickReplies = () => {
  const t = useTranslate();
  const { get, del } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { formatAPIError } = useAPIErrorHandler();
  const compact = useIsCompact();
  const {
    isLoading: isLoadingRBAC,
    allowedActions: { canManage },
  } = useRBAC(PERMISSIONS.manageQuickReplies);
  const [replies, setReplies] = React.useState<QuickReply[]>([]);
  const [status, setStatus] = React.useState<'loading' | 'error' | 'ready'>('loading');
  const [editor, setEditor] = React.useState<EditorState>({ open: false });
  const [deleting, setDeleting] = React.useState<QuickReply | null>(null);

  const notifyError = React.useCallback(
    (error: unknown) =>
      toggleNotification({
        type: 'danger',
        message: isFetchError(error) ? formatAPIError(error) : t('quickReplies.error', 'Something went wrong. Try again.'),
      }),
    [formatAPIError, t, toggleNotification],
  );

  const load = React.useCallback(async () => {
    setStatus('loading');
    try {
      const res = await get<ListQuickReplies.Response>('/whatsapp/quick-replies');
      setReplies(res.data.data);
      setStatus('ready');
    } catch (error) {
      notifyError(error);
      setStatus('error');
    }
  }, [get, notifyError]);

  React.useEffect(() => {
    load();
  }, [load]);

  const onSaved = (saved: QuickReply, mode: 'create' | 'edit') => {
    setReplies((prev) => (mode === 'create' ? [...prev, saved] : prev.map((r) => (r.id === saved.id ? saved : r))).sort(byName));
    setEditor({ open: false });
  };

  const confirmDelete = async (reply: QuickReply) => {
    try {
      await del(`/whatsapp/quick-replies/${reply.id}`);
      setReplies((prev) => prev.filter((r) => r.id !== reply.id));
      toggleNotification({ type: 'success', message: t('quickReplies.deleted', '/{name} was deleted.', { name: reply.name }) });
    } catch (error) {
      notifyError(error);
    } finally {
      setDeleting(null);
    }
  };

  if (status === 'loading' || isLoadingRBAC) return <Page.Loading />;
  if (status === 'error') {
    return (
      <Page.Error
        action={
          <Button variant="secondary" startIcon={<ArrowClockwise />} onClick={load}>
            {t('quickReplies.retry', 'Try again')}
          </Button>
        }
      />
    );
  }

  const openCreate = () => setEditor({ open: true, reply: null });
  return (
    <Page.Main>
      <Page.Title>{t('quickReplies.title', 'Quick replies')}</Page.Title>
      <Layouts.Header
        title={t('quickReplies.title', 'Quick replies')}
        subtitle={t('quickReplies.subtitle', 'Saved answers your team sends from the inbox by typing /name.')}
        primaryAction={
          canManage ? (
            <Button startIcon={<Plus />} onClick={openCreate} size="S">
              {t('quickReplies.add', 'Add quick reply')}
            </Button>
          ) : undefined
        }
      />
      <Layouts.Content>
        {replies.length === 0 ? (
          <EmptyStateLayout
            icon={<EmptyDocuments width="16rem" />}
            content={
              canManage
                ? t('quickReplies.empty', 'No quick reply yet. Save the answers your team types most often.')
                : t('quickReplies.empty.readOnly', 'No quick reply yet.')
            }
            action={
              canManage ? (
                <Button variant="secondary" startIcon={<Plus />} onClick={openCreate}>
                  {t('quickReplies.add.first', 'Add your first quick reply')}
                </Button>
              ) : undefined
            }
          />
        ) : (
          <QuickRepliesList
            replies={replies}
            canManage={Boolean(canManage)}
            compact={compact}
            onEdit={(reply) => setEditor({ open: true, reply })}
            onDelete={setDeleting}
          />
        )}
      </Layouts.Content>
      {editor.open && <QuickReplyFormModal reply={editor.reply} onClose={() => setEditor({ open: false })} onSaved={onSaved} />}
      <DeleteQuickReplyDialog reply={deleting} onCancel={() => setDeleting(null)} onConfirm={confirmDelete} />
    </Page.Main>
  );
};

/** Settings → WhatsApp → Quick replies: everyone with the inbox sees them; quick-replies.manage edits. */
const QuickRepliesPage = () => (
  <Page.Protect permissions={[...PERMISSIONS.inbox, ...PERMISSIONS.manageQuickReplies]}>
    <QuickReplies />
  </Page.Protect>
);

export default QuickRepliesPage;
