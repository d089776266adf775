/**
 * One-click starting points for CRM-event rules, shared by the admin's "Add from preset" menu, the
 * README's table (a unit test keeps the two equal) and anyone scripting rules. A preset names what
 * it looks for; `fromPreset` binds it to what the host's schema really has, so a CRM whose lead
 * calls its phone `mobile` still gets a usable draft. The admin then picks the number and template.
 */
import type { HostContentType } from './host';
import type { NotificationRuleInput, RuleEvent, RuleParameter } from './notifications';

export type PresetId = 'lead-created' | 'contact-created' | 'invoice-added' | 'payment-recorded' | 'ticket-created';

export interface NotificationPreset {
  id: PresetId;
  /** English label; the admin translates `notifications.preset.<id>`. */
  label: string;
  /** The type, by uid first, then by singular name (a host may name its API differently). */
  contentType: string;
  singularNames: string[];
  event: RuleEvent;
  /** For `fieldChanged`: the field, first existing candidate. */
  field?: string[];
  /** The value a candidate must change to, where any change would not mean the event (`paid` turning false). */
  fieldValues?: Record<string, string | boolean>;
  /** Body parameters in order; each is the first existing path among its candidates. */
  body: string[][];
  /** Phone paths on the record or a related one, first existing wins. */
  recipient: string[];
  /** A template body that fits, for the admin to create at the provider. */
  exampleTemplate: string;
}

export const NOTIFICATION_PRESETS: NotificationPreset[] = [
  {
    id: 'lead-created',
    label: 'Lead created',
    contentType: 'api::lead.lead',
    singularNames: ['lead', 'prospect'],
    event: 'created',
    body: [['name', 'fullName', 'firstName']],
    recipient: ['phone', 'mobile', 'whatsapp'],
    exampleTemplate: 'Hi {{1}}, thanks for your interest! We will get back to you shortly.',
  },
  {
    id: 'contact-created',
    label: 'Contact created',
    contentType: 'api::contact.contact',
    singularNames: ['contact', 'customer', 'client'],
    event: 'created',
    body: [['name', 'fullName', 'firstName']],
    recipient: ['phone', 'mobile', 'whatsapp'],
    exampleTemplate: 'Welcome {{1}}! You can reach us here on WhatsApp any time.',
  },
  {
    id: 'invoice-added',
    label: 'Invoice added',
    contentType: 'api::invoice.invoice',
    singularNames: ['invoice', 'bill'],
    event: 'created',
    body: [['number', 'reference', 'title'], ['amount', 'total'], ['currency'], ['dueDate', 'due']],
    recipient: ['contact.phone', 'customer.phone', 'client.phone', 'lead.phone'],
    exampleTemplate: 'Invoice {{1}}: {{2}} {{3}}, due {{4}}.',
  },
  {
    id: 'payment-recorded',
    label: 'Payment recorded',
    contentType: 'api::payment.payment',
    singularNames: ['payment', 'transaction'],
    event: 'fieldChanged',
    field: ['paidAt', 'paid', 'status'],
    fieldValues: { paid: true, status: 'paid' },
    body: [['amount', 'total'], ['invoice.number', 'invoice.reference']],
    recipient: ['invoice.contact.phone', 'contact.phone', 'customer.phone', 'invoice.customer.phone'],
    exampleTemplate: 'We received your payment of {{1}} for invoice {{2}}. Thank you!',
  },
  {
    id: 'ticket-created',
    label: 'Ticket created',
    contentType: 'api::ticket.ticket',
    singularNames: ['ticket', 'case', 'issue'],
    event: 'created',
    body: [['subject', 'title', 'name']],
    recipient: ['contact.phone', 'customer.phone', 'lead.phone', 'phone'],
    exampleTemplate: 'We opened a ticket for you: “{{1}}”. We will keep you posted here.',
  },
];

/** Whether `path` (dots through relations) names a field of `uid`, following the host's schema. */
export const hasPath = (types: HostContentType[], uid: string, path: string): boolean => {
  let type = types.find((t) => t.uid === uid);
  const segments = path.split('.');
  for (const [i, segment] of segments.entries()) {
    const field = type?.fields.find((f) => f.name === segment);
    if (!field) return false;
    if (i === segments.length - 1) return field.type !== 'relation';
    if (field.type !== 'relation' || !field.target) return false;
    type = types.find((t) => t.uid === field.target);
  }
  return false;
};

/** The host type a preset fits, if any. */
export const presetType = (preset: NotificationPreset, types: HostContentType[]) =>
  types.find((t) => t.uid === preset.contentType) ?? types.find((t) => preset.singularNames.includes(t.singularName));

export type PresetDraft = Pick<NotificationRuleInput, 'name' | 'contentType' | 'event' | 'parameters' | 'recipient'> & { field?: string; value?: string | boolean };

/**
 * The rule a preset makes for this host, without number and template: paths that do not exist
 * are left out (the admin fills them), and null when the host has no fitting type.
 */
export const fromPreset = (preset: NotificationPreset, types: HostContentType[]): PresetDraft | null => {
  const type = presetType(preset, types);
  if (!type) return null;
  const first = (candidates: string[]) => candidates.find((path) => hasPath(types, type.uid, path));
  const parameters: RuleParameter[] = [];
  preset.body.forEach((candidates, index) => {
    const path = first(candidates);
    if (path) parameters.push({ component: 'body', index, from: 'field', value: path });
  });
  const field = preset.field ? first(preset.field) : undefined;
  const value = field ? preset.fieldValues?.[field] : undefined;
  return {
    name: preset.label,
    contentType: type.uid,
    event: preset.event === 'fieldChanged' && !field ? 'updated' : preset.event,
    ...(field ? { field } : {}),
    ...(value !== undefined ? { value } : {}),
    parameters,
    recipient: { from: 'field', value: first(preset.recipient) ?? '' },
  };
};
