import type { Campaign, PreflightResult } from '../../contracts/campaigns';
import type { CampaignAction, CreateCampaign, GetCampaign, LaunchCampaign, ListCampaigns, ListRecipients, Preflight, RetryFailed, TestSend, UpdateCampaign } from '../../contracts/campaign-api';
import { baseApi, listTags, paramsOf, FRESH } from './base';

export type CampaignDetail = GetCampaign.Response['data'];
export type CampaignActionName = 'pause' | 'resume' | 'cancel';

/** A CRM record as the Content Manager lists it, with the list's total. */
export interface AudiencePreview {
  results: (Record<string, unknown> & { documentId: string })[];
  total: number;
}

/** What changes a campaign's figures: the campaign itself, its list row and its recipients. */
const touched = (id: number) => [
  { type: 'WaCampaign' as const, id },
  { type: 'WaCampaign' as const, id: 'LIST' },
  { type: 'WaCampaignRecipient' as const, id },
];

/** Campaigns: the list, the builder's saves and pre-flight, the detail's actions, recipients and their CSV. */
export const campaignsApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    waListCampaigns: build.query<ListCampaigns.Response, ListCampaigns.Query>({
      keepUnusedDataFor: FRESH,
      query: (query) => ({ url: '/whatsapp/campaigns', config: { params: paramsOf(query) } }),
      providesTags: (res) => listTags('WaCampaign', res?.data),
    }),
    waGetCampaign: build.query<CampaignDetail, number>({
      keepUnusedDataFor: FRESH,
      query: (id) => `/whatsapp/campaigns/${id}`,
      transformResponse: (res: GetCampaign.Response) => res.data,
      providesTags: (_r, _e, id) => [{ type: 'WaCampaign', id }],
    }),
    waSaveCampaign: build.mutation<Campaign, { id: number | null; body: UpdateCampaign.Request }>({
      query: ({ id, body }) => (id === null ? { url: '/whatsapp/campaigns', method: 'POST', data: body } : { url: `/whatsapp/campaigns/${id}`, method: 'PUT', data: body }),
      transformResponse: (res: CreateCampaign.Response) => res.data,
      invalidatesTags: (_r, _e, { id }) => (id === null ? [{ type: 'WaCampaign', id: 'LIST' }] : touched(id)),
    }),
    waDeleteCampaign: build.mutation<void, number>({
      query: (id) => ({ url: `/whatsapp/campaigns/${id}`, method: 'DELETE' }),
      invalidatesTags: [{ type: 'WaCampaign', id: 'LIST' }],
    }),
    /** What launching now would do; `spreadOverDays` asks it as a launch spread past today's budget. */
    waPreflightCampaign: build.mutation<PreflightResult, { id: number; body: LaunchCampaign.Request }>({
      query: ({ id, body }) => ({ url: `/whatsapp/campaigns/${id}/preflight`, method: 'POST', data: body }),
      transformResponse: (res: Preflight.Response) => res.data,
    }),
    waLaunchCampaign: build.mutation<LaunchCampaign.Response, { id: number; body: LaunchCampaign.Request }>({
      query: ({ id, body }) => ({ url: `/whatsapp/campaigns/${id}/launch`, method: 'POST', data: body }),
      invalidatesTags: (_r, _e, { id }) => touched(id),
    }),
    /** Pause, resume or cancel. */
    waCampaignAction: build.mutation<Campaign, { id: number; action: CampaignActionName; body?: CampaignAction.Request }>({
      query: ({ id, action, body }) => ({ url: `/whatsapp/campaigns/${id}/${action}`, method: 'POST', data: body ?? {} }),
      transformResponse: (res: CampaignAction.Response) => res.data,
      invalidatesTags: (_r, _e, { id }) => touched(id),
    }),
    waTestSendCampaign: build.mutation<TestSend.Response['data'], { id: number; body: TestSend.Request }>({
      query: ({ id, body }) => ({ url: `/whatsapp/campaigns/${id}/test-send`, method: 'POST', data: body }),
      transformResponse: (res: TestSend.Response) => res.data,
      invalidatesTags: (_r, _e, { id }) => [{ type: 'WaCampaign', id }],
    }),
    waRetryFailedCampaign: build.mutation<RetryFailed.Response['data'], number>({
      query: (id) => ({ url: `/whatsapp/campaigns/${id}/retry-failed`, method: 'POST', data: {} }),
      transformResponse: (res: RetryFailed.Response) => res.data,
      invalidatesTags: (_r, _e, id) => touched(id),
    }),
    waListCampaignRecipients: build.query<ListRecipients.Response, { id: number } & ListRecipients.Query>({
      keepUnusedDataFor: FRESH,
      query: ({ id, ...query }) => ({ url: `/whatsapp/campaigns/${id}/recipients`, config: { params: paramsOf(query) } }),
      providesTags: (_r, _e, { id }) => [{ type: 'WaCampaignRecipient', id }],
    }),
    /** The recipients' CSV as text, fetched with the admin's token (a plain link would not send it). */
    waExportCampaignRecipients: build.mutation<string, number>({
      query: (id) => ({ url: `/whatsapp/campaigns/${id}/recipients.csv`, method: 'GET', config: { responseType: 'text' } }),
    }),
    /** The Content Manager's own list under an audience's filter: the builder's live count and sample. */
    waPreviewAudience: build.query<AudiencePreview, { uid: string; filters: Record<string, unknown> | null }>({
      keepUnusedDataFor: FRESH,
      query: ({ uid, filters }) => ({ url: `/content-manager/collection-types/${uid}`, config: { params: { page: 1, pageSize: 5, ...(filters ? { filters } : {}) } } }),
      transformResponse: (res: { results: AudiencePreview['results']; pagination: { total: number } }) => ({ results: res.results, total: res.pagination.total }),
    }),
  }),
});

export const {
  useWaListCampaignsQuery: useListCampaignsQuery,
  useWaGetCampaignQuery: useGetCampaignQuery,
  useWaSaveCampaignMutation: useSaveCampaignMutation,
  useWaDeleteCampaignMutation: useDeleteCampaignMutation,
  useWaPreflightCampaignMutation: usePreflightCampaignMutation,
  useWaLaunchCampaignMutation: useLaunchCampaignMutation,
  useWaCampaignActionMutation: useCampaignActionMutation,
  useWaTestSendCampaignMutation: useTestSendCampaignMutation,
  useWaRetryFailedCampaignMutation: useRetryFailedCampaignMutation,
  useWaListCampaignRecipientsQuery: useListCampaignRecipientsQuery,
  useWaExportCampaignRecipientsMutation: useExportCampaignRecipientsMutation,
  useWaPreviewAudienceQuery: usePreviewAudienceQuery,
} = campaignsApi;
