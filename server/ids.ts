import { yup } from '@strapi/utils';

/**
 * Row ids are PostgreSQL `integer` (int4): a larger number in a query is a database error there,
 * so anything bigger is no id at all (a 404 in a path, a 400 in a body or a query).
 */
export const MAX_ID = 2_147_483_647;

/** The id `value` names, or null when it cannot be a row id. */
export const toId = (value: unknown): number | null => {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : typeof value === 'number' ? value : NaN;
  return Number.isInteger(n) && n > 0 && n <= MAX_ID ? n : null;
};

/** An id in a JSON body. */
export const idNumber = () => yup.number().integer().positive().max(MAX_ID, '${path} is not a known id');

/** An id in a query string. */
export const idString = (name: string) =>
  yup
    .string()
    .matches(/^\d+$/, `${name} must be a whole number`)
    .test('id', `${name} is not a known id`, (v) => v === undefined || toId(v) !== null);
