import { adminApi } from '@strapi/strapi/admin';

/**
 * The plugin's slice of Strapi's admin RTK Query api. Tag names carry the plugin's prefix because
 * the api (and so its tag namespace) is shared with every other plugin of the panel.
 */
export const TAGS = [
  'WaNumber',
  'WaTeam',
  'WaTemplate',
  'WaSendOption',
  'WaRule',
  'WaFiring',
  'WaSettings',
  'WaHostType',
  'WaQuickReply',
  'WaConversation',
  'WaMessages',
  'WaAssignee',
  'WaWebhookLog',
  'WaApiLog',
  'WaCampaign',
  'WaCampaignRecipient',
  'WaConsent',
  'WaBot',
  'WaAssistantSettings',
  'WaKnowledge',
  'WaAssistantEvaluations',
  'WaAssistantFigures',
] as const;
export type Tag = (typeof TAGS)[number];

/** A page shows what the server has when it opens: an answer no view uses any more is not kept. */
export const FRESH = 0;

/**
 * Endpoint names share that namespace too (Strapi's i18n already has a `getSettings`, and an
 * injected name that exists is silently not ours), so every endpoint is named `wa…`; each file
 * re-exports its hooks under the short names.
 */
export const baseApi = adminApi.enhanceEndpoints({ addTagTypes: TAGS });

/** The answer shape of every list and item route: the payload sits under `data`. */
export interface Data<T> {
  data: T;
}

/** Tags for a list answer: one per row, and the list's own so a create or delete refreshes it. */
export const listTags = <T extends Tag>(type: T, rows: { id: number }[] | undefined) => [
  { type, id: 'LIST' as const },
  ...(rows ?? []).map((row) => ({ type, id: row.id })),
];

/** `{ numberId: 3, state: undefined }` → `{ numberId: '3' }`: only what is set goes in the query string. */
export const paramsOf = (query: object) =>
  Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== '').map(([k, v]) => [k, String(v)]));
