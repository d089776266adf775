import type { Conversation } from '../../../contracts/inbox';

export interface NewConversationButtonProps {
  /** Called with the conversation the API started (or found), so the page can open it. */
  onStarted: (conversation: Conversation) => void;
}

/**
 * "New conversation": a template to a phone number or to a CRM record's phone.
 * Placeholder until the template picker lands; renders nothing.
 */
export const NewConversationButton = (_props: NewConversationButtonProps) => null;
