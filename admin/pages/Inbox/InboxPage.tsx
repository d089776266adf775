import * as React from 'react';
import { Badge, Box, Button, EmptyStateLayout, Flex, LinkButton, Loader, Typography } from '@strapi/design-system';
import { ArrowClockwise, Cog } from '@strapi/icons';
import { EmptyDocuments } from '@strapi/icons/symbols';
import { Layouts, Page, isFetchError, useFetchClient, useNotification, useRBAC } from '@strapi/strapi/admin';
import { NavLink, useSearchParams } from 'react-router-dom';
import type { AssigneeOption, Conversation, ConversationDetail, Message } from '../../../contracts/inbox';
import type { ListNumbers } from '../../../contracts/numbers';
import { PluginNav } from '../../components/PluginNav';
import { Composer } from '../../components/inbox/Composer';
import { ConversationFilters, NO_FILTERS, filtersFromQuery, filtersQuery, isFiltered, type InboxFilters } from '../../components/inbox/ConversationFilters';
import { ConversationHeader } from '../../components/inbox/ConversationHeader';
import { ConversationList } from '../../components/inbox/ConversationList';
import { NewConversationButton } from '../../components/inbox/NewConversation';
import { Thread } from '../../components/inbox/Thread';
import { useInboxStream, type StreamStatus } from '../../hooks/useInboxStream';
import { useInboxSettings } from '../../hooks/useInboxSettings';
import { useIsCompact } from '../../hooks/useIsCompact';
import { useTranslate } from '../../hooks/useTranslate';
import { PERMISSIONS } from '../../permissions';
import { PLUGIN_ID } from '../../pluginId';

const PAGE_SIZE = 25;
/** The API's largest page: a reload of everything shown asks for at most this many at once. */
const MAX_PAGE_SIZE = 100;
/** Only while the live stream is down: a slow poll so the page does not go stale. */
const FALLBACK_POLL_MS = 30_000;
/** Events come in bursts (a message, then its receipts): one reload per burst. */
const COALESCE_MS = 150;

interface ListResponse<T> {
  data: T[];
  meta?: { pagination?: { total: number } };
}

/** A function that runs at most once per `ms`, however often it is asked for. */
const useCoalesced = (fn: () => unknown, ms: number) => {
  const saved = React.useRef(fn);
  saved.current = fn;
  const timer = React.useRef<ReturnType<typeof setTimeout> | null>(null);
  React.useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  return React.useCallback(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      saved.current();
    }, ms);
  }, [ms]);
};

const dedupe = (rows: Conversation[]) => {
  const seen = new Set<number>();
  return rows.filter((c) => (seen.has(c.id) ? false : (seen.add(c.id), true)));
};

const LiveBadge = ({ status }: { status: StreamStatus }) => {
  const t = useTranslate();
  const look = {
    live: { backgroundColor: 'success100', textColor: 'success700', text: t('inbox.live.on', 'Live') },
    connecting: { backgroundColor: 'neutral150', textColor: 'neutral700', text: t('inbox.live.connecting', 'Connecting…') },
    down: { backgroundColor: 'warning100', textColor: 'warning700', text: t('inbox.live.down', 'Offline, reconnecting…') },
  }[status];
  return (
    <Badge role="status" backgroundColor={look.backgroundColor} textColor={look.textColor} data-testid="inbox-live">
      {look.text}
    </Badge>
  );
};

