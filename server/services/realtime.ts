import { EventEmitter } from 'node:events';

export type RealtimeEvent =
  | { type: 'message.created'; conversationId: number; numberId: number; messageId: number }
  | { type: 'message.status'; conversationId: number; numberId: number; messageId: number; status: string }
  | { type: 'conversation.updated'; conversationId: number; numberId: number };

export type SequencedEvent = RealtimeEvent & { seq: number; at: string };

const KEEP = 2000;

/**
 * In-process fan-out of inbox events after they are committed, each with a sequence number. The
 * last events are kept so a stream that reconnects with `Last-Event-ID` gets what it missed, once.
 * With several instances the same events go over Redis instead.
 */
export default () => {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const recent: SequencedEvent[] = [];
  let seq = 0;
  return {
    publish(event: RealtimeEvent) {
      const sequenced = { ...event, seq: ++seq, at: new Date().toISOString() };
      recent.push(sequenced);
      if (recent.length > KEEP) recent.splice(0, recent.length - KEEP);
      emitter.emit('event', sequenced);
    },
    subscribe(listener: (event: SequencedEvent) => void) {
      emitter.on('event', listener);
      return () => {
        emitter.off('event', listener);
      };
    },
    /** Events after `seq`, or null when they are no longer kept (the client should reload instead). */
    since(after: number): SequencedEvent[] | null {
      if (after >= seq) return [];
      if (recent.length && recent[0].seq > after + 1) return null;
      return recent.filter((e) => e.seq > after);
    },
  };
};
