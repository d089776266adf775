import type { Core } from '@strapi/strapi';

/**
 * Indexes the inbox's list, filters, search and threads need and that a content type's schema
 * cannot declare (descending keys, partial and trigram indexes). Ensured at every start; Strapi's
 * schema sync ignores indexes it does not track, so they stay.
 */
interface IndexDef {
  name: string;
  /** What follows `ON`: table, method and keys. */
  on: string;
}

const PLAIN: IndexDef[] = [
  // The list's order (most recent first, id to break ties), alone and after the number or assignee filters.
  { name: 'whatsapp_conversations_recent_idx', on: 'whatsapp_conversations (last_message_at DESC, id DESC)' },
  { name: 'whatsapp_conversations_number_recent_idx', on: 'whatsapp_conversations (number_id, last_message_at DESC, id DESC)' },
  { name: 'whatsapp_conversations_assignee_recent_idx', on: 'whatsapp_conversations (assignee_id, last_message_at DESC, id DESC)' },
  // The unread badge counts a few rows, not all of them.
  { name: 'whatsapp_conversations_unread_idx', on: 'whatsapp_conversations (number_id, id) WHERE unread > 0' },
  // A thread's pages, newest first, and the `before` cursor's row comparison.
  { name: 'whatsapp_messages_thread_idx', on: 'whatsapp_messages (conversation_id, created_at DESC, id DESC)' },
  // A campaign occurrence's messages still in the outbox (the feed's window, pause taking them back).
  { name: 'whatsapp_messages_source_ref_idx', on: 'whatsapp_messages (source_ref, status)' },
];

/** Search by any part of a name or phone: trigram indexes on the expressions server/conversations/list.ts writes. */
const trigram = (ops: string): IndexDef[] => [
  { name: 'whatsapp_conversations_name_trgm_idx', on: `whatsapp_conversations USING gin (lower(customer_name::varchar) ${ops})` },
  { name: 'whatsapp_conversations_crm_name_trgm_idx', on: `whatsapp_conversations USING gin (lower(crm_name::varchar) ${ops})` },
  { name: 'whatsapp_conversations_phone_trgm_idx', on: `whatsapp_conversations USING gin (customer_phone ${ops})` },
  { name: 'whatsapp_conversations_wa_id_trgm_idx', on: `whatsapp_conversations USING gin (customer_wa_id ${ops})` },
];

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The schema holding pg_trgm, installing it when allowed: in `public` first, so a schema dropped
 * with CASCADE (one per test file, say) does not take other schemas' indexes with it.
 */
const trigramSchema = async (knex: any): Promise<string | null> => {
  const find = async () => (await knex.raw(`SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'`)).rows[0]?.schema ?? null;
  const found = await find();
  if (found) return found;
  for (const statement of ['CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public', 'CREATE EXTENSION IF NOT EXISTS pg_trgm']) {
    try {
      await knex.raw(statement);
      return await find();
    } catch {
      // No right to create extensions (or no public schema): try the next way, then search without it.
    }
  }
  return null;
};

/**
 * Our indexes in the connection's schema, by name: usable, or invalid (an interrupted CONCURRENTLY
 * build leaves one so), or still building (another instance starting at the same time).
 */
const existingOnPostgres = async (knex: any): Promise<Map<string, 'valid' | 'invalid' | 'building'>> => {
  const { rows } = await knex.raw(
    `SELECT c.relname AS name, i.indisvalid AS valid, EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.index_relid = i.indexrelid) AS building
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND c.relname LIKE 'whatsapp\\_%'`
  );
  return new Map(rows.map((r: { name: string; valid: boolean; building: boolean }) => [r.name, r.valid ? 'valid' : r.building ? 'building' : 'invalid']));
};

/** A background build: `stopIndexes` sets `stopped` and cancels the statement running on `pid`. */
interface Build {
  done: Promise<void>;
  stopped: boolean;
  pid: number | null;
}

