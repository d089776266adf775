import type { Core } from '@strapi/strapi';

/**
 * Indexes the inbox's list, filters, search and threads need and that a content type's schema
 * cannot declare (descending keys, partial and trigram indexes). Created at every start with
 * IF NOT EXISTS; Strapi's schema sync ignores indexes it does not track, so they stay.
 */
const PLAIN = [
  // The list's order (most recent first, id to break ties), alone and after the number or assignee filters.
  'CREATE INDEX IF NOT EXISTS whatsapp_conversations_recent_idx ON whatsapp_conversations (last_message_at DESC, id DESC)',
  'CREATE INDEX IF NOT EXISTS whatsapp_conversations_number_recent_idx ON whatsapp_conversations (number_id, last_message_at DESC, id DESC)',
  'CREATE INDEX IF NOT EXISTS whatsapp_conversations_assignee_recent_idx ON whatsapp_conversations (assignee_id, last_message_at DESC, id DESC)',
  // The unread badge counts a few rows, not all of them.
  'CREATE INDEX IF NOT EXISTS whatsapp_conversations_unread_idx ON whatsapp_conversations (number_id, id) WHERE unread > 0',
  // A thread's pages, newest first.
  'CREATE INDEX IF NOT EXISTS whatsapp_messages_thread_idx ON whatsapp_messages (conversation_id, created_at DESC, id DESC)',
  // A campaign occurrence's messages still in the outbox (the feed's window, pause taking them back).
  'CREATE INDEX IF NOT EXISTS whatsapp_messages_source_ref_idx ON whatsapp_messages (source_ref, status)',
];

/** Search by any part of a name or phone: trigram indexes on the expressions the query engine writes. */
const trigram = (ops: string) => [
  `CREATE INDEX IF NOT EXISTS whatsapp_conversations_name_trgm_idx ON whatsapp_conversations USING gin (lower(customer_name::varchar) ${ops})`,
  `CREATE INDEX IF NOT EXISTS whatsapp_conversations_crm_name_trgm_idx ON whatsapp_conversations USING gin (lower(crm_name::varchar) ${ops})`,
  `CREATE INDEX IF NOT EXISTS whatsapp_conversations_phone_trgm_idx ON whatsapp_conversations USING gin (customer_phone ${ops})`,
  `CREATE INDEX IF NOT EXISTS whatsapp_conversations_wa_id_trgm_idx ON whatsapp_conversations USING gin (customer_wa_id ${ops})`,
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

export const ensureIndexes = async (strapi: Core.Strapi) => {
  // Indexes only speed things up: a database user without CREATE rights must still get a working plugin.
  await createIndexes(strapi).catch((error: Error) => strapi.log.warn(`[whatsapp] could not create the inbox's indexes (lists and search will be slower): ${error.message}`));
};

const createIndexes = async (strapi: Core.Strapi) => {
  const knex = strapi.db.connection;
  for (const statement of PLAIN) await knex.raw(statement);
  if (strapi.db.dialect.client !== 'postgres') return;
  const schema = await trigramSchema(knex).catch(() => null);
  if (!schema) {
    strapi.log.info('[whatsapp] pg_trgm is not available: searching conversations by part of a name or phone scans the table');
    return;
  }
  for (const statement of trigram(`${quote(schema)}.gin_trgm_ops`)) await knex.raw(statement);
};
