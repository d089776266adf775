import type { GetInboxSettings } from '../../contracts/settings';
import { useGetInboxSettingsQuery } from '../api';

export type InboxSettings = GetInboxSettings.Response['data'];

/** Until loaded (or without inbox.read): no kinds, tickets assumed on so nothing is hidden by mistake. */
const NONE: InboxSettings = { kinds: [], needsSetup: false, tickets: true, autoLead: false };

/** The identity kinds with the app's own labels, and whether identity needs setup and tickets are on (one request, shared). */
export const useInboxSettings = (): InboxSettings => useGetInboxSettingsQuery().data ?? NONE;

/** The app's word for a kind ("Customer"), or the kind itself capitalised for one no longer configured. */
export const labelOf = (settings: InboxSettings, kind: string) =>
  settings.kinds.find((k) => k.kind === kind)?.label ?? kind.charAt(0).toUpperCase() + kind.slice(1).replace(/-/g, ' ');
