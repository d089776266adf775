import type { AssigneeOption, Conversation, ConversationDetail, Message, ReplyRequest } from '../../contracts/inbox';
import { baseApi, type Data, type Tag, FRESH } from './base';

/** One run of the conversation list: `pages` pages of `pageSize` from `page`, for a filter query string. */
export interface ConversationsArg {
  query: string;
  page: number;
  pages: number;
  pageSize: number;
}

export interface ConversationsPage {
  rows: Conversation[];
  total: number;
}

interface ListResponse<T> {
  data: T[];
  meta?: { pagination?: { total: number } };
}

export type ConversationAction = 'assign' | 'close' | 'reopen' | 'ticket';

/** A live event's tags: what the server says changed. */
export type LiveTag = { type: Tag; id?: number | 'LIST' };

/** The uploaded file as Strapi's upload plugin answers it. */
export interface UploadedFile {
  id: number;
  name: string;
  mime: string;
  url: string;
}

/**
 * RTK Query (1.9) drops an invalidation for a query still on its way, whose answer may predate the
 * change: such queries are noted here by `waLiveChange` and asked again once they have answered.
 */
const stale = new Set<string>();
const staleKey = (endpoint: string, arg: unknown) => `${endpoint}:${JSON.stringify(arg)}`;
const touches = (tags: LiveTag[], endpoint: string, arg: unknown) =>
  (endpoint === 'waListConversations' && tags.some((tag) => tag.type === 'WaConversation')) ||
  (endpoint === 'waGetConversation' && tags.some((tag) => tag.type === 'WaConversation' && (tag.id === undefined || tag.id === arg))) ||
  (endpoint === 'waListMessages' && tags.some((tag) => tag.type === 'WaMessages' && (tag.id === undefined || tag.id === arg)));
/** Once the answer is in: asked again when a change was announced while it was on its way. */
const askAgainIfStale =
  <A,>(endpoint: string, again: (arg: A) => any) =>
  async (arg: A, { dispatch, queryFulfilled }: { dispatch: (action: any) => unknown; queryFulfilled: Promise<unknown> }) => {
    await queryFulfilled.catch(() => undefined);
    if (stale.delete(staleKey(endpoint, arg))) dispatch(again(arg));
  };
const AGAIN = { subscribe: false, forceRefetch: true } as const;

const conversationTags = (id: number) => [{ type: 'WaConversation' as const, id }, { type: 'WaConversation' as const, id: 'LIST' as const }];

