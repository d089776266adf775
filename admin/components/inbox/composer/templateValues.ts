import type { TemplateParameterSchema, WhatsAppTemplate } from '../../../../contracts/templates';
import type { TemplateParams } from '../../../../contracts/templates';

/** What the user typed for each parameter, keyed `header:<name>`, `body:<name>`, `button:<index>:<name>`. */
export type TemplateValues = Record<string, string>;

export interface TemplateField {
  key: string;
  section: 'header' | 'body' | 'button';
  /** The placeholder's name ("1", "first_name") or `media` for a header file. */
  name: string;
  /** For a media header: the kind of file the link must point to. */
  media?: 'image' | 'video' | 'document';
  buttonIndex?: number;
}

const MEDIA = ['image', 'video', 'document'] as const;

/** Every input a template needs, in the order the customer reads them. */
export const fieldsOf = (schema: TemplateParameterSchema): TemplateField[] => {
  const fields: TemplateField[] = [];
  if (schema.header) {
    const format = schema.header.format;
    if ((MEDIA as readonly string[]).includes(format)) fields.push({ key: 'header:media', section: 'header', name: 'media', media: format as TemplateField['media'] });
    else if (format === 'text') schema.header.params.forEach((name) => fields.push({ key: `header:${name}`, section: 'header', name }));
  }
  schema.body.forEach((name) => fields.push({ key: `body:${name}`, section: 'body', name }));
  schema.buttons.forEach((b) => b.params.forEach((name) => fields.push({ key: `button:${b.index}:${name}`, section: 'button', name, buttonIndex: b.index })));
  return fields;
};

/** A template the composer cannot fill in (a location header needs coordinates it has no form for). */
export const unsupported = (schema: TemplateParameterSchema) => schema.header?.format === 'location';

export const isComplete = (schema: TemplateParameterSchema, values: TemplateValues) =>
  !unsupported(schema) && fieldsOf(schema).every((f) => (values[f.key] ?? '').trim() !== '');

/** The `params` of a template send, in the shape the server checks against the stored template. */
export const toParams = (template: Pick<WhatsAppTemplate, 'parameterSchema' | 'parameterFormat'>, values: TemplateValues): TemplateParams => {
  const schema = template.parameterSchema;
  const named = template.parameterFormat === 'named';
  const text = (section: string, name: string) => ({ type: 'text' as const, text: (values[`${section}:${name}`] ?? '').trim(), ...(named ? { name } : {}) });
  const params: TemplateParams = {};
  if (schema.header) {
    const format = schema.header.format;
    if (format === 'text') params.header = schema.header.params.map((name) => text('header', name));
    else if ((MEDIA as readonly string[]).includes(format)) params.header = [{ type: format as 'image' | 'video' | 'document', link: (values['header:media'] ?? '').trim() }];
  }
  if (schema.body.length) params.body = schema.body.map((name) => text('body', name));
  if (schema.buttons.length) {
    params.buttons = schema.buttons.map((b) => ({
      index: b.index,
      subType: b.subType,
      params: b.params.map((name) => ({ type: 'text' as const, text: (values[`button:${b.index}:${name}`] ?? '').trim() })),
    }));
  }
  return params;
};

export interface TemplatePreview {
  header: string | null;
  headerMedia: string | null;
  body: string;
  footer: string | null;
  buttons: string[];
}

const fill = (text: string, section: string, values: TemplateValues) =>
  text.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (whole, name: string) => {
    const value = (values[`${section}:${name}`] ?? '').trim();
    return value || whole;
  });

/** The message as the customer will read it, placeholders replaced by what is filled in so far. */
export const previewOf = (template: Pick<WhatsAppTemplate, 'components'>, values: TemplateValues): TemplatePreview => {
  const preview: TemplatePreview = { header: null, headerMedia: null, body: '', footer: null, buttons: [] };
  for (const raw of Array.isArray(template.components) ? template.components : []) {
    const c = (raw ?? {}) as Record<string, any>;
    const type = String(c.type ?? '').toUpperCase();
    if (type === 'HEADER') {
      const format = String(c.format ?? 'TEXT').toUpperCase();
      if (format === 'TEXT') preview.header = fill(String(c.text ?? ''), 'header', values);
      else preview.headerMedia = format.toLowerCase();
    } else if (type === 'BODY') preview.body = fill(String(c.text ?? ''), 'body', values);
    else if (type === 'FOOTER') preview.footer = String(c.text ?? '') || null;
    else if (type === 'BUTTONS') {
      (Array.isArray(c.buttons) ? c.buttons : []).forEach((b: Record<string, any>) => preview.buttons.push(String(b?.text ?? b?.type ?? '')));
    }
  }
  return preview;
};

/** The plain text of a preview: header, body and footer, as shown in the thread. */
export const previewText = (p: TemplatePreview) => [p.header, p.body, p.footer].filter(Boolean).join('\n\n');

/** The reverse of `toParams`: the values a stored template message was sent with, for its preview. */
export const valuesFromParams = (template: Pick<WhatsAppTemplate, 'parameterSchema'>, params: TemplateParams | null | undefined): TemplateValues => {
  const values: TemplateValues = {};
  const schema = template.parameterSchema;
  const put = (section: string, names: string[], given: TemplateParams['body']) =>
    (given ?? []).forEach((p, i) => {
      const name = 'name' in p && p.name ? p.name : names[i];
      if (name && p.type === 'text') values[`${section}:${name}`] = p.text;
    });
  put('body', schema.body, params?.body);
  if (schema.header?.format === 'text') put('header', schema.header.params, params?.header);
  return values;
};
