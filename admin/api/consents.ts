import type { GetConsent, ListConsents, SetConsent } from '../../contracts/consent';
import { baseApi, paramsOf, type Data, FRESH } from './base';

/** Customers' consent per number: the Consent page's list, one customer's history, and staff changes. */
export const consentsApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    waListConsents: build.query<ListConsents.Response, ListConsents.Query>({
      keepUnusedDataFor: FRESH,
      query: (query) => ({ url: '/whatsapp/consents', config: { params: paramsOf(query) } }),
      providesTags: [{ type: 'WaConsent', id: 'LIST' }],
    }),
    waGetConsent: build.query<GetConsent.Response['data'], { numberId: number; phone: string }>({
      keepUnusedDataFor: FRESH,
      query: ({ numberId, phone }) => `/whatsapp/consents/${numberId}/${encodeURIComponent(phone.replace(/\D/g, ''))}`,
      transformResponse: (res: GetConsent.Response) => res.data,
      providesTags: (_r, _e, { numberId, phone }) => [{ type: 'WaConsent', id: `${numberId}:${phone}` }],
    }),
    waExportConsents: build.mutation<string, ListConsents.Query>({
      query: (query) => ({ url: '/whatsapp/consents/export', method: 'GET', config: { params: paramsOf(query), responseType: 'text' } }),
    }),
    waSetConsent: build.mutation<SetConsent.Response['data'], { numberId: number; phone: string; body: SetConsent.Request; conversationId?: number }>({
      query: ({ numberId, phone, body }) => ({ url: `/whatsapp/consents/${numberId}/${encodeURIComponent(phone.replace(/\D/g, ''))}`, method: 'PUT', data: body }),
      transformResponse: (res: Data<SetConsent.Response['data']>) => res.data,
      // The inbox header shows consent: its conversation reloads with the list.
      invalidatesTags: (_r, _e, { numberId, phone, conversationId }) => [
        { type: 'WaConsent', id: 'LIST' },
        { type: 'WaConsent', id: `${numberId}:${phone}` },
        ...(conversationId ? [{ type: 'WaConversation' as const, id: conversationId }] : []),
      ],
    }),
  }),
});

export const { useWaListConsentsQuery: useListConsentsQuery, useWaExportConsentsMutation: useExportConsentsMutation, useWaGetConsentQuery: useGetConsentQuery, useWaSetConsentMutation: useSetConsentMutation } = consentsApi;
