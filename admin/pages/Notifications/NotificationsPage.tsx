import * as React from 'react';
import { Box, Button, EmptyStateLayout, Flex, Typography } from '@strapi/design-system';
import { ArrowClockwise, Plus } from '@strapi/icons';
import { EmptyDocuments } from '@strapi/icons/symbols';
import { Layouts, Page, isFetchError, useAPIErrorHandler, useFetchClient, useNotification, useRBAC } from '@strapi/strapi/admin';
import type { HostContentType, ListHostContentTypes } from '../../../contracts/host';
import type { PresetDraft } from '../../../contracts/notification-presets';
import type { Firing, NotificationRule } from '../../../contracts/notifications';
import { useDefaultNumberId } from '../../hooks/useDefaultNumberId';
import type { ListNumbers, WhatsAppNumber } from '../../../contracts/numbers';
import { PluginNav } from '../../components/PluginNav';
import { DeleteRuleDialog } from '../../components/notifications/DeleteRuleDialog';
import { FiringsModal } from '../../components/notifications/FiringsModal';
import { PresetMenu } from '../../components/notifications/PresetMenu';
import { RuleEditorModal } from '../../components/notifications/RuleEditorModal';
import { RulesList } from '../../components/notifications/RulesList';
import { TestSendModal } from '../../components/notifications/TestSendModal';
import { emptyValues, valuesFromPreset, valuesFromRule, type RuleFormValues } from '../../components/notifications/form';
import { useIsCompact } from '../../hooks/useIsCompact';
import { useTranslate } from '../../hooks/useTranslate';
import { PERMISSIONS } from '../../permissions';

type Editor = { open: false } | { open: true; rule: NotificationRule | null; initial: RuleFormValues };

/** The newest firing of each rule is refreshed this often while the page is open. */
const LAST_FIRING_POLL_MS = 10_000;

