import type { Bot, BotNumberSettings } from '../../contracts/bots';
import type { BotNumber, DeleteBot, ListBots, OrderBots, SaveBot, TestBots } from '../../contracts/bot-api';
import { baseApi, FRESH, listTags } from './base';

/** The per-number switch is cached under the bots' tag, with an id no bot has. */
const numberTag = (numberId: number) => ({ type: 'WaBot' as const, id: `number-${numberId}` });

/** Bots (`/whatsapp/bots`): the list, saving, order, the per-number switch and the preview. */
export const botsApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    waListBots: build.query<Bot[], void>({
      keepUnusedDataFor: FRESH,
      query: () => '/whatsapp/bots',
      transformResponse: (res: ListBots.Response) => res.data,
      providesTags: (rows) => listTags('WaBot', rows),
    }),
    waSaveBot: build.mutation<Bot, { id: number | null; body: SaveBot.Request }>({
      query: ({ id, body }) => (id === null ? { url: '/whatsapp/bots', method: 'POST', data: body } : { url: `/whatsapp/bots/${id}`, method: 'PUT', data: body }),
      transformResponse: (res: SaveBot.Response) => res.data,
      // A switch flipped in the list shows its new state at once, and its old one again if refused.
      async onQueryStarted({ id, body }, { dispatch, queryFulfilled }) {
        if (id === null || body.active === undefined) return;
        const patch = dispatch(botsApi.util.updateQueryData('waListBots', undefined, (rows) => void rows.forEach((b) => b.id === id && (b.active = body.active!))));
        queryFulfilled.catch(patch.undo);
      },
      invalidatesTags: (_r, _e, { id }) => [{ type: 'WaBot', id: id ?? 'LIST' }, { type: 'WaBot', id: 'LIST' }],
    }),
    waDeleteBot: build.mutation<DeleteBot.Response['data'], number>({
      query: (id) => ({ url: `/whatsapp/bots/${id}`, method: 'DELETE' }),
      transformResponse: (res: DeleteBot.Response) => res.data,
      invalidatesTags: [{ type: 'WaBot', id: 'LIST' }],
    }),
    waOrderBots: build.mutation<Bot[], OrderBots.Request>({
      query: (body) => ({ url: '/whatsapp/bots/order', method: 'PUT', data: body }),
      transformResponse: (res: OrderBots.Response) => res.data,
      // A dropped row stays where it was dropped while the server saves the order, and goes back if refused.
      async onQueryStarted({ ids }, { dispatch, queryFulfilled }) {
        const patch = dispatch(
          botsApi.util.updateQueryData('waListBots', undefined, (rows) => void rows.forEach((b) => ids.includes(b.id) && (b.priority = ids.indexOf(b.id))))
        );
        queryFulfilled.catch(patch.undo);
      },
      invalidatesTags: [{ type: 'WaBot', id: 'LIST' }],
    }),
    waGetBotNumber: build.query<BotNumberSettings, number>({
      keepUnusedDataFor: FRESH,
      query: (numberId) => `/whatsapp/bots/numbers/${numberId}`,
      transformResponse: (res: BotNumber.Response) => res.data,
      providesTags: (_r, _e, numberId) => [numberTag(numberId)],
    }),
    waSaveBotNumber: build.mutation<BotNumberSettings, { numberId: number; body: BotNumber.Request }>({
      query: ({ numberId, body }) => ({ url: `/whatsapp/bots/numbers/${numberId}`, method: 'PUT', data: body }),
      transformResponse: (res: BotNumber.Response) => res.data,
      async onQueryStarted({ numberId, body }, { dispatch, queryFulfilled }) {
        if (body.enabled === undefined) return;
        const patch = dispatch(botsApi.util.updateQueryData('waGetBotNumber', numberId, (s) => void (s.enabled = body.enabled!)));
        queryFulfilled.catch(patch.undo);
      },
      invalidatesTags: (_r, _e, { numberId }) => [numberTag(numberId)],
    }),
    /** The preview: the runtime's engine on a message, nothing sent (a mutation: every try asks again). */
    waTestBots: build.mutation<TestBots.Response['data'], TestBots.Request>({
      query: (body) => ({ url: '/whatsapp/bots/test', method: 'POST', data: body }),
      transformResponse: (res: TestBots.Response) => res.data,
    }),
  }),
});

export const {
  useWaListBotsQuery: useListBotsQuery,
  useWaSaveBotMutation: useSaveBotMutation,
  useWaDeleteBotMutation: useDeleteBotMutation,
  useWaOrderBotsMutation: useOrderBotsMutation,
  useWaGetBotNumberQuery: useGetBotNumberQuery,
  useWaSaveBotNumberMutation: useSaveBotNumberMutation,
  useWaTestBotsMutation: useTestBotsMutation,
} = botsApi;
