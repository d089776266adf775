import { useListQuickRepliesQuery } from '../../../api';
import type { QuickReply } from './quickReplyText';

export type { QuickReply };

/** The saved quick replies (shared with the settings page's list, so an edit there shows here). */
export const useQuickReplies = () => {
  const { data, isError } = useListQuickRepliesQuery();
  return { status: isError ? 'error' : data ? 'ready' : 'loading', replies: data ?? [] } as const;
};
