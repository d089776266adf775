import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import type { ListTemplates, WhatsAppTemplate } from '../../../contracts/templates';

/** A number's approved templates (the only ones a rule can send); reloads when the number changes. */
export const useApprovedTemplates = (numberId: string | number | null | undefined) => {
  const { get } = useFetchClient();
  const [state, setState] = React.useState<{ status: 'idle' | 'loading' | 'error' | 'ready'; templates: WhatsAppTemplate[] }>({ status: 'idle', templates: [] });

  React.useEffect(() => {
    if (!numberId) {
      setState({ status: 'idle', templates: [] });
      return;
    }
    let live = true;
    setState((s) => ({ status: 'loading', templates: s.templates }));
    get<ListTemplates.Response>(`/whatsapp/templates?numberId=${encodeURIComponent(String(numberId))}&status=APPROVED`)
      .then((res) => live && setState({ status: 'ready', templates: res.data.data }))
      .catch(() => live && setState({ status: 'error', templates: [] }));
    return () => {
      live = false;
    };
  }, [get, numberId]);

  return state;
};
