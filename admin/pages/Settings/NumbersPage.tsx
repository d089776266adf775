import * as React from 'react';
import { Box, Button, EmptyStateLayout, Typography } from '@strapi/design-system';
import { ArrowClockwise, Plus } from '@strapi/icons';
import { EmptyDocuments } from '@strapi/icons/symbols';
import {
  Layouts,
  Page,
  isFetchError,
  useAPIErrorHandler,
  useFetchClient,
  useNotification,
  useRBAC,
} from '@strapi/strapi/admin';
import type { ListNumbers, ListTeams, Team, UpdateNumber, WhatsAppNumber } from '../../../contracts/numbers';
import { DeleteNumberDialog } from '../../components/numbers/DeleteNumberDialog';
import { NumberFormModal } from '../../components/numbers/NumberFormModal';
import { NumbersList } from '../../components/numbers/NumbersList';
import { useIsCompact } from '../../hooks/useIsCompact';
import { useTranslate } from '../../hooks/useTranslate';
import { PERMISSIONS } from '../../permissions';
import { copyText } from '../../utils/copyText';

type EditorState = { open: false } | { open: true; number: WhatsAppNumber | null };

const NumbersSettings = () => {
  const t = useTranslate();
  const { get, put, del } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { formatAPIError } = useAPIErrorHandler();
  const compact = useIsCompact();
  const {
    isLoading: isLoadingRBAC,
    allowedActions: { canManage },
  } = useRBAC(PERMISSIONS.manageNumbers);

  const [numbers, setNumbers] = React.useState<WhatsAppNumber[]>([]);
  const [teams, setTeams] = React.useState<Team[]>([]);
  const [status, setStatus] = React.useState<'loading' | 'error' | 'ready'>('loading');
  const [editor, setEditor] = React.useState<EditorState>({ open: false });
  const [deleting, setDeleting] = React.useState<WhatsAppNumber | null>(null);
  const [pending, setPending] = React.useState<ReadonlySet<number>>(new Set());

  const notifyError = React.useCallback(
    (error: unknown) =>
      toggleNotification({
        type: 'danger',
        message: isFetchError(error) ? formatAPIError(error) : t('numbers.notification.error', 'Something went wrong. Try again.'),
      }),
    [formatAPIError, t, toggleNotification]
  );

  const load = React.useCallback(async () => {
    setStatus('loading');
    const [list, roles] = await Promise.allSettled([
      get<ListNumbers.Response>('/whatsapp/numbers'),
      get<ListTeams.Response>('/whatsapp/teams'),
    ]);
    if (list.status === 'rejected') {
      notifyError(list.reason);
      setStatus('error');
      return;
    }
    setNumbers(list.value.data.data);
    // Without the role list the page still works; team names fall back to ids.
    setTeams(roles.status === 'fulfilled' ? roles.value.data.data : []);
    setStatus('ready');
  }, [get, notifyError]);

  React.useEffect(() => {
    load();
  }, [load]);

  const openCreate = () => setEditor({ open: true, number: null });

  const onSaved = (saved: WhatsAppNumber, mode: 'create' | 'edit') => {
    setNumbers((prev) => (mode === 'create' ? [...prev, saved] : prev.map((n) => (n.id === saved.id ? saved : n))));
    setEditor({ open: false });
  };

  const setPendingFor = (id: number, on: boolean) =>
    setPending((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const toggleActive = async (number: WhatsAppNumber, active: boolean) => {
    setPendingFor(number.id, true);
    setNumbers((prev) => prev.map((n) => (n.id === number.id ? { ...n, active } : n)));
    try {
      const res = await put<UpdateNumber.Response, UpdateNumber.Request>(`/whatsapp/numbers/${number.id}`, { active });
      setNumbers((prev) => prev.map((n) => (n.id === number.id ? res.data.data : n)));
      toggleNotification({
        type: 'success',
        message: active
          ? t('numbers.notification.activated', '{label} is active.', { label: number.label })
          : t('numbers.notification.deactivated', '{label} is inactive.', { label: number.label }),
      });
    } catch (error) {
      setNumbers((prev) => prev.map((n) => (n.id === number.id ? { ...n, active: number.active } : n)));
      notifyError(error);
    } finally {
      setPendingFor(number.id, false);
    }
  };

  const confirmDelete = async (number: WhatsAppNumber) => {
    try {
      await del(`/whatsapp/numbers/${number.id}`);
      setNumbers((prev) => prev.filter((n) => n.id !== number.id));
      toggleNotification({
        type: 'success',
        message: t('numbers.notification.deleted', '{label} was deleted. Its conversations and messages are kept.', { label: number.label }),
      });
    } catch (error) {
      notifyError(error);
    } finally {
      setDeleting(null);
    }
  };

  const copy = async (url: string) => {
    const ok = await copyText(url);
    toggleNotification(
      ok
        ? { type: 'success', message: t('numbers.notification.copied', 'Webhook URL copied.') }
        : { type: 'warning', message: t('numbers.notification.copyFailed', 'Could not copy. Select the URL and copy it by hand.') }
    );
  };

  if (status === 'loading' || isLoadingRBAC) {
    return <Page.Loading />;
  }

  if (status === 'error') {
    return (
      <Page.Error
        action={
          <Button variant="secondary" startIcon={<ArrowClockwise />} onClick={load}>
            {t('numbers.retry', 'Try again')}
          </Button>
        }
      />
    );
  }

  return (
    <Page.Main>
      <Page.Title>{t('numbers.page.title', 'WhatsApp numbers')}</Page.Title>
      <Layouts.Header
        title={t('numbers.page.title', 'WhatsApp numbers')}
        subtitle={t('numbers.page.subtitle', 'The WhatsApp Business numbers your team sends and receives messages with.')}
        primaryAction={
          canManage ? (
            <Button startIcon={<Plus />} onClick={openCreate} size="S">
              {t('numbers.add', 'Add number')}
            </Button>
          ) : undefined
        }
      />
      <Layouts.Content>
        {numbers.length === 0 ? (
          <EmptyStateLayout
            icon={<EmptyDocuments width="16rem" />}
            content={
              canManage
                ? t('numbers.empty', 'No WhatsApp number yet. Connect one to start sending and receiving messages.')
                : t('numbers.empty.readOnly', 'No WhatsApp number yet. Ask an administrator to connect one.')
            }
            action={
              canManage ? (
                <Button variant="secondary" startIcon={<Plus />} onClick={openCreate}>
                  {t('numbers.add.first', 'Add your first number')}
                </Button>
              ) : undefined
            }
          />
        ) : (
          <>
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
            <Box paddingTop={4}>
              <Typography variant="pi" textColor="neutral600">
                {t(
                  'numbers.webhook.help',
                  'Paste each number’s webhook URL into your provider’s webhook settings. For Meta: App Dashboard → WhatsApp → Configuration → Webhook, with the verify token you chose.'
                )}
              </Typography>
            </Box>
          </>
        )}
      </Layouts.Content>

      {editor.open && (
        <NumberFormModal number={editor.number} teams={teams} onClose={() => setEditor({ open: false })} onSaved={onSaved} />
      )}
      <DeleteNumberDialog number={deleting} onCancel={() => setDeleting(null)} onConfirm={confirmDelete} />
    </Page.Main>
  );
};

/** Settings → WhatsApp → Numbers. */
const NumbersPage = () => (
  <Page.Protect permissions={PERMISSIONS.readNumbers}>
    <NumbersSettings />
  </Page.Protect>
);

export default NumbersPage;
