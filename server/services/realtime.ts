import { EventEmitter } from 'node:events';
import type { Core } from '@strapi/strapi';
import { getService } from '../utils';

export type RealtimeEvent =
  | { type: 'message.created'; conversationId: number; numberId: number; messageId: number }
  | { type: 'message.status'; conversationId: number; numberId: number; messageId: number; status: string }
  | { type: 'conversation.updated'; conversationId: number; numberId: number };

export type SequencedEvent = RealtimeEvent & { seq: number; at: string };

const KEEP = 2000;

/**
 * Fan-out of inbox events after they are committed, each with a sequence number. The last events
 * are kept so a stream that reconnects with `Last-Event-ID` gets what it missed, once.
 * One instance: all in process. Several: numbered by Redis (one sequence for the cluster, so a
 * reconnect to another instance replays correctly), kept there, and sent over Redis pub/sub to the
 * streams of every instance.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const recent: SequencedEvent[] = [];
  // Starts at the boot time (ms), so ids keep growing across restarts: a client that reconnects
  // after a restart holds an id older than anything kept, and is told to reload (`reset`).
  let seq = Date.now();
  const cluster = () => getService('cluster', { strapi });
  const shared = () => cluster().enabled();

  return {
    /** Several instances: events from every instance reach this one's streams (called once at start). */
    async start() {
      if (!shared()) return;
      await cluster().subscribe('events', (message) => {
        try {
          emitter.emit('event', JSON.parse(message) as SequencedEvent);
        } catch (error) {
          strapi.log.error(`[whatsapp] live event from Redis: ${(error as Error).message}`);
        }
      });
    },

    publish(event: RealtimeEvent) {
      if (shared()) {
        // Callers do not wait on live events; a Redis hiccup costs a live update, never the write.
        cluster()
          .publishSequenced(JSON.stringify({ ...event, at: new Date().toISOString() }), KEEP)
          .catch((error) => strapi.log.error(`[whatsapp] live event not published: ${(error as Error).message}`));
        return;
      }
      const sequenced = { ...event, seq: ++seq, at: new Date().toISOString() };
      recent.push(sequenced);
      if (recent.length > KEEP) recent.splice(0, recent.length - KEEP);
      emitter.emit('event', sequenced);
    },

    /** Open subscriptions (live streams and the like) on this instance. */
    listenerCount: () => emitter.listenerCount('event'),

    subscribe(listener: (event: SequencedEvent) => void) {
      emitter.on('event', listener);
      return () => {
        emitter.off('event', listener);
      };
    },

    /** Events after `after`, or null when they are no longer kept (the client should reload instead). */
    async since(after: number): Promise<SequencedEvent[] | null> {
      if (shared()) {
        const { last, oldest, events } = await cluster().sequencedSince(after);
        if (after === last) return [];
        // Ahead of the cluster's sequence: Redis lost it, so the client cannot know what it missed.
        if (after > last || oldest === null || oldest > after + 1) return null;
        return events.map((e) => JSON.parse(e) as SequencedEvent);
      }
      if (after === seq) return [];
      if (after > seq || !recent.length || recent[0].seq > after + 1) return null;
      return recent.filter((e) => e.seq > after);
    },
  };
};
