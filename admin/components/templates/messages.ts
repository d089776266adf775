import type { TemplateParameterSchema } from '../../../contracts/templates';
import type { Translate } from '../../hooks/useTranslate';

type Tone = { backgroundColor: string; textColor: string };

const TONES: Record<string, Tone> = {
  success: { backgroundColor: 'success100', textColor: 'success700' },
  warning: { backgroundColor: 'warning100', textColor: 'warning700' },
  danger: { backgroundColor: 'danger100', textColor: 'danger700' },
  neutral: { backgroundColor: 'neutral150', textColor: 'neutral700' },
};

/** Provider statuses (Meta's names; Gupshup's are mapped to them by the adapter). */
export const TEMPLATE_STATUSES = ['APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED', 'IN_APPEAL', 'PENDING_DELETION', 'DELETED'];

export const statusTone = (status: string | null): Tone => {
  switch ((status ?? '').toUpperCase()) {
    case 'APPROVED':
      return TONES.success;
    case 'PENDING':
    case 'IN_APPEAL':
    case 'PAUSED':
      return TONES.warning;
    case 'REJECTED':
    case 'DISABLED':
    case 'PENDING_DELETION':
    case 'DELETED':
      return TONES.danger;
    default:
      return TONES.neutral;
  }
};

export const qualityTone = (quality: string | null): Tone => {
  switch ((quality ?? '').toUpperCase()) {
    case 'GREEN':
    case 'HIGH':
      return TONES.success;
    case 'YELLOW':
    case 'MEDIUM':
      return TONES.warning;
    case 'RED':
    case 'LOW':
      return TONES.danger;
    default:
      return TONES.neutral;
  }
};

/** `APPROVED` → `Approved`, `IN_APPEAL` → `In appeal`. */
export const humanize = (value: string) => {
  const text = value.toLowerCase().replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
};

/** What a sender must fill in, in one line: "Header: document · Body: 1, 2 · Button 1 (URL): 1". */
export const parameterSummary = (t: Translate, schema: TemplateParameterSchema | null | undefined) => {
  if (!schema) return t('templates.params.none', 'No parameters');
  const parts: string[] = [];
  if (schema.header) {
    parts.push(
      schema.header.format === 'text'
        ? t('templates.params.headerText', 'Header: {params}', { params: schema.header.params.join(', ') })
        : t('templates.params.headerMedia', 'Header: {format}', { format: schema.header.format }),
    );
  }
  if (schema.body.length) parts.push(t('templates.params.body', 'Body: {params}', { params: schema.body.join(', ') }));
  for (const button of schema.buttons) {
    if (!button.params.length) continue;
    parts.push(
      t('templates.params.button', 'Button {n} ({type}): {params}', {
        n: button.index + 1,
        type: button.subType.replace('_', ' '),
        params: button.params.join(', '),
      }),
    );
  }
  return parts.length ? parts.join(' · ') : t('templates.params.none', 'No parameters');
};
