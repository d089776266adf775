import * as React from 'react';
import { Box, Button, EmptyStateLayout, Flex, LinkButton, Loader, Typography } from '@strapi/design-system';
import { ArrowClockwise, Cog } from '@strapi/icons';
import { EmptyDocuments } from '@strapi/icons/symbols';
import { Layouts, Page, isFetchError, useAPIErrorHandler, useFetchClient, useNotification, useRBAC } from '@strapi/strapi/admin';
import { NavLink } from 'react-router-dom';
import type { Conversation, Message } from '../../../contracts/inbox';
import { PluginNav } from '../../components/PluginNav';
import { Composer } from '../../components/inbox/Composer';
import { ConversationList, CrmBadge, conversationName } from '../../components/inbox/ConversationList';
import { Thread } from '../../components/inbox/Thread';
import { useIsCompact } from '../../hooks/useIsCompact';
import { useTranslate } from '../../hooks/useTranslate';
import { PERMISSIONS } from '../../permissions';
import { PLUGIN_ID } from '../../pluginId';

/** Live updates: the list and the open thread are polled every 2 seconds. */
const POLL_MS = 2000;

interface ListResponse<T> {
  data: T[];
  meta?: unknown;
}

/** Runs `fn` now and every `ms`, never two at once, until unmounted or `key` changes. */
const usePoll = (fn: () => Promise<void>, ms: number, enabled = true) => {
  const saved = React.useRef(fn);
  saved.current = fn;
  React.useEffect(() => {
    if (!enabled) return undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const tick = async () => {
      try {
        await saved.current();
      } finally {
        if (!stopped) timer = setTimeout(tick, ms);
      }
    };
    tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [ms, enabled]);
};

const Inbox = () => {
  const t = useTranslate();
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { formatAPIError } = useAPIErrorHandler();
  const compact = useIsCompact();
  const { allowedActions: numbersActions } = useRBAC(PERMISSIONS.readNumbers);
  const { isLoading: isLoadingRBAC, allowedActions: sendActions } = useRBAC(PERMISSIONS.sendMessages);
  const canSend = Boolean(sendActions.canSend);

  const [conversations, setConversations] = React.useState<Conversation[]>([]);
  const [listStatus, setListStatus] = React.useState<'loading' | 'error' | 'ready'>('loading');
  const [selectedId, setSelectedId] = React.useState<number | null>(null);
  const [messages, setMessages] = React.useState<Message[]>([]);
  const [threadStatus, setThreadStatus] = React.useState<'idle' | 'loading' | 'ready'>('idle');

  const notifyError = React.useCallback(
    (error: unknown) =>
      toggleNotification({
        type: 'danger',
        message: isFetchError(error) ? formatAPIError(error) : t('inbox.notification.error', 'Something went wrong. Try again.'),
      }),
    [formatAPIError, t, toggleNotification]
  );

  const loadList = React.useCallback(async () => {
    try {
      const res = await get<ListResponse<Conversation>>('/whatsapp/conversations?pageSize=100');
      setConversations(res.data.data);
      setListStatus('ready');
    } catch (error) {
      // A failed poll keeps what is shown; only the first load shows the error page.
      setListStatus((prev) => (prev === 'loading' ? 'error' : prev));
    }
  }, [get]);

  const loadThread = React.useCallback(async () => {
    if (selectedId === null) return;
    const id = selectedId;
    try {
      const res = await get<ListResponse<Message>>(`/whatsapp/conversations/${id}/messages?pageSize=100`);
      // The API answers newest first; the thread reads oldest at the top.
      setMessages((prev) => {
        const next = [...res.data.data].reverse();
        return JSON.stringify(prev) === JSON.stringify(next) ? prev : next;
      });
      setThreadStatus('ready');
    } catch {
      setThreadStatus((prev) => (prev === 'loading' ? 'ready' : prev));
    }
  }, [get, selectedId]);

  usePoll(loadList, POLL_MS);
  usePoll(loadThread, POLL_MS, selectedId !== null);

  const selected = conversations.find((c) => c.id === selectedId) ?? null;

  const markRead = React.useCallback(
    (c: Conversation) => {
      if (c.unread > 0) {
        post(`/whatsapp/conversations/${c.id}/read`, {}).catch(() => undefined);
        setConversations((prev) => prev.map((x) => (x.id === c.id ? { ...x, unread: 0 } : x)));
      }
    },
    [post]
  );

  const select = (c: Conversation) => {
    if (c.id !== selectedId) {
      setMessages([]);
      setThreadStatus('loading');
      setSelectedId(c.id);
    }
    markRead(c);
  };

  // New messages in the open conversation are read as they arrive.
  React.useEffect(() => {
    if (selected && selected.unread > 0) markRead(selected);
  }, [selected, markRead]);

  const onSent = () => {
    Promise.all([loadThread(), loadList()]).catch(() => undefined);
  };

  if (listStatus === 'loading' || isLoadingRBAC) return <Page.Loading />;
  if (listStatus === 'error') {
    return (
      <Page.Error
        action={
          <Button variant="secondary" startIcon={<ArrowClockwise />} onClick={() => { setListStatus('loading'); loadList(); }}>
            {t('inbox.retry', 'Try again')}
          </Button>
        }
      />
    );
  }

  const numbersLink = numbersActions.canRead ? (
    <LinkButton tag={NavLink} to={`/settings/${PLUGIN_ID}/numbers`} variant="tertiary" size="S" startIcon={<Cog />}>
      {t('home.numbers.link', 'Manage numbers')}
    </LinkButton>
  ) : undefined;

  return (
    <Page.Main>
      <Page.Title>{t('plugin.name', 'WhatsApp')}</Page.Title>
      <Layouts.Header
        title={t('plugin.name', 'WhatsApp')}
        subtitle={t('inbox.subtitle', 'Conversations with your customers, live.')}
        primaryAction={numbersLink}
        navigationAction={<PluginNav />}
      />
      <Layouts.Content>
        {conversations.length === 0 ? (
          <EmptyStateLayout
            icon={<EmptyDocuments width="16rem" />}
            content={t('inbox.empty', 'No conversations yet. They appear here as soon as a customer writes to one of your numbers.')}
          />
        ) : (
          <Flex
            direction={compact ? 'column' : 'row'}
            alignItems="stretch"
            background="neutral0"
            hasRadius
            shadow="tableShadow"
            style={{ overflow: 'hidden', minHeight: compact ? undefined : '60vh' }}
          >
            <Box
              width={compact ? '100%' : '32rem'}
              shrink={0}
              borderColor="neutral150"
              borderStyle="solid"
              style={{ borderWidth: compact ? '0 0 1px 0' : '0 1px 0 0', overflowY: 'auto', maxHeight: compact ? '40vh' : '75vh', minWidth: 0 }}
            >
              <ConversationList conversations={conversations} selectedId={selectedId} onSelect={select} />
            </Box>
            <Flex direction="column" alignItems="stretch" flex={1} minWidth={0} background="neutral100">
              {selected === null ? (
                <Box padding={8}>
                  <Typography textColor="neutral600">{t('inbox.thread.none', 'Select a conversation to read it.')}</Typography>
                </Box>
              ) : (
                <>
                  <Flex padding={4} gap={2} background="neutral0" justifyContent="space-between" alignItems="center" wrap="wrap">
                    <Flex direction="column" alignItems="flex-start" minWidth={0}>
                      <Typography tag="h2" variant="delta" textColor="neutral800" ellipsis>
                        {conversationName(selected)}
                      </Typography>
                      <Typography variant="pi" textColor="neutral600">
                        {selected.customerPhone ?? selected.customerWaId}
                      </Typography>
                    </Flex>
                    <CrmBadge kind={selected.crm?.kind ?? 'unknown'} />
                  </Flex>
                  <Box flex={1} style={{ overflowY: 'auto', maxHeight: compact ? undefined : '60vh' }}>
                    {threadStatus === 'loading' ? (
                      <Flex justifyContent="center" padding={6}>
                        <Loader small>{t('inbox.thread.loading', 'Loading messages…')}</Loader>
                      </Flex>
                    ) : (
                      <Thread conversation={selected} messages={messages} />
                    )}
                  </Box>
                  <Composer key={selected.id} conversation={selected} canSend={canSend} onSent={onSent} />
                </>
              )}
            </Flex>
          </Flex>
        )}
      </Layouts.Content>
    </Page.Main>
  );
};

/** The plugin's main page: the inbox. */
const InboxPage = () => (
  <Page.Protect permissions={PERMISSIONS.inbox}>
    <Inbox />
  </Page.Protect>
);

export default InboxPage;
