/** Refuses bodies with keys like `constructor` before yup casts them, so they are a 400 naming the field, not a 500. */
import { errors } from '@strapi/utils';

/** Keys every plain object inherits (`constructor`, `toString`, `__proto__`…): a lookup by them finds a function. */
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

const find = (value: unknown, path: string[]): string[] | null => {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const hit = find(value[i], [...path, String(i)]);
      if (hit) return hit;
    }
  } else if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      if (INHERITED.has(key)) return [...path, key];
      const hit = find((value as Record<string, unknown>)[key], [...path, key]);
      if (hit) return hit;
    }
  }
  return null;
};

/**
 * Yup 0.32 looks fields up in a plain object while casting, so such a key reaches `Object.prototype`
 * and throws: a body holding one is refused as a field that does not exist.
 */
export const rejectInheritedKeys = (body: unknown) => {
  const path = find(body, []);
  if (!path) return;
  const message = `${path.join('.')} is not a known field`;
  throw new errors.ValidationError(message, { errors: [{ path, message, name: 'ValidationError', value: null }] });
};
