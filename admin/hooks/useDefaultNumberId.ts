import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import type { GetDefaultNumber } from '../../contracts/settings';

/** The settings' default number for outgoing messages (null: none, or not loaded yet). */
export const useDefaultNumberId = (): number | null => {
  const { get } = useFetchClient();
  const [numberId, setNumberId] = React.useState<number | null>(null);
  React.useEffect(() => {
    let cancelled = false;
    get<GetDefaultNumber.Response>('/whatsapp/settings/default-number')
      .then((res) => !cancelled && setNumberId(res.data.data.numberId))
      // Without it the pages fall back to their own choice (the only number, the first active one).
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [get]);
  return numberId;
};
