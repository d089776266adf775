import * as React from 'react';
import { Badge, Box, Flex, LinkButton, Typography } from '@strapi/design-system';
import { Cog } from '@strapi/icons';
import { Page, useNotification, useRBAC } from '@strapi/strapi/admin';
import { NavLink, useSearchParams } from 'react-router-dom';
import type { Conversation } from '../../../contracts/inbox';
import { useListNumbersQuery } from '../../api';
import { PluginPage } from '../../components/PluginPage';
import { ConversationFilters, NO_FILTERS, filtersFromQuery, filtersQuery, isFiltered, type InboxFilters } from '../../components/inbox/ConversationFilters';
import { ListPane, useConversationPages } from '../../components/inbox/ListPane';
import { NewConversationButton } from '../../components/inbox/NewConversation';
import { ThreadPane } from '../../components/inbox/ThreadPane';
import { useInboxSettings } from '../../hooks/useInboxSettings';
import { useInboxStream, type StreamStatus } from '../../hooks/useInboxStream';
import { useIsCompact } from '../../hooks/useIsCompact';
import { useTranslate } from '../../hooks/useTranslate';
import { PERMISSIONS } from '../../permissions';
import { PLUGIN_ID } from '../../pluginId';

/** Only while the live stream is down: a slow poll so the page does not go stale. */
const FALLBACK_POLL_MS = 30_000;

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

/** The numbers the filter offers: all of them with numbers.read, else those the conversations seen so far came through. */
const useFilterNumbers = (canRead: boolean, rows: Conversation[]) => {
  const { data } = useListNumbersQuery(undefined, { skip: !canRead });
  const seen = React.useRef(new Map<number, string>());
  for (const c of rows) if (!seen.current.has(c.numberId)) seen.current.set(c.numberId, c.numberLabel ?? `#${c.numberId}`);
  return canRead ? (data ?? []).map((n) => ({ id: n.id, label: n.label })) : [...seen.current].map(([id, label]) => ({ id, label }));
};

const selectedFromUrl = (params: URLSearchParams) => {
  const id = Number(params.get('conversation'));
  return Number.isSafeInteger(id) && id > 0 ? id : null;
};

const Inbox = () => {
  const t = useTranslate();
  const { toggleNotification } = useNotification();
  const { needsSetup } = useInboxSettings();
  const compact = useIsCompact();
  const { isLoading: loadingNumbersRBAC, allowedActions: numbersActions } = useRBAC(PERMISSIONS.readNumbers);
  const { isLoading: loadingSendRBAC, allowedActions: sendActions } = useRBAC(PERMISSIONS.sendMessages);
  const { isLoading: loadingAssignRBAC, allowedActions: assignActions } = useRBAC(PERMISSIONS.assign);
  const canReadNumbers = Boolean(numbersActions.canRead);

  // Filters and the open conversation live in the URL too: a reload, or coming back from a ticket
  // or CRM record, shows the same view; a link to a conversation opens it.
  const [searchParams, setSearchParams] = useSearchParams();
  const [filters, setFilters] = React.useState<InboxFilters>(() => filtersFromQuery(searchParams));
  const [selectedId, setSelectedId] = React.useState<number | null>(() => selectedFromUrl(searchParams));
  const stream = useInboxStream();
  const pollingInterval = stream === 'down' ? FALLBACK_POLL_MS : 0;
  const list = useConversationPages(filters, pollingInterval);
  const numbers = useFilterNumbers(canReadNumbers, list.rows);

  React.useEffect(() => {
    const next = filtersQuery(filters);
    if (selectedId !== null) next.set('conversation', String(selectedId));
    if (next.toString() !== new URLSearchParams(window.location.search).toString()) setSearchParams(next, { replace: true });
  }, [filters, selectedId, setSearchParams]);

  const onMissing = React.useCallback(() => {
    setSelectedId(null);
    toggleNotification({ type: 'warning', message: t('inbox.thread.missing', 'This conversation does not exist or is not one of your team’s.') });
  }, [t, toggleNotification]);

  const headerActions = (
    <Flex gap={2} wrap="wrap">
      {canReadNumbers && (
        <LinkButton tag={NavLink} to={`/settings/${PLUGIN_ID}/numbers`} variant="tertiary" size="S" startIcon={<Cog />}>
          {t('home.numbers.link', 'Manage numbers')}
        </LinkButton>
      )}
      <NewConversationButton onStarted={(c) => setSelectedId(c.id)} />
    </Flex>
  );
  const nothingYet = !isFiltered(filters) && list.rows.length === 0 && selectedId === null;

  return (
    <PluginPage
      title={t('plugin.name', 'WhatsApp')}
      subtitle={t('inbox.subtitle', 'Conversations with your customers, live.')}
      withNav
      queries={[list.first]}
      loading={loadingSendRBAC || loadingAssignRBAC || loadingNumbersRBAC}
      secondaryAction={<LiveBadge status={stream} />}
      primaryAction={headerActions}
      empty={
        nothingYet && {
          content: needsSetup
            ? t('inbox.needsSetup', 'Needs setup: choose which of your content types hold your customers’ phone numbers (Settings → WhatsApp → General). Until then everyone who writes shows as unknown.')
            : t('inbox.empty', 'No conversations yet. They appear here as soon as a customer writes to one of your numbers.'),
          action: needsSetup ? (
            <LinkButton tag={NavLink} to={`/settings/${PLUGIN_ID}/general`} variant="secondary" startIcon={<Cog />}>
              {t('inbox.needsSetup.action', 'Set up identity sources')}
            </LinkButton>
          ) : undefined,
        }
      }
    >
      <ConversationFilters value={filters} onChange={setFilters} numbers={numbers} />
      <Flex
        direction={compact ? 'column' : 'row'}
        alignItems="stretch"
        background="neutral0"
        hasRadius
        shadow="tableShadow"
        style={{ overflow: 'hidden', minHeight: compact ? undefined : '60vh' }}
      >
        <ListPane list={list} selectedId={selectedId} compact={compact} onSelect={(c) => setSelectedId(c.id)} onClearFilters={() => setFilters(NO_FILTERS)} />
        <Flex direction="column" alignItems="stretch" flex={1} minWidth={0} background="neutral100">
          {selectedId === null ? (
            <Box padding={8}>
              <Typography textColor="neutral600">{t('inbox.thread.none', 'Select a conversation to read it.')}</Typography>
            </Box>
          ) : (
            <ThreadPane
              key={selectedId}
              conversationId={selectedId}
              canSend={Boolean(sendActions.canSend)}
              canAssign={Boolean(assignActions.canAssign)}
              compact={compact}
              pollingInterval={pollingInterval}
              onMissing={onMissing}
            />
          )}
        </Flex>
      </Flex>
    </PluginPage>
  );
};

/** The plugin's main page: the inbox. */
const InboxPage = () => (
  <Page.Protect permissions={PERMISSIONS.inbox}>
    <Inbox />
  </Page.Protect>
);

export default InboxPage;
