import * as React from 'react';
import { useLiveChangeMutation, useStreamTicketMutation, type LiveTag } from '../api';

export interface InboxEvent {
  type: 'message.created' | 'message.status' | 'conversation.updated';
  conversationId: number;
  numberId: number;
  messageId?: number;
  status?: string;
  seq: number;
}

export type StreamStatus = 'connecting' | 'live' | 'down';

const EVENT_TYPES: InboxEvent['type'][] = ['message.created', 'message.status', 'conversation.updated'];
const MAX_BACKOFF_MS = 30_000;

/** The admin panel talks to the server at `window.strapi.backendURL` (empty when both share an origin). */
const backendURL = () => (window as unknown as { strapi?: { backendURL?: string } }).strapi?.backendURL ?? '';

/** What an event changed: the list always (order, preview, unread), and the conversation or its messages. */
const tagsOf = (event: InboxEvent): LiveTag[] => {
  const id = event.conversationId;
  const tags: LiveTag[] = [{ type: 'WaConversation', id: 'LIST' }];
  if (event.type !== 'conversation.updated') tags.push({ type: 'WaMessages', id });
  if (event.type !== 'message.status') tags.push({ type: 'WaConversation', id });
  return tags;
};

/** What is shown may have missed events (first connection, or the server no longer had them): everything reloads. */
const RESYNC: LiveTag[] = [{ type: 'WaConversation' }, { type: 'WaMessages' }];

/**
 * The inbox's live events over an EventSource, each invalidating the tags it touches so every open
 * view of them reloads. A stream ticket is single-use, so EventSource's own retry (same URL) cannot
 * work: on any error the source is closed and reopened with a new ticket, passing the last event id
 * so the server replays what was missed, each event once.
 */
export const useInboxStream = (): StreamStatus => {
  const [ticket] = useStreamTicketMutation();
  const [liveChange] = useLiveChangeMutation();
  const latest = React.useRef({ ticket, liveChange });
  latest.current = { ticket, liveChange };
  const [status, setStatus] = React.useState<StreamStatus>('connecting');

  React.useEffect(() => {
    if (typeof EventSource === 'undefined') {
      setStatus('down');
      return undefined;
    }
    let stopped = false;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let lastEventId: string | null = null;
    let failures = 0;

    const reconnectLater = () => {
      if (stopped) return;
      setStatus('down');
      failures += 1;
      retry = setTimeout(connect, Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(failures - 1, 5)));
    };

    let connecting = false;
    const connect = async () => {
      if (stopped || connecting || source) return;
      connecting = true;
      try {
        const { ticket, url } = await latest.current.ticket().unwrap();
        if (stopped) return;
        const path = url ?? `/api/whatsapp/stream?ticket=${encodeURIComponent(ticket)}`;
        const resuming = lastEventId !== null;
        const full = `${backendURL()}${path}${resuming ? `&lastEventId=${encodeURIComponent(lastEventId!)}` : ''}`;
        const opened = new EventSource(full);
        source = opened;
        const handle = (e: MessageEvent) => {
          if (e.lastEventId) lastEventId = e.lastEventId;
          let event: InboxEvent;
          try {
            event = JSON.parse(e.data);
          } catch {
            return;
          }
          latest.current.liveChange(tagsOf(event));
        };
        for (const type of EVENT_TYPES) opened.addEventListener(type, handle as EventListener);
        opened.addEventListener('ready', () => {
          failures = 0;
          setStatus('live');
          // A resumed stream has just replayed what was missed; a fresh one cannot know.
          if (!resuming) latest.current.liveChange(RESYNC);
        });
        opened.addEventListener('reset', () => latest.current.liveChange(RESYNC));
        opened.onerror = () => {
          opened.close();
          if (source === opened) source = null;
          reconnectLater();
        };
      } catch {
        reconnectLater();
      } finally {
        connecting = false;
      }
    };

    // Back online: no need to wait out the backoff.
    const onOnline = () => {
      if (source || connecting || stopped) return;
      clearTimeout(retry);
      failures = 0;
      connect();
    };
    // The browser knows the network is gone before a silent TCP connection would say so.
    const onOffline = () => {
      if (stopped) return;
      source?.close();
      source = null;
      clearTimeout(retry);
      reconnectLater();
    };
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);

    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
      source?.close();
    };
  }, []);

  return status;
};