const Inbox = () => {
  const t = useTranslate();
  const { get, post } = useFetchClient();
  const inboxSettings = useInboxSettings();
  const compact = useIsCompact();
  const { isLoading: loadingNumbersRBAC, allowedActions: numbersActions } = useRBAC(PERMISSIONS.readNumbers);
  const { isLoading: loadingSendRBAC, allowedActions: sendActions } = useRBAC(PERMISSIONS.sendMessages);
  const { isLoading: loadingAssignRBAC, allowedActions: assignActions } = useRBAC(PERMISSIONS.assign);
  const canSend = Boolean(sendActions.canSend);
  const canAssign = Boolean(assignActions.canAssign);
  const canReadNumbers = Boolean(numbersActions.canRead);

  // Filters and the open conversation live in the URL too: a reload, or coming back from a ticket
  // or CRM record, shows the same view; a link to a conversation opens it.
  const [searchParams, setSearchParams] = useSearchParams();
  const [filters, setFilters] = React.useState<InboxFilters>(() => filtersFromQuery(searchParams));
  const [conversations, setConversations] = React.useState<Conversation[]>([]);
  const [total, setTotal] = React.useState(0);
  const [listStatus, setListStatus] = React.useState<'loading' | 'error' | 'ready'>('loading');
  const [loadingMore, setLoadingMore] = React.useState(false);
  /** A new query is on its way (the list shown is the previous one's). */
  const [refreshing, setRefreshing] = React.useState(false);
  /** The last reload failed: what is shown may be stale. */
  const [listStale, setListStale] = React.useState(false);
  const [selectedId, setSelectedId] = React.useState<number | null>(null);
  const [detail, setDetail] = React.useState<ConversationDetail | null>(null);
  const [messages, setMessages] = React.useState<Message[]>([]);
  const [threadStatus, setThreadStatus] = React.useState<'idle' | 'loading' | 'error' | 'ready'>('idle');
  const [assignees, setAssignees] = React.useState<AssigneeOption[] | null>(null);
  const [numbers, setNumbers] = React.useState<{ id: number; label: string }[]>([]);

  // What async loaders read at the time they answer, not when they were made.
  const filtersRef = React.useRef(filters);
  filtersRef.current = filters;
  const pagesRef = React.useRef(1);
  const listRequest = React.useRef(0);
  const selectedRef = React.useRef<number | null>(null);

  /** Loads every page shown so far; answers whether this load is the one the list now shows. */
  const fetchList = React.useCallback(async (): Promise<'shown' | 'failed' | 'superseded'> => {
    const request = ++listRequest.current;
    const wanted = pagesRef.current * PAGE_SIZE;
    const pageSize = Math.min(MAX_PAGE_SIZE, wanted);
    try {
      // Every page shown so far, so a reload keeps what "Load more" added.
      const pages = await Promise.all(
        Array.from({ length: Math.ceil(wanted / pageSize) }, (_, i) => {
          const params = filtersQuery(filtersRef.current);
          params.set('page', String(i + 1));
          params.set('pageSize', String(pageSize));
          return get<ListResponse<Conversation>>(`/whatsapp/conversations?${params}`);
        })
      );
      if (request !== listRequest.current) return 'superseded';
      setConversations(dedupe(pages.flatMap((p) => p.data.data)));
      setTotal(pages[0]?.data.meta?.pagination?.total ?? 0);
      setListStatus('ready');
      setListStale(false);
      setRefreshing(false);
      return 'shown';
    } catch {
      // A failed reload keeps what is shown, marked as such; only the first load shows the error page.
      if (request !== listRequest.current) return 'superseded';
      setListStatus((prev) => (prev === 'loading' ? 'error' : prev));
      setListStale(true);
      setRefreshing(false);
      return 'failed';
    }
  }, [get]);

  /**
   * One more page, through the same load as live reloads: a live event arriving while the page is on
   * its way starts a reload that includes it, instead of throwing the click's answer away.
   */
  const loadMore = async () => {
    const pages = pagesRef.current + 1;
    pagesRef.current = pages;
    setLoadingMore(true);
    try {
      // Only this load failing undoes the page; a newer one (live reload, new filters) owns the count now.
      if ((await fetchList()) === 'failed' && pagesRef.current === pages) pagesRef.current = pages - 1;
    } finally {
      setLoadingMore(false);
    }
  };

  const { toggleNotification } = useNotification();
  const toggleRef = React.useRef(toggleNotification);
  toggleRef.current = toggleNotification;
  const tRef = React.useRef(t);
  tRef.current = t;

  /**
   * The open conversation is not there for this user (a link to another team's conversation, or one
   * from an old URL): nothing is selected rather than an error that retrying cannot fix.
   */
  const missing = React.useCallback((id: number, error: unknown) => {
    if (selectedRef.current !== id || !isFetchError(error) || error.status !== 404) return false;
    selectedRef.current = null;
    setSelectedId(null);
    setDetail(null);
    setMessages([]);
    setThreadStatus('idle');
    toggleRef.current({ type: 'warning', message: tRef.current('inbox.thread.missing', 'This conversation does not exist or is not one of your team’s.') });
    return true;
  }, []);

  // Reloads overlap when an answer takes longer than a burst: only the newest one asked is shown,
  // so an older answer arriving late never puts back a status or an assignee that has moved on.
  const detailRequest = React.useRef(0);
  const messagesRequest = React.useRef(0);

  const fetchDetail = React.useCallback(async () => {
    const id = selectedRef.current;
    if (id === null) return;
    const request = ++detailRequest.current;
    try {
      const res = await get<{ data: ConversationDetail }>(`/whatsapp/conversations/${id}`);
      if (selectedRef.current === id && request === detailRequest.current) setDetail(res.data.data);
    } catch (error) {
      if (missing(id, error)) return;
      if (selectedRef.current === id) setThreadStatus((prev) => (prev === 'loading' ? 'error' : prev));
    }
  }, [get, missing]);

  const fetchMessages = React.useCallback(async () => {
    const id = selectedRef.current;
    if (id === null) return;
    const request = ++messagesRequest.current;
    try {
      const res = await get<ListResponse<Message>>(`/whatsapp/conversations/${id}/messages?pageSize=100`);
      if (selectedRef.current !== id || request !== messagesRequest.current) return;
      // The API answers newest first; the thread reads oldest at the top.
      const next = [...res.data.data].reverse();
      setMessages((prev) => (JSON.stringify(prev) === JSON.stringify(next) ? prev : next));
      setThreadStatus('ready');
    } catch (error) {
      if (missing(id, error)) return;
      if (selectedRef.current === id) setThreadStatus((prev) => (prev === 'loading' ? 'error' : prev));
    }
  }, [get, missing]);

  const reloadList = useCoalesced(fetchList, COALESCE_MS);
  const reloadDetail = useCoalesced(fetchDetail, COALESCE_MS);
  const reloadMessages = useCoalesced(fetchMessages, COALESCE_MS);

  const stream = useInboxStream({
    onEvent: (event) => {
      reloadList();
      if (event.conversationId !== selectedRef.current) return;
      if (event.type !== 'conversation.updated') reloadMessages();
      if (event.type !== 'message.status') reloadDetail();
    },
    onResync: () => {
      reloadList();
      reloadDetail();
      reloadMessages();
    },
  });

  React.useEffect(() => {
    if (stream !== 'down') return undefined;
    const timer = setInterval(() => {
      fetchList();
      fetchDetail();
      fetchMessages();
    }, FALLBACK_POLL_MS);
    return () => clearInterval(timer);
  }, [stream, fetchList, fetchDetail, fetchMessages]);

  // A new query starts again from its first page.
  React.useEffect(() => {
    pagesRef.current = 1;
    setRefreshing(true);
    fetchList();
  }, [filters, fetchList]);

  React.useEffect(() => {
    if (!canReadNumbers) return;
    get<ListNumbers.Response>('/whatsapp/numbers')
      .then((res) => setNumbers(res.data.data.map((n) => ({ id: n.id, label: n.label }))))
      .catch(() => undefined);
  }, [canReadNumbers, get]);

  // Without numbers.read, the numbers are those the conversations seen so far came through.
  React.useEffect(() => {
    if (canReadNumbers) return;
    setNumbers((prev) => {
      const known = new Map(prev.map((n) => [n.id, n.label]));
      for (const c of conversations) if (!known.has(c.numberId)) known.set(c.numberId, c.numberLabel ?? `#${c.numberId}`);
      return known.size === prev.length ? prev : [...known].map(([id, label]) => ({ id, label }));
    });
  }, [canReadNumbers, conversations]);

  const numberOfSelected = detail?.numberId;
  React.useEffect(() => {
    if (!canAssign || numberOfSelected === undefined) return;
    setAssignees(null);
    get<{ data: AssigneeOption[] }>(`/whatsapp/assignees?numberId=${numberOfSelected}`)
      .then((res) => setAssignees(res.data.data))
      .catch(() => setAssignees([]));
  }, [canAssign, numberOfSelected, get]);

  const select = (c: Pick<Conversation, 'id'>) => {
    if (c.id === selectedRef.current) return;
    selectedRef.current = c.id;
    setSelectedId(c.id);
    setDetail(null);
    setMessages([]);
    setThreadStatus('loading');
    fetchDetail();
    fetchMessages();
  };

  // The conversation the URL names opens once, when the page loads.
  const fromUrl = React.useRef(searchParams.get('conversation'));
  React.useEffect(() => {
    const id = Number(fromUrl.current);
    fromUrl.current = null;
    if (Number.isSafeInteger(id) && id > 0) select({ id });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  React.useEffect(() => {
    const next = filtersQuery(filters);
    if (selectedId !== null) next.set('conversation', String(selectedId));
    if (next.toString() !== new URLSearchParams(window.location.search).toString()) setSearchParams(next, { replace: true });
  }, [filters, selectedId, setSearchParams]);

  // The open conversation is read as messages arrive in it.
  React.useEffect(() => {
    if (!detail || detail.unread === 0) return;
    const { id } = detail;
    post(`/whatsapp/conversations/${id}/read`, {}).catch(() => undefined);
    setDetail((prev) => (prev && prev.id === id ? { ...prev, unread: 0 } : prev));
    setConversations((prev) => prev.map((x) => (x.id === id ? { ...x, unread: 0 } : x)));
  }, [detail, post]);

  const onChanged = (c: Conversation) => {
    // The action's answer is newer than any reload still on its way.
    detailRequest.current += 1;
    setDetail((prev) => (prev && prev.id === c.id ? { ...prev, ...c } : prev));
    reloadList();
  };

  const onSent = () => {
    reloadMessages();
    reloadList();
  };

  const onStarted = (c: Conversation) => {
    reloadList();
    select(c);
  };

  if (listStatus === 'loading' || loadingSendRBAC || loadingAssignRBAC || loadingNumbersRBAC) return <Page.Loading />;
  if (listStatus === 'error') {
    return (
      <Page.Error
        action={
          <Button
            variant="secondary"
            startIcon={<ArrowClockwise />}
            onClick={() => {
              setListStatus('loading');
              fetchList();
            }}
          >
            {t('inbox.retry', 'Try again')}
          </Button>
        }
      />
    );
  }

  const headerActions = (
    <Flex gap={2} wrap="wrap">
      {canReadNumbers && (
        <LinkButton tag={NavLink} to={`/settings/${PLUGIN_ID}/numbers`} variant="tertiary" size="S" startIcon={<Cog />}>
          {t('home.numbers.link', 'Manage numbers')}
        </LinkButton>
      )}
      <NewConversationButton onStarted={onStarted} />
    </Flex>
  );

  const filtered = isFiltered(filters);
  const nothingYet = !filtered && conversations.length === 0 && selectedId === null;
  const { needsSetup } = inboxSettings;

  return (
    <Page.Main>
      <Page.Title>{t('plugin.name', 'WhatsApp')}</Page.Title>
      <Layouts.Header
        title={t('plugin.name', 'WhatsApp')}
        subtitle={t('inbox.subtitle', 'Conversations with your customers, live.')}
        secondaryAction={<LiveBadge status={stream} />}
        primaryAction={headerActions}
        navigationAction={<PluginNav />}
      />
      <Layouts.Content>
        {nothingYet ? (
          <EmptyStateLayout
            icon={<EmptyDocuments width="16rem" />}
            content={
              needsSetup
                ? t('inbox.needsSetup', 'Needs setup: choose which of your content types hold your customers’ phone numbers (Settings → WhatsApp → General). Until then everyone who writes shows as unknown.')
                : t('inbox.empty', 'No conversations yet. They appear here as soon as a customer writes to one of your numbers.')
            }
            action={
              needsSetup ? (
                <LinkButton tag={NavLink} to={`/settings/${PLUGIN_ID}/general`} variant="secondary" startIcon={<Cog />}>
                  {t('inbox.needsSetup.action', 'Set up identity sources')}
                </LinkButton>
              ) : undefined
            }
          />
        ) : (
          <>
            <ConversationFilters value={filters} onChange={setFilters} numbers={numbers} />
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
                aria-busy={refreshing}
              >
                {refreshing && (
                  <Flex justifyContent="center" padding={2}>
                    <Loader small>{t('inbox.list.loading', 'Loading conversations…')}</Loader>
                  </Flex>
                )}
                {listStale && (
                  <Flex gap={2} padding={3} wrap="wrap" alignItems="center" background="danger100">
                    <Typography variant="pi" textColor="danger700">
                      {t('inbox.list.stale', 'The list could not be refreshed.')}
                    </Typography>
                    <Button variant="tertiary" size="S" startIcon={<ArrowClockwise />} onClick={() => fetchList()}>
                      {t('inbox.retry', 'Try again')}
                    </Button>
                  </Flex>
                )}
                {conversations.length === 0 && !refreshing ? (
                  <Flex direction="column" gap={3} padding={6} alignItems="center">
                    <Typography textColor="neutral600" textAlign="center">
                      {t('inbox.list.noMatch', 'No conversations match these filters.')}
                    </Typography>
                    <Button variant="tertiary" size="S" onClick={() => setFilters(NO_FILTERS)}>
                      {t('inbox.filters.clear', 'Clear filters')}
                    </Button>
                  </Flex>
                ) : (
                  <ConversationList
                    conversations={conversations}
                    selectedId={selectedId}
                    onSelect={select}
                    hasMore={conversations.length < total}
                    loadingMore={loadingMore}
                    onLoadMore={loadMore}
                  />
                )}
              </Box>
              <Flex direction="column" alignItems="stretch" flex={1} minWidth={0} background="neutral100">
                {selectedId === null ? (
                  <Box padding={8}>
                    <Typography textColor="neutral600">{t('inbox.thread.none', 'Select a conversation to read it.')}</Typography>
                  </Box>
                ) : threadStatus === 'error' ? (
                  <Flex direction="column" gap={3} padding={8} alignItems="flex-start">
                    <Typography textColor="danger600">{t('inbox.thread.error', 'This conversation could not be loaded.')}</Typography>
                    <Button
                      variant="secondary"
                      size="S"
                      startIcon={<ArrowClockwise />}
                      onClick={() => {
                        setThreadStatus('loading');
                        fetchDetail();
                        fetchMessages();
                      }}
                    >
                      {t('inbox.retry', 'Try again')}
                    </Button>
                  </Flex>
                ) : detail === null || threadStatus === 'loading' ? (
                  <Flex justifyContent="center" padding={6}>
                    <Loader small>{t('inbox.thread.loading', 'Loading messages…')}</Loader>
                  </Flex>
                ) : (
                  <>
                    <ConversationHeader conversation={detail} canAssign={canAssign} assignees={assignees} onChanged={onChanged} />
                    <Box flex={1} style={{ overflowY: 'auto', maxHeight: compact ? undefined : '60vh' }}>
                      <Thread conversation={detail} messages={messages} />
                    </Box>
                    <Composer key={detail.id} conversation={detail} canSend={canSend} onSent={onSent} />
                  </>
                )}
              </Flex>
            </Flex>
          </>
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
