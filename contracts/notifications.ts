/** CRM-event notification rules, shared by the server and the admin panel. */

export type RuleEvent = 'created' | 'updated' | 'fieldChanged' | 'published' | 'deleted' | 'dateOffset';

export interface RuleParameter {
  component: 'header' | 'body' | 'button';
  /** Position (0-based) among the component's parameters, or the button's index. */
  index?: number;
  /** For named templates. */
  name?: string;
  from: 'field' | 'constant' | 'link';
  /** A field path (dots through relations: `contact.name`), a constant, or unused for `link`. */
  value?: string;
}

export interface NotificationRuleInput {
  name: string;
  contentType: string;
  event: RuleEvent;
  /** fieldChanged and dateOffset; null clears it (an edit to another event). */
  field?: string | null;
  /** fieldChanged: the value it changed to; null for any change. */
  value?: unknown;
  /** dateOffset only; null clears it. */
  offsetDays?: number | null;
  /** Every key must equal: `{ "status": "won" }`; paths with dots reach relations. */
  condition?: Record<string, unknown> | null;
  numberId: number;
  template: { name: string; language: string };
  parameters?: RuleParameter[];
  recipient: { from: 'field' | 'constant'; value: string };
  active?: boolean;
}

export interface NotificationRule extends NotificationRuleInput {
  id: number;
  active: boolean;
}

export interface FiringTrace {
  matched: boolean;
  reason?: string;
  /** As the provider got them; a value from a field the viewer may not read in the Content Manager is `•••`, with `redacted: true`. */
  parameters?: unknown;
  /** `•••` when read from a field the viewer may not read. */
  recipient?: string | null;
  /** Some value above was hidden from this viewer. */
  redacted?: boolean;
  messageId?: number | null;
  message?: { status: string; providerMessageId: string | null; errorClass: string | null; errorCode: string | null; errorText: string | null } | null;
}

export interface Firing {
  id: number;
  ruleId: number;
  contentType: string;
  recordDocumentId: string;
  /** The record's locale, on localized types. */
  locale?: string | null;
  event: string;
  state: 'pending' | 'queued' | 'skipped' | 'not-matched' | 'failed';
  error: string | null;
  trace: FiringTrace | null;
  createdAt: string;
}
