import type { Conversation, Message } from '../../contracts/inbox';
import { recordAdminPath } from '../content-manager-scope';
import { messageMediaPath } from '../services/media-access';
import { windowOpen } from '../outbox/admission';

/** How the inbox API shows conversations and messages. */
export const adminUserName = (u: { firstname?: string | null; lastname?: string | null; username?: string | null; email?: string | null }) =>
  [u.firstname, u.lastname].filter(Boolean).join(' ') || u.username || u.email || '';

export const conversationOut = (row: any, names: { numbers?: Map<number, string>; users?: Map<number, string>; crm?: Map<number, string> } = {}): Conversation => ({
  id: row.id,
  numberId: row.numberId,
  numberLabel: names.numbers?.get(row.numberId) ?? null,
  customerWaId: row.customerWaId,
  customerPhone: row.customerPhone ?? null,
  customerName: row.customerName ?? null,
  crmName: names.crm?.get(row.id) ?? null,
  crm: { kind: row.crmKind ?? 'unknown', uid: row.crmUid ?? null, documentId: row.crmDocumentId ?? null },
  assigneeId: row.assigneeId ?? null,
  assignee: row.assigneeId && names.users?.has(row.assigneeId) ? { id: row.assigneeId, name: names.users.get(row.assigneeId)! } : null,
  state: row.state ?? 'open',
  windowExpiresAt: row.windowExpiresAt ?? null,
  canSendFreeText: windowOpen(row.windowExpiresAt),
  templateOnly: Boolean(row.templateOnly),
  unreachable: Boolean(row.unreachable),
  unread: row.unread ?? 0,
  lastMessageAt: row.lastMessageAt ?? null,
  lastMessagePreview: row.lastMessagePreview ?? null,
  ticket: row.ticketUid && row.ticketDocumentId ? { uid: row.ticketUid, documentId: row.ticketDocumentId, adminPath: recordAdminPath(row.ticketUid, row.ticketDocumentId) } : null,
});

/**
 * The stored file of a media message (populated relation), as the admin shows it; null until stored.
 * A customer's file is served only through the team-checked admin route, never by its upload URL.
 */
const mediaOut = (row: any): Message['media'] => {
  const file = row.media;
  if (!file || typeof file !== 'object' || !file.url) return null;
  return { url: row.direction === 'in' ? messageMediaPath(row.id) : file.url, mime: file.mime ?? null, filename: file.name ?? null, size: file.size ?? null };
};

/** Ours keeps the place in `payload.location`; a customer's Meta message keeps it there in the raw event too. */
const locationOut = (row: any): Message['location'] => {
  const l = row.type === 'location' ? row.payload?.location : null;
  if (!l || !Number.isFinite(Number(l.latitude)) || !Number.isFinite(Number(l.longitude))) return null;
  return { latitude: Number(l.latitude), longitude: Number(l.longitude), ...(typeof l.name === 'string' ? { name: l.name } : {}), ...(typeof l.address === 'string' ? { address: l.address } : {}) };
};

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
  mediaError: row.mediaError ?? null,
  media: mediaOut(row),
  interactive: row.direction === 'out' && row.type === 'interactive' ? row.payload?.interactive ?? null : null,
  location: locationOut(row),
  contact: row.direction === 'out' && row.type === 'contacts' && row.payload?.contact ? row.payload.contact : null,
  sentAt: row.sentAt ?? null,
  deliveredAt: row.deliveredAt ?? null,
  readAt: row.readAt ?? null,
  failedAt: row.failedAt ?? null,
  errorClass: row.errorClass ?? null,
  errorCode: row.errorCode ?? null,
  errorText: row.errorText ?? null,
  source: row.source,
  authorId: row.authorId ?? null,
  bot: (row.source === 'bot' || row.source === 'ai') && row.payload?.bot ? row.payload.bot : null,
  createdAt: row.createdAt,
});
