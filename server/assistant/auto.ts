/**
 * Auto mode: a customer's message no bot answered gets the engine's answer, sent only when it is
 * confident, grounded and the window is open; otherwise the draft waits for staff and a person
 * gets the conversation. A person who takes over while the model thinks wins.
 */
import type { Core } from '@strapi/strapi';
import { ASSISTANT_AUTHOR, ASSISTANT_AUTO_THRESHOLD, UID, actionId } from '../constants';
import { activeAbility, contentManagerScope } from '../content-manager-scope';
import { readCrmRecord } from '../crm-record';
import { assistantAutoKey } from '../keys';
import { windowOpen } from '../outbox/admission';
import { NotAdmittedError } from '../outbox/enqueue';
import { getService } from '../utils';
import type { createEngine, Stored } from './engine';

type Row = Record<string, any>;

export interface AutoDeps {
  engine: ReturnType<typeof createEngine>;
  read: () => Promise<Stored>;
  /** Whether the number's latest evaluation passed (auto mode stays off without it). */
  evaluationPassed: (numberId: number) => Promise<boolean>;
  recentMessages: (conversationId: number) => Promise<{ messages: { direction: 'in' | 'out'; text: string }[]; question: string }>;
}

/** A person has the conversation: they answered (bots paused) or it was handed to the queue. */
const humanOwns = (state: Row | null) => state?.owner === 'human' || state?.owner === 'queue';

export const createAuto = (strapi: Core.Strapi, deps: AutoDeps) => {
  const q = (uid: string) => strapi.db.query(uid as any);
  const state = (conversationId: number) => q(UID.botState).findOne({ where: { conversationId } });

  /** Claims the customer's message for one automatic answer: the unique key refuses a second claim. */
  const claim = async (data: Row): Promise<Row | null> => {
    try {
      return await q(UID.assistantSuggestion).create({ data });
    } catch (error) {
      if (await q(UID.assistantSuggestion).findOne({ where: { autoKey: data.autoKey }, select: ['id'] })) return null;
      throw error;
    }
  };

  const handOff = async (conversation: Row) => {
    const { count } = await q(UID.botState).updateMany({ where: { conversationId: conversation.id }, data: { owner: 'queue', menu: null } });
    if (!count) await q(UID.botState).create({ data: { conversationId: conversation.id, numberId: conversation.numberId, owner: 'queue', hourCount: 0 } });
    getService('realtime', { strapi }).publish({ type: 'conversation.updated', conversationId: conversation.id, numberId: conversation.numberId });
  };

  /**
   * The conversation's CRM record as the admin who put the number in auto mode may read it now: still
   * active, still allowed to configure the assistant, still in the number's team, and only the
   * records and fields their Content Manager rights allow; null otherwise (the answer then rests on the knowledge alone).
   */
  const crmOf = async (conversation: Row, settings: Stored) => {
    const by = settings.numbers.find((n) => n.numberId === conversation.numberId)?.enabledBy;
    if (!by || !conversation.crmUid || !conversation.crmDocumentId) return null;
    const active = await activeAbility(strapi, by);
    if (!active || !active.ability.can(actionId('assistantManage'))) return null;
    if (!(await getService('scope', { strapi }).canSeeNumber(active.user, conversation.numberId))) return null;
    return readCrmRecord(strapi, contentManagerScope(strapi, active.ability), conversation.crmUid, conversation.crmDocumentId);
  };

  return {
    /** Whether auto mode answers on this number now (set to auto and its latest evaluation passed). */
    async active(numberId: number) {
      const settings = await deps.read();
      return settings.numbers.find((n) => n.numberId === numberId)?.mode === 'auto' && (await deps.evaluationPassed(numberId));
    },

    /** Answers the customer's message `messageId` once; returns false when auto mode is not on there. */
    async answer(conversationId: number, messageId: number): Promise<boolean> {
      const conversation = await q(UID.conversation).findOne({ where: { id: conversationId } });
      if (!conversation || !(await this.active(conversation.numberId))) return false;
      if (humanOwns(await state(conversationId))) return true;
      const message = await q(UID.message).findOne({ where: { id: messageId }, select: ['id', 'createdAt'] });
      const settings = await deps.read();
      const row = await claim({ kind: 'auto', autoKey: assistantAutoKey(messageId), messageId, conversationId, numberId: conversation.numberId, engine: settings.engine, outcome: 'pending', tokens: 0 });
      if (!row) return true;
      const { messages, question } = await deps.recentMessages(conversationId);
      const spent = settings.budgetPerConversation !== null && (await q(UID.assistantSuggestion).count({ where: { conversationId, id: { $ne: row.id } } })) >= settings.budgetPerConversation;
      const open = windowOpen(conversation.windowExpiresAt);
      const record = await crmOf(conversation, settings);
      const crm = record ? { type: record.type, fields: record.fields } : null;
      const draft = await deps.engine.draft(settings, { messages, question, crm, windowOpen: open, spent, numberId: conversation.numberId, customerName: conversation.customerName ?? null });
      const latencyMs = message ? Date.now() - new Date(message.createdAt).getTime() : null;
      const logged = { text: draft.text, citations: draft.citations, confidence: draft.confidence, grounded: draft.grounded, template: draft.template ?? null, tokens: draft.tokens, latencyMs };

      // The call may have taken seconds: a person who answered meanwhile has the conversation.
      if (humanOwns(await state(conversationId))) {
        await q(UID.assistantSuggestion).update({ where: { id: row.id }, data: { ...logged, handoffReason: 'human-took-over' } });
        strapi.log.info(`[whatsapp] assistant answer to message ${messageId} dropped: a person took over conversation ${conversationId}`);
        return true;
      }
      const threshold = settings.numbers.find((n) => n.numberId === conversation.numberId)?.threshold ?? ASSISTANT_AUTO_THRESHOLD;
      let why = draft.handoff?.reason ?? (!open ? 'the 24-hour window is closed: a template needs a person' : !draft.grounded ? 'the answer has a figure in no source' : draft.confidence < threshold ? `confidence ${draft.confidence} is below ${threshold}` : null);
      if (!why) {
        try {
          const author = { id: null, source: 'ai' as const, sourceRef: `assistant:${row.id}`, bot: { ...ASSISTANT_AUTHOR } };
          await getService('outbox', { strapi }).enqueue(conversationId, { type: 'text', text: draft.text, idempotencyKey: assistantAutoKey(messageId) } as any, author);
          await q(UID.assistantSuggestion).update({ where: { id: row.id }, data: { ...logged, sent: true } });
          return true;
        } catch (error) {
          if (!(error instanceof NotAdmittedError)) throw error;
          why = `not sent: ${error.refusal.message}`;
        }
      }
      // Kept as a suggestion for staff, and a person gets the conversation.
      await q(UID.assistantSuggestion).update({ where: { id: row.id }, data: { ...logged, handoffReason: why } });
      await handOff(conversation);
      return true;
    },
  };
};
