import * as React from 'react';
import { isFetchError, useAPIErrorHandler, useFetchClient, useNotification } from '@strapi/strapi/admin';
import type { ReplyRequest } from '../../../../contracts/inbox';
import { useIdempotencyKey } from '../../../hooks/useIdempotencyKey';
import { useTranslate } from '../../../hooks/useTranslate';

/**
 * Posts one reply; a refusal (a closed window, wrong template parameters…) shows the server's own
 * message. Resolves true when the API accepted the message. The same body sent again after a
 * failure carries the same idempotency key, so a request that did reach the server sends once.
 */
export const useReply = (conversationId: number, onSent: () => void) => {
  const t = useTranslate();
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { formatAPIError } = useAPIErrorHandler();
  const { keyFor, settled } = useIdempotencyKey();
  const notifyError = React.useCallback(
    (error: unknown) =>
      toggleNotification({
        type: 'danger',
        message: isFetchError(error) ? formatAPIError(error) : t('inbox.notification.error', 'Something went wrong. Try again.'),
      }),
    [formatAPIError, t, toggleNotification]
  );
  const send = React.useCallback(
    async (body: ReplyRequest) => {
      try {
        await post<unknown, ReplyRequest>(`/whatsapp/conversations/${conversationId}/messages`, { ...body, idempotencyKey: keyFor([conversationId, body]) });
        settled();
        onSent();
        return true;
      } catch (error) {
        notifyError(error);
        return false;
      }
    },
    [conversationId, keyFor, notifyError, onSent, post, settled]
  );
  return { send, notifyError };
};
