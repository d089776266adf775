import type { ListApiLogs, ListWebhookLogs, ReplayWebhooks, WebhookLogDetail } from '../../contracts/logs';
import { baseApi, paramsOf, type Data, FRESH } from './base';

export type ApiLogsQuery = Pick<ListWebhookLogs.Query, 'numberId' | 'page' | 'pageSize'>;

/** The webhook calls received and the provider calls made, and replaying received calls. */
export const logsApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    waListWebhookLogs: build.query<ListWebhookLogs.Response, ListWebhookLogs.Query>({
      keepUnusedDataFor: FRESH,
      query: (query) => ({ url: '/whatsapp/logs/webhooks', config: { params: paramsOf(query) } }),
      providesTags: ['WaWebhookLog'],
    }),
    waGetWebhookLog: build.query<WebhookLogDetail, number>({
      keepUnusedDataFor: FRESH,
      query: (id) => `/whatsapp/logs/webhooks/${id}`,
      transformResponse: (res: Data<WebhookLogDetail>) => res.data,
      providesTags: (_r, _e, id) => [{ type: 'WaWebhookLog', id }],
    }),
    waReplayWebhook: build.mutation<void, number>({
      query: (id) => ({ url: `/whatsapp/logs/webhooks/${id}/replay`, method: 'POST' }),
      invalidatesTags: ['WaWebhookLog'],
    }),
    waReplayWebhooks: build.mutation<ReplayWebhooks.Response['data'], ReplayWebhooks.Request>({
      query: (body) => ({ url: '/whatsapp/logs/webhooks/replay', method: 'POST', data: body }),
      transformResponse: (res: ReplayWebhooks.Response) => res.data,
      invalidatesTags: ['WaWebhookLog'],
    }),
    waListApiLogs: build.query<ListApiLogs.Response, ApiLogsQuery>({
      keepUnusedDataFor: FRESH,
      query: (query) => ({ url: '/whatsapp/logs/api', config: { params: paramsOf(query) } }),
      providesTags: ['WaApiLog'],
    }),
  }),
});

export const {
  useWaListWebhookLogsQuery: useListWebhookLogsQuery,
  useWaGetWebhookLogQuery: useGetWebhookLogQuery,
  useWaReplayWebhookMutation: useReplayWebhookMutation,
  useWaReplayWebhooksMutation: useReplayWebhooksMutation,
  useWaListApiLogsQuery: useListApiLogsQuery,
} = logsApi;
