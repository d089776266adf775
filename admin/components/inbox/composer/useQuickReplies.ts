import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import type { QuickReply } from './quickReplyText';

export type { QuickReply };

/** The saved quick replies, loaded once per composer. */
export const useQuickReplies = () => {
  const { get } = useFetchClient();
  const [state, setState] = React.useState<{ status: 'loading' | 'error' | 'ready'; replies: QuickReply[] }>({ status: 'loading', replies: [] });
  React.useEffect(() => {
    let cancelled = false;
    get<{ data: QuickReply[] }>('/whatsapp/quick-replies')
      .then((res) => !cancelled && setState({ status: 'ready', replies: res.data.data }))
      .catch(() => !cancelled && setState({ status: 'error', replies: [] }));
    return () => {
      cancelled = true;
    };
  }, [get]);
  return state;
};
