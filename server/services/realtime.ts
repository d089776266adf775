import { EventEmitter } from 'node:events';

export type RealtimeEvent =
  | { type: 'message.created'; conversationId: number; numberId: number; messageId: number }
  | { type: 'message.status'; conversationId: number; numberId: number; messageId: number; status: string }
  | { type: 'conversation.updated'; conversationId: number; numberId: number };

/**
 * In-process fan-out of inbox events after they are committed. Open inbox streams subscribe;
 * with several instances the same events go over Redis instead.
 */
export default () => {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish(event: RealtimeEvent) {
      emitter.emit('event', event);
    },
    subscribe(listener: (event: RealtimeEvent) => void) {
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },
  };
};
