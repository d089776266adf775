import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import type { ListSendOptions, SendOption } from '../../../../contracts/templates';

export interface SendOptionsState {
  status: 'loading' | 'error' | 'ready';
  options: SendOption[];
}

/** The numbers the user may send from, each with its approved templates (`GET /whatsapp/send-options`). */
export const useSendOptions = (enabled = true): SendOptionsState => {
  const { get } = useFetchClient();
  const [state, setState] = React.useState<SendOptionsState>({ status: 'loading', options: [] });
  React.useEffect(() => {
    if (!enabled) return undefined;
    let cancelled = false;
    get<ListSendOptions.Response>('/whatsapp/send-options')
      .then((res) => !cancelled && setState({ status: 'ready', options: res.data.data }))
      .catch(() => !cancelled && setState({ status: 'error', options: [] }));
    return () => {
      cancelled = true;
    };
  }, [get, enabled]);
  return state;
};
