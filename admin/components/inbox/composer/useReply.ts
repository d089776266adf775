import * as React from 'react';
import type { ReplyRequest } from '../../../../contracts/inbox';
import { useNotifyError, useSendReplyMutation } from '../../../api';
import { useIdempotencyKey } from '../../../hooks/useIdempotencyKey';

/**
 * Posts one reply; a refusal (a closed window, wrong template parameters…) shows the server's own
 * message. Resolves true when the API accepted the message (the thread and the list reload through
 * their tags). The same body sent again after a failure carries the same idempotency key, so a
 * request that did reach the server sends once.
 */
export const useReply = (conversationId: number) => {
  const notifyError = useNotifyError();
  const [sendReply] = useSendReplyMutation();
  const { keyFor, settled } = useIdempotencyKey();
  const send = React.useCallback(
    async (body: ReplyRequest) => {
      try {
        await sendReply({ conversationId, body: { ...body, idempotencyKey: keyFor([conversationId, body]) } }).unwrap();
        settled();
        return true;
      } catch (error) {
        notifyError(error);
        return false;
      }
    },
    [conversationId, keyFor, notifyError, sendReply, settled]
  );
  return { send, notifyError };
};
