import * as React from 'react';
import { useAPIErrorHandler, useNotification } from '@strapi/strapi/admin';
import { useTranslate } from '../hooks/useTranslate';

/** What a failed query or `unwrap()`ed mutation holds: the server's error body (ValidationError…), or RTK's own. */
export interface ApiErrorBody {
  name?: string;
  message?: string;
  status?: number;
  details?: { errors?: Array<{ path?: Array<string | number>; message?: string }> } & Record<string, unknown>;
}

/** The error body of a failed call, whatever threw it (a mutation's `unwrap()`, a query's `error`). */
export const errorOf = (error: unknown): ApiErrorBody | undefined =>
  typeof error === 'object' && error !== null && ('name' in error || 'message' in error) ? (error as ApiErrorBody) : undefined;

/** The server's own message for a failed call, or a generic one when there is none. */
export const useErrorMessage = () => {
  const t = useTranslate();
  const { _unstableFormatAPIError: format } = useAPIErrorHandler();
  return React.useCallback(
    (error: unknown) => {
      const body = errorOf(error);
      return body?.message ? format(body as Parameters<typeof format>[0]) : t('error.generic', 'Something went wrong. Try again.');
    },
    [format, t]
  );
};

/** A danger notification with the server's own message, or a generic one when there is none. */
export const useNotifyError = () => {
  const { toggleNotification } = useNotification();
  const messageOf = useErrorMessage();
  return React.useCallback((error: unknown) => toggleNotification({ type: 'danger', message: messageOf(error) }), [messageOf, toggleNotification]);
};

/**
 * Runs one call a user asked for: a success notification when it went through, the server's
 * message when it did not. Resolves whether it went through.
 */
export const useApiAction = () => {
  const { toggleNotification } = useNotification();
  const notifyError = useNotifyError();
  return React.useCallback(
    async (work: () => Promise<unknown>, success: string) => {
      try {
        await work();
        toggleNotification({ type: 'success', message: success });
        return true;
      } catch (error) {
        notifyError(error);
        return false;
      }
    },
    [notifyError, toggleNotification]
  );
};
