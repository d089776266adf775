import type { AddCollectionKnowledge, AddKnowledge, Evaluate, GetAssistantSettings, GetFigures, ListEvaluations, ListKnowledge, RecordOutcome, ReindexKnowledge, SaveAssistantSettings, Suggest, UploadKnowledge } from '../../contracts/assistant';
import { baseApi, listTags, FRESH } from './base';

/** The AI assistant: its settings, its knowledge sources and suggestions in the inbox. */
export const assistantApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    waGetAssistantSettings: build.query<GetAssistantSettings.Response['data'], void>({
      keepUnusedDataFor: FRESH,
      query: () => '/whatsapp/assistant/settings',
      transformResponse: (res: GetAssistantSettings.Response) => res.data,
      providesTags: ['WaAssistantSettings'],
    }),
    waSaveAssistantSettings: build.mutation<SaveAssistantSettings.Response['data'], SaveAssistantSettings.Request>({
      query: (body) => ({ url: '/whatsapp/assistant/settings', method: 'PUT', data: body }),
      transformResponse: (res: SaveAssistantSettings.Response) => res.data,
      invalidatesTags: ['WaAssistantSettings'],
    }),
    waListEvaluations: build.query<ListEvaluations.Response['data'], void>({
      keepUnusedDataFor: FRESH,
      query: () => '/whatsapp/assistant/evaluations',
      transformResponse: (res: ListEvaluations.Response) => res.data,
      providesTags: ['WaAssistantEvaluations'],
    }),
    waEvaluate: build.mutation<Evaluate.Response['data'], Evaluate.Request>({
      query: (body) => ({ url: '/whatsapp/assistant/evaluate', method: 'POST', data: body }),
      transformResponse: (res: Evaluate.Response) => res.data,
      invalidatesTags: ['WaAssistantEvaluations'],
    }),
    waGetAssistantFigures: build.query<GetFigures.Response['data'], void>({
      keepUnusedDataFor: FRESH,
      query: () => '/whatsapp/assistant/figures',
      transformResponse: (res: GetFigures.Response) => res.data,
      providesTags: ['WaAssistantFigures'],
    }),
    waListKnowledge: build.query<ListKnowledge.Response['data'], void>({
      keepUnusedDataFor: FRESH,
      query: () => '/whatsapp/assistant/knowledge',
      transformResponse: (res: ListKnowledge.Response) => res.data,
      providesTags: (rows) => listTags('WaKnowledge', rows),
    }),
    waAddKnowledge: build.mutation<AddKnowledge.Response['data'], AddKnowledge.Request>({
      query: (body) => ({ url: '/whatsapp/assistant/knowledge', method: 'POST', data: body }),
      transformResponse: (res: AddKnowledge.Response) => res.data,
      invalidatesTags: [{ type: 'WaKnowledge', id: 'LIST' }],
    }),
    waAddCollectionKnowledge: build.mutation<AddCollectionKnowledge.Response['data'], AddCollectionKnowledge.Request>({
      query: (body) => ({ url: '/whatsapp/assistant/knowledge', method: 'POST', data: body }),
      transformResponse: (res: AddCollectionKnowledge.Response) => res.data,
      invalidatesTags: [{ type: 'WaKnowledge', id: 'LIST' }],
    }),
    waUploadKnowledge: build.mutation<UploadKnowledge.Response['data'], { files: File[]; numberIds?: number[] }>({
      query: ({ files, numberIds }) => {
        const data = new FormData();
        files.forEach((file) => data.append('files', file));
        if (numberIds?.length) data.append('numberIds', numberIds.join(','));
        return { url: '/whatsapp/assistant/knowledge/upload', method: 'POST', data };
      },
      transformResponse: (res: UploadKnowledge.Response) => res.data,
      invalidatesTags: [{ type: 'WaKnowledge', id: 'LIST' }],
    }),
    waDeleteKnowledge: build.mutation<void, number>({
      query: (id) => ({ url: `/whatsapp/assistant/knowledge/${id}`, method: 'DELETE' }),
      invalidatesTags: (_r, _e, id) => [{ type: 'WaKnowledge', id }, { type: 'WaKnowledge', id: 'LIST' }],
    }),
    waReindexKnowledge: build.mutation<ReindexKnowledge.Response['data'], void>({
      query: () => ({ url: '/whatsapp/assistant/knowledge/reindex', method: 'POST', data: {} }),
      transformResponse: (res: ReindexKnowledge.Response) => res.data,
      invalidatesTags: [{ type: 'WaKnowledge', id: 'LIST' }],
    }),
    waSuggest: build.mutation<Suggest.Response['data'], number>({
      query: (conversationId) => ({ url: `/whatsapp/conversations/${conversationId}/suggest`, method: 'POST', data: {} }),
      transformResponse: (res: Suggest.Response) => res.data,
    }),
    waRecordOutcome: build.mutation<RecordOutcome.Response['data'], { id: number; body: RecordOutcome.Request }>({
      query: ({ id, body }) => ({ url: `/whatsapp/assistant/suggestions/${id}/outcome`, method: 'POST', data: body }),
      transformResponse: (res: RecordOutcome.Response) => res.data,
    }),
  }),
});

export const {
  useWaGetAssistantSettingsQuery: useGetAssistantSettingsQuery,
  useWaSaveAssistantSettingsMutation: useSaveAssistantSettingsMutation,
  useWaListEvaluationsQuery: useListEvaluationsQuery,
  useWaEvaluateMutation: useEvaluateMutation,
  useWaGetAssistantFiguresQuery: useGetAssistantFiguresQuery,
  useWaListKnowledgeQuery: useListKnowledgeQuery,
  useWaAddKnowledgeMutation: useAddKnowledgeMutation,
  useWaAddCollectionKnowledgeMutation: useAddCollectionKnowledgeMutation,
  useWaUploadKnowledgeMutation: useUploadKnowledgeMutation,
  useWaDeleteKnowledgeMutation: useDeleteKnowledgeMutation,
  useWaReindexKnowledgeMutation: useReindexKnowledgeMutation,
  useWaSuggestMutation: useSuggestMutation,
  useWaRecordOutcomeMutation: useRecordOutcomeMutation,
} = assistantApi;
