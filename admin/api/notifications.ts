import type { Firing, NotificationRule, NotificationRuleInput } from '../../contracts/notifications';
import { baseApi, listTags, type Data, FRESH } from './base';

/** A CRM record as the Content Manager lists it. */
export type RecordRow = Record<string, unknown> & { documentId: string };

/** CRM-event rules, their firings and test sends. */
export const notificationsApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    waListRules: build.query<NotificationRule[], void>({
      keepUnusedDataFor: FRESH,
      query: () => '/whatsapp/notification-rules',
      transformResponse: (res: Data<NotificationRule[]>) => res.data,
      providesTags: (rows) => listTags('WaRule', rows),
    }),
    waSaveRule: build.mutation<NotificationRule, { id: number | null; body: Partial<NotificationRuleInput> }>({
      query: ({ id, body }) =>
        id === null ? { url: '/whatsapp/notification-rules', method: 'POST', data: body } : { url: `/whatsapp/notification-rules/${id}`, method: 'PUT', data: body },
      transformResponse: (res: Data<NotificationRule>) => res.data,
      // A switch flipped in the list shows its new state at once, and its old one again if refused.
      async onQueryStarted({ id, body }, { dispatch, queryFulfilled }) {
        if (id === null || body.active === undefined) return;
        const patch = dispatch(notificationsApi.util.updateQueryData('waListRules', undefined, (rows) => void rows.forEach((r) => r.id === id && (r.active = body.active!))));
        queryFulfilled.catch(patch.undo);
      },
      invalidatesTags: (_r, _e, { id }) => [{ type: 'WaRule', id: id ?? 'LIST' }, { type: 'WaRule', id: 'LIST' }],
    }),
    waDeleteRule: build.mutation<void, number>({
      query: (id) => ({ url: `/whatsapp/notification-rules/${id}`, method: 'DELETE' }),
      invalidatesTags: [{ type: 'WaRule', id: 'LIST' }],
    }),
    waListFirings: build.query<Firing[], { ruleId: number; limit: number }>({
      keepUnusedDataFor: FRESH,
      query: ({ ruleId, limit }) => ({ url: `/whatsapp/notification-rules/${ruleId}/firings`, config: { params: { limit: String(limit) } } }),
      transformResponse: (res: Data<Firing[]>) => res.data,
      providesTags: (_rows, _e, { ruleId }) => [{ type: 'WaFiring', id: ruleId }],
      // A longer list just read also tells the rules list its newest firing.
      async onQueryStarted({ ruleId, limit }, { dispatch, queryFulfilled }) {
        if (limit === 1) return;
        const { data } = await queryFulfilled.catch(() => ({ data: null }));
        if (data) dispatch(notificationsApi.util.updateQueryData('waListFirings', { ruleId, limit: 1 }, () => data.slice(0, 1)));
      },
    }),
    waListRecords: build.query<RecordRow[], { uid: string; pageSize: number }>({
      keepUnusedDataFor: FRESH,
      // The Content Manager's own list, newest first: what a test send can run against.
      query: ({ uid, pageSize }) => ({ url: `/content-manager/collection-types/${uid}`, config: { params: { page: '1', pageSize: String(pageSize), sort: 'updatedAt:DESC' } } }),
      transformResponse: (res: { results: RecordRow[] }) => res.results,
    }),
    waTestRule: build.mutation<Firing, { ruleId: number; body: unknown }>({
      query: ({ ruleId, body }) => ({ url: `/whatsapp/notification-rules/${ruleId}/test`, method: 'POST', data: body }),
      transformResponse: (res: Data<Firing>) => res.data,
      invalidatesTags: (_r, _e, { ruleId }) => [{ type: 'WaFiring', id: ruleId }],
    }),
  }),
});

export const {
  useWaListRecordsQuery: useListRecordsQuery,
  useWaListRulesQuery: useListRulesQuery,
  useWaSaveRuleMutation: useSaveRuleMutation,
  useWaDeleteRuleMutation: useDeleteRuleMutation,
  useWaListFiringsQuery: useListFiringsQuery,
  useWaTestRuleMutation: useTestRuleMutation,
} = notificationsApi;
