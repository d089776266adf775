import { errors } from '@strapi/utils';
import type { TemplateParameterSchema } from '../contracts/templates';
import type { TemplateParam, TemplateParams } from '../contracts/templates';

type Issue = { path: string[]; message: string };

const names = (params: TemplateParam[] | undefined, named: boolean) =>
  (params ?? []).map((p, i) => (named && 'name' in p && p.name ? p.name : String(i + 1)));

/**
 * Checks the parameters of a template send against the template as the provider holds it, so a
 * wrong count or name is a 400 here rather than a 132000 from the provider.
 */
export const assertTemplateParams = (schema: TemplateParameterSchema, format: 'positional' | 'named', params: TemplateParams = {}) => {
  const issues: Issue[] = [];
  const named = format === 'named';
  const compare = (where: string, expected: string[], given: TemplateParam[] | undefined) => {
    const got = names(given, named);
    if (got.length !== expected.length) {
      issues.push({ path: ['template', 'params', where], message: `${where} takes ${expected.length} parameter(s) (${expected.join(', ') || 'none'}), ${got.length} given` });
    } else if (named && [...got].sort().join() !== [...expected].sort().join()) {
      issues.push({ path: ['template', 'params', where], message: `${where} parameters must be named ${expected.join(', ')}; got ${got.join(', ')}` });
    }
  };

  compare('body', schema.body, params.body);
  if (schema.header) {
    if (schema.header.format === 'text') compare('header', schema.header.params, params.header);
    else {
      const media = params.header?.[0];
      if (!media || media.type !== schema.header.format || !('link' in media ? media.link : undefined) && !('id' in media ? media.id : undefined)) {
        issues.push({ path: ['template', 'params', 'header'], message: `the header needs a ${schema.header.format} (a link or an uploaded media id)` });
      }
    }
  } else if (params.header?.length) {
    issues.push({ path: ['template', 'params', 'header'], message: 'this template has no header parameters' });
  }
  for (const button of schema.buttons) {
    const given = params.buttons?.find((b) => b.index === button.index);
    if (!given || given.params.length !== button.params.length) {
      issues.push({ path: ['template', 'params', 'buttons'], message: `button ${button.index} (${button.subType}) takes ${button.params.length} parameter(s)` });
    } else if (button.subType === 'copy_code') {
      const code = couponOf(given.params[0]);
      if (!code || code.length > 15) issues.push({ path: ['template', 'params', 'buttons'], message: `button ${button.index} (copy_code) takes a code of 1 to 15 characters` });
    }
  }
  if (issues.length) {
    throw new errors.ValidationError(issues.length === 1 ? issues[0].message : `${issues.length} errors occurred`, {
      errors: issues.map((i) => ({ ...i, name: 'ValidationError', value: null })),
    });
  }
};

/** A copy-code button's code: a `coupon_code` parameter, or plain text as older clients send it. */
export const couponOf = (p: TemplateParam | undefined) => (p?.type === 'coupon_code' ? p.couponCode : p?.type === 'text' ? p.text : undefined);

const paramText = (p: TemplateParam | undefined) => {
  if (!p) return undefined;
  if (p.type === 'text') return p.text;
  if (p.type === 'currency' || p.type === 'date_time') return p.fallback;
  return undefined;
};

/**
 * The text the customer reads for a template send (header, body and footer, parameters filled in),
 * kept on the message so the inbox and its previews show what was said rather than a name.
 */
export const templateText = (components: unknown[], format: 'positional' | 'named', params: TemplateParams = {}): string => {
  const fill = (text: string, given: TemplateParam[] | undefined) => {
    let index = 0;
    return text.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (whole, name: string) => {
      const p =
        format === 'named'
          ? (given ?? []).find((x) => 'name' in x && x.name === name)
          : (given ?? [])[Number(name) - 1] ?? (given ?? [])[index];
      index += 1;
      return paramText(p) ?? whole;
    });
  };
  const parts: string[] = [];
  for (const raw of Array.isArray(components) ? components : []) {
    const c = (raw ?? {}) as Record<string, any>;
    const type = String(c.type ?? '').toUpperCase();
    if (type === 'HEADER' && String(c.format ?? 'TEXT').toUpperCase() === 'TEXT' && c.text) parts.push(fill(String(c.text), params.header));
    if (type === 'BODY' && c.text) parts.push(fill(String(c.text), params.body));
    if (type === 'FOOTER' && c.text) parts.push(String(c.text));
  }
  return parts.join('\n\n');
};