const Notifications = () => {
  const t = useTranslate();
  const { get, put, del } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { formatAPIError } = useAPIErrorHandler();
  const compact = useIsCompact();
  const {
    isLoading: isLoadingRBAC,
    allowedActions: { canManage },
  } = useRBAC(PERMISSIONS.manageNotifications);

  const [rules, setRules] = React.useState<NotificationRule[]>([]);
  const [types, setTypes] = React.useState<HostContentType[]>([]);
  const [numbers, setNumbers] = React.useState<WhatsAppNumber[]>([]);
  const [lastFirings, setLastFirings] = React.useState<Record<number, Firing | undefined>>({});
  const [status, setStatus] = React.useState<'loading' | 'error' | 'ready'>('loading');
  const [editor, setEditor] = React.useState<Editor>({ open: false });
  const [firingsOf, setFiringsOf] = React.useState<NotificationRule | null>(null);
  const [testing, setTesting] = React.useState<NotificationRule | null>(null);
  const [deleting, setDeleting] = React.useState<NotificationRule | null>(null);
  const [pending, setPending] = React.useState<ReadonlySet<number>>(new Set());

  const notifyError = React.useCallback(
    (error: unknown) =>
      toggleNotification({ type: 'danger', message: isFetchError(error) ? formatAPIError(error) : t('notifications.notification.error', 'Something went wrong. Try again.') }),
    [formatAPIError, t, toggleNotification]
  );

  const loadLastFirings = React.useCallback(
    async (list: NotificationRule[]) => {
      const answers = await Promise.allSettled(list.map((r) => get<{ data: Firing[] }>(`/whatsapp/notification-rules/${r.id}/firings?limit=1`)));
      setLastFirings(Object.fromEntries(list.map((r, i) => [r.id, answers[i].status === 'fulfilled' ? answers[i].value.data.data[0] : undefined])));
    },
    [get]
  );

  const load = React.useCallback(async () => {
    setStatus('loading');
    const [list, hostTypes, nums] = await Promise.allSettled([
      get<{ data: NotificationRule[] }>('/whatsapp/notification-rules'),
      get<ListHostContentTypes.Response>('/whatsapp/host/content-types'),
      get<ListNumbers.Response>('/whatsapp/numbers'),
    ]);
    if (list.status === 'rejected' || hostTypes.status === 'rejected') {
      notifyError(list.status === 'rejected' ? list.reason : (hostTypes as PromiseRejectedResult).reason);
      setStatus('error');
      return;
    }
    setRules(list.value.data.data);
    setTypes(hostTypes.value.data.data);
    // Without numbers.read the list still shows; number names fall back to ids.
    setNumbers(nums.status === 'fulfilled' ? nums.value.data.data : []);
    setStatus('ready');
    loadLastFirings(list.value.data.data);
  }, [get, loadLastFirings, notifyError]);

  React.useEffect(() => {
    load();
  }, [load]);

  React.useEffect(() => {
    if (status !== 'ready' || !rules.length) return;
    const timer = setInterval(() => loadLastFirings(rules), LAST_FIRING_POLL_MS);
    return () => clearInterval(timer);
  }, [status, rules, loadLastFirings]);

  const settingsDefault = useDefaultNumberId();
  // The settings' default number when it is in the list, else the first active one.
  const defaultNumberId = () => String(numbers.find((n) => n.active && n.id === settingsDefault)?.id ?? numbers.find((n) => n.active)?.id ?? '');
  const openCreate = () => setEditor({ open: true, rule: null, initial: { ...emptyValues(), numberId: defaultNumberId() } });
  const openPreset = (draft: PresetDraft) => setEditor({ open: true, rule: null, initial: valuesFromPreset(draft, defaultNumberId()) });

  const onSaved = (saved: NotificationRule, mode: 'create' | 'edit') => {
    setRules((prev) => (mode === 'create' ? [...prev, saved] : prev.map((r) => (r.id === saved.id ? saved : r))));
    setEditor({ open: false });
  };

  const toggleActive = async (rule: NotificationRule, active: boolean) => {
    setPending((prev) => new Set(prev).add(rule.id));
    setRules((prev) => prev.map((r) => (r.id === rule.id ? { ...r, active } : r)));
    try {
      const res = await put<{ data: NotificationRule }>(`/whatsapp/notification-rules/${rule.id}`, { active });
      setRules((prev) => prev.map((r) => (r.id === rule.id ? res.data.data : r)));
      toggleNotification({
        type: 'success',
        message: active ? t('notifications.notification.activated', '“{name}” is active.', { name: rule.name }) : t('notifications.notification.deactivated', '“{name}” is inactive.', { name: rule.name }),
      });
    } catch (error) {
      setRules((prev) => prev.map((r) => (r.id === rule.id ? { ...r, active: rule.active } : r)));
      notifyError(error);
    } finally {
      setPending((prev) => {
        const next = new Set(prev);
        next.delete(rule.id);
        return next;
      });
    }
  };

  const confirmDelete = async (rule: NotificationRule) => {
    try {
      await del(`/whatsapp/notification-rules/${rule.id}`);
      setRules((prev) => prev.filter((r) => r.id !== rule.id));
      toggleNotification({ type: 'success', message: t('notifications.notification.deleted', '“{name}” was deleted.', { name: rule.name }) });
    } catch (error) {
      notifyError(error);
    } finally {
      setDeleting(null);
    }
  };

  const onFiringsLoaded = React.useCallback((ruleId: number, firings: Firing[]) => setLastFirings((prev) => ({ ...prev, [ruleId]: firings[0] })), []);
  const firingsLoaded = React.useMemo(() => (firingsOf ? (f: Firing[]) => onFiringsLoaded(firingsOf.id, f) : undefined), [firingsOf, onFiringsLoaded]);

  if (status === 'loading' || isLoadingRBAC) return <Page.Loading />;

  if (status === 'error') {
    return (
      <Page.Error
        action={
          <Button variant="secondary" startIcon={<ArrowClockwise />} onClick={load}>
            {t('notifications.retry', 'Try again')}
          </Button>
        }
      />
    );
  }

  const actions = canManage ? (
    <Flex gap={2} wrap="wrap">
      <PresetMenu types={types} onPick={openPreset} />
      <Button startIcon={<Plus />} onClick={openCreate} size="S">
        {t('notifications.add', 'Add rule')}
      </Button>
    </Flex>
  ) : undefined;

  return (
    <Page.Main>
      <Page.Title>{t('nav.notifications', 'CRM events')}</Page.Title>
      <Layouts.Header
        title={t('nav.notifications', 'CRM events')}
        subtitle={t('notifications.page.subtitle', 'Templates sent when your CRM records are created, changed or come due.')}
        navigationAction={<PluginNav />}
        primaryAction={actions}
      />
      <Layouts.Content>
        {rules.length === 0 ? (
          <EmptyStateLayout
            icon={<EmptyDocuments width="16rem" />}
            content={
              canManage
                ? t('notifications.empty', 'No rule yet. Start from a preset, e.g. “Lead created”, or add your own.')
                : t('notifications.empty.readOnly', 'No rule yet. Ask an administrator to add one.')
            }
          />
        ) : (
          <>
            <RulesList
              rules={rules}
              types={types}
              numbers={numbers}
              lastFirings={lastFirings}
              canManage={Boolean(canManage)}
              pending={pending}
              compact={compact}
              onToggleActive={toggleActive}
              onEdit={(rule) => setEditor({ open: true, rule, initial: valuesFromRule(rule) })}
              onFirings={setFiringsOf}
              onTest={setTesting}
              onDelete={setDeleting}
            />
            <Box paddingTop={4}>
              <Typography variant="pi" textColor="neutral600">
                {t(
                  'notifications.help',
                  'A rule fires on every write (Content Manager, REST, GraphQL or code) once per record and event. Customers who opted out are skipped; the firings say why.'
                )}
              </Typography>
            </Box>
          </>
        )}
      </Layouts.Content>

      {editor.open && <RuleEditorModal rule={editor.rule} initial={editor.initial} types={types} numbers={numbers} onClose={() => setEditor({ open: false })} onSaved={onSaved} />}
      {firingsOf && <FiringsModal rule={firingsOf} onClose={() => setFiringsOf(null)} onLoaded={firingsLoaded} />}
      {testing && <TestSendModal rule={testing} type={types.find((ty) => ty.uid === testing.contentType)} onClose={() => setTesting(null)} />}
      <DeleteRuleDialog rule={deleting} onCancel={() => setDeleting(null)} onConfirm={confirmDelete} />
    </Page.Main>
  );
};

/** WhatsApp → CRM events: rules that send templates on the host's record events. */
const NotificationsPage = () => (
  <Page.Protect permissions={PERMISSIONS.readNotifications}>
    <Notifications />
  </Page.Protect>
);

export default NotificationsPage;
