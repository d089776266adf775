import type { Core } from '@strapi/strapi';
import { COUNT_AHEAD } from './constants';

/**
 * Rows of a knex query counted up to the end of the requested page plus COUNT_AHEAD: counting
 * every row of a large table costs more than the page it pages. `capped` says the total is a
 * lower bound.
 */
export const countUpTo = async (strapi: Core.Strapi, matching: any, pageEnd: number) => {
  const cap = pageEnd + COUNT_AHEAD;
  const [row] = await strapi.db.connection.count({ n: '*' }).from(matching.clone().clearSelect().clearOrder().select('id').limit(cap + 1).as('matching'));
  const n = Number((row as { n: number | string }).n);
  return n > cap ? { total: cap, capped: true } : { total: n, capped: false };
};
