import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import type { GetInboxSettings } from '../../contracts/settings';

export type InboxSettings = GetInboxSettings.Response['data'];

/** Until loaded (or without inbox.read): no kinds, tickets assumed on so nothing is hidden by mistake. */
const NONE: InboxSettings = { kinds: [], needsSetup: false, tickets: true, autoLead: false };

// One request per page load, shared by every badge and filter.
let pending: Promise<InboxSettings> | null = null;

/** The identity kinds with the app's own labels, and whether identity needs setup and tickets are on. */
export const useInboxSettings = (): InboxSettings => {
  const { get } = useFetchClient();
  const [value, setValue] = React.useState<InboxSettings>(NONE);
  React.useEffect(() => {
    let cancelled = false;
    pending ??= get<GetInboxSettings.Response>('/whatsapp/settings/inbox').then((res) => res.data.data);
    pending
      .then((data) => !cancelled && setValue(data))
      .catch(() => {
        pending = null;
      });
    return () => {
      cancelled = true;
    };
  }, [get]);
  return value;
};

/** Settings changed: the next reader fetches them again. */
export const forgetInboxSettings = () => {
  pending = null;
};

/** The app's word for a kind ("Customer"), or the kind itself capitalised for one no longer configured. */
export const labelOf = (settings: InboxSettings, kind: string) =>
  settings.kinds.find((k) => k.kind === kind)?.label ?? kind.charAt(0).toUpperCase() + kind.slice(1).replace(/-/g, ' ');