/**
 * On PostgreSQL each missing index is built CONCURRENTLY (outside any transaction), so a large
 * table keeps taking writes while it builds; an invalid one is dropped and built again (unless
 * another instance is building it). Each index on its own: one that fails is logged and the others
 * still come. The statements run on one connection of their own, so shutdown can cancel them.
 */
const createOnPostgres = async (strapi: Core.Strapi, build: Build) => {
  const knex = strapi.db.connection;
  const schema = await trigramSchema(knex).catch(() => null);
  if (!schema) strapi.log.info('[whatsapp] pg_trgm is not available: searching conversations by part of a name or phone scans the table');
  const wanted = [...PLAIN, ...(schema ? trigram(`${quote(schema)}.gin_trgm_ops`) : [])];
  const existing = await existingOnPostgres(knex);
  const missing = wanted.filter((index) => existing.get(index.name) !== 'valid' && existing.get(index.name) !== 'building');
  if (!missing.length || build.stopped) return;
  const built: string[] = [];
  const client = knex.client as { acquireConnection(): Promise<any>; releaseConnection(connection: any): Promise<unknown> };
  const connection = await client.acquireConnection();
  try {
    build.pid = Number((await connection.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
    for (const index of missing) {
      if (build.stopped) break;
      try {
        if (existing.get(index.name) === 'invalid') await connection.query(`DROP INDEX CONCURRENTLY IF EXISTS ${quote(index.name)}`);
        await connection.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ${quote(index.name)} ON ${index.on}`);
        built.push(index.name);
      } catch (error) {
        if (build.stopped) break;
        strapi.log.warn(`[whatsapp] could not create index ${index.name} (lists and search will be slower): ${(error as Error).message}`);
      }
    }
  } finally {
    build.pid = null;
    await client.releaseConnection(connection);
  }
  if (build.stopped) strapi.log.info('[whatsapp] inbox index build cancelled by shutdown; it is built again at the next start');
  if (built.length) strapi.log.info(`[whatsapp] built ${built.length} inbox index(es): ${built.join(', ')}`);
};

const createOnSqlite = async (strapi: Core.Strapi) => {
  for (const index of PLAIN) await strapi.db.connection.raw(`CREATE INDEX IF NOT EXISTS ${index.name} ON ${index.on}`);
};

const builds = new WeakMap<object, Build>();

/**
 * Starts ensuring the indexes. SQLite's are built before this resolves; PostgreSQL's build in the
 * background (a large table can take minutes, which must not hold up starting), and
 * `indexesSettled` waits for them. Never throws: indexes only speed things up, and a database user
 * without CREATE rights must still get a working plugin.
 */
export const ensureIndexes = async (strapi: Core.Strapi) => {
  const build: Build = { done: Promise.resolve(), stopped: false, pid: null };
  build.done = (strapi.db.dialect.client === 'postgres' ? createOnPostgres(strapi, build) : createOnSqlite(strapi)).catch((error: Error) => {
    strapi.log.warn(`[whatsapp] could not create the inbox's indexes (lists and search will be slower): ${error.message}`);
  });
  builds.set(strapi, build);
  if (strapi.db.dialect.client !== 'postgres') await build.done;
};

/** Resolves once a build `ensureIndexes` started has ended (before the database closes). */
export const indexesSettled = async (strapi: Core.Strapi) => {
  await builds.get(strapi)?.done;
};

/**
 * Ends a build in progress for shutdown without waiting for it: the statement running is cancelled
 * (the index it leaves invalid is built again at the next start), and its connection given back
 * before the database closes. Cancelled again until the build ends: a statement may just be starting.
 */
export const stopIndexes = async (strapi: Core.Strapi) => {
  const build = builds.get(strapi);
  if (!build) return;
  build.stopped = true;
  let ended = false;
  void build.done.then(() => (ended = true));
  while (!ended) {
    if (build.pid !== null) await strapi.db.connection.raw('SELECT pg_cancel_backend(?)', [build.pid]).catch(() => undefined);
    await Promise.race([build.done, new Promise((resolve) => setTimeout(resolve, 100))]);
  }
};
