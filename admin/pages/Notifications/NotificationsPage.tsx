import * as React from 'react';
import { Flex } from '@strapi/design-system';
import { Page } from '@strapi/strapi/admin';
import type { PresetDraft } from '../../../contracts/notification-presets';
import type { NotificationRule } from '../../../contracts/notifications';
import { useApiAction, useDeleteRuleMutation, useGetDefaultNumberQuery, useListHostTypesQuery, useListNumbersQuery, useListRulesQuery, useSaveRuleMutation } from '../../api';
import { usePending } from '../../components/PageStatus';
import { AddButton, PluginPage } from '../../components/PluginPage';
import { DeleteRuleDialog } from '../../components/notifications/DeleteRuleDialog';
import { FiringsModal } from '../../components/notifications/FiringsModal';
import { PresetMenu } from '../../components/notifications/PresetMenu';
import { RuleEditorModal } from '../../components/notifications/RuleEditorModal';
import { RulesList } from '../../components/notifications/RulesList';
import { TestSendModal } from '../../components/notifications/TestSendModal';
import { emptyValues, valuesFromPreset, valuesFromRule, type RuleFormValues } from '../../components/notifications/form';
import { useAllowed } from '../../hooks/useAllowed';
import { useIsCompact } from '../../hooks/useIsCompact';
import { useTranslate } from '../../hooks/useTranslate';
import { PERMISSIONS } from '../../permissions';

type Editor = { open: false } | { open: true; rule: NotificationRule | null; initial: RuleFormValues };

const Notifications = () => {
  const t = useTranslate();
  const run = useApiAction();
  const compact = useIsCompact();
  const { isLoading: isLoadingRBAC, allowed: canManage } = useAllowed(PERMISSIONS.manageNotifications);

  const list = useListRulesQuery();
  const hostTypes = useListHostTypesQuery();
  // Without numbers.read the list still shows; number names fall back to ids.
  const { data: numbers = [] } = useListNumbersQuery();
  const { data: settingsDefault = null } = useGetDefaultNumberQuery();
  const [saveRule] = useSaveRuleMutation();
  const [deleteRule] = useDeleteRuleMutation();
  const rules = list.data ?? [];
  const types = hostTypes.data ?? [];
  const [editor, setEditor] = React.useState<Editor>({ open: false });
  const [firingsOf, setFiringsOf] = React.useState<NotificationRule | null>(null);
  const [testing, setTesting] = React.useState<NotificationRule | null>(null);
  const [deleting, setDeleting] = React.useState<NotificationRule | null>(null);
  const { pending, track } = usePending();

  // The settings' default number when it is in the list, else the first active one.
  const defaultNumberId = () => String(numbers.find((n) => n.active && n.id === settingsDefault)?.id ?? numbers.find((n) => n.active)?.id ?? '');
  const openCreate = () => setEditor({ open: true, rule: null, initial: { ...emptyValues(), numberId: defaultNumberId() } });
  const openPreset = (draft: PresetDraft) => setEditor({ open: true, rule: null, initial: valuesFromPreset(draft, defaultNumberId()) });

  const toggleActive = (rule: NotificationRule, active: boolean) =>
    track(rule.id, () =>
      run(
        () => saveRule({ id: rule.id, body: { active } }).unwrap(),
        active ? t('notifications.notification.activated', '“{name}” is active.', { name: rule.name }) : t('notifications.notification.deactivated', '“{name}” is inactive.', { name: rule.name })
      )
    );

  const confirmDelete = async (rule: NotificationRule) => {
    await run(() => deleteRule(rule.id).unwrap(), t('notifications.notification.deleted', '“{name}” was deleted.', { name: rule.name }));
    setDeleting(null);
  };

  return (
    <PluginPage
      footnote={t('notifications.help', 'A rule fires on every write (Content Manager, REST, GraphQL or code) once per record and event. Customers who opted out are skipped; the firings say why.')}
      title={t('nav.notifications', 'CRM events')}
      subtitle={t('notifications.page.subtitle', 'Templates sent when your CRM records are created, changed or come due.')}
      withNav
      queries={[list, hostTypes]}
      loading={isLoadingRBAC}
      primaryAction={
        canManage ? (
          <Flex gap={2} wrap="wrap">
            <PresetMenu types={types} onPick={openPreset} />
            <AddButton onClick={openCreate}>{t('notifications.add', 'Add rule')}</AddButton>
          </Flex>
        ) : undefined
      }
      empty={
        rules.length === 0 && {
          content: canManage
            ? t('notifications.empty', 'No rule yet. Start from a preset, e.g. “Lead created”, or add your own.')
            : t('notifications.empty.readOnly', 'No rule yet. Ask an administrator to add one.'),
        }
      }
      dialogs={
        <>
          {editor.open && <RuleEditorModal rule={editor.rule} initial={editor.initial} types={types} numbers={numbers} defaultNumberId={defaultNumberId()} onClose={() => setEditor({ open: false })} onSaved={() => setEditor({ open: false })} />}
          {firingsOf && <FiringsModal rule={firingsOf} onClose={() => setFiringsOf(null)} />}
          {testing && <TestSendModal rule={testing} type={types.find((ty) => ty.uid === testing.contentType)} onClose={() => setTesting(null)} />}
          <DeleteRuleDialog rule={deleting} onCancel={() => setDeleting(null)} onConfirm={confirmDelete} />
        </>
      }
    >
      <RulesList
        rules={rules}
        types={types}
        numbers={numbers}
        canManage={Boolean(canManage)}
        pending={pending}
        compact={compact}
        onToggleActive={toggleActive}
        onEdit={(rule) => setEditor({ open: true, rule, initial: valuesFromRule(rule) })}
        onFirings={setFiringsOf}
        onTest={setTesting}
        onDelete={setDeleting}
      />
    </PluginPage>
  );
};

/** WhatsApp → CRM events: rules that send templates on the host's record events. */
const NotificationsPage = () => (
  <Page.Protect permissions={PERMISSIONS.readNotifications}>
    <Notifications />
  </Page.Protect>
);

export default NotificationsPage;
