/**
 * The door for a batch of template sends from one number (a campaign's page): the same `admit` per
 * message as `enqueue`, with what it looks at read once per batch (the number, the template, the
 * conversations, consents, opt-outs, the daily budget), the missing conversations opened together
 * and the messages stored with one insert-or-nothing on their idempotency keys.
 */
import type { Core } from '@strapi/strapi';
import { BUDGET_SOURCES, STAFF_REPLY_SOURCES, UID } from '../constants';
import { chunksOf } from '../claims';
import type { CrmLink } from '../conversation-row';
import { openConversations } from '../conversations/open';
import { rowInserter } from '../db-rows';
import { replyKey } from '../keys';
import type { NumberRow } from '../number-rows';
import { regionOf, samePersonKey } from '../phone';
import type { TemplateParams } from '../providers/types';
import { templateText } from '../template-params';
import { updateEach } from '../update-each';
import { getService } from '../utils';
import { admit, businessInitiated, consentReason, needsOptIn, windowOpen, type SendSource } from './admission';
import { countedConversations, dailyLimitOf, usedToday, type DailyTally } from './daily-budget';
import type { Row } from './deliver';
import { NotAdmittedError, type Author, type CrmHint } from './enqueue';

/** One message of the batch: a customer's phone and the template they get, once per key. */
export interface BatchItem {
  phone: string;
  template: { name: string; language: string; params?: TemplateParams };
  idempotencyKey: string;
  /** The record the phone was read from: its own opt-out flag counts. */
  recipientOf?: CrmHint['recipientOf'];
  /** The CRM record a new conversation is linked to (else the identity sources' match). */
  link?: CrmLink | null;
}

/** Each item's message (stored now or by an earlier call with its key), or why it was not stored. */
export type BatchOutcome = { row: Row } | { error: Error };

