import { errorOf } from '../../api/errors';

export type FieldErrors = Record<string, string>;

interface ValidationErrorBody {
  name?: string;
  message?: string;
  details?: { errors?: Array<{ path?: Array<string | number>; message?: string }> };
}

/**
 * Yup messages start with the path (`businessHours.days.mon.close must be…`, `name: lower-case…`);
 * beside the field that path is noise.
 */
const withoutPath = (message: string, key: string) => {
  const match = /^(\S+?):?\s+(.+)$/s.exec(message);
  const first = match?.[1].replace(/\[(\d+)\]/g, '.$1');
  const text = match && (first === key || first === key.split('.').pop()) ? match[2] : message;
  return text.charAt(0).toUpperCase() + text.slice(1);
};

/**
 * `{ 'autoLead.status': 'must be one of …' }` from a 400 ValidationError (a failed call's error body) (first message per path),
 * or null when the error is something else. Paths are joined with dots: `identitySources.0.phoneField`.
 */
export const fieldErrorsOf = (error: unknown): FieldErrors | null => {
  const body = errorOf(error) as ValidationErrorBody | undefined;
  if (body?.name !== 'ValidationError') return null;
  const out: FieldErrors = {};
  for (const issue of body.details?.errors ?? []) {
    if (!issue.path?.length || !issue.message) continue;
    const key = issue.path.join('.');
    if (!out[key]) out[key] = withoutPath(issue.message, key);
  }
  return out;
};
