import type { HostContentType } from '../../../contracts/host';
import type { PresetDraft } from '../../../contracts/notification-presets';
import type { FiringTrace, NotificationRule, NotificationRuleInput, RuleEvent, RuleParameter } from '../../../contracts/notifications';
import type { WhatsAppTemplate } from '../../../contracts/templates';

export const EVENTS: RuleEvent[] = ['created', 'updated', 'fieldChanged', 'published', 'deleted', 'dateOffset'];

/** One template parameter to fill: `body:0`, `header:0`, `button:1`. */
export interface Slot {
  key: string;
  component: RuleParameter['component'];
  index: number;
  /** The parameter's name in a named template; the position ("1", "2") otherwise. */
  label: string;
  name?: string;
}

export interface Mapping {
  from: RuleParameter['from'];
  value: string;
  /** The parameter's name in a named template, kept for when the template's schema is not at hand. */
  name?: string;
}

export interface ConditionRow {
  path: string;
  value: string;
}

export interface RuleFormValues {
  name: string;
  contentType: string;
  event: RuleEvent;
  field: string;
  /** fieldChanged: the value it changed to; empty for any change. */
  value: string;
  offsetDays: number | undefined;
  condition: ConditionRow[];
  numberId: string;
  /** `name|language`. */
  template: string;
  mapping: Record<string, Mapping>;
  recipientFrom: 'field' | 'constant';
  recipient: string;
  active: boolean;
}

export type RuleFormErrors = Partial<Record<string, string>>;

export const slotKey = (component: string, index: number) => `${component}:${index}`;

/** The parameters a template needs, in the order they appear. */
export const slotsOf = (template: WhatsAppTemplate | undefined): Slot[] => {
  if (!template) return [];
  const named = template.parameterFormat === 'named';
  const schema = template.parameterSchema;
  const slots: Slot[] = [];
  if (schema.header && schema.header.format === 'text') {
    schema.header.params.forEach((p, index) => slots.push({ key: slotKey('header', index), component: 'header', index, label: p, ...(named ? { name: p } : {}) }));
  }
  schema.body.forEach((p, index) => slots.push({ key: slotKey('body', index), component: 'body', index, label: p, ...(named ? { name: p } : {}) }));
  for (const button of schema.buttons) {
    if (button.subType !== 'url' || !button.params.length) continue;
    slots.push({ key: slotKey('button', button.index), component: 'button', index: button.index, label: button.params[0] });
  }
  return slots;
};

export const templateKey = (t: { name: string; language: string }) => `${t.name}|${t.language}`;

/** Field paths a rule can bind on a type: its own fields, and one level into related host types. */
export const fieldPaths = (types: HostContentType[], uid: string, accept: (type: string) => boolean = () => true): string[] => {
  const type = types.find((t) => t.uid === uid);
  if (!type) return [];
  const out: string[] = [];
  for (const field of type.fields) {
    if (field.type === 'relation') {
      const target = types.find((t) => t.uid === field.target);
      // Only to-one relations name a single value.
      if (!target || !/^(manyToOne|oneToOne)$/.test(field.relation ?? '')) continue;
      for (const sub of target.fields) if (sub.type !== 'relation' && accept(sub.type)) out.push(`${field.name}.${sub.name}`);
    } else if (!['media', 'component', 'dynamiczone', 'json', 'blocks'].includes(field.type) && accept(field.type)) {
      out.push(field.name);
    }
  }
  // Own fields first, then related ones.
  return [...out.filter((p) => !p.includes('.')), ...out.filter((p) => p.includes('.'))];
};

export const isDateType = (type: string) => type === 'date' || type === 'datetime';

export const emptyValues = (): RuleFormValues => ({
  name: '',
  contentType: '',
  event: 'created',
  field: '',
  value: '',
  offsetDays: -1,
  condition: [],
  numberId: '',
  template: '',
  mapping: {},
  recipientFrom: 'field',
  recipient: '',
  active: true,
});

const mappingOf = (parameters: RuleParameter[] | undefined) =>
  Object.fromEntries((parameters ?? []).map((p) => [slotKey(p.component, p.index ?? 0), { from: p.from, value: p.value ?? '', ...(p.name ? { name: p.name } : {}) }]));

/**
 * The slots a saved mapping fills, for when the template is not in the approved list (still
 * loading, or no longer approved): saving then keeps the rule's parameters as they were.
 */
export const slotsOfMapping = (mapping: Record<string, Mapping>): Slot[] =>
  Object.entries(mapping).map(([key, m]) => {
    const [component, index] = key.split(':');
    return { key, component: component as Slot['component'], index: Number(index), label: m.name ?? String(Number(index) + 1), ...(m.name ? { name: m.name } : {}) };
  });

