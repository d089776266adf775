import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import type { ListTemplates, WhatsAppTemplate } from '../../../../contracts/templates';

/**
 * Every template the number ever had (removed ones too), to show template messages as the customer
 * read them. Without templates.read the thread falls back to the template's name.
 */
export const useNumberTemplates = (numberId: number) => {
  const { get } = useFetchClient();
  const [templates, setTemplates] = React.useState<WhatsAppTemplate[]>([]);
  React.useEffect(() => {
    let cancelled = false;
    get<ListTemplates.Response>(`/whatsapp/templates?numberId=${numberId}&includeRemoved=true`)
      .then((res) => !cancelled && setTemplates(res.data.data))
      .catch(() => !cancelled && setTemplates([]));
    return () => {
      cancelled = true;
    };
  }, [get, numberId]);
  return templates;
};
