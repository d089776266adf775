import type { Core } from '@strapi/strapi';
import { UID } from './constants';
import { rowInserter, type Db } from './db-rows';

export interface CrmLink {
  crmKind: string;
  crmUid: string;
  crmDocumentId: string;
  crmName?: string | null;
}

export interface NewConversation {
  numberId: number;
  waId: string;
  phone: string | null;
  name?: string | null;
  crm?: CrmLink | null;
}

/**
 * Inserts conversations where (number, customer) has none yet, in one statement. A plain insert
 * with ON CONFLICT DO NOTHING: two first messages, or two starts, to one customer at once (in this
 * process or another instance) meet on the unique key and share one row instead of one failing.
 * `db`: Strapi's knex connection, or a transaction of it. Callers open through conversations/open.ts.
 */
export const insertConversationsIfNone = async (db: Db, rows: NewConversation[], app: Core.Strapi) => {
  await rowInserter(app, UID.conversation).insertIfNone(
    db,
    rows.map(({ numberId, waId, phone, name = null, crm = null }) => ({
      numberId,
      customerWaId: waId,
      customerPhone: phone,
      customerName: name,
      crmKind: crm?.crmKind ?? 'unknown',
      crmUid: crm?.crmUid ?? null,
      crmDocumentId: crm?.crmDocumentId ?? null,
      crmName: crm?.crmName ?? null,
      state: 'open',
      templateOnly: false,
      unreachable: false,
      unread: 0,
    })),
    ['numberId', 'customerWaId']
  );
};