export const createEnqueueMany = (strapi: Core.Strapi, schedule: (rows: Row[]) => Promise<void>) => {
  const q = (uid: string) => strapi.db.query(uid as any);

  /** The conversations of these customers with the number, by WhatsApp id. */
  const conversationsOf = async (numberId: number, waIds: string[]) => {
    const found = new Map<string, Row>();
    for (const part of chunksOf([...new Set(waIds)], 500)) for (const row of await q(UID.conversation).findMany({ where: { numberId, customerWaId: { $in: part } } })) found.set(row.customerWaId, row);
    return found;
  };

  /** Messages already stored under these keys, by key. */
  const byKeys = async (keys: string[]) => {
    const found = new Map<string, Row>();
    for (const part of chunksOf(keys, 500)) for (const row of await q(UID.message).findMany({ where: { idempotencyKey: { $in: part } } })) found.set(row.idempotencyKey, row);
    return found;
  };

  /** The stored templates the items name, by `name:language` (null: none by that name). */
  const templatesOf = async (numberId: number, items: BatchItem[]) => {
    const found = new Map<string, Row | null>();
    for (const { name, language } of items.map((i) => i.template)) {
      if (!found.has(`${name}:${language}`)) found.set(`${name}:${language}`, await q(UID.template).findOne({ where: { numberId, name, language, removedAt: null } }));
    }
    return found;
  };

  return async (numberId: number, items: BatchItem[], author: Author, tally?: DailyTally): Promise<BatchOutcome[]> => {
    const source: SendSource = author.source ?? 'campaign';
    // Template sends the business starts in bulk only: a staff reply's or a bot's effects are enqueue's alone.
    if (STAFF_REPLY_SOURCES.has(source) || author.bot) throw new Error(`enqueueMany sends no ${author.bot ? 'bot' : source} messages; use enqueue`);
    const e164s = items.map((i) => `+${i.phone.replace(/\D/g, '')}`);
    const number = (await q(UID.number).findOne({ where: { id: numberId } })) as NumberRow | null;
    const conversations = await conversationsOf(numberId, e164s.map((e) => e.slice(1)));
    const conversationOf = (i: number) => conversations.get(e164s[i].slice(1));
    // A key already used answers its message, whatever changed since (as enqueue does).
    const earlier = await byKeys(items.flatMap((item, i) => (conversationOf(i) ? [replyKey(conversationOf(i)!.id, item.idempotencyKey)] : [])));
    const outcomes: (BatchOutcome | null)[] = items.map((item, i) => {
      const row = conversationOf(i) && earlier.get(replyKey(conversationOf(i)!.id, item.idempotencyKey));
      return row ? { row } : null;
    });
    const templates = number ? await templatesOf(number.id, items) : new Map<string, Row | null>();

    // The consent, CRM and budget lookups only for the messages that start an exchange.
    const asked = items.flatMap((_, i) => (!outcomes[i] && number && businessInitiated(source, windowOpen(conversationOf(i)?.windowExpiresAt)) ? [i] : []));
    const phones = asked.map((i) => e164s[i]);
    const consents = number && phones.length ? await getService('consents', { strapi }).statuses(number.id, phones) : new Map<string, Row>();
    const from = new Map(asked.flatMap((i) => (items[i].recipientOf ? [[e164s[i], items[i].recipientOf!] as const] : [])));
    const optedOut = number && phones.length ? await getService('opt-out', { strapi }).reasons(phones, regionOf(number), from) : new Map<string, string>();
    const { requireMarketingOptIn } = phones.length ? await getService('settings', { strapi }).get() : { requireMarketingOptIn: false };
    const limit = number && BUDGET_SOURCES.has(source) ? dailyLimitOf(number) : null;
    const counted = limit !== null ? await countedConversations(strapi, asked.flatMap((i) => (conversationOf(i) ? [conversationOf(i)!.id] : []))) : new Set<number>();
    const counted0 = limit !== null && asked.length ? tally?.get(number!.id) ?? (await usedToday(strapi, number!.id)) : 0;
    let used = counted0;
    const askedSet = new Set(asked);
    const opened = new Set<string>();
    /** The admitted messages that would open a conversation not yet counted today. */
    const opening = new Set<number>();

    const admitted: number[] = [];
    for (const [i, item] of items.entries()) {
      if (outcomes[i]) continue;
      const conversation = conversationOf(i);
      const template = templates.get(`${item.template.name}:${item.template.language}`) ?? null;
      const initiated = askedSet.has(i);
      const consent = initiated ? consents.get(samePersonKey(e164s[i])) : undefined;
      // A conversation already counted today (or opened by this batch) opens nothing new.
      const opens = initiated && limit !== null && !(conversation && counted.has(conversation.id)) && !opened.has(e164s[i]);
      const refusal = admit({
        source,
        target: 'number',
        kind: 'template',
        number: { removed: !number || Boolean(number.deletedAt), active: Boolean(number?.active), freeForm: number ? getService('provider-calls', { strapi }).for(number).capabilities.freeForm : false, provider: number?.provider ?? '' },
        windowExpiresAt: conversation?.windowExpiresAt ?? null,
        template: { name: item.template.name, language: item.template.language, params: item.template.params, stored: template as any },
        unreachable: Boolean(conversation?.unreachable),
        optedOut: initiated ? consentReason(consent) ?? optedOut.get(e164s[i]) ?? null : null,
        daily: opens ? { limit: limit!, used } : undefined,
        consent: initiated && needsOptIn(source, template?.category, requireMarketingOptIn) ? consent?.status === 'opted-in' : undefined,
      });
      if (refusal) {
        outcomes[i] = { error: new NotAdmittedError(refusal) };
        continue;
      }
      if (opens) {
        used += 1;
        opened.add(e164s[i]);
        opening.add(i);
      }
      admitted.push(i);
    }
    if (!admitted.length) {
      if (limit !== null && asked.length) tally?.set(number!.id, counted0);
      return outcomes as BatchOutcome[];
    }

    // The missing conversations, opened together (insert-or-nothing, so another opener at once shares the row).
    const missing = admitted.filter((i) => !conversationOf(i));
    if (missing.length) {
      const people = missing.map((i) => ({ waId: e164s[i].slice(1), e164: e164s[i], crmHint: items[i].link ?? null }));
      for (const [waId, row] of await openConversations(strapi, number!, people)) conversations.set(waId, row);
    }
    const optOut = getService('opt-out', { strapi });
    const rows = admitted.map((i) => {
      const item = items[i];
      const template = templates.get(`${item.template.name}:${item.template.language}`)!;
      const holder = item.recipientOf ? optOut.holder(item.recipientOf) : null;
      const text = templateText(template.components ?? [], template.parameterFormat ?? 'positional', item.template.params) || `[template ${template.name}]`;
      return {
        conversationId: conversationOf(i)!.id,
        numberId: number!.id,
        direction: 'out',
        status: 'queued',
        source,
        sourceRef: author.sourceRef ?? null,
        authorId: author.id,
        attempts: 0,
        mediaState: 'none',
        type: 'template',
        template: item.template,
        text,
        // The record the phone came from, so readmission asks its own opt-out flag again.
        payload: holder ? { recipientOf: holder } : null,
        idempotencyKey: replyKey(conversationOf(i)!.id, item.idempotencyKey),
      };
    });
    // Insert-or-nothing on the key: a message another feeder stored meanwhile is answered, not doubled.
    const messages = rowInserter(strapi, UID.message);
    const created = new Set<number>();
    for (const part of chunksOf(rows, 100)) for (const id of await messages.insertIfNone(strapi.db.connection, part, ['idempotencyKey'])) created.add(id);
    const saved = await byKeys(rows.map((r) => r.idempotencyKey));
    admitted.forEach((i, n) => {
      const row = saved.get(rows[n].idempotencyKey);
      outcomes[i] = row ? { row } : { error: new Error('the message was not stored') };
    });

    // The tally counts only the conversations this call really opened, as enqueue counts a stored row.
    if (limit !== null && asked.length) tally?.set(number!.id, counted0 + admitted.filter((i, n) => opening.has(i) && created.has(saved.get(rows[n].idempotencyKey)?.id)).length);
    const stored = [...saved.values()].filter((row) => created.has(row.id));
    const latest = new Map<number, Row>();
    for (const row of stored) latest.set(row.conversationId, row);
    const conversationTable = rowInserter(strapi, UID.conversation);
    const c = conversationTable.column;
    const now = new Date();
    await updateEach(
      strapi.db.connection,
      (sql, bindings) => strapi.db.connection.raw(sql, bindings as any[]),
      conversationTable.table,
      [...latest.values()].map((row) => ({ id: row.conversationId, set: { [c('lastMessageAt')]: now, [c('lastMessagePreview')]: String(row.text ?? `[${row.type}]`).slice(0, 200), updated_at: now } }))
    );
    const realtime = getService('realtime', { strapi });
    for (const row of stored) realtime.publish({ type: 'message.created', conversationId: row.conversationId, numberId: row.numberId, messageId: row.id });
    if (stored.length) await schedule(stored);
    return outcomes as BatchOutcome[];
  };
};
