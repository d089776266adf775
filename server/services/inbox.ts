import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Conversation, Message, ReplyRequest } from '../../contracts/inbox';
import { UID } from '../constants';
import { getService } from '../utils';

export interface AdminUser {
  id: number;
  roles?: { id: number; code?: string }[];
}

const SUPER_ADMIN = 'strapi-super-admin';

const conversationOut = (row: any): Conversation => ({
  id: row.id,
  numberId: row.numberId,
  customerWaId: row.customerWaId,
  customerPhone: row.customerPhone ?? null,
  customerName: row.customerName ?? null,
  crm: { kind: row.crmKind ?? 'unknown', uid: row.crmUid ?? null, documentId: row.crmDocumentId ?? null },
  assigneeId: row.assigneeId ?? null,
  state: row.state ?? 'open',
  windowExpiresAt: row.windowExpiresAt ?? null,
  canSendFreeText: Boolean(row.windowExpiresAt && new Date(row.windowExpiresAt) > new Date()),
  templateOnly: Boolean(row.templateOnly),
  unreachable: Boolean(row.unreachable),
  unread: row.unread ?? 0,
  lastMessageAt: row.lastMessageAt ?? null,
  lastMessagePreview: row.lastMessagePreview ?? null,
});

export const messageOut = (row: any): Message => ({
  id: row.id,
  conversationId: row.conversationId ?? null,
  direction: row.direction,
  type: row.type,
  text: row.text ?? null,
  status: row.status,
  providerMessageId: row.providerMessageId ?? null,
  replyToProviderId: row.replyToProviderId ?? null,
  template: row.template ?? null,
  mediaState: row.mediaState ?? null,
  sentAt: row.sentAt ?? null,
  deliveredAt: row.deliveredAt ?? null,
  readAt: row.readAt ?? null,
  failedAt: row.failedAt ?? null,
  errorClass: row.errorClass ?? null,
  errorCode: row.errorCode ?? null,
  errorText: row.errorText ?? null,
  source: row.source,
  authorId: row.authorId ?? null,
  createdAt: row.createdAt,
});

/**
 * Conversations as staff see them: only those of numbers whose team they are in (a number with no
 * team is everyone's); super admins see all.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);

  const visibleNumberIds = async (user: AdminUser): Promise<number[] | 'all'> => {
    if (user.roles?.some((r) => r.code === SUPER_ADMIN)) return 'all';
    const roleIds = new Set((user.roles ?? []).map((r) => r.id));
    const numbers = await q(UID.number).findMany({ select: ['id', 'teamRoleIds'] });
    return numbers.filter((n: any) => !n.teamRoleIds?.length || n.teamRoleIds.some((id: number) => roleIds.has(id))).map((n: any) => n.id);
  };

  const visible = async (user: AdminUser, id: unknown) => {
    const n = Number(id);
    const row = Number.isSafeInteger(n) && n > 0 ? await q(UID.conversation).findOne({ where: { id: n } }) : null;
    const allowed = row ? await visibleNumberIds(user) : [];
    if (!row || (allowed !== 'all' && !allowed.includes(row.numberId))) throw new errors.NotFoundError('No conversation with this id');
    return row;
  };

  return {
    visibleNumberIds,

    async list(user: AdminUser, query: Record<string, string | undefined>) {
      const allowed = await visibleNumberIds(user);
      const where: Record<string, unknown> = {};
      if (allowed !== 'all') where.numberId = { $in: allowed };
      if (query.numberId) where.numberId = allowed === 'all' || allowed.includes(Number(query.numberId)) ? Number(query.numberId) : -1;
      if (query.state) where.state = query.state;
      if (query.crm) where.crmKind = query.crm;
      if (query.assignee === 'me') where.assigneeId = user.id;
      else if (query.assignee === 'unassigned') where.assigneeId = { $null: true };
      else if (query.assignee) where.assigneeId = Number(query.assignee);
      if (query.q) where.$or = [{ customerName: { $containsi: query.q } }, { customerPhone: { $contains: query.q } }, { customerWaId: { $contains: query.q } }];
      const page = Math.max(1, Number(query.page ?? 1));
      const pageSize = Math.min(100, Math.max(1, Number(query.pageSize ?? 25)));
      const [rows, total, unread] = await Promise.all([
        q(UID.conversation).findMany({ where, orderBy: [{ lastMessageAt: 'desc' }, { id: 'desc' }], offset: (page - 1) * pageSize, limit: pageSize }),
        q(UID.conversation).count({ where }),
        q(UID.conversation).count({ where: { ...where, unread: { $gt: 0 } } }),
      ]);
      return { data: rows.map(conversationOut), meta: { pagination: { page, pageSize, total, pageCount: Math.ceil(total / pageSize) }, unreadConversations: unread } };
    },

    async get(user: AdminUser, id: unknown) {
      return conversationOut(await visible(user, id));
    },

    async messages(user: AdminUser, id: unknown, query: { page?: string; pageSize?: string }) {
      const conversation = await visible(user, id);
      const page = Math.max(1, Number(query.page ?? 1));
      const pageSize = Math.min(200, Math.max(1, Number(query.pageSize ?? 50)));
      const where = { conversationId: conversation.id };
      const [rows, total] = await Promise.all([
        q(UID.message).findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], offset: (page - 1) * pageSize, limit: pageSize }),
        q(UID.message).count({ where }),
      ]);
      return { data: rows.map(messageOut), meta: { pagination: { page, pageSize, total, pageCount: Math.ceil(total / pageSize) } } };
    },

    async reply(user: AdminUser, id: unknown, body: ReplyRequest) {
      const conversation = await visible(user, id);
      return messageOut(await getService('dispatcher', { strapi }).enqueue(conversation.id, body, { id: user.id }));
    },
  };
};