export const valuesFromRule = (rule: NotificationRule): RuleFormValues => ({
  ...emptyValues(),
  name: rule.name,
  contentType: rule.contentType,
  event: rule.event,
  field: rule.field ?? '',
  value: rule.value === undefined || rule.value === null ? '' : String(rule.value),
  offsetDays: rule.offsetDays ?? -1,
  condition: Object.entries(rule.condition ?? {}).map(([path, value]) => ({ path, value: value === null || value === undefined ? '' : String(value) })),
  numberId: String(rule.numberId),
  template: templateKey(rule.template),
  mapping: mappingOf(rule.parameters),
  recipientFrom: rule.recipient.from,
  recipient: rule.recipient.value,
  active: rule.active,
});

export const valuesFromPreset = (draft: PresetDraft, numberId: string): RuleFormValues => ({
  ...emptyValues(),
  name: draft.name,
  contentType: draft.contentType,
  event: draft.event,
  field: draft.field ?? '',
  value: draft.value === undefined ? '' : String(draft.value),
  numberId,
  mapping: mappingOf(draft.parameters),
  recipientFrom: 'field',
  recipient: draft.recipient.value,
});

/** The request body; only what the event uses is sent, and parameters only for the template's slots. */
export const toRequestBody = (values: RuleFormValues, slots: Slot[]): NotificationRuleInput => {
  const [name, language] = values.template.split('|');
  const condition = Object.fromEntries(values.condition.filter((c) => c.path).map((c) => [c.path, c.value]));
  const body: NotificationRuleInput = {
    name: values.name.trim(),
    contentType: values.contentType,
    event: values.event,
    condition: Object.keys(condition).length ? condition : null,
    numberId: Number(values.numberId),
    template: { name: name ?? '', language: language ?? '' },
    parameters: slots.map((slot) => {
      const m = values.mapping[slot.key] ?? { from: 'field', value: '' };
      return { component: slot.component, index: slot.index, ...(slot.name ? { name: slot.name } : {}), from: m.from, ...(m.from === 'link' ? {} : { value: m.value }) };
    }),
    recipient: { from: values.recipientFrom, value: values.recipient.trim() },
    active: values.active,
  };
  // What the event does not use is sent as null, so an edit clears it ("Changed to" emptied, or
  // another event chosen) rather than the saved value staying behind.
  const usesField = values.event === 'fieldChanged' || values.event === 'dateOffset';
  body.field = usesField ? values.field : null;
  body.value = values.event === 'fieldChanged' && values.value.trim() ? values.value.trim() : null;
  body.offsetDays = values.event === 'dateOffset' ? values.offsetDays ?? null : null;
  return body;
};

interface ValidationErrorBody {
  name?: string;
  message?: string;
  details?: { errors?: Array<{ path?: Array<string | number>; message?: string }> };
}

const LIST_FIELDS = ['parameters', 'condition'];

/** The server's ValidationError per form field (`template.name` → `template`). */
export const fieldErrorsOf = (error: ValidationErrorBody | undefined): RuleFormErrors => {
  const out: RuleFormErrors = {};
  for (const issue of error?.details?.errors ?? []) {
    const first = issue.path?.[0];
    if (first === undefined || !issue.message) continue;
    const key = String(first).split('.')[0].replace(/\[\d+\]$/, '');
    // A list (parameters, conditions) has one problem per item: all are shown. Elsewhere the
    // first says it (yup reports an empty name as both too short and missing).
    if (!out[key]) out[key] = issue.message;
    else if (LIST_FIELDS.includes(key) && !out[key]!.split('; ').includes(issue.message)) out[key] = `${out[key]}; ${issue.message}`;
  }
  if (!Object.keys(out).length && error?.message && error.name === 'ValidationError') out.form = error.message;
  return out;
};

/** The template's text with the rendered parameters in place: what the customer reads. */
export const renderTemplate = (template: WhatsAppTemplate | undefined, parameters: FiringTrace['parameters']): string | null => {
  if (!template) return null;
  const params = (parameters ?? {}) as { header?: { text?: string; name?: string }[]; body?: { text?: string; name?: string }[] };
  const fill = (text: string, values: { text?: string; name?: string }[] | undefined) =>
    text.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (whole, key: string) => {
      const byName = values?.find((v) => v.name === key);
      const byIndex = /^\d+$/.test(key) ? values?.[Number(key) - 1] : undefined;
      return (byName ?? byIndex)?.text ?? whole;
    });
  const components = (template.components ?? []) as { type?: string; text?: string; format?: string }[];
  const header = components.find((c) => c.type?.toUpperCase() === 'HEADER' && c.text);
  const body = components.find((c) => c.type?.toUpperCase() === 'BODY');
  const footer = components.find((c) => c.type?.toUpperCase() === 'FOOTER');
  return [header?.text ? fill(header.text, params.header) : null, body?.text ? fill(body.text, params.body) : null, footer?.text ?? null]
    .filter(Boolean)
    .join('\n\n');
};

/** A short label for a record from the Content Manager: its first naming field, else its documentId. */
export const recordLabel = (record: Record<string, unknown>) => {
  for (const key of ['name', 'title', 'subject', 'number', 'fullName', 'email', 'phone']) {
    const v = record[key];
    if (typeof v === 'string' && v.trim()) return v;
    if (typeof v === 'number') return String(v);
  }
  return String(record.documentId ?? record.id ?? '');
};
