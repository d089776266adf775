/**
 * PostgreSQL plans queries from table statistics that autovacuum refreshes only every so often, so
 * a table a campaign fills in minutes is planned as if it were empty: a recipients-to-messages join
 * became a nested loop over 10,000 × 10,000 rows (5 s a funnel read, minutes for the feed's first
 * query). The campaign feed asks for fresh statistics of the tables it fills before each pass, at
 * most once every half minute (a sample, not a scan), and at once for an occurrence it meets
 * for the first time (its recipients just stored).
 */
import type { Core } from '@strapi/strapi';

const EVERY_MS = 30_000;

export const createStatistics = (strapi: Core.Strapi, uids: string[]) => {
  let last = 0;
  /** `now`: the tables just grew by a bulk insert (an occurrence's recipients), so the wait is skipped. */
  return async (now = false) => {
    if (strapi.db.dialect.client !== 'postgres' || (!now && Date.now() - last < EVERY_MS)) return;
    last = Date.now();
    const tables = uids.map((uid) => strapi.db.metadata.get(uid as any).tableName);
    try {
      await strapi.db.connection.raw(`ANALYZE ${tables.map(() => '??').join(', ')}`, tables);
    } catch (error) {
      strapi.log.warn(`[whatsapp] could not refresh the statistics of ${tables.join(', ')}: ${(error as Error).message}`);
    }
  };
};
