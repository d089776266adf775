import crypto from 'node:crypto';

export interface NewConversation {
  numberId: number;
  waId: string;
  phone: string | null;
  name?: string | null;
  crm?: { crmKind: string; crmUid: string; crmDocumentId: string; crmName?: string | null } | null;
}

/**
 * Inserts a conversation unless (number, customer) already has one. Raw insert with ON CONFLICT
 * DO NOTHING: two first messages, or two starts, to one customer at once (in this process or
 * another instance) meet on the unique key and share one row instead of one failing.
 */
/** `db`: Strapi's knex connection, or a transaction of it. */
export const insertConversationIfNone = async (db: (table: string) => any, { numberId, waId, phone, name = null, crm = null }: NewConversation) => {
  const now = new Date();
  await db('whatsapp_conversations')
    .insert({
      document_id: crypto.randomBytes(12).toString('hex'),
      number_id: numberId,
      customer_wa_id: waId,
      customer_phone: phone,
      customer_name: name,
      crm_kind: crm?.crmKind ?? 'unknown',
      crm_uid: crm?.crmUid ?? null,
      crm_document_id: crm?.crmDocumentId ?? null,
      crm_name: crm?.crmName ?? null,
      state: 'open',
      template_only: false,
      unreachable: false,
      unread: 0,
      created_at: now,
      updated_at: now,
      published_at: now,
    })
    .onConflict(['number_id', 'customer_wa_id'])
    .ignore();
};
