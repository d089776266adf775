import * as React from 'react';
import type { Suggestion } from '../../../../contracts/assistant';
import { useNotifyError, useRecordOutcomeMutation, useSuggestMutation } from '../../../api';

/**
 * The assistant's draft for one conversation: asked for, put into the composer or rejected; once the
 * used draft is sent, its outcome is logged as accepted (sent as drafted) or edited.
 */
export const useSuggestion = (conversationId: number) => {
  const notifyError = useNotifyError();
  const [suggest, { isLoading: asking }] = useSuggestMutation();
  const [recordOutcome] = useRecordOutcomeMutation();
  const [suggestion, setSuggestion] = React.useState<Suggestion | null>(null);
  const used = React.useRef<Suggestion | null>(null);

  React.useEffect(() => {
    setSuggestion(null);
    used.current = null;
  }, [conversationId]);

  const log = React.useCallback((id: number, outcome: 'accepted' | 'edited' | 'rejected') => recordOutcome({ id, body: { outcome } }).unwrap().catch(notifyError), [notifyError, recordOutcome]);

  return {
    suggestion,
    asking,
    async ask() {
      try {
        setSuggestion(await suggest(conversationId).unwrap());
      } catch (error) {
        notifyError(error);
      }
    },
    /** The draft's text, for the composer; the outcome waits for the send. */
    use() {
      used.current = suggestion;
      setSuggestion(null);
      return suggestion?.text ?? '';
    },
    reject() {
      if (suggestion) log(suggestion.id, 'rejected');
      setSuggestion(null);
    },
    /** Called with what was sent: the used draft's outcome. */
    sent(text: string) {
      const draft = used.current;
      used.current = null;
      if (draft) log(draft.id, text.trim() === draft.text.trim() ? 'accepted' : 'edited');
    },
  };
};
