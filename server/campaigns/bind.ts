/** A campaign's parameters for one recipient: each bound to a field of their record, a CSV column or a constant, with a fallback. */
import type { CampaignParameter } from '../../contracts/campaigns';
import type { TemplateParam, TemplateParameterSchema, TemplateParams } from '../../contracts/templates';
import { at, text } from '../notifications/logic';

type Row = Record<string, any>;

/** What one recipient's values are read from: their CRM record and/or their CSV row. */
export interface Source {
  record?: Row | null;
  csv?: Record<string, string> | null;
}

/** How the builder names a parameter: `body {{2}}`, `header {{name}}`, `button 0`. */
export const slotOf = (p: CampaignParameter) => (p.component === 'button' ? `button ${p.index ?? 0}` : `${p.component} {{${p.name ?? (p.index ?? 0) + 1}}}`);

/** The parameter's value for this recipient; empty (field or column empty and no fallback) is ''. */
export const valueOf = (p: CampaignParameter, source: Source): string => {
  const raw = p.from === 'constant' ? p.value : p.from === 'column' ? source.csv?.[p.value] ?? '' : text(at(source.record, p.value));
  return raw.trim() === '' ? (p.fallback ?? '').trim() : raw;
};

/** The button's sub-type as the template defines it (a URL button when the template is not known). */
const buttonParam = (schema: TemplateParameterSchema | null, index: number, value: string): { subType: 'url' | 'copy_code' | 'quick_reply' | 'flow'; param: TemplateParam } => {
  const subType = schema?.buttons.find((b) => b.index === index)?.subType ?? 'url';
  if (subType === 'copy_code') return { subType, param: { type: 'coupon_code', couponCode: value } };
  if (subType === 'quick_reply') return { subType, param: { type: 'payload', payload: value } };
  return { subType, param: { type: 'text', text: value } };
};

/**
 * The template parameters for one recipient, or the first parameter left empty (`missing`): the
 * recipient is then skipped rather than refused by the provider. A media header takes its value as the link.
 */
export const renderFor = (parameters: CampaignParameter[], schema: TemplateParameterSchema | null, source: Source): { params: TemplateParams; missing: string | null } => {
  const sorted = [...parameters].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  let missing: string | null = null;
  const valued = sorted.map((p) => {
    const value = valueOf(p, source);
    if (!value && !missing) missing = slotOf(p);
    return { p, value };
  });
  const textParam = ({ p, value }: { p: CampaignParameter; value: string }): TemplateParam => ({ type: 'text', text: value, ...(p.name ? { name: p.name } : {}) });
  const headerFormat = schema?.header?.format ?? 'text';
  const header = valued
    .filter((v) => v.p.component === 'header')
    .map((v) => (headerFormat === 'image' || headerFormat === 'video' || headerFormat === 'document' ? ({ type: headerFormat, link: v.value } as TemplateParam) : textParam(v)));
  const body = valued.filter((v) => v.p.component === 'body').map(textParam);
  const buttons = valued
    .filter((v) => v.p.component === 'button')
    .map(({ p, value }) => {
      const { subType, param } = buttonParam(schema, p.index ?? 0, value);
      return { index: p.index ?? 0, subType, params: [param] };
    });
  return { params: { ...(header.length ? { header } : {}), ...(body.length ? { body } : {}), ...(buttons.length ? { buttons } : {}) }, missing };
};
