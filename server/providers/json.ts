/** Small readers for provider JSON, whose fields may be missing, numbers or strings. */
export type Json = Record<string, any>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/**
 * A webhook body's JSON, with NUL characters dropped from its strings and keys: PostgreSQL text and jsonb
 * refuse them, so a stored call holding one would be acknowledged and then fail forever.
 */
const NUL = /\u0000/g;
export const parseWebhookJson = (text: string): unknown =>
  // A body with no escaped NUL (nearly all) has none to drop: the reviver, a third of the parse, is skipped.
  !text.includes('\\u0000') && !text.includes('\u0000') ? JSON.parse(text) : JSON.parse(text, (_key, value) => {
    if (typeof value === 'string') return value.includes('\u0000') ? value.replace(NUL, '') : value;
    // Keys too: a message's payload is kept in a json column.
    if (isObject(value) && Object.keys(value).some((k) => k.includes('\u0000'))) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replace(NUL, ''), v]));
    }
    return value;
  });
