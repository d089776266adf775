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
/** How long it may wait for a table's lock, and run at most. */
const LOCK_WAIT = '200ms';
const TIME_CAP = '15s';

export const createStatistics = (strapi: Core.Strapi, uids: string[]) => {
  let last = 0;
  /** `now`: the tables just grew by a bulk insert (an occurrence's recipients), so the wait is skipped. */
  return async (now = false) => {
    if (strapi.db.dialect.client !== 'postgres' || (!now && Date.now() - last < EVERY_MS)) return;
    last = Date.now();
    const tables = uids.map((uid) => strapi.db.metadata.get(uid as any).tableName);
    try {
      // Never waits: a table locked by something else (an index build at start) keeps its statistics until the next pass.
      await strapi.db.connection.transaction(async (trx: any) => {
        await trx.raw(`SET LOCAL lock_timeout = '${LOCK_WAIT}'`);
        await trx.raw(`SET LOCAL statement_timeout = '${TIME_CAP}'`);
        await trx.raw(`ANALYZE ${tables.map(() => '??').join(', ')}`, tables);
      });
    } catch (error) {
      strapi.log.debug(`[whatsapp] statistics of ${tables.join(', ')} not refreshed this time: ${(error as Error).message}`);
    }
  };
};
