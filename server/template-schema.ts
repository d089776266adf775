import type { TemplateParameterSchema } from '../contracts/templates';

const placeholders = (text: unknown): string[] => {
  if (typeof text !== 'string') return [];
  const seen: string[] = [];
  for (const m of text.matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)) if (!seen.includes(m[1])) seen.push(m[1]);
  return seen;
};

/**
 * The parameters a template's components ask for, read from its text: `{{1}}` or `{{first_name}}`
 * in the header and body, a media header, a variable in a URL button, a copy-code button.
 */
export const parameterSchemaOf = (components: unknown[]): TemplateParameterSchema => {
  const schema: TemplateParameterSchema = { header: null, body: [], buttons: [] };
  for (const raw of Array.isArray(components) ? components : []) {
    const c = raw as Record<string, any>;
    const type = String(c?.type ?? '').toUpperCase();
    if (type === 'HEADER') {
      const format = String(c.format ?? 'TEXT').toLowerCase() as NonNullable<TemplateParameterSchema['header']>['format'];
      const params = format === 'text' ? placeholders(c.text) : ['media'];
      if (params.length) schema.header = { format, params };
    } else if (type === 'BODY') {
      schema.body = placeholders(c.text);
    } else if (type === 'BUTTONS') {
      (Array.isArray(c.buttons) ? c.buttons : []).forEach((b: Record<string, any>, index: number) => {
        const kind = String(b?.type ?? '').toUpperCase();
        if (kind === 'URL' && placeholders(b.url).length) schema.buttons.push({ index, subType: 'url', params: placeholders(b.url) });
        if (kind === 'COPY_CODE') schema.buttons.push({ index, subType: 'copy_code', params: ['coupon_code'] });
      });
    }
  }
  return schema;
};
