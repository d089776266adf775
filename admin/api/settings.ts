import type { ListHostContentTypes, SearchRecipients } from '../../contracts/host';
import type { CreateNumber, ListNumbers, ListTeams, UpdateNumber } from '../../contracts/numbers';
import type { ListQuickReplies, QuickReply, SaveQuickReply } from '../../contracts/quick-replies';
import type { GetDefaultNumber, GetInboxSettings, GetSettings, UpdateSettings } from '../../contracts/settings';
import { baseApi, listTags, FRESH } from './base';

/** An admin user as `GET /admin/users` lists them (Strapi's own route, used to pick auto-lead owners). */
export interface AdminUserRow {
  id: number;
  firstname?: string | null;
  lastname?: string | null;
  username?: string | null;
  email: string;
}

/** Numbers, teams, the settings, quick replies and what the host app offers. */
export const settingsApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    waListNumbers: build.query<ListNumbers.Response['data'], void>({
      keepUnusedDataFor: FRESH,
      query: () => '/whatsapp/numbers',
      transformResponse: (res: ListNumbers.Response) => res.data,
      providesTags: (rows) => listTags('WaNumber', rows),
    }),
    waCreateNumber: build.mutation<CreateNumber.Response['data'], CreateNumber.Request>({
      query: (body) => ({ url: '/whatsapp/numbers', method: 'POST', data: body }),
      transformResponse: (res: CreateNumber.Response) => res.data,
      invalidatesTags: [{ type: 'WaNumber', id: 'LIST' }, 'WaSendOption'],
    }),
    waUpdateNumber: build.mutation<UpdateNumber.Response['data'], { id: number; body: UpdateNumber.Request }>({
      query: ({ id, body }) => ({ url: `/whatsapp/numbers/${id}`, method: 'PUT', data: body }),
      transformResponse: (res: UpdateNumber.Response) => res.data,
      // A switch flipped in the list shows its new state at once, and its old one again if refused.
      async onQueryStarted({ id, body }, { dispatch, queryFulfilled }) {
        if (body.active === undefined) return;
        const patch = dispatch(settingsApi.util.updateQueryData('waListNumbers', undefined, (rows) => void rows.forEach((n) => n.id === id && (n.active = body.active!))));
        queryFulfilled.catch(patch.undo);
      },
      invalidatesTags: (_r, _e, { id }) => [{ type: 'WaNumber', id }, 'WaSendOption'],
    }),
    waDeleteNumber: build.mutation<void, number>({
      query: (id) => ({ url: `/whatsapp/numbers/${id}`, method: 'DELETE' }),
      invalidatesTags: (_r, _e, id) => [{ type: 'WaNumber', id }, { type: 'WaNumber', id: 'LIST' }, 'WaSendOption'],
    }),
    waListTeams: build.query<ListTeams.Response['data'], void>({
      keepUnusedDataFor: FRESH,
      query: () => '/whatsapp/teams',
      transformResponse: (res: ListTeams.Response) => res.data,
      providesTags: ['WaTeam'],
    }),
    waGetSettings: build.query<GetSettings.Response, void>({
      keepUnusedDataFor: FRESH,
      query: () => '/whatsapp/settings',
      providesTags: ['WaSettings'],
    }),
    waUpdateSettings: build.mutation<UpdateSettings.Response, UpdateSettings.Request>({
      query: (body) => ({ url: '/whatsapp/settings', method: 'PUT', data: body }),
      // Every card's answer is the whole settings: the inbox's view and the default number follow.
      invalidatesTags: ['WaSettings'],
    }),
    waGetInboxSettings: build.query<GetInboxSettings.Response['data'], void>({
      keepUnusedDataFor: FRESH,
      query: () => '/whatsapp/settings/inbox',
      transformResponse: (res: GetInboxSettings.Response) => res.data,
      providesTags: ['WaSettings'],
    }),
    waGetDefaultNumber: build.query<number | null, void>({
      keepUnusedDataFor: FRESH,
      query: () => '/whatsapp/settings/default-number',
      transformResponse: (res: GetDefaultNumber.Response) => res.data.numberId,
      providesTags: ['WaSettings'],
    }),
    waListHostTypes: build.query<ListHostContentTypes.Response['data'], void>({
      keepUnusedDataFor: FRESH,
      query: () => '/whatsapp/host/content-types',
      transformResponse: (res: ListHostContentTypes.Response) => res.data,
      providesTags: ['WaHostType', 'WaSettings'],
    }),
    waSearchRecipients: build.query<SearchRecipients.Response['data'], string>({
      keepUnusedDataFor: FRESH,
      query: (q) => ({ url: '/whatsapp/host/recipients', config: { params: { q } } }),
      transformResponse: (res: SearchRecipients.Response) => res.data,
    }),
    waListAdminUsers: build.query<AdminUserRow[], void>({
      keepUnusedDataFor: FRESH,
      query: () => ({ url: '/admin/users', config: { params: { pageSize: 100 } } }),
      transformResponse: (res: { data: { results: AdminUserRow[] } }) => res.data.results,
    }),
    waListQuickReplies: build.query<QuickReply[], void>({
      keepUnusedDataFor: FRESH,
      query: () => '/whatsapp/quick-replies',
      transformResponse: (res: ListQuickReplies.Response) => res.data,
      providesTags: (rows) => listTags('WaQuickReply', rows),
    }),
    waSaveQuickReply: build.mutation<QuickReply, { id: number | null; body: SaveQuickReply.Request }>({
      query: ({ id, body }) =>
        id === null ? { url: '/whatsapp/quick-replies', method: 'POST', data: body } : { url: `/whatsapp/quick-replies/${id}`, method: 'PUT', data: body },
      transformResponse: (res: SaveQuickReply.Response) => res.data,
      invalidatesTags: (_r, _e, { id }) => [{ type: 'WaQuickReply', id: id ?? 'LIST' }, { type: 'WaQuickReply', id: 'LIST' }],
    }),
    waDeleteQuickReply: build.mutation<void, number>({
      query: (id) => ({ url: `/whatsapp/quick-replies/${id}`, method: 'DELETE' }),
      invalidatesTags: [{ type: 'WaQuickReply', id: 'LIST' }],
    }),
  }),
});

export const {
  useWaListNumbersQuery: useListNumbersQuery,
  useWaCreateNumberMutation: useCreateNumberMutation,
  useWaUpdateNumberMutation: useUpdateNumberMutation,
  useWaDeleteNumberMutation: useDeleteNumberMutation,
  useWaListTeamsQuery: useListTeamsQuery,
  useWaGetSettingsQuery: useGetSettingsQuery,
  useWaUpdateSettingsMutation: useUpdateSettingsMutation,
  useWaGetInboxSettingsQuery: useGetInboxSettingsQuery,
  useWaGetDefaultNumberQuery: useGetDefaultNumberQuery,
  useWaListHostTypesQuery: useListHostTypesQuery,
  useWaSearchRecipientsQuery: useSearchRecipientsQuery,
  useWaListAdminUsersQuery: useListAdminUsersQuery,
  useWaListQuickRepliesQuery: useListQuickRepliesQuery,
  useWaSaveQuickReplyMutation: useSaveQuickReplyMutation,
  useWaDeleteQuickReplyMutation: useDeleteQuickReplyMutation,
} = settingsApi;