/** The inbox: conversations, their messages, what staff do with them, and the live stream's ticket. */
export const inboxApi = baseApi.injectEndpoints({
  endpoints: (build) => ({
    waListConversations: build.query<ConversationsPage, ConversationsArg>({
      keepUnusedDataFor: FRESH,
      onQueryStarted: askAgainIfStale('waListConversations', (arg: ConversationsArg) => inboxApi.endpoints.waListConversations.initiate(arg, AGAIN)),
      async queryFn({ query, page, pages, pageSize }, _api, _extra, baseQuery) {
        const answers = await Promise.all(
          Array.from({ length: pages }, (_, i) => {
            const params = new URLSearchParams(query);
            params.set('page', String(page + i));
            params.set('pageSize', String(pageSize));
            return baseQuery(`/whatsapp/conversations?${params}`);
          })
        );
        const failed = answers.find((a) => a.error);
        if (failed?.error) return { error: failed.error };
        const bodies = answers.map((a) => a.data as ListResponse<Conversation>);
        return { data: { rows: bodies.flatMap((b) => b.data), total: bodies[0]?.meta?.pagination?.total ?? 0 } };
      },
      providesTags: (res) => [{ type: 'WaConversation', id: 'LIST' }, ...(res?.rows ?? []).map((c) => ({ type: 'WaConversation' as const, id: c.id }))],
    }),
    waGetConversation: build.query<ConversationDetail, number>({
      keepUnusedDataFor: FRESH,
      query: (id) => `/whatsapp/conversations/${id}`,
      onQueryStarted: askAgainIfStale('waGetConversation', (id: number) => inboxApi.endpoints.waGetConversation.initiate(id, AGAIN)),
      transformResponse: (res: Data<ConversationDetail>) => res.data,
      providesTags: (_r, _e, id) => [{ type: 'WaConversation', id }],
    }),
    waListMessages: build.query<Message[], number>({
      keepUnusedDataFor: FRESH,
      query: (id) => ({ url: `/whatsapp/conversations/${id}/messages`, config: { params: { pageSize: '100' } } }),
      onQueryStarted: askAgainIfStale('waListMessages', (id: number) => inboxApi.endpoints.waListMessages.initiate(id, AGAIN)),
      // The API answers newest first; the thread reads oldest at the top.
      transformResponse: (res: ListResponse<Message>) => [...res.data].reverse(),
      providesTags: (_r, _e, id) => [{ type: 'WaMessages', id }],
    }),
    waListAssignees: build.query<AssigneeOption[], number>({
      keepUnusedDataFor: FRESH,
      query: (numberId) => ({ url: '/whatsapp/assignees', config: { params: { numberId: String(numberId) } } }),
      transformResponse: (res: Data<AssigneeOption[]>) => res.data,
      providesTags: ['WaAssignee'],
    }),
    waMarkRead: build.mutation<void, number>({
      query: (id) => ({ url: `/whatsapp/conversations/${id}/read`, method: 'POST', data: {} }),
      async onQueryStarted(id, { dispatch }) {
        // Shown read at once, so the open conversation does not ask twice.
        dispatch(inboxApi.util.updateQueryData('waGetConversation', id, (c) => void (c.unread = 0)));
      },
      invalidatesTags: [{ type: 'WaConversation', id: 'LIST' }],
    }),
    waActOnConversation: build.mutation<Conversation, { id: number; action: ConversationAction; body?: object }>({
      query: ({ id, action, body }) => ({ url: `/whatsapp/conversations/${id}/${action}`, method: 'POST', data: body ?? {} }),
      // A ticket answers `{ conversation, ticket }`; the other actions the conversation itself.
      transformResponse: (res: Data<Conversation | { conversation: Conversation }>) => ('conversation' in res.data ? res.data.conversation : res.data),
      // The action's answer is shown at once; the reload its tags start follows.
      async onQueryStarted({ id }, { dispatch, queryFulfilled }) {
        const { data } = await queryFulfilled.catch(() => ({ data: null }));
        if (data) dispatch(inboxApi.util.updateQueryData('waGetConversation', id, (c) => void Object.assign(c, data)));
      },
      invalidatesTags: (_r, _e, { id }) => conversationTags(id),
    }),
    waSendReply: build.mutation<void, { conversationId: number; body: ReplyRequest }>({
      query: ({ conversationId, body }) => ({ url: `/whatsapp/conversations/${conversationId}/messages`, method: 'POST', data: body }),
      invalidatesTags: (_r, _e, { conversationId }) => [...conversationTags(conversationId), { type: 'WaMessages', id: conversationId }],
    }),
    waStartConversation: build.mutation<Conversation, object>({
      query: (body) => ({ url: '/whatsapp/conversations', method: 'POST', data: body }),
      transformResponse: (res: Data<Conversation | { conversation: Conversation }>) => ('conversation' in res.data ? res.data.conversation : res.data),
      invalidatesTags: [{ type: 'WaConversation', id: 'LIST' }],
    }),
    waUploadFile: build.mutation<UploadedFile, File>({
      query: (file) => {
        const form = new FormData();
        form.append('files', file);
        return { url: '/upload', method: 'POST', data: form };
      },
      transformResponse: (res: UploadedFile[]) => {
        const [uploaded] = Array.isArray(res) ? res : [];
        if (!uploaded?.id) throw new Error('the upload answered no file');
        return uploaded;
      },
    }),
    waStreamTicket: build.mutation<{ ticket: string; url?: string }, void>({
      query: () => ({ url: '/whatsapp/stream/ticket', method: 'POST', data: {} }),
      transformResponse: (res: Data<{ ticket: string; url?: string }>) => res.data,
    }),
    /** A change the server announced: its tags are invalidated, so every open view of it reloads (see `stale`). */
    waLiveChange: build.mutation<null, LiveTag[]>({
      queryFn: () => ({ data: null }),
      invalidatesTags: (_r, _e, tags) => tags,
      onQueryStarted(tags, { getState }) {
        const queries = (getState() as { adminApi: { queries: Record<string, { status: string; endpointName?: string; originalArgs?: unknown } | undefined> } }).adminApi.queries;
        for (const query of Object.values(queries)) {
          if (query?.status === 'pending' && query.endpointName && touches(tags, query.endpointName, query.originalArgs)) stale.add(staleKey(query.endpointName, query.originalArgs));
        }
      },
    }),
  }),
});

export const {
  useWaListConversationsQuery: useListConversationsQuery,
  useWaGetConversationQuery: useGetConversationQuery,
  useWaListMessagesQuery: useListMessagesQuery,
  useWaListAssigneesQuery: useListAssigneesQuery,
  useWaMarkReadMutation: useMarkReadMutation,
  useWaActOnConversationMutation: useActOnConversationMutation,
  useWaSendReplyMutation: useSendReplyMutation,
  useWaStartConversationMutation: useStartConversationMutation,
  useWaUploadFileMutation: useUploadFileMutation,
  useWaStreamTicketMutation: useStreamTicketMutation,
  useWaLiveChangeMutation: useLiveChangeMutation,
} = inboxApi;
