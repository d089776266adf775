import type { ListSendOptions, ListTemplates, RegisterTemplate, SyncTemplates } from '../../contracts/templates';
import { baseApi, listTags, paramsOf, FRESH } from './base';

export interface TemplatesQuery {
  numberId?: number | string;
  status?: string;
  includeRemoved?: boolean;
}

/** Templates as synced from the providers, and what each number may send. */
export const templatesApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    waListTemplates: build.query<ListTemplates.Response['data'], TemplatesQuery>({
      keepUnusedDataFor: FRESH,
      query: (query) => ({ url: '/whatsapp/templates', config: { params: paramsOf(query) } }),
      transformResponse: (res: ListTemplates.Response) => res.data,
      providesTags: (rows) => listTags('WaTemplate', rows),
    }),
    waSyncTemplates: build.mutation<SyncTemplates.Response['data'], SyncTemplates.Request>({
      query: (body) => ({ url: '/whatsapp/templates/sync', method: 'POST', data: body }),
      transformResponse: (res: SyncTemplates.Response) => res.data,
      invalidatesTags: ['WaTemplate', 'WaSendOption'],
    }),
    waRegisterTemplate: build.mutation<RegisterTemplate.Response['data'], RegisterTemplate.Request>({
      query: (body) => ({ url: '/whatsapp/templates', method: 'POST', data: body }),
      transformResponse: (res: RegisterTemplate.Response) => res.data,
      invalidatesTags: ['WaTemplate', 'WaSendOption'],
    }),
    waListSendOptions: build.query<ListSendOptions.Response['data'], void>({
      keepUnusedDataFor: FRESH,
      query: () => '/whatsapp/send-options',
      transformResponse: (res: ListSendOptions.Response) => res.data,
      providesTags: ['WaSendOption'],
    }),
  }),
});

export const {
  useWaListTemplatesQuery: useListTemplatesQuery,
  useWaSyncTemplatesMutation: useSyncTemplatesMutation,
  useWaRegisterTemplateMutation: useRegisterTemplateMutation,
  useWaListSendOptionsQuery: useListSendOptionsQuery,
} = templatesApi;
