import * as React from 'react';
import { Box, Flex } from '@strapi/design-system';
import { Page } from '@strapi/strapi/admin';
import type { Bot } from '../../../contracts/bots';
import { useApiAction, useDeleteBotMutation, useListBotsQuery, useListNumbersQuery, useNotifyError, useOrderBotsMutation, useSaveBotMutation } from '../../api';
import { ConfirmDeleteDialog } from '../../components/ConfirmDeleteDialog';
import { usePending } from '../../components/PageStatus';
import { AddButton, EmptyState, PluginPage } from '../../components/PluginPage';
import { BotEditorModal } from '../../components/bots/BotEditorModal';
import { BotPreview } from '../../components/bots/BotPreview';
import { BotsList } from '../../components/bots/BotsList';
import { NumberBar } from '../../components/bots/NumberBar';
import { NumberHours } from '../../components/bots/NumberHours';
import { emptyBotValues, valuesFromBot, type BotFormValues } from '../../components/bots/form';
import { useAllowed } from '../../hooks/useAllowed';
import { useIsCompact } from '../../hooks/useIsCompact';
import { useTranslate } from '../../hooks/useTranslate';
import { PERMISSIONS } from '../../permissions';

type Editor = { open: false } | { open: true; bot: Bot | null; initial: BotFormValues };

const Bots = () => {
  const t = useTranslate();
  const run = useApiAction();
  const notifyError = useNotifyError();
  const compact = useIsCompact();
  const { isLoading: isLoadingRBAC, allowed: canManage } = useAllowed(PERMISSIONS.manageBots);
  const list = useListBotsQuery();
  // Without numbers.read the page still works; number names fall back to ids.
  const { data: numbers = [] } = useListNumbersQuery();
  const [saveBot] = useSaveBotMutation();
  const [deleteBot] = useDeleteBotMutation();
  const [orderBots] = useOrderBotsMutation();
  const { pending, track } = usePending();
  const [editor, setEditor] = React.useState<Editor>({ open: false });
  const [deleting, setDeleting] = React.useState<Bot | null>(null);
  const bots = list.data ?? [];

  const numberIds = [...new Set([...numbers.map((n) => n.id), ...bots.map((b) => b.numberId)])];
  const [chosen, setChosen] = React.useState<number | null>(null);
  // The number picked, else the first with bots, else the first active one.
  const numberId = chosen ?? bots[0]?.numberId ?? numbers.find((n) => n.active)?.id ?? numberIds[0] ?? null;
  const own = bots.filter((b) => b.numberId === numberId);

  const openCreate = () => setEditor({ open: true, bot: null, initial: emptyBotValues(numberId === null ? '' : String(numberId)) });
  const toggleActive = (bot: Bot, active: boolean) =>
    track(bot.id, () =>
      run(
        () => saveBot({ id: bot.id, body: { active } }).unwrap(),
        active ? t('bots.notification.activated', '“{name}” is active.', { name: bot.name }) : t('bots.notification.deactivated', '“{name}” is off.', { name: bot.name })
      )
    );
  const reorder = (ids: number[]) => numberId !== null && orderBots({ numberId, ids }).unwrap().catch(notifyError);
  const confirmDelete = async (bot: Bot) => {
    await run(() => deleteBot(bot.id).unwrap(), t('bots.notification.deleted', '“{name}” was deleted.', { name: bot.name }));
    setDeleting(null);
  };

  const add = canManage && numberId !== null ? <AddButton onClick={openCreate}>{t('bots.add', 'Add bot')}</AddButton> : undefined;
  return (
    <PluginPage
      title={t('nav.bots', 'Bots')}
      subtitle={t('bots.page.subtitle', 'Automatic answers per number. They stop when a person writes in the conversation, and never answer STOP.')}
      withNav
      queries={[list]}
      loading={isLoadingRBAC}
      primaryAction={add}
      empty={
        numberId === null && {
          content: t('bots.empty.noNumber', 'No WhatsApp number yet. Add one in Settings → WhatsApp → Numbers, then its bots here.'),
        }
      }
      dialogs={
        <>
          {editor.open && <BotEditorModal bot={editor.bot} initial={editor.initial} numbers={numbers} onClose={() => setEditor({ open: false })} />}
          <ConfirmDeleteDialog
            item={deleting}
            title={t('bots.delete.title', 'Delete this bot?')}
            body={t('bots.delete.body', '“{name}” will stop answering. Messages it already sent stay in the inbox.', { name: deleting?.name ?? '' })}
            cancelLabel={t('bots.form.cancel', 'Cancel')}
            confirmLabel={t('bots.delete.confirm', 'Delete')}
            onCancel={() => setDeleting(null)}
            onConfirm={confirmDelete}
          />
        </>
      }
    >
      {numberId !== null && (
        <Flex direction="column" alignItems="stretch" gap={5}>
          <NumberBar numberIds={numberIds} numbers={numbers} numberId={numberId} onNumber={setChosen} canManage={Boolean(canManage)} />
          <Flex gap={5} alignItems="flex-start" direction={compact ? 'column' : 'row'}>
            <Box flex="3 1 0" minWidth={0} width={compact ? '100%' : undefined}>
              {own.length === 0 ? (
                <EmptyState
                  content={canManage ? t('bots.empty', 'No bot on this number yet. Add one, e.g. a keyword bot answering “price” with buttons.') : t('bots.empty.readOnly', 'No bot on this number yet. Ask an administrator to add one.')}
                  action={canManage ? <AddButton first onClick={openCreate}>{t('bots.add', 'Add bot')}</AddButton> : undefined}
                />
              ) : (
                <BotsList
                  bots={own}
                  canManage={Boolean(canManage)}
                  pending={pending}
                  onToggleActive={toggleActive}
                  onEdit={(bot) => setEditor({ open: true, bot, initial: valuesFromBot(bot) })}
                  onDelete={setDeleting}
                  onReorder={reorder}
                />
              )}
            </Box>
            <Box flex="2 1 0" minWidth={0} width={compact ? '100%' : undefined}>
              <BotPreview numberId={numberId} />
            </Box>
          </Flex>
          <NumberHours numberId={numberId} canManage={Boolean(canManage)} />
        </Flex>
      )}
    </PluginPage>
  );
};

/** WhatsApp → Bots: automatic answers per number, their order, and a preview as the customer. */
const BotsPage = () => (
  <Page.Protect permissions={PERMISSIONS.readBots}>
    <Bots />
  </Page.Protect>
);

export default BotsPage;
