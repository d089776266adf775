import type { Core } from '@strapi/strapi';
import type { IdentitySource } from '../../contracts/settings';
import { UID } from '../constants';
import { recordE164, regionOf, samePersonKey } from '../phone';
import { getService } from '../utils';

type Row = Record<string, any>;

/** Conversations re-matched per page after identity settings change. */
const REMATCH_PAGE = 200;

/** Document Service actions after which a CRM record's name, phone or existence may differ. */
const ACTIONS = new Set(['create', 'update', 'delete', 'publish', 'unpublish', 'discardDraft', 'clone']);

/**
 * Keeps conversations' links to CRM records true when staff edit the CRM: a renamed record shows
 * its new name in the inbox, a record created for an unknown number claims that number's
 * conversations, and a record deleted or given another phone lets go of them (they are matched
 * again through the identity sources, in their order). The inbound path links a conversation only
 * when a message arrives; without this the inbox showed the old name, or "unknown", until then.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as any);

  const regions = async (numberIds: number[]) => {
    const ids = [...new Set(numberIds)];
    const rows = ids.length
      ? ((await q(UID.number).findMany({
          where: { id: { $in: ids } },
          select: ['id', 'phone', 'region'],
        })) as Row[])
      : [];
    return new Map<number, string | null>(rows.map((n) => [n.id, regionOf(n as { phone: string; region?: string | null })]));
  };

  /** The record as the identity lookup sees it (any locale, draft or published; the newest edit). */
  const currentRecord = async (source: IdentitySource, documentId: string) => {
    const [row] = (await q(source.uid).findMany({
      where: { documentId },
      select: [source.phoneField, ...(source.nameField ? [source.nameField] : [])],
      orderBy: { updatedAt: 'desc' },
      limit: 1,
    })) as Row[];
    return row ?? null;
  };

  const samePerson = (recordPhone: unknown, customerPhone: string | null, region: string | null) => {
    const e164 = recordE164(recordPhone, region);
    return Boolean(e164 && customerPhone && samePersonKey(e164) === samePersonKey(customerPhone));
  };

  /**
   * Brings the conversations of one CRM record in line with the record as it is now. Returns the
   * conversations it changed, after telling open inboxes.
   */
  const sync = async (uid: string, documentId: string): Promise<number[]> => {
    const { identitySources } = await getService('settings', { strapi }).get();
    const source = identitySources.find((s) => s.uid === uid);
    if (!source || !strapi.contentTypes[uid as keyof typeof strapi.contentTypes]) return [];
    const record = await currentRecord(source, documentId);
    if (record) getService('inbound', { strapi }).forgetUnknownSenders();
    const name = record && source.nameField ? (record[source.nameField] ?? null) : null;

    const linked = (await q(UID.conversation).findMany({
      where: { crmUid: uid, crmDocumentId: documentId },
    })) as Row[];
    // Unlinked conversations of the record's phone: narrowed by its last digits, then compared per
    // number (a national phone in the record reads differently under each number's region).
    const digits = typeof record?.[source.phoneField] === 'string' ? record[source.phoneField].replace(/\D/g, '') : '';
    const unlinked =
      digits.length >= 4
        ? ((await q(UID.conversation).findMany({
            where: {
              crmDocumentId: { $null: true },
              customerPhone: { $contains: digits.slice(-4) },
            },
            limit: 500,
          })) as Row[])
        : [];
    const region = await regions([...linked, ...unlinked].map((c) => c.numberId));

    const changed: Row[] = [];
    const identity = getService('identity', { strapi });
    for (const c of linked) {
      const numberRegion = region.get(c.numberId) ?? null;
      if (record && samePerson(record[source.phoneField], c.customerPhone, numberRegion)) {
        if ((c.crmName ?? null) !== name)
          changed.push(
            await q(UID.conversation).update({
              where: { id: c.id },
              data: { crmName: name },
            }),
          );
        continue;
      }
      // Gone, or no longer this person's record: whoever else the phone belongs to, or nobody.
      const match = c.customerPhone ? await identity.match(c.customerPhone, numberRegion) : null;
      const data = match
        ? {
            crmKind: match.kind,
            crmUid: match.uid,
            crmDocumentId: match.documentId,
            crmName: match.name,
          }
        : {
            crmKind: 'unknown',
            crmUid: null,
            crmDocumentId: null,
            crmName: null,
          };
      changed.push(await q(UID.conversation).update({ where: { id: c.id }, data }));
    }
    for (const c of unlinked) {
      if (!record || !samePerson(record[source.phoneField], c.customerPhone, region.get(c.numberId) ?? null)) continue;
      // Claimed only while still unlinked: an inbound message may have linked it meanwhile.
      const claimed = await q(UID.conversation).updateMany({
        where: { id: c.id, crmDocumentId: { $null: true } },
        data: {
          crmKind: source.kind,
          crmUid: uid,
          crmDocumentId: documentId,
          crmName: name,
        },
      });
      if (claimed.count) changed.push(c);
    }

    const realtime = getService('realtime', { strapi });
    for (const c of changed)
      realtime.publish({
        type: 'conversation.updated',
        conversationId: c.id,
        numberId: c.numberId,
      });
    return changed.map((c) => c.id);
  };

  /**
   * After the identity sources changed (`before` were the old ones): conversations still unknown,
   * or linked through a source that changed or went, are matched again under the new sources, in
   * pages. Idempotent: a conversation already linked as it should be is left alone.
   */
  const rematch = async (before: IdentitySource[]): Promise<number> => {
    const { identitySources } = await getService('settings', { strapi }).get();
    const uids = new Set([...before, ...identitySources].map((s) => s.uid));
    const changedUids = [...uids].filter(
      (uid) => JSON.stringify(before.find((s) => s.uid === uid) ?? null) !== JSON.stringify(identitySources.find((s) => s.uid === uid) ?? null),
    );
    getService('inbound', { strapi }).forgetUnknownSenders();
    const identity = getService('identity', { strapi });
    const realtime = getService('realtime', { strapi });
    let lastId = 0;
    let seen = 0;
    let relinked = 0;
    for (;;) {
      const page = (await q(UID.conversation).findMany({
        where: { id: { $gt: lastId }, $or: [{ crmDocumentId: { $null: true } }, ...(changedUids.length ? [{ crmUid: { $in: changedUids } }] : [])] },
        select: ['id', 'numberId', 'customerPhone', 'crmKind', 'crmUid', 'crmDocumentId', 'crmName'],
        orderBy: { id: 'asc' },
        limit: REMATCH_PAGE,
      })) as Row[];
      if (!page.length) break;
      lastId = page[page.length - 1].id;
      seen += page.length;
      const region = await regions(page.map((c) => c.numberId));
      for (const c of page) {
        const match = c.customerPhone ? await identity.match(c.customerPhone, region.get(c.numberId) ?? null) : null;
        const data = match
          ? { crmKind: match.kind, crmUid: match.uid, crmDocumentId: match.documentId, crmName: match.name }
          : { crmKind: 'unknown', crmUid: null, crmDocumentId: null, crmName: null };
        if ((c.crmKind ?? 'unknown') === data.crmKind && (c.crmUid ?? null) === data.crmUid && (c.crmDocumentId ?? null) === data.crmDocumentId && (c.crmName ?? null) === data.crmName) continue;
        // Only while still linked as read: an inbound message or a CRM edit may have linked it meanwhile.
        const { count } = await q(UID.conversation).updateMany({ where: { id: c.id, crmDocumentId: c.crmDocumentId ?? { $null: true } }, data });
        if (!count) continue;
        relinked += 1;
        realtime.publish({ type: 'conversation.updated', conversationId: c.id, numberId: c.numberId });
      }
    }
    strapi.log.info(`[whatsapp] identity settings changed: ${relinked} of ${seen} waiting conversations matched again`);
    return relinked;
  };

  return {
    sync,
    rematch,

    /**
     * The Document Service middleware (registered in register()). Runs after the host's write has
     * committed (or, inside a host transaction, when it commits); its failure is logged, never the
     * host's.
     */
    middleware() {
      return async (ctx: { uid: string; action: string; params: Row }, next: () => Promise<unknown>) => {
        const result = (await next()) as Row | null;
        if (!ctx.uid.startsWith('api::') || !ACTIONS.has(ctx.action)) return result;
        const documentId: unknown = result?.documentId ?? ctx.params?.documentId;
        if (typeof documentId !== 'string') return result;
        const run = () =>
          sync(ctx.uid, documentId).catch((error: Error) => {
            strapi.log.error(`[whatsapp] conversations of ${ctx.uid} ${documentId}: ${error.message}`);
            return [];
          });
        if (strapi.db.inTransaction()) {
          await strapi.db.transaction(async ({ onCommit }) => onCommit(() => void run()));
        } else {
          await run();
        }
        return result;
      };
    },
  };
};
