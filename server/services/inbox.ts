import type { Core } from '@strapi/strapi';
import { consentOut } from './consents';
import { errors } from '@strapi/utils';
import type { AssigneeOption, Conversation, MessagesQuery, ReplyRequest } from '../../contracts/inbox';
import { UID, actionId } from '../constants';
import { startRecipient, type StartInput } from '../conversations/start';
import { sendReadReceipt } from '../outbox/read-receipts';
import { recordAdminPath, type ReadScope } from '../content-manager-scope';
import { readCrmRecord } from '../crm-record';
import { toId } from '../ids';
import { getService } from '../utils';
import { adminUserName, conversationOut, messageOut } from '../conversations/out';
import { listPage } from '../conversations/list';
import { threadPage } from '../conversations/thread';

export { adminUserName, messageOut };

export interface AdminUser {
  id: number;
  roles?: { id: number; code?: string }[];
  /** What the caller may read of the host's records (the Content Manager's permissions); without it, nothing. */
  scope?: ReadScope;
}

/**
 * Conversations as staff see them: only those of numbers whose team they are in (a number with no
 * team is everyone's); super admins see all.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);

  // Team scoping is the scope service's; the inbox only asks it.
  const scope = () => getService('scope', { strapi });
  const visibleNumberIds = (user: AdminUser) => scope().visibleNumberIds(user);

  /** The identity sources whose name field the viewer may read: their CRM names may be shown and searched. */
  const namedSources = async (viewer: AdminUser) => {
    const { identitySources } = await getService('settings', { strapi }).get();
    const out = new Map<string, Awaited<ReturnType<ReadScope>>>();
    for (const source of identitySources) {
      if (out.has(source.uid) || !strapi.contentTypes[source.uid as keyof typeof strapi.contentTypes]) continue;
      const allowed = viewer.scope ? await viewer.scope(source.uid) : null;
      if (allowed && (!source.nameField || allowed.canReadField(source.nameField))) out.set(source.uid, allowed);
    }
    return out;
  };

  /**
   * The CRM names of linked conversations that the viewer could read in the Content Manager (type,
   * name field and, under role conditions, the record itself); one query per restricted type.
   */
  const visibleCrmNames = async (rows: any[], viewer?: AdminUser) => {
    const names = new Map<number, string>();
    const linked = rows.filter((r) => r.crmName && r.crmUid && r.crmDocumentId);
    if (!viewer?.scope || !linked.length) return names;
    const sources = await namedSources(viewer);
    for (const uid of new Set(linked.map((r) => r.crmUid as string))) {
      const allowed = sources.get(uid);
      if (!allowed) continue;
      const group = linked.filter((r) => r.crmUid === uid);
      const seen = allowed.filters
        ? new Set(
            ((await strapi.db.query(uid as any).findMany({ where: { $and: [{ documentId: { $in: group.map((r) => r.crmDocumentId) } }, allowed.filters] }, select: ['documentId'] })) as any[]).map(
              (r) => r.documentId
            )
          )
        : null;
      for (const r of group) if (!seen || seen.has(r.crmDocumentId)) names.set(r.id, r.crmName);
    }
    return names;
  };

  /** Conversations with their number's label, their assignee's name and the CRM name the viewer may see. */
  const withNames = async (rows: any[], viewer?: AdminUser): Promise<Conversation[]> => {
    const numberIds = [...new Set(rows.map((r) => r.numberId).filter(Boolean))];
    const userIds = [...new Set(rows.map((r) => r.assigneeId).filter(Boolean))];
    const [numbers, users] = await Promise.all([
      numberIds.length ? q(UID.number).findMany({ where: { id: { $in: numberIds } }, select: ['id', 'label'] }) : [],
      userIds.length ? q('admin::user').findMany({ where: { id: { $in: userIds } }, select: ['id', 'firstname', 'lastname', 'username', 'email'] }) : [],
    ]);
    const names = {
      numbers: new Map<number, string>(numbers.map((n: any) => [n.id, n.label])),
      users: new Map<number, string>(users.map((u: any) => [u.id, adminUserName(u)])),
      crm: await visibleCrmNames(rows, viewer),
    };
    return rows.map((row) => conversationOut(row, names));
  };
  const named = async (row: any, viewer?: AdminUser) => (await withNames([row], viewer))[0];

  const update = async (viewer: AdminUser, conversation: any, data: Record<string, unknown>) => {
    const row = await q(UID.conversation).update({ where: { id: conversation.id }, data });
    getService('realtime', { strapi }).publish({ type: 'conversation.updated', conversationId: row.id, numberId: row.numberId });
    return named(row, viewer);
  };

  const visible = async (user: AdminUser, id: unknown) => {
    const n = toId(id);
    const row = n ? await q(UID.conversation).findOne({ where: { id: n } }) : null;
    const allowed = row ? await visibleNumberIds(user) : [];
    if (!row || (allowed !== 'all' && !allowed.includes(row.numberId))) throw new errors.NotFoundError('No conversation with this id');
    return row;
  };

  /**
   * A Media Library file goes out only if the sender uploaded it or may browse the Media Library:
   * file ids are small integers, and customer media of other teams' numbers is stored there too.
   */
  const assertMayUseFile = async (user: AdminUser, fileId: number, ability?: { can: (action: string) => boolean }) => {
    const file = await q('plugin::upload.file').findOne({ where: { id: fileId }, populate: { createdBy: { select: ['id'] } } });
    if (!file) return; // The outbox answers the unknown id.
    if (scope().isSuperAdmin(user) || file.createdBy?.id === user.id || ability?.can('plugin::upload.read')) return;
    const message = 'you can send only files you uploaded, unless you may browse the Media Library';
    throw new errors.ValidationError(message, { errors: [{ path: ['fileId'], message, name: 'ValidationError', value: null }] });
  };

  return {
    async list(user: AdminUser, query: Record<string, string | undefined>) {
      const readableCrmUids = query.q ? [...(await namedSources(user)).keys()] : [];
      const filters = { ...query, allowed: await visibleNumberIds(user), userId: user.id, readableCrmUids };
      const page = Math.max(1, Number(query.page ?? 1));
      const pageSize = Math.min(100, Math.max(1, Number(query.pageSize ?? 25)));
      const { ids, count, unread } = await listPage(strapi, filters, (page - 1) * pageSize, pageSize);
      const found = ids.length ? await q(UID.conversation).findMany({ where: { id: { $in: ids } } }) : [];
      const byId = new Map<number, any>(found.map((r: any) => [r.id, r]));
      return {
        data: await withNames(ids.map((id) => byId.get(id)).filter(Boolean), user),
        meta: {
          pagination: { page, pageSize, total: count.total, pageCount: Math.ceil(count.total / pageSize), ...(count.capped ? { capped: true } : {}) },
          unreadConversations: unread.total,
          ...(unread.capped ? { unreadConversationsCapped: true } : {}),
        },
      };
    },

    /**
     * One conversation, with a summary of its CRM record and where to open it in the admin: only
     * what the caller's Content Manager permissions (`user.scope`) let them read of that record.
     */
    async get(user: AdminUser, id: unknown) {
      const row = await visible(user, id);
      // The header shows whether the customer may get business-initiated messages on this number.
      const stored = row.customerWaId || row.customerPhone ? await getService('consents', { strapi }).find(row.numberId, row.customerPhone ?? `+${row.customerWaId}`) : null;
      const out = { ...(await named(row, user)), consent: stored ? consentOut(stored) : null };
      return { ...out, crmRecord: await readCrmRecord(strapi, user.scope, row.crmUid, row.crmDocumentId) };
    },

    async messages(user: AdminUser, id: unknown, query: MessagesQuery) {
      return threadPage(strapi, (await visible(user, id)).id, query);
    },

    async reply(user: AdminUser, id: unknown, body: ReplyRequest, ability?: { can: (action: string) => boolean }) {
      const conversation = await visible(user, id);
      if (body.type === 'media' && body.fileId !== undefined) await assertMayUseFile(user, body.fileId, ability);
      const resolved: ReplyRequest =
        body.type === 'quick-reply' ? { type: 'text', text: (await getService('quick-replies', { strapi }).byName(body.name)).text, idempotencyKey: body.idempotencyKey } : body;
      return messageOut(await getService('outbox', { strapi }).enqueue(conversation.id, resolved, { id: user.id, source: 'inbox' }));
    },

    /**
     * Active admins who can read a number's conversations (its team, or everyone with inbox access
     * when it has none), super admins always. Without a number: those who can read at least one of
     * the numbers the caller sees, so a team member never learns who works in other teams.
     */
    async assignees(user: AdminUser, numberId?: number): Promise<AssigneeOption[]> {
      const allowed = await visibleNumberIds(user);
      let numbers: { id: number; teamRoleIds?: number[] | null }[];
      if (numberId !== undefined) {
        const number = await q(UID.number).findOne({ where: { id: numberId }, select: ['id', 'teamRoleIds'] });
        if (!number || (allowed !== 'all' && !allowed.includes(number.id))) throw new errors.NotFoundError('No WhatsApp number with this id');
        numbers = [number];
      } else {
        numbers = allowed === 'all' ? [{ id: 0 }] : await q(UID.number).findMany({ where: { id: { $in: allowed } }, select: ['id', 'teamRoleIds'] });
      }
      const openToAll = numbers.some((n) => !n.teamRoleIds?.length);
      const teamRoleIds = new Set(numbers.flatMap((n) => n.teamRoleIds ?? []));
      const grants = await q('admin::permission').findMany({ where: { action: actionId('inboxRead') }, populate: ['role'] });
      const readers = new Set<number>(grants.map((p: any) => p.role?.id).filter(Boolean));
      const users = await q('admin::user').findMany({ where: { isActive: true }, populate: ['roles'] });
      return users
        .filter((u: any) => {
          const roles: { id: number; code?: string }[] = u.roles ?? [];
          if (scope().isSuperAdmin(u)) return true;
          return roles.some((r) => readers.has(r.id)) && (openToAll || roles.some((r) => teamRoleIds.has(r.id)));
        })
        .map((u: any) => ({ id: u.id, name: adminUserName(u), email: u.email }))
        .sort((a: AssigneeOption, b: AssigneeOption) => a.name.localeCompare(b.name));
    },

    async assign(user: AdminUser, id: unknown, assigneeId: number | null) {
      const conversation = await visible(user, id);
      // Only someone who can see this number's conversations: an assignee outside its team could never open it.
      if (assigneeId !== null && !(await this.assignees(user, conversation.numberId)).some((a) => a.id === assigneeId)) {
        const message = 'not an active admin user who can read this number’s conversations';
        throw new errors.ValidationError(`assigneeId: ${message}`, { errors: [{ path: ['assigneeId'], message, name: 'ValidationError', value: assigneeId }] });
      }
      return update(user, conversation, { assigneeId });
    },

    async setState(user: AdminUser, id: unknown, state: 'open' | 'closed') {
      const conversation = await visible(user, id);
      const updated = await update(user, conversation, { state });
      // Closing asks the `closed` bots (a rating request) once; a failure there does not undo the close.
      if (state === 'closed' && conversation.state !== 'closed') await getService('bots', { strapi }).closed(conversation.id);
      return updated;
    },

    /** Marks the conversation read here and, where the provider can, on the customer's phone (not awaited). */
    async markRead(user: AdminUser, id: unknown) {
      const conversation = await visible(user, id);
      sendReadReceipt(strapi, conversation);
      return update(user, conversation, { unread: 0 });
    },

    /** A ticket in the host's ticket type, linked to the customer's record and back to the conversation. */
    async createTicket(user: AdminUser, id: unknown, input: { subject?: string; description?: string }) {
      const conversation = await visible(user, id);
      const ticket = await this.openTicket(conversation, input);
      return { conversation: await named(await q(UID.conversation).findOne({ where: { id: conversation.id } }), user), ticket };
    },

    /**
     * The ticket itself, written by the plugin with the fields the admin set in the ticket settings
     * (a person's request checked their access first; a bot's acts as the plugin, like the cron jobs).
     */
    async openTicket(conversation: any, input: { subject?: string; description?: string }) {
      if (conversation.ticketDocumentId) throw new errors.ValidationError('This conversation already has a ticket');
      const { ticket } = await getService('settings', { strapi }).get();
      if (!ticket) throw new errors.ApplicationError('Tickets are switched off in the settings');
      const ct = strapi.contentTypes[ticket.uid as keyof typeof strapi.contentTypes] as { attributes: Record<string, any>; options?: { draftAndPublish?: boolean } } | undefined;
      if (!ct) throw new errors.ValidationError(`No ticket type ${ticket.uid} in this app; set it in the plugin settings`);
      const recent = await q(UID.message).findMany({ where: { conversationId: conversation.id }, orderBy: { id: 'desc' }, limit: 10 });
      const transcript = recent.reverse().map((m: any) => `${m.direction === 'in' ? conversation.crmName ?? conversation.customerName ?? 'Customer' : 'Us'}: ${m.text ?? `[${m.type}]`}`).join('\n');
      const data: Record<string, unknown> = {
        [ticket.subjectField]: input.subject ?? `WhatsApp: ${conversation.crmName ?? conversation.customerName ?? conversation.customerPhone ?? conversation.customerWaId}`,
      };
      if (ticket.descriptionField) data[ticket.descriptionField] = input.description ?? transcript;
      if (ticket.statusField && ticket.status) data[ticket.statusField] = ticket.status;
      if (ticket.conversationField && ct.attributes[ticket.conversationField]) data[ticket.conversationField] = conversation.id;
      // The customer's CRM record, through whichever relation of the ticket type points at its type.
      const relation = Object.entries(ct.attributes).find(([, a]) => a.type === 'relation' && a.target === conversation.crmUid);
      if (relation && conversation.crmDocumentId) data[relation[0]] = conversation.crmDocumentId;
      // The ticket and the conversation's claim on it commit together: when two staff click at
      // once, the second claim finds the ticket taken and its ticket (and any rule firing) rolls back.
      const created = await strapi.db.transaction(async () => {
        const doc = await strapi.documents(ticket.uid as any).create({ data: data as any, ...(ct.options?.draftAndPublish ? { status: 'published' as const } : {}) });
        const { count } = await q(UID.conversation).updateMany({ where: { id: conversation.id, ticketDocumentId: null }, data: { ticketUid: ticket.uid, ticketDocumentId: doc.documentId } });
        if (count !== 1) throw new errors.ValidationError('This conversation already has a ticket');
        return doc;
      });
      getService('realtime', { strapi }).publish({ type: 'conversation.updated', conversationId: conversation.id, numberId: conversation.numberId });
      return { uid: ticket.uid as string, documentId: created.documentId as string, adminPath: recordAdminPath(ticket.uid, created.documentId) };
    },

    /**
     * Starts (or continues) a conversation with a template, to a phone number or to a CRM record's
     * phone. Templates are the only way to open a conversation outside the 24-hour window.
     */
    async start(user: AdminUser, input: StartInput) {
      const { number, e164, crm } = await startRecipient(strapi, user, input, await visibleNumberIds(user));
      // The outbox opens the conversation only once the message is admitted: a refused start leaves none behind.
      const message = await getService('outbox', { strapi }).enqueue(
        { numberId: number.id, phone: e164, crmHint: { link: crm } },
        { type: 'template', template: input.template, idempotencyKey: input.idempotencyKey },
        { id: user.id, source: 'inbox' }
      );
      return { conversation: await named(await q(UID.conversation).findOne({ where: { id: message.conversationId } }), user), message: messageOut(message) };
    },
  };
};
